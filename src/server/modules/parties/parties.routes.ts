/**
 * /api/v1/parties routes: businesses and their representatives, authorisations (ủy quyền), and the
 * principals the signed-in person may file for. HTTP only: parse, call the use case, shape the answer.
 */
import { Type } from '@sinclair/typebox';
import { Page, PageQuery } from '../../platform/http/pagination';
import type { App } from '../../platform/http/types';
import {
  AddRepresentativeBody,
  Authorisation,
  AuthorisationListQuery,
  AuthorisationParams,
  BusinessDetail,
  BusinessParams,
  BusinessSummary,
  CreateAuthorisationBody,
  PrincipalList,
  PrincipalsQuery,
  RegisterBusinessBody,
  RepresentativeParams,
} from './parties.schemas';
import type { PartiesService } from './parties.service';

const tags = ['parties'];
const P = '/api/v1/parties';
const security = [{ session: [] }];

export function registerPartiesRoutes(app: App, parties: PartiesService): void {
  // --- businesses ------------------------------------------------------------------------------------

  app.post(
    `${P}/businesses`,
    {
      schema: {
        tags,
        summary: 'Đăng ký doanh nghiệp (người đăng ký là người đại diện theo pháp luật)',
        description:
          'Công dân khai báo doanh nghiệp theo mã số thuế (kiểm tra định dạng và chữ số kiểm tra) và trở thành người đại diện theo pháp luật. ' +
          'Bản demo chỉ ghi nhận khai báo (trạng thái `declared`), chưa đối chiếu Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp.',
        body: RegisterBusinessBody,
        response: { 201: BusinessDetail },
        security,
      },
    },
    async (req, reply) => reply.code(201).send(await parties.registerBusiness(req.ctx, req.body)),
  );

  app.get(
    `${P}/businesses`,
    {
      schema: {
        tags,
        summary: 'Doanh nghiệp tôi đại diện',
        querystring: PageQuery,
        response: { 200: Page(BusinessSummary) },
        security,
      },
    },
    async (req) => parties.myBusinesses(req.ctx, req.query),
  );

  app.get(
    `${P}/businesses/:id`,
    {
      schema: {
        tags,
        summary: 'Doanh nghiệp và người đại diện',
        description: 'Chỉ người đại diện của doanh nghiệp; người khác nhận 404.',
        params: BusinessParams,
        response: { 200: BusinessDetail },
        security,
      },
    },
    async (req) => parties.business(req.ctx, req.params.id),
  );

  app.post(
    `${P}/businesses/:id/representatives`,
    {
      schema: {
        tags,
        summary: 'Thêm người đại diện (theo tên đăng nhập)',
        description: 'Chỉ người đại diện theo pháp luật (người đại diện khác nhận 403).',
        params: BusinessParams,
        body: AddRepresentativeBody,
        response: { 201: BusinessDetail },
        security,
      },
    },
    async (req, reply) => reply.code(201).send(await parties.addRepresentative(req.ctx, req.params.id, req.body)),
  );

  app.delete(
    `${P}/businesses/:id/representatives/:accountId`,
    {
      schema: {
        tags,
        summary: 'Bỏ người đại diện',
        description: 'Chỉ người đại diện theo pháp luật; không bỏ được chính người đại diện theo pháp luật.',
        params: RepresentativeParams,
        response: { 204: Type.Null() },
        security,
      },
    },
    async (req, reply) => {
      await parties.removeRepresentative(req.ctx, req.params.id, req.params.accountId);
      return reply.code(204).send(null);
    },
  );

  // --- authorisations -------------------------------------------------------------------------------

  app.post(
    `${P}/authorisations`,
    {
      schema: {
        tags,
        summary: 'Ủy quyền cho người khác nộp và theo dõi hồ sơ thay mình',
        description:
          'Người ủy quyền là người đang đăng nhập; người được ủy quyền theo tên đăng nhập. `procedureCodes` rỗng = mọi thủ tục; ' +
          'mỗi mã phải là thủ tục đang áp dụng. `validUntil` bắt buộc, ở tương lai, tối đa 5 năm.',
        body: CreateAuthorisationBody,
        response: { 201: Authorisation },
        security,
      },
    },
    async (req, reply) => reply.code(201).send(await parties.createAuthorisation(req.ctx, req.body)),
  );

  app.get(
    `${P}/authorisations/given`,
    {
      schema: {
        tags,
        summary: 'Ủy quyền tôi đã cho',
        querystring: AuthorisationListQuery,
        response: { 200: Page(Authorisation) },
        security,
      },
    },
    async (req) => parties.authorisations(req.ctx, 'given', req.query),
  );

  app.get(
    `${P}/authorisations/received`,
    {
      schema: {
        tags,
        summary: 'Ủy quyền tôi được nhận',
        querystring: AuthorisationListQuery,
        response: { 200: Page(Authorisation) },
        security,
      },
    },
    async (req) => parties.authorisations(req.ctx, 'received', req.query),
  );

  app.post(
    `${P}/authorisations/:id/revoke`,
    {
      schema: {
        tags,
        summary: 'Thu hồi ủy quyền (người ủy quyền) hoặc từ chối ủy quyền (người được ủy quyền)',
        description: 'Có hiệu lực ngay: người được ủy quyền không còn nộp, xem hay sửa hồ sơ của người ủy quyền. Người khác nhận 404.',
        params: AuthorisationParams,
        response: { 200: Authorisation },
        security,
      },
    },
    async (req) => parties.revokeAuthorisation(req.ctx, req.params.id),
  );

  // --- principals -----------------------------------------------------------------------------------

  app.get(
    `${P}/principals`,
    {
      schema: {
        tags,
        summary: 'Tôi có thể nộp hồ sơ cho ai',
        description:
          'Bản thân, doanh nghiệp tôi đại diện, người đã ủy quyền cho tôi (còn hiệu lực). Với `procedureCode`: chỉ ủy quyền bao gồm thủ tục đó.',
        querystring: PrincipalsQuery,
        response: { 200: PrincipalList },
        security,
      },
    },
    async (req) => parties.principals(req.ctx, req.query),
  );
}
