/**
 * The local national portal: a stand-in for Cổng DVC quốc gia that speaks the same JSON over HTTP.
 * Mounted by the app under /dvcqg-local when DVCQG_URL is unset (dev, demo, tests), so the province's
 * pushes really travel over HTTP and are really checked. It validates each message like the real
 * portal (required fields, codes, dates), answers `{ error_code, message }`, and records every message
 * it receives — accepted or refused — in `dvcqg_local_received`, readable by admins.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config';
import { requireAccess } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import { decodeCursor, Page, pageOf } from '../../platform/http/pagination';
import { problems } from '../../platform/http/problem';
import type { App } from '../../platform/http/types';
import { errorCodes, type SyncAnswer, SyncRejection, validateEnvelope } from './dvcqg.payload';
import { LOCAL_SYNC_PATH } from './dvcqg.push';
import { dvcqgRepo, type NewReceived } from './dvcqg.repo';
import { ReceivedItem, ReceivedQuery, SyncAnswerSchema } from './dvcqg.schemas';

const OK: SyncAnswer = { error_code: errorCodes.OK, message: 'Thành công' };

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented key with the configured one. */
function keyMatches(header: string | undefined, key: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(given), digest(key));
}

const str = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : null);
const statusOf = (v: unknown) => {
  const n = typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : null;
  return n !== null && n >= 1 && n <= 10 ? n : null;
};

/** One recorded row per dossier in the message (or one for the whole message when it has none). */
function rowsOf(body: unknown, answer: SyncAnswer): NewReceived[] {
  const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const service = str(o.service);
  const data = Array.isArray(o.data) ? o.data.slice(0, 100) : [];
  const base = { service, errorCode: answer.error_code, message: answer.message };
  const records = data.filter((h): h is Record<string, unknown> => typeof h === 'object' && h !== null && !Array.isArray(h));
  if (!records.length) return [{ ...base, maHoSo: null, trangThai: null, payload: body ?? null }];
  return records.map((h) => ({ ...base, maHoSo: str(h.MaHoSo), trangThai: statusOf(h.TrangThaiHoSo), payload: h }));
}

export function localPortal(db: Database, config: Pick<Config, 'dvcqg'>) {
  const repo = dvcqgRepo(db);

  return {
    /** Handles one sync message as the national portal would. */
    async receive(body: unknown, authorization: string | undefined): Promise<SyncAnswer> {
      let answer: SyncAnswer = OK;
      if (config.dvcqg.apiKey && !keyMatches(authorization, config.dvcqg.apiKey)) {
        answer = { error_code: errorCodes.AUTHEN_ERROR, message: 'AUTHEN_ERROR: khóa truy cập không hợp lệ' };
      } else {
        try {
          validateEnvelope(body);
        } catch (e) {
          if (!(e instanceof SyncRejection)) throw e;
          answer = { error_code: e.code, message: e.message };
        }
      }
      await repo.insertReceived(rowsOf(body, answer));
      return answer;
    },

    /** What the local portal received, newest first (admins). */
    async received(ctx: RequestContext, q: ReceivedQuery) {
      requireAccess(ctx.actor, 'jobs.manage');
      const limit = q.limit ?? 50;
      const key = decodeCursor(q.cursor);
      if (key && (key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string')) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const rows = await repo.listReceived(q.code?.trim() || undefined, key as [string, string] | null, limit);
      return pageOf(rows, limit, (r) => [r.receivedAt, r.id]);
    },
  };
}

export type LocalPortal = ReturnType<typeof localPortal>;

export function registerLocalPortalRoutes(app: App, portal: LocalPortal): void {
  app.post(
    LOCAL_SYNC_PATH,
    {
      schema: {
        tags: ['dvcqg-local'],
        summary: 'Cổng DVCQG giả lập: nhận thông điệp đồng bộ hồ sơ (DongBoHoSoMC)',
        description:
          'Chỉ có khi chưa cấu hình DVCQG_URL (phát triển, demo, kiểm thử). Nhận `{ service: "DongBoHoSoMC", isUpdating, data: [HoSoDongBoDVC] }`, ' +
          'kiểm tra như Cổng DVC quốc gia và trả `{ error_code, message }` (0 = thành công). Mọi thông điệp đều được lưu lại. ' +
          'Khi đặt DVCQG_API_KEY, cần header `Authorization: Bearer <khóa>`.',
        body: Type.Unknown({ description: 'Thông điệp đồng bộ (JSON)' }),
        response: { 200: SyncAnswerSchema },
      },
    },
    async (req) => portal.receive(req.body, req.headers.authorization),
  );

  app.get(
    '/api/v1/dvcqg/local/received',
    {
      schema: {
        tags: ['dvcqg'],
        summary: 'Cổng DVCQG giả lập: các thông điệp đã nhận',
        description:
          'Những gì tỉnh đã gửi lên Cổng DVCQG giả lập (cả thông điệp bị từ chối và mã lỗi), mới nhất trước. Cần quyền `jobs.manage`.',
        querystring: ReceivedQuery,
        response: { 200: Page(ReceivedItem) },
        security: [{ session: [] }],
      },
    },
    async (req) => portal.received(req.ctx, req.query),
  );
}
