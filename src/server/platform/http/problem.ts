/**
 * RFC 9457 problem details. Every 4xx/5xx of the API is one of these, with a stable `code`,
 * a Vietnamese `title` and, for input errors, field-level `errors[]`.
 */
export interface FieldError {
  /** JSON pointer or dotted path of the offending field, e.g. "/email" or "body.email". */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }

  toBody(instance?: string): ProblemBody {
    return {
      type: `https://tinhso.vn/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail?: string) =>
    new Problem(400, 'validation_failed', 'Dữ liệu gửi lên không hợp lệ', detail, errors),
  badRequest: (code: string, title: string, detail?: string, errors?: FieldError[]) => new Problem(400, code, title, detail, errors),
  unauthorized: (detail = 'Vui lòng đăng nhập để tiếp tục.') => new Problem(401, 'unauthorized', 'Chưa đăng nhập', detail),
  forbidden: (detail = 'Tài khoản của bạn không có quyền thực hiện thao tác này.') =>
    new Problem(403, 'forbidden', 'Không có quyền', detail),
  notFound: (detail = 'Không tìm thấy tài nguyên yêu cầu.') => new Problem(404, 'not_found', 'Không tìm thấy', detail),
  conflict: (code: string, title: string, detail?: string, errors?: FieldError[]) => new Problem(409, code, title, detail, errors),
  unprocessable: (code: string, title: string, detail?: string, errors?: FieldError[]) => new Problem(422, code, title, detail, errors),
  tooLarge: (detail: string) => new Problem(413, 'payload_too_large', 'Dữ liệu quá lớn', detail),
  unsupportedMedia: (detail: string) => new Problem(415, 'unsupported_media_type', 'Định dạng không được hỗ trợ', detail),
  tooMany: (detail = 'Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.') =>
    new Problem(429, 'too_many_requests', 'Quá nhiều yêu cầu', detail),
};
