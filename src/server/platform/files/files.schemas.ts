/**
 * Request and response schemas of the files routes (source of the OpenAPI document).
 */
import { type Static, Type } from '@sinclair/typebox';
import { allowedTypes } from './file-checks';

export const FileMeta = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Mã tệp' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Mã băm SHA-256 của nội dung tệp' }),
    size: Type.Integer({ minimum: 0, description: 'Dung lượng (byte)' }),
    mediaType: Type.String({
      description: 'Định dạng xác định từ nội dung tệp',
      examples: allowedTypes.map((t) => t.mediaType),
    }),
    originalName: Type.String({ description: 'Tên tệp người dùng tải lên (chỉ để hiển thị)' }),
    uploadedBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Tài khoản đã tải tệp lên' }),
    createdAt: Type.String({ format: 'date-time', description: 'Thời điểm tải lên' }),
  },
  { description: 'Thông tin một tệp đã tải lên' },
);
export type FileMeta = Static<typeof FileMeta>;

export const FileParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Mã tệp' }),
});

/** Documents the multipart body; the route reads it as a stream, not through this schema. */
export const FileUploadBody = Type.Object(
  {
    file: Type.String({
      format: 'binary',
      description: `Tệp cần tải lên. Định dạng chấp nhận: ${allowedTypes.map((t) => t.label).join(', ')}`,
    }),
  },
  { description: 'multipart/form-data với một trường "file"' },
);
