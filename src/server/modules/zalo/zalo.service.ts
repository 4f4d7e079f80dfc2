/**
 * The Zalo OA channel's use cases: the signed webhook (check, replay guard, the conversation step and its
 * effects), image downloads from allowed hosts, report creation through the feedback module, status look-ups,
 * and the outbox of replies delivered by the `zalo.send` job through the OA "send message" API.
 *
 * Nothing a user writes goes to the logs: failures log ids, sizes and error codes only.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import { type Database, type Orm, sql } from '../../platform/db/database';
import { Problem, problems } from '../../platform/http/problem';
import type { Jobs } from '../../platform/jobs';
import { type ConversationDeps, converse, type Draft, IDLE, type State, type Step } from './zalo.conversation';
import { eventTimestamp, parseEvent, SIGNATURE_HEADER, verifySignature, type ZaloEvent } from './zalo.protocol';
import { zaloTokens } from './zalo.tokens';

export const SEND_JOB = 'zalo.send';
export const SEND_RETRY = { retryLimit: 6, retryDelay: 10, retryBackoff: true } as const;
/** Keeps the OA's access token fresh (zalo.tokens.ts). */
export const TOKEN_JOB = 'zalo.token';
/** Zalo's answer to an access token it does not accept (expired, revoked). */
const INVALID_TOKEN = -216;
/** Events older (or further in the future) than this are ignored: a replay, or Zalo re-delivering long after. */
export const MAX_EVENT_AGE_MS = 5 * 60 * 1000;
/** A draft untouched for this long is forgotten: the next message starts from the help menu. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;
/** An event still 'received' after this long was interrupted (crash, error): a re-delivery processes it again. */
const RETRY_AFTER_MS = 30 * 1000;

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** What the channel needs from the feedback module (its contract: channel 'zalo', photos as bytes, request scope). */
export interface FeedbackPort {
  categories(): Promise<{ items: { code: string; name: string }[] }>;
  create(
    ctx: RequestContext,
    body: {
      categoryCode: string;
      description: string;
      location?: { lon: number; lat: number };
      address?: string;
      isPublic?: boolean;
      contact?: { zaloUserId?: string; name?: string };
    },
    idempotencyKey: string,
    opts: { channel: 'zalo'; photos?: { name: string; bytes: Buffer }[]; requestScope: string },
  ): Promise<{ id: string; code: string; agencyName: string }>;
  publicDetail(id: string): Promise<{ code: string; categoryName: string; stateName: string; agencyName: string; updatedAt: string }>;
  publicDetailByCode(code: string): Promise<{ id: string; code: string; categoryName: string; stateName: string }>;
}

/** Public tracking of dossiers (no personal data). */
export interface DossierPort {
  publicStatus(code: string): Promise<{
    code: string;
    procedureName: string;
    agencyName: string;
    publicStatusName: string;
    currentStep: string;
    dueAt: string | null;
    trackingUrl: string;
  }>;
}

export interface ZaloDeps {
  db: Database;
  config: Config;
  jobs: Jobs;
  feedback: FeedbackPort;
  dossiers: DossierPort;
  /** Fetch for the OA API and image downloads (the sandbox is reached in-process). */
  fetch: Fetch;
  log: FastifyBaseLogger;
  maxPhotoBytes: number;
}

interface ConversationRow {
  step: Step;
  draft: Draft;
  photo: Buffer | Uint8Array | null;
  version: number;
  updated_at: string | Date;
}

const vnDate = (iso: string) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    new Date(iso),
  );

/** Host allowed for image downloads: one of the configured hosts or a subdomain of one. */
export function mediaHostAllowed(url: URL, hosts: readonly string[]): boolean {
  const h = url.hostname.toLowerCase();
  return hosts.some((a) => h === a || h.endsWith(`.${a}`));
}

/** JPEG, PNG, WebP or GIF by their first bytes. */
function looksLikeImage(b: Buffer): boolean {
  if (b.length < 12) return false;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return true;
  return b.subarray(0, 4).toString('latin1') === 'GIF8';
}

export function zaloService(deps: ZaloDeps) {
  const { db, config, jobs, feedback, dossiers, log } = deps;
  const z = config.zalo;
  const base = config.publicUrl.replace(/\/+$/, '');
  /** The sandbox serves its sample images from our own origin: allowed only while it runs. */
  const mediaHosts = z.sandbox ? [...z.mediaHosts, new URL(base).hostname.toLowerCase()] : z.mediaHosts;
  const trackingUrl = (id: string) => `${base}/phan-anh/${id}`;
  const tokens = zaloTokens(deps);

  // --- images -----------------------------------------------------------------------------------------------

  async function fetchPhoto(rawUrl: string): Promise<{ bytes: Buffer } | { refused: string }> {
    const refused = (why: string, refusal: string) => {
      log.info({ reason: why }, 'Zalo: ảnh người dùng gửi không được nhận');
      return { refused: refusal };
    };
    const mb = Math.floor(deps.maxPhotoBytes / (1024 * 1024));
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return refused('bad_url', 'Không đọc được ảnh này.');
    }
    const ownSandbox = z.sandbox && url.origin === new URL(base).origin;
    if (!(url.protocol === 'https:' || ownSandbox) || !mediaHostAllowed(url, mediaHosts)) {
      return refused('host_not_allowed', 'Xin lỗi, hệ thống chỉ nhận ảnh gửi trực tiếp qua Zalo.');
    }
    try {
      const res = await deps.fetch(url.toString(), {
        method: 'GET',
        redirect: 'manual',
        signal: AbortSignal.timeout(z.timeoutSeconds * 1000),
      });
      if (!res.ok) return refused(`http_${res.status}`, 'Không tải được ảnh này.');
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > deps.maxPhotoBytes) return refused('too_large', `Ảnh quá lớn (tối đa ${mb} MB).`);
      const chunks: Buffer[] = [];
      let size = 0;
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > deps.maxPhotoBytes) {
            await reader.cancel().catch(() => {});
            return refused('too_large', `Ảnh quá lớn (tối đa ${mb} MB).`);
          }
          chunks.push(Buffer.from(value));
        }
      }
      const bytes = Buffer.concat(chunks);
      if (!looksLikeImage(bytes)) return refused('not_image', 'Tệp gửi lên không phải là ảnh.');
      return { bytes };
    } catch (e) {
      return refused((e as Error).name === 'TimeoutError' ? 'timeout' : 'fetch_failed', 'Không tải được ảnh này, vui lòng thử lại.');
    }
  }

  // --- status look-ups --------------------------------------------------------------------------------------

  async function dossierStatus(code: string): Promise<string | null> {
    try {
      const d = await dossiers.publicStatus(code);
      return [
        `Hồ sơ ${d.code}`,
        `• Thủ tục: ${d.procedureName}`,
        `• Cơ quan giải quyết: ${d.agencyName}`,
        `• Tình trạng: ${d.publicStatusName}${d.currentStep ? ` (${d.currentStep})` : ''}`,
        `• Ngày hẹn trả kết quả: ${d.dueAt ? vnDate(d.dueAt) : 'chưa có'}`,
        `Xem chi tiết: ${d.trackingUrl}`,
      ].join('\n');
    } catch (e) {
      if (e instanceof Problem && e.status === 404) return null;
      throw e;
    }
  }

  async function reportStatus(code: string, userId: string): Promise<string | null> {
    const [mine] = await db.rows<{ report_id: string; user_id: string }>(
      sql`select report_id, user_id from zalo_reports where code = ${code}`,
    );
    if (!mine) {
      // Any public report on the board, whatever channel it came from.
      const r = await feedback.publicDetailByCode(code).catch((e: unknown) => {
        if (e instanceof Problem && e.status === 404) return null;
        throw e;
      });
      return (
        r &&
        [`Phản ánh ${r.code}`, `• Lĩnh vực: ${r.categoryName}`, `• Tình trạng: ${r.stateName}`, `Xem chi tiết: ${trackingUrl(r.id)}`].join(
          '\n',
        )
      );
    }
    try {
      const r = await feedback.publicDetail(mine.report_id);
      return [
        `Phản ánh ${r.code}`,
        `• Lĩnh vực: ${r.categoryName}`,
        `• Đơn vị xử lý: ${r.agencyName}`,
        `• Tình trạng: ${r.stateName} (cập nhật ${vnDate(r.updatedAt)})`,
        `Xem chi tiết: ${trackingUrl(mine.report_id)}`,
      ].join('\n');
    } catch (e) {
      if (!(e instanceof Problem && e.status === 404)) throw e;
      // Not on the public board (yet): only its sender learns that it is waiting for moderation.
      if (mine.user_id !== userId) return null;
      return `Phản ánh ${code} đã được gửi và đang chờ cơ quan tiếp nhận, kiểm duyệt. Theo dõi tại: ${trackingUrl(mine.report_id)}`;
    }
  }

  // --- the report -------------------------------------------------------------------------------------------

  function zaloContext(ctx: RequestContext): RequestContext {
    return { ...ctx, actor: { kind: 'anonymous', accountId: null, label: 'zalo-oa', grants: [] } };
  }

  async function submit(ctx: RequestContext, ev: ZaloEvent, draft: Draft, photo: Buffer | null) {
    try {
      const report = await feedback.create(
        zaloContext(ctx),
        {
          categoryCode: draft.categoryCode ?? '',
          description: draft.description ?? '',
          ...(draft.location ? { location: draft.location } : {}),
          ...(draft.address ? { address: draft.address } : {}),
          isPublic: true,
          contact: { zaloUserId: ev.userId },
        },
        `zalo:${ev.eventId}`,
        {
          channel: 'zalo',
          ...(photo ? { photos: [{ name: 'anh-zalo.jpg', bytes: photo }] } : {}),
          requestScope: `zalo:${ev.userId}`,
        },
      );
      return { report: { id: report.id, code: report.code, agencyName: report.agencyName } };
    } catch (e) {
      if (!(e instanceof Problem) || e.status !== 400) throw e;
      const first = e.errors?.[0];
      const field = first?.field ?? '';
      const step: Step = field.startsWith('location') || field === 'address' ? 'location' : field.startsWith('photo') ? 'photo' : 'confirm';
      log.info({ field, code: e.code }, 'Zalo: phản ánh bị từ chối khi tạo');
      return { refused: `Chưa gửi được phản ánh: ${first?.message ?? e.detail ?? e.message}.`, step };
    }
  }

  // --- conversation storage ---------------------------------------------------------------------------------

  async function loadConversation(userId: string): Promise<{ state: State; version: number | null }> {
    const [row] = await db.rows<ConversationRow>(
      sql`select step, draft, photo, version, updated_at from zalo_conversations where user_id = ${userId}`,
    );
    if (!row) return { state: IDLE, version: null };
    if (row.step !== 'idle' && Date.now() - new Date(row.updated_at).getTime() > DRAFT_TTL_MS) {
      return { state: IDLE, version: row.version };
    }
    return { state: { step: row.step, draft: row.draft ?? {}, photo: row.photo ? Buffer.from(row.photo) : null }, version: row.version };
  }

  /** Saves the state if nobody changed it meanwhile; false when another message of the same user won. */
  async function saveConversation(tx: Orm, userId: string, state: State, version: number | null): Promise<boolean> {
    const draft = JSON.stringify(state.draft);
    if (version === null) {
      const rows = await db.rows(
        sql`insert into zalo_conversations (user_id, step, draft, photo, version, updated_at)
            values (${userId}, ${state.step}, ${draft}::jsonb, ${state.photo}, 1, now())
            on conflict (user_id) do nothing returning user_id`,
        tx,
      );
      return rows.length === 1;
    }
    const rows = await db.rows(
      sql`update zalo_conversations set step = ${state.step}, draft = ${draft}::jsonb, photo = ${state.photo},
                 version = version + 1, updated_at = now()
           where user_id = ${userId} and version = ${version} returning user_id`,
      tx,
    );
    return rows.length === 1;
  }

  async function enqueueReplies(tx: Orm, userId: string, replies: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, text] of replies.entries()) {
      const id = randomUUID();
      // created_at spaced by a microsecond per reply keeps their order in one transaction.
      await db.rows(
        sql`insert into zalo_outbox (id, user_id, text, created_at)
            values (${id}, ${userId}, ${text.slice(0, 2000)}, clock_timestamp() + ${`${i} microseconds`}::interval)`,
        tx,
      );
      await jobs.sendInTx(tx, SEND_JOB, { outboxId: id }, { singletonKey: id });
      ids.push(id);
    }
    return ids;
  }

  // --- the webhook ------------------------------------------------------------------------------------------

  type Outcome = 'processed' | 'duplicate' | 'stale' | 'ignored';

  async function handleWebhook(ctx: RequestContext, raw: Buffer, signature: string | undefined): Promise<{ outcome: Outcome }> {
    let payload: unknown = null;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      payload = null;
    }
    const timestamp = eventTimestamp(payload) ?? '';
    if (!verifySignature(signature, z.appId, raw, timestamp, z.oaSecret)) {
      // Logged without the content: who called, how much, whether a signature was there at all.
      log.warn({ ip: ctx.ip, bytes: raw.length, signed: Boolean(signature) }, 'Zalo webhook: chữ ký không hợp lệ, bỏ qua sự kiện');
      throw problems.unauthorized('Chữ ký X-ZEvent-Signature không hợp lệ.');
    }
    const ev = parseEvent(payload);
    if (!ev) return { outcome: 'ignored' };
    if (Math.abs(Date.now() - ev.at.getTime()) > MAX_EVENT_AGE_MS) {
      log.info({ event: ev.eventName }, 'Zalo webhook: sự kiện quá cũ, bỏ qua');
      return { outcome: 'stale' };
    }
    // Idempotency: the first delivery claims the event; a re-delivery is ignored unless the first was interrupted.
    const claimed = await db.rows(
      sql`insert into zalo_events (event_id, user_id, event_name, event_at) values (${ev.eventId}, ${ev.userId}, ${ev.eventName}, ${ev.at.toISOString()})
          on conflict (event_id) do update set received_at = now()
            where zalo_events.status = 'received' and zalo_events.received_at < now() - ${`${RETRY_AFTER_MS / 1000} seconds`}::interval
          returning event_id`,
    );
    if (!claimed.length) return { outcome: 'duplicate' };
    if (ev.incoming.kind === 'other') {
      await db.rows(sql`update zalo_events set status = 'done', processed_at = now() where event_id = ${ev.eventId}`);
      return { outcome: 'ignored' };
    }

    for (let attempt = 0; ; attempt++) {
      const { state, version } = await loadConversation(ev.userId);
      const made: { report: { id: string; code: string } | null } = { report: null };
      const cdeps: ConversationDeps = {
        categories: async () => (await feedback.categories()).items,
        fetchPhoto,
        submit: async (draft, photo) => {
          const out = await submit(ctx, ev, draft, photo);
          if ('report' in out && out.report) made.report = out.report;
          return out;
        },
        dossierStatus,
        reportStatus: (code) => reportStatus(code, ev.userId),
        trackingUrl,
        provinceName: config.provinceName,
      };
      const { state: next, replies } = await converse(state, ev.incoming, cdeps);
      const report = made.report;
      const saved = await db.orm.transaction(async (tx) => {
        if (!(await saveConversation(tx, ev.userId, next, version))) return false;
        if (report) {
          await db.rows(
            sql`insert into zalo_reports (report_id, code, user_id) values (${report.id}, ${report.code}, ${ev.userId})
                on conflict (report_id) do nothing`,
            tx,
          );
        }
        await enqueueReplies(tx, ev.userId, replies);
        await db.rows(sql`update zalo_events set status = 'done', processed_at = now() where event_id = ${ev.eventId}`, tx);
        await recordAudit(tx, zaloContext(ctx), {
          action: report ? 'zalo.report_submitted' : 'zalo.message_handled',
          targetType: report ? 'field_report' : 'zalo_conversation',
          targetId: report ? report.id : null,
          details: { event: ev.eventName, from: state.step, to: next.step, replies: replies.length },
        });
        return true;
      });
      if (saved) break;
      // Another message of the same user changed the conversation meanwhile: redo this step on the new state
      // (creating the report again is safe: its Idempotency-Key is this event's msg_id).
      if (attempt >= 2) throw problems.conflict('zalo_busy', 'Hội thoại đang được cập nhật', 'Vui lòng gửi lại tin nhắn.');
    }
    jobs.wake(SEND_JOB);
    return { outcome: 'processed' };
  }

  // --- sending ----------------------------------------------------------------------------------------------

  /** One call of the OA "send message" API (customer-service message) → Zalo's error code and message id. */
  async function callSend(
    token: string,
    userId: string,
    text: string,
  ): Promise<{ error: number | null; messageId: string | null; message: string }> {
    const res = await deps.fetch(`${z.apiBase}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify({ recipient: { user_id: userId }, message: { text } }),
      signal: AbortSignal.timeout(z.timeoutSeconds * 1000),
    });
    const answer = (await res.json().catch(() => null)) as { error?: number; message?: string; data?: { message_id?: string } } | null;
    if (!res.ok) throw new Error(`Zalo OA API trả HTTP ${res.status}`);
    return {
      error: answer?.error ?? null,
      messageId: answer?.data?.message_id ?? null,
      message: String(answer?.message ?? '').slice(0, 200),
    };
  }

  /**
   * Sends a text; throws on any failure (no text in the error). A token Zalo calls invalid (-216: expired or
   * revoked early) is refreshed once and the message sent again.
   */
  async function sendText(userId: string, text: string): Promise<string | null> {
    let answer = await callSend(await tokens.accessToken(), userId, text);
    if (answer.error === INVALID_TOKEN && (await tokens.refresh({ force: true })) === 'refreshed') {
      answer = await callSend(await tokens.accessToken(), userId, text);
    }
    if (answer.error !== 0) throw new Error(`Zalo OA API trả lỗi ${answer.error ?? '?'}: ${answer.message}`);
    return answer.messageId;
  }

  /** Sends one outbox message (the job's work); already sent or failed messages are left alone. */
  async function deliver(outboxId: string, lastTry: boolean): Promise<void> {
    const [m] = await db.rows<{ id: string; user_id: string; text: string; status: string; attempts: number }>(
      sql`select id, user_id, text, status, attempts from zalo_outbox where id = ${outboxId}`,
    );
    if (m?.status !== 'pending') return;
    try {
      const messageId = await sendText(m.user_id, m.text);
      await db.rows(
        sql`update zalo_outbox set status = 'sent', sent_at = now(), attempts = attempts + 1, zalo_message_id = ${messageId}, last_error = null
             where id = ${m.id}`,
      );
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      await db.rows(
        sql`update zalo_outbox set attempts = attempts + 1, last_error = ${error.slice(0, 500)},
                   status = ${lastTry ? 'failed' : 'pending'} where id = ${m.id}`,
      );
      log.warn({ outboxId: m.id, attempt: m.attempts + 1, lastTry, err: error }, 'Zalo: gửi tin trả lời thất bại');
      throw e;
    }
  }

  /** Sends every pending message now, oldest first (tests, and an operator's manual drain); returns how many were sent. */
  async function deliverPending(): Promise<number> {
    const rows = await db.rows<{ id: string }>(sql`select id from zalo_outbox where status = 'pending' order by created_at limit 500`);
    let sent = 0;
    for (const r of rows) {
      try {
        await deliver(r.id, false);
        sent++;
      } catch {
        // recorded on the row and logged by deliver
      }
    }
    return sent;
  }

  return { handleWebhook, deliver, deliverPending, fetchPhoto, refreshToken: tokens.refresh, signatureHeaderName: SIGNATURE_HEADER };
}

export type ZaloService = ReturnType<typeof zaloService>;
