/**
 * /api/v1 routes of process definitions. HTTP only: parse, call the use case, shape the answer.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../platform/http/types';
import {
  DraftInput,
  ProcedureParam,
  ValidateInput,
  ValidateResult,
  VersionParams,
  WorkflowDefinition,
  WorkflowList,
  WorkflowListQuery,
  WorkflowOverview,
  WorkflowVersion,
} from './workflows.schemas';
import type { WorkflowsService } from './workflows.service';

const tags = ['workflows'];
const P = '/api/v1';
const base = `${P}/procedures/:id/workflows`;
const WorkflowVersionParams = Type.Object({
  workflowId: Type.String({ format: 'uuid', description: 'Mã (id) quy trình' }),
  version: Type.Integer({ minimum: 1, description: 'Số phiên bản' }),
});

export function registerWorkflowRoutes(app: App, workflows: WorkflowsService): void {
  app.get(
    `${P}/workflows`,
    {
      schema: {
        tags,
        summary: 'Thủ tục đang áp dụng và tình trạng quy trình giải quyết của từng thủ tục (cán bộ)',
        querystring: WorkflowListQuery,
        response: { 200: WorkflowList },
      },
    },
    async (req) => workflows.list(req.ctx, req.query),
  );

  app.get(
    `${P}/workflows/:workflowId/versions/:version`,
    {
      schema: {
        tags,
        summary: 'Một phiên bản đã công bố của quy trình, theo mã quy trình (phiên bản hồ sơ đang theo)',
        params: WorkflowVersionParams,
        response: { 200: WorkflowVersion },
      },
    },
    async (req) => workflows.published(req.ctx, req.params.workflowId, req.params.version),
  );

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Quy trình giải quyết của một thủ tục: các phiên bản, phiên bản đang áp dụng, bản nháp',
        params: ProcedureParam,
        response: { 200: WorkflowOverview },
      },
    },
    async (req) => workflows.overview(req.ctx, req.params.id),
  );

  app.get(
    `${base}/current`,
    {
      schema: {
        tags,
        summary: 'Phiên bản quy trình đang áp dụng (phiên bản công bố mới nhất)',
        description: 'Hồ sơ tiếp nhận từ bây giờ theo phiên bản này; 404 khi thủ tục chưa có quy trình được công bố.',
        params: ProcedureParam,
        response: { 200: WorkflowVersion },
      },
    },
    async (req) => workflows.current(req.ctx, req.params.id),
  );

  app.get(
    `${base}/versions/:version`,
    {
      schema: {
        tags,
        summary: 'Một phiên bản quy trình (đã công bố hoặc bản nháp)',
        params: VersionParams,
        response: { 200: WorkflowVersion },
      },
    },
    async (req) => workflows.getVersion(req.ctx, req.params.id, req.params.version),
  );

  app.get(
    `${base}/standard`,
    {
      schema: {
        tags,
        summary: 'Quy trình một cửa chuẩn cho thủ tục (không lưu): điểm xuất phát để soạn',
        description:
          'Tiếp nhận → phân công → thẩm định → phê duyệt (hoặc trả lại) → có kết quả → trả kết quả; thời gian chia theo thời hạn giải quyết.',
        params: ProcedureParam,
        response: { 200: WorkflowDefinition },
      },
    },
    async (req) => workflows.standard(req.ctx, req.params.id),
  );

  app.post(
    `${base}/validate`,
    {
      schema: {
        tags,
        summary: 'Kiểm tra một định nghĩa quy trình (không lưu)',
        description: 'Trả danh sách lỗi (đường dẫn JSON và mô tả tiếng Việt); rỗng = công bố được.',
        params: ProcedureParam,
        body: ValidateInput,
        response: { 200: ValidateResult },
      },
    },
    async (req) => workflows.validate(req.ctx, req.params.id, req.body.definition),
  );

  app.get(
    `${base}/draft`,
    { schema: { tags, summary: 'Bản nháp đang soạn, kèm lỗi hiện có', params: ProcedureParam, response: { 200: WorkflowVersion } } },
    async (req) => workflows.getDraft(req.ctx, req.params.id),
  );

  app.put(
    `${base}/draft`,
    {
      schema: {
        tags,
        summary: 'Lưu bản nháp (tạo mới hoặc ghi đè bản nháp đang có)',
        description: 'Bản nháp được lưu cả khi còn lỗi; các lỗi được trả về trong `errors`. Phiên bản đã công bố không bao giờ bị sửa.',
        params: ProcedureParam,
        body: DraftInput,
        response: { 200: WorkflowVersion },
      },
    },
    async (req) => workflows.saveDraft(req.ctx, req.params.id, req.body),
  );

  app.delete(
    `${base}/draft`,
    { schema: { tags, summary: 'Bỏ bản nháp', params: ProcedureParam, response: { 204: Type.Null({ description: 'Đã bỏ' }) } } },
    async (req, reply) => {
      await workflows.discardDraft(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${base}/draft/publish`,
    {
      schema: {
        tags,
        summary: 'Công bố bản nháp thành phiên bản đang áp dụng',
        description: 'Từ chối (422, kèm `errors[]`) khi bản nháp còn lỗi. Phiên bản đã công bố không đổi được nữa.',
        params: ProcedureParam,
        response: { 200: WorkflowVersion },
      },
    },
    async (req) => workflows.publish(req.ctx, req.params.id),
  );
}
