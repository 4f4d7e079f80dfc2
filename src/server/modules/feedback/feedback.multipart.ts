/**
 * A report sent as multipart/form-data — part `report` (the JSON body as text) and up to five `photo` parts —
 * so that a phone sends the report and its photos in one request (one Idempotency-Key covers all of it, which
 * is what the offline queue needs; photos never exist on the server without their report). The report part is
 * then validated by the route's JSON schema like a JSON body.
 */
import type { FastifyRequest } from 'fastify';
import { uploadProblems } from '../../platform/files/file-checks';
import { problems } from '../../platform/http/problem';

export const MAX_PHOTOS = 5;

export async function readMultipartReport(req: FastifyRequest, maxBytes: number) {
  let report: unknown;
  const photos: { name: string; bytes: Buffer }[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'photo')
          throw problems.validation([{ field: part.fieldname, message: 'Chỉ nhận tệp trong trường "photo"' }]);
        if (photos.length >= MAX_PHOTOS) throw problems.validation([{ field: 'photo', message: 'Tối đa 5 ảnh cho một phản ánh' }]);
        photos.push({ name: part.filename ?? 'anh.jpg', bytes: await part.toBuffer() });
      } else if (part.fieldname === 'report') {
        try {
          report = JSON.parse(String(part.value));
        } catch {
          throw problems.validation([{ field: 'report', message: 'Trường "report" phải là JSON' }]);
        }
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw uploadProblems.tooLarge(maxBytes);
    if ((err as { code?: string }).code === 'FST_FILES_LIMIT')
      throw problems.validation([{ field: 'photo', message: 'Tối đa 5 ảnh cho một phản ánh' }]);
    throw err;
  }
  if (report === undefined) throw problems.validation([{ field: 'report', message: 'Thiếu nội dung phản ánh (trường "report")' }]);
  return { report, photos };
}
