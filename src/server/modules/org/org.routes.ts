/**
 * /api/v1 routes of the org module: units, agencies, departments, positions, roles, permissions,
 * staff and role assignments. HTTP only: parse, call the use case, shape the answer.
 */
import { Type } from '@sinclair/typebox';
import { Page } from '../../platform/http/pagination';
import type { App } from '../../platform/http/types';
import {
  Agency,
  AgencyCreate,
  AgencyDetail,
  AgencyListQuery,
  AgencyPatch,
  Assignment,
  AssignmentCreate,
  AssignmentParams,
  Department,
  DepartmentCreate,
  DepartmentPatch,
  IdParam,
  ImportQuery,
  ImportReport,
  PermissionItem,
  Position,
  PositionCreate,
  Role,
  RoleCodeParam,
  RoleCreate,
  RolePatch,
  Staff,
  StaffCreate,
  StaffDetail,
  StaffListQuery,
  StaffPatch,
  Unit,
  UnitClose,
  UnitCodeParam,
  UnitCreate,
  UnitDetail,
  UnitListQuery,
  UnitPatch,
} from './org.schemas';
import type { OrgService } from './org.service';

const tags = ['org'];
const P = '/api/v1';
/** CSV imports may carry a whole country's unit mapping (≈ 1.3 MB); allow a generous margin. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

const CsvBody = Type.String({ description: 'Nội dung tệp CSV (UTF-8, có dòng tiêu đề)' });

export async function registerOrgRoutes(app: App, org: OrgService): Promise<void> {
  // ---- administrative units ----------------------------------------------------------------------
  app.get(
    `${P}/units`,
    {
      schema: {
        tags,
        summary: 'Danh mục đơn vị hành chính (công khai)',
        description:
          'Mặc định: các đơn vị đang có hiệu lực. `at` tra cứu theo ngày (kể cả tên gọi cũ); `includeClosed` kèm đơn vị đã giải thể.',
        querystring: UnitListQuery,
        response: { 200: Page(Unit) },
      },
    },
    async (req) => org.listUnits(req.ctx, req.query),
  );

  app.get(
    `${P}/units/:code`,
    {
      schema: {
        tags,
        summary: 'Một đơn vị hành chính và lịch sử (kế thừa, sáp nhập, tên cũ)',
        params: UnitCodeParam,
        response: { 200: UnitDetail },
      },
    },
    async (req) => org.getUnit(req.ctx, req.params.code),
  );

  app.post(
    `${P}/units`,
    {
      config: { idempotent: true },
      schema: { tags, summary: 'Thêm đơn vị hành chính (mã không được trùng mã đã từng dùng)', body: UnitCreate, response: { 201: Unit } },
    },
    async (req, reply) => reply.code(201).send(await org.createUnit(req.ctx, req.body)),
  );

  app.patch(
    `${P}/units/:code`,
    {
      schema: {
        tags,
        summary: 'Sửa đơn vị hành chính; có effectiveFrom = đổi tên/loại, lưu trạng thái cũ vào lịch sử',
        params: UnitCodeParam,
        body: UnitPatch,
        response: { 200: Unit },
      },
    },
    async (req) => org.patchUnit(req.ctx, req.params.code, req.body),
  );

  app.post(
    `${P}/units/:code/close`,
    {
      schema: {
        tags,
        summary: 'Giải thể/sáp nhập: đơn vị giữ mã, có ngày hết hiệu lực và đơn vị kế thừa',
        params: UnitCodeParam,
        body: UnitClose,
        response: { 200: Unit },
      },
    },
    async (req) => org.closeUnit(req.ctx, req.params.code, req.body),
  );

  // ---- agencies and departments ------------------------------------------------------------------
  app.get(
    `${P}/agencies`,
    { schema: { tags, summary: 'Danh bạ cơ quan, đơn vị (công khai)', querystring: AgencyListQuery, response: { 200: Page(Agency) } } },
    async (req) => org.listAgencies(req.ctx, req.query),
  );

  app.get(
    `${P}/agencies/:id`,
    {
      schema: {
        tags,
        summary: 'Một cơ quan, kèm phòng ban và đơn vị trực thuộc (công khai)',
        params: IdParam,
        response: { 200: AgencyDetail },
      },
    },
    async (req) => org.getAgency(req.ctx, req.params.id),
  );

  app.post(
    `${P}/agencies`,
    {
      config: { idempotent: true },
      schema: { tags, summary: 'Thêm cơ quan, đơn vị', body: AgencyCreate, response: { 201: AgencyDetail } },
    },
    async (req, reply) => reply.code(201).send(await org.createAgency(req.ctx, req.body)),
  );

  app.patch(
    `${P}/agencies/:id`,
    {
      schema: {
        tags,
        summary: 'Sửa, chuyển hoặc ngừng hoạt động cơ quan',
        params: IdParam,
        body: AgencyPatch,
        response: { 200: AgencyDetail },
      },
    },
    async (req) => org.patchAgency(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/agencies/:id/departments`,
    {
      config: { idempotent: true },
      schema: { tags, summary: 'Thêm phòng, ban vào cơ quan', params: IdParam, body: DepartmentCreate, response: { 201: Department } },
    },
    async (req, reply) => reply.code(201).send(await org.createDepartment(req.ctx, req.params.id, req.body)),
  );

  app.patch(
    `${P}/departments/:id`,
    {
      schema: {
        tags,
        summary: 'Sửa hoặc ngừng hoạt động phòng, ban',
        params: IdParam,
        body: DepartmentPatch,
        response: { 200: Department },
      },
    },
    async (req) => org.patchDepartment(req.ctx, req.params.id, req.body),
  );

  // ---- CSV imports (own content type, so in their own encapsulated scope) -------------------------
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      `${P}/units/import`,
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Nhập đơn vị hành chính từ tệp CSV (tất cả hoặc không)',
          description:
            'Nhận ba dạng tệp, phân biệt bằng dòng tiêu đề: danh mục (province_code,province_name,commune_code,commune_name,commune_type), ' +
            'bảng chuyển đổi trước/sau sắp xếp 2025 (old_province_code,…,relation,note) và thay đổi sau mốc (effective_date,legal_basis,…). ' +
            'Có dòng lỗi thì không ghi gì và trả 422 kèm số dòng, lý do.',
          consumes: ['text/csv'],
          querystring: ImportQuery,
          body: CsvBody,
          response: { 200: ImportReport },
        },
      },
      async (req) => org.importUnits(req.ctx, req.body, req.query),
    );
    scope.post(
      `${P}/agencies/import`,
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Nhập cơ quan từ tệp CSV: code,name,short_name,kind,parent_code,admin_unit_code (tất cả hoặc không)',
          consumes: ['text/csv'],
          querystring: Type.Pick(ImportQuery, ['dryRun']),
          body: CsvBody,
          response: { 200: ImportReport },
        },
      },
      async (req) => org.importAgencies(req.ctx, req.body, { dryRun: req.query.dryRun }),
    );
  });

  // ---- positions, roles, permissions -------------------------------------------------------------
  app.get(`${P}/positions`, { schema: { tags, summary: 'Danh mục chức vụ', response: { 200: Type.Array(Position) } } }, async (req) =>
    org.listPositions(req.ctx),
  );

  app.post(
    `${P}/positions`,
    { schema: { tags, summary: 'Thêm chức vụ', body: PositionCreate, response: { 201: Position } } },
    async (req, reply) => reply.code(201).send(await org.createPosition(req.ctx, req.body)),
  );

  app.get(`${P}/roles`, { schema: { tags, summary: 'Danh sách vai trò', response: { 200: Type.Array(Role) } } }, async (req) =>
    org.listRoles(req.ctx),
  );

  app.post(
    `${P}/roles`,
    { schema: { tags, summary: 'Thêm vai trò (chỉ gồm quyền bạn đang có)', body: RoleCreate, response: { 201: Role } } },
    async (req, reply) => reply.code(201).send(await org.createRole(req.ctx, req.body)),
  );

  app.patch(
    `${P}/roles/:code`,
    {
      schema: {
        tags,
        summary: 'Sửa tên, mô tả, quyền của vai trò (mã không đổi)',
        params: RoleCodeParam,
        body: RolePatch,
        response: { 200: Role },
      },
    },
    async (req) => org.patchRole(req.ctx, req.params.code, req.body),
  );

  app.get(
    `${P}/permissions`,
    { schema: { tags, summary: 'Danh mục quyền, kèm tên tiếng Việt', response: { 200: Type.Array(PermissionItem) } } },
    async (req) => org.listPermissions(req.ctx),
  );

  // ---- staff and role assignments ----------------------------------------------------------------
  app.get(
    `${P}/staff`,
    { schema: { tags, summary: 'Danh sách cán bộ trong phạm vi được xem', querystring: StaffListQuery, response: { 200: Page(Staff) } } },
    async (req) => org.listStaff(req.ctx, req.query),
  );

  app.get(
    `${P}/staff/:id`,
    { schema: { tags, summary: 'Một cán bộ và các vai trò được giao', params: IdParam, response: { 200: StaffDetail } } },
    async (req) => org.getStaff(req.ctx, req.params.id),
  );

  app.post(
    `${P}/staff`,
    {
      config: { idempotent: true },
      schema: { tags, summary: 'Thêm cán bộ (tạo tài khoản đăng nhập và hồ sơ cán bộ)', body: StaffCreate, response: { 201: StaffDetail } },
    },
    async (req, reply) => reply.code(201).send(await org.createStaff(req.ctx, req.body)),
  );

  app.patch(
    `${P}/staff/:id`,
    {
      schema: {
        tags,
        summary: 'Chuyển công tác, đổi chức vụ, cho thôi công tác',
        params: IdParam,
        body: StaffPatch,
        response: { 200: StaffDetail },
      },
    },
    async (req) => org.patchStaff(req.ctx, req.params.id, req.body),
  );

  app.post(
    `${P}/staff/:id/assignments`,
    {
      schema: {
        tags,
        summary: 'Giao vai trò trong một phạm vi (chỉ trong phạm vi và quyền của người giao)',
        params: IdParam,
        body: AssignmentCreate,
        response: { 201: Assignment },
      },
    },
    async (req, reply) => reply.code(201).send(await org.addAssignment(req.ctx, req.params.id, req.body)),
  );

  app.delete(
    `${P}/staff/:id/assignments/:assignmentId`,
    { schema: { tags, summary: 'Thu hồi một vai trò đã giao', params: AssignmentParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await org.removeAssignment(req.ctx, req.params.id, req.params.assignmentId);
      return reply.code(204).send(null);
    },
  );
}
