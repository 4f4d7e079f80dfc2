/**
 * Notifications: render a template, store the message in the outbox, deliver it through its channel.
 *
 * `send()` writes a queued row and enqueues a `notify.deliver` job in one transaction (the caller's, when
 * given: the message then exists only if the business write commits). The job delivers and records the
 * outcome; `deliverNow()` does the same synchronously, for processes without workers and for tests.
 *
 * Delivery is idempotent: a row already 'sent' is never sent again, and a lease (`locked_until`) keeps
 * two workers from sending the same row at once. A crash after the provider accepted the message but
 * before the row was marked sent can still repeat it once (at-least-once); e-mail retries carry the same
 * Message-ID so receivers can spot it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { recordAudit } from '../audit/audit';
import { requireAccess, scopesFor } from '../auth/access';
import type { RequestContext } from '../auth/actor';
import type { Database, Orm } from '../db/database';
import { decodeCursor, pageOf } from '../http/pagination';
import { type FieldError, problems } from '../http/problem';
import type { Jobs } from '../jobs';
import { createLogger } from '../log';
import { type Channels, createChannels } from './notify.channels';
import { type ChannelName, maskRecipient, normaliseRecipient, placeholders, renderTemplate, type TemplateVars } from './notify.render';
import * as repo from './notify.repo';
import type { OutboxDetail, OutboxItem, OutboxQuery, TemplateUpdate, TemplateView } from './notify.schemas';
import type { NotificationRow, TemplateRow } from './notify.tables';

export const DELIVER_JOB = 'notify.deliver';
/** A delivery holds its row this long; shorter than the job's expiry so a retry after a crash can send. */
const LEASE_SECONDS = 90;

export interface NotifyInput {
  /** Template code, e.g. 'dossier.received'. */
  template: string;
  channel: ChannelName;
  /** E-mail address, mobile number (0xxxxxxxxx or +84…) or Zalo user id, by channel. */
  to: string;
  /** Values of the template's {{variables}}; `publicUrl` is filled in from the configuration. */
  vars?: TemplateVars;
  /** What the message is about (shown in the outbox, filterable). */
  target?: { type: string; id: string };
  /** Agency path of the target, so outbox readers scoped to an agency see its messages ('' = province). */
  scope?: string;
}

export interface DeliveryResult {
  id: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  providerId: string | null;
}

export interface Notifier {
  /**
   * Queues a message: renders the template, stores the row, enqueues its delivery. Not a use case of its
   * own — the calling use case has checked access — so it checks no permission and writes no audit
   * entry (the outbox row is the record). Pass `tx` to make the message part of the caller's transaction.
   */
  send(ctx: RequestContext, input: NotifyInput, tx?: Orm): Promise<{ id: string; status: 'queued' }>;
  /** Delivers a queued or failed message now (no retry on failure: the row records the error). */
  deliverNow(id: string): Promise<DeliveryResult>;
  listOutbox(ctx: RequestContext, query: OutboxQuery): Promise<{ items: OutboxItem[]; nextCursor: string | null }>;
  getOutbox(ctx: RequestContext, id: string): Promise<OutboxDetail>;
  listTemplates(ctx: RequestContext): Promise<TemplateView[]>;
  updateTemplate(ctx: RequestContext, code: string, input: TemplateUpdate): Promise<TemplateView>;
  readonly channels: Channels;
}

export interface NotifierDeps {
  db: Database;
  config: Config;
  jobs: Jobs;
  /** Defaults to the channels chosen by config (createChannels). */
  channels?: Channels;
  log?: Logger;
}

/** Builds the notifier and registers its delivery job (before or after jobs.init()). */
export async function createNotifier(deps: NotifierDeps): Promise<Notifier> {
  const { db, config, jobs } = deps;
  const channels = deps.channels ?? createChannels(config);
  const log = deps.log ?? createLogger(config).child({ block: 'notify' });

  /** One delivery attempt. With `forJob`, failures are thrown so pg-boss retries the job. */
  async function deliver(id: string, forJob: boolean): Promise<NotificationRow | undefined> {
    const row = await repo.claimForDelivery(db.orm, id, LEASE_SECONDS);
    if (!row) {
      const current = await repo.getNotification(db.orm, id);
      if (current && current.status !== 'sent' && forJob) {
        throw new Error('Thông báo đang được một tiến trình khác gửi; sẽ kiểm tra lại sau.');
      }
      return current;
    }
    const channel = channels[row.channel as ChannelName];
    let providerId: string;
    try {
      ({ providerId } = await channel.send({
        id: row.id,
        channel: row.channel as ChannelName,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        html: row.bodyHtml,
      }));
    } catch (err) {
      const message = errorMessage(err);
      const failed = await repo.markFailed(db.orm, id, message);
      log.warn({ notificationId: id, channel: row.channel, attempts: failed.attempts, err: message }, 'Gửi thông báo thất bại');
      if (forJob) throw err;
      return failed;
    }
    return repo.markSent(db.orm, id, providerId);
  }

  await jobs.register<{ notificationId: string }>(
    DELIVER_JOB,
    async (job) => {
      const row = await deliver(job.data.notificationId, true);
      if (!row) log.warn({ notificationId: job.data.notificationId }, 'Không còn thông báo cần gửi');
    },
    // Up to ~30 s, 1, 2, 4, 8 min apart (with jitter); then the job goes to notify.deliver.dead.
    { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  );

  return {
    channels,

    async send(ctx, input, tx) {
      const to = normaliseRecipient(input.channel, input.to);
      const run = async (t: Orm) => {
        const template = await repo.getTemplate(t, input.template, input.channel);
        if (!template) {
          throw problems.unprocessable(
            'template_not_found',
            'Không có mẫu thông báo',
            `Chưa có mẫu "${input.template}" cho kênh ${input.channel}.`,
          );
        }
        const rendered = renderTemplate(
          { channel: input.channel, subject: template.subject, body: template.body },
          { publicUrl: config.publicUrl, ...input.vars },
        );
        const id = randomUUID();
        const jobId = await jobs.sendInTx(t, DELIVER_JOB, { notificationId: id }, { singletonKey: id });
        await repo.insertNotification(t, {
          id,
          channel: input.channel,
          recipient: to,
          templateCode: input.template,
          subject: rendered.subject,
          body: rendered.text,
          bodyHtml: rendered.html,
          targetType: input.target?.type ?? null,
          targetId: input.target?.id ?? null,
          scope: input.scope ?? '',
          createdBy: ctx.actor.accountId,
          jobId,
        });
        return { id, status: 'queued' as const };
      };
      if (tx) return run(tx);
      const queued = await db.orm.transaction(run);
      jobs.wake(DELIVER_JOB);
      return queued;
    },

    async deliverNow(id) {
      const row = await deliver(id, false);
      if (!row) throw problems.notFound('Không tìm thấy thông báo.');
      return {
        id: row.id,
        status: row.status as DeliveryResult['status'],
        attempts: row.attempts,
        lastError: row.lastError,
        providerId: row.providerId,
      };
    },

    async listOutbox(ctx, q) {
      requireAccess(ctx.actor, 'notify.outbox.read');
      const limit = q.limit ?? 50;
      const cursor = decodeCursor(q.cursor);
      const after = cursor ? { key: String(cursor[0]), id: String(cursor[1]) } : undefined;
      if (after && (!isTimestampKey(after.key) || !isUuid(after.id))) {
        throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
      }
      const rows = await repo.listOutbox(db.orm, {
        channel: q.channel,
        status: q.status,
        targetType: q.targetType,
        targetId: q.targetId,
        scopes: scopesFor(ctx.actor, 'notify.outbox.read'),
        after,
        limit,
      });
      const page = pageOf(rows, limit, (r) => [r.createdKey, r.id]);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({ ...summary(r), recipient: maskRecipient(r.channel as ChannelName, r.recipient) })),
      };
    },

    async getOutbox(ctx, id) {
      requireAccess(ctx.actor, 'notify.outbox.read');
      const row = await repo.getNotification(db.orm, id);
      if (!row) throw problems.notFound('Không tìm thấy thông báo.');
      // A reader scoped to an agency does not learn that messages of other agencies exist.
      requireAccess(ctx.actor, 'notify.outbox.read', { scope: row.scope });
      return {
        ...summary(row),
        recipient: row.recipient,
        body: row.body,
        bodyHtml: row.bodyHtml,
        lastError: row.lastError,
        providerId: row.providerId,
        scope: row.scope,
      };
    },

    async listTemplates(ctx) {
      requireAccess(ctx.actor, 'notify.templates.manage');
      return (await repo.listTemplates(db.orm)).map(templateView);
    },

    async updateTemplate(ctx, code, input) {
      requireAccess(ctx.actor, 'notify.templates.manage');
      return db.orm.transaction(async (tx) => {
        const variants = await repo.templatesOfCode(tx, code);
        const first = variants[0];
        if (!first) throw problems.notFound('Không có mẫu thông báo với mã này.');
        const allowed = [...new Set(variants.flatMap((v) => v.variables))];
        const subject = input.channel === 'email' ? (input.subject ?? null) : null;
        checkTemplate(input, subject, allowed);
        const existing = variants.find((v) => v.channel === input.channel);
        const saved = await repo.upsertTemplate(tx, {
          code,
          channel: input.channel,
          description: existing?.description ?? first.description,
          variables: existing?.variables ?? allowed,
          subject,
          body: input.body,
          updatedBy: ctx.actor.accountId,
        });
        await recordAudit(tx, ctx, {
          action: 'notify.template.update',
          targetType: 'notification_template',
          targetId: `${code}:${input.channel}`,
          details: {
            created: !existing,
            subjectChanged: existing ? existing.subject !== subject : true,
            bodyChanged: existing ? existing.body !== input.body : true,
          },
        });
        return templateView(saved);
      });
    },
  };
}

/** A template may use only the variables its sending code provides, and e-mail needs a subject. */
function checkTemplate(input: TemplateUpdate, subject: string | null, allowed: string[]): void {
  const errors: FieldError[] = [];
  const known = new Set(allowed);
  const unknown = (text: string) => placeholders(text).filter((p) => !known.has(p));
  const hint = allowed.length ? `Các biến dùng được: ${allowed.map((v) => `{{${v}}}`).join(', ')}.` : 'Mẫu này không có biến.';
  if (input.channel === 'email' && !subject) errors.push({ field: '/subject', message: 'Email cần có tiêu đề' });
  if (input.channel !== 'email' && input.subject) {
    errors.push({ field: '/subject', message: 'Chỉ email mới có tiêu đề; hãy bỏ trống trường này' });
  }
  const badSubject = subject ? unknown(subject) : [];
  if (badSubject.length) errors.push({ field: '/subject', message: `Biến không tồn tại: ${badSubject.join(', ')}. ${hint}` });
  const badBody = unknown(input.body);
  if (badBody.length) errors.push({ field: '/body', message: `Biến không tồn tại: ${badBody.join(', ')}. ${hint}` });
  if (errors.length) throw problems.validation(errors);
}

function summary(r: NotificationRow) {
  return {
    id: r.id,
    channel: r.channel as ChannelName,
    templateCode: r.templateCode,
    subject: r.subject,
    status: r.status as 'queued' | 'sent' | 'failed',
    attempts: r.attempts,
    target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
  };
}

function templateView(r: TemplateRow): TemplateView {
  return {
    code: r.code,
    channel: r.channel as ChannelName,
    description: r.description,
    variables: r.variables,
    subject: r.subject,
    body: r.body,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function errorMessage(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? ` [${e.code}]` : '';
  return `${text}${code}`.slice(0, 1000);
}

function isTimestampKey(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(s);
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
