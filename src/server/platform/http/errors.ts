/**
 * Turns every failure into problem+json: our Problems, schema violations, malformed JSON,
 * unknown routes, rate limits. Bad input never becomes a 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldError, Problem, problems } from './problem';

interface AjvError {
  instancePath?: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Vietnamese message for one JSON-schema violation. */
export function ajvMessage(e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return 'Trường này là bắt buộc';
    case 'type':
      return `Sai kiểu dữ liệu (cần ${vnType(String(p.type))})`;
    case 'minLength':
      return `Cần ít nhất ${p.limit} ký tự`;
    case 'maxLength':
      return `Không được dài quá ${p.limit} ký tự`;
    case 'minimum':
      return `Giá trị phải ≥ ${p.limit}`;
    case 'maximum':
      return `Giá trị phải ≤ ${p.limit}`;
    case 'pattern':
      return 'Không đúng định dạng';
    case 'format':
      return `Không đúng định dạng ${p.format}`;
    case 'enum':
    case 'const':
      return 'Giá trị không nằm trong danh sách cho phép';
    case 'additionalProperties':
      return 'Trường không được phép';
    case 'minItems':
      return `Cần ít nhất ${p.limit} phần tử`;
    case 'maxItems':
      return `Không được quá ${p.limit} phần tử`;
    default:
      return e.message ?? 'Giá trị không hợp lệ';
  }
}

function vnType(t: string): string {
  return { string: 'chuỗi', number: 'số', integer: 'số nguyên', boolean: 'đúng/sai', object: 'đối tượng', array: 'danh sách' }[t] ?? t;
}

function fieldOf(e: AjvError, context: string | undefined): string {
  let path = e.instancePath ?? '';
  if (e.keyword === 'required' && e.params.missingProperty) path += `/${String(e.params.missingProperty)}`;
  if (e.keyword === 'additionalProperties' && e.params.additionalProperty) path += `/${String(e.params.additionalProperty)}`;
  return `${context ?? 'body'}${path || ''}`;
}

export function toProblem(err: FastifyError & { validation?: AjvError[]; validationContext?: string }): Problem {
  if (err instanceof Problem) return err;
  if (err.validation) {
    const errors: FieldError[] = err.validation.map((e) => ({ field: fieldOf(e, err.validationContext), message: ajvMessage(e) }));
    return problems.validation(errors);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problems.badRequest('malformed_json', 'Dữ liệu JSON không hợp lệ', 'Nội dung gửi lên không phải JSON hợp lệ.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMedia('Kiểu nội dung (Content-Type) không được hỗ trợ.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return problems.tooLarge('Dữ liệu gửi lên vượt quá dung lượng cho phép.');
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new Problem(403, 'csrf_invalid', 'Phiên làm việc không hợp lệ', 'Mã chống giả mạo (CSRF) thiếu hoặc sai. Hãy tải lại trang.');
  }
  if (err.statusCode === 429) return problems.tooMany();
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new Problem(err.statusCode, 'bad_request', 'Yêu cầu không hợp lệ', err.message);
  }
  return new Problem(500, 'internal_error', 'Lỗi hệ thống', 'Đã có lỗi xảy ra. Vui lòng thử lại sau.');
}

export function sendProblem(reply: FastifyReply, problem: Problem, req: FastifyRequest): FastifyReply {
  return reply
    .code(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send(problem.toBody(req.url.split('?')[0]));
}

export function installErrorHandlers(app: FastifyInstance, onUnknownRoute?: (req: FastifyRequest, reply: FastifyReply) => unknown): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const problem = toProblem(err);
    if (problem.status >= 500) req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, problem, req);
  });
  app.setNotFoundHandler((req, reply) => {
    if (onUnknownRoute && req.method === 'GET' && !isApiPath(req.url)) return onUnknownRoute(req, reply);
    return sendProblem(reply, problems.notFound(`Không có địa chỉ ${req.method} ${req.url.split('?')[0]}.`), req);
  });
}

export function isApiPath(url: string): boolean {
  return /^\/(api|oidc|open311|healthz|readyz)(\/|$|\?)/.test(url);
}
