/**
 * Petition use cases (phản ánh, kiến nghị về quy định hành chính, NĐ 20/2008): submit online (signed in, or
 * anonymous with name, address and a contact; Idempotency-Key), record one at the counter (written, phone, form),
 * log it in the agency's PAKN register, classify / forward (05 working days) / assign / note / extend / answer
 * (published) / close, the petitioner's own list, the staff queue, the public list of answers and the on-time
 * statistics (TT 01/2018 indicator 8). Every action is an event written with the row update and the audit entry
 * in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { can, requireAccess, scopesFor } from '../../platform/auth/access';
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import { addWorkingDays, type CalendarService, localIsoDate } from '../../platform/calendar';
import { type Database, isUniqueViolation, type Orm } from '../../platform/db/database';
import type { FileService } from '../../platform/files';
import { problems } from '../../platform/http/problem';
import { agencyById, staffByAccounts, staffWithRoles } from '../org';
import { type EventRow, type NewPetition, type Petitioner, type PetitionRow, petitionsRepo } from './petitions.repo';
import {
  actionNames,
  type Channel,
  type Criterion,
  categories,
  channelNames,
  criteria,
  HANDLER_ACTIONS,
  indicator8,
  isAllowed,
  nextState,
  type PetitionAction,
  stateNames,
  summarize,
} from './petitions.rules';

export interface PetitionsDeps {
  db: Database;
  calendar: CalendarService;
  files: FileService;
}

export interface SubmitBody {
  agencyId: string;
  category: number;
  regulation: string;
  content: string;
  proposal?: string;
  attachmentIds?: string[];
  petitioner?: Partial<Petitioner>;
}

export interface CounterBody extends SubmitBody {
  channel: Exclude<Channel, 'online'>;
  /** When the written petition / call was received (default now); not in the future. */
  receivedAt?: string;
}

export interface ActionBody {
  decision?: 'rejected' | 'in_competence';
  reason?: string;
  category?: number;
  agencyId?: string;
  agencyName?: string;
  accountId?: string;
  note?: string;
  kind?: 'meeting' | 'assessment';
  assessment?: Partial<Record<Criterion, string>>;
  days?: number;
  answerText?: string;
  answerFileId?: string;
  publicSummary?: string;
}

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
const notFound = () => problems.notFound('Không tìm thấy phản ánh, kiến nghị.');
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const registerNo = (r: PetitionRow) => `${r.register_number}/${r.register_year}`;
/** The year of an instant in Vietnam (UTC+7): the register's year. */
const vnYear = (d: Date) => Number(localIsoDate(d).slice(0, 4));

function cursorOf(s: string | undefined): { at: string; id: string } | undefined {
  if (!s) return undefined;
  const [at, id] = Buffer.from(s, 'base64url').toString().split('|');
  if (!at || !id || !uuidRe.test(id) || Number.isNaN(Date.parse(at))) {
    throw problems.validation([{ field: 'cursor', message: 'Con trỏ trang không hợp lệ' }]);
  }
  return { at, id };
}
const cursorFor = (at: string | Date | null, id: string) => Buffer.from(`${iso(at)}|${id}`).toString('base64url');

/** What anyone may read of a published petition: no petitioner, no contact, the content only as a redacted summary. */
export function publicView(r: PetitionRow) {
  return {
    id: r.id,
    registerNumber: registerNo(r),
    category: r.category,
    categoryName: categories[r.category] as string,
    regulation: r.regulation,
    summary: r.public_summary ?? summarize(r.content, [r.petitioner?.name, r.petitioner?.organization]),
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    channel: r.channel,
    channelName: channelNames[r.channel],
    state: r.state,
    stateName: stateNames[r.state],
    answerText: r.answer_text,
    hasAnswerFile: r.answer_file_id !== null,
    receivedAt: iso(r.received_at) as string,
    answeredAt: iso(r.answered_at),
  };
}

/** The petitioner's and staff's view: the whole record. */
export function fullView(r: PetitionRow) {
  return {
    ...publicView(r),
    content: r.content,
    proposal: r.proposal,
    publicSummary: r.public_summary,
    attachmentIds: r.attachment_ids,
    petitioner: r.petitioner,
    petitionerAccountId: r.petitioner_account_id,
    answerFileId: r.answer_file_id,
    forwardDueAt: iso(r.forward_due_at) as string,
    classifiedAt: iso(r.classified_at),
    rejectReason: r.reject_reason,
    forwardedAt: iso(r.forwarded_at),
    forwardedLate: r.forwarded_late,
    forwardAgencyId: r.forward_agency_id,
    forwardAgencyName: r.forward_agency_name,
    forwardedToId: r.forwarded_to_id,
    forwardedFromId: r.forwarded_from_id,
    handlerAccountId: r.handler_account_id,
    handlerName: r.handler_name,
    handleDueAt: iso(r.handle_due_at),
    extended: r.extended,
    answeredLate: r.answered_late,
    closedAt: iso(r.closed_at),
  };
}

export function petitionsService(deps: PetitionsDeps) {
  const { db, calendar, files } = deps;
  const repo = petitionsRepo(db);

  const isPetitioner = (ctx: RequestContext, r: PetitionRow) =>
    ctx.actor.accountId !== null && ctx.actor.accountId === r.petitioner_account_id;
  /** Staff of the receiving agency (the grant covers its path). */
  const isAgencyStaff = (ctx: RequestContext, r: PetitionRow) =>
    ctx.actor.kind !== 'citizen' && ctx.actor.kind !== 'anonymous' && can(ctx.actor, 'petitions.handle', { scope: r.agency_scope });
  /** The officer the petition is assigned to (he was checked to be staff of the agency when assigned). */
  const isHandler = (ctx: RequestContext, r: PetitionRow) =>
    ctx.actor.kind === 'staff' &&
    ctx.actor.accountId !== null &&
    ctx.actor.accountId === r.handler_account_id &&
    can(ctx.actor, 'petitions.handle');
  const isStaffFor = (ctx: RequestContext, r: PetitionRow) => isAgencyStaff(ctx, r) || isHandler(ctx, r);
  const isPublished = (r: PetitionRow) => r.answered_at !== null && (r.state === 'answered' || r.state === 'closed');

  function timeline(events: EventRow[], staff: boolean) {
    return events.map((e) => ({
      seq: e.seq,
      action: e.action,
      actionName: actionNames[e.action as keyof typeof actionNames] ?? e.action,
      fromState: e.from_state,
      toState: e.to_state,
      actor: e.actor_kind === 'staff' ? (staff ? (e.actor_name ?? 'Cán bộ') : 'Cơ quan tiếp nhận') : 'Người phản ánh, kiến nghị',
      // Internal assessment notes are for staff; the petitioner sees that the step happened.
      note: staff || e.visible ? e.note : null,
      details: staff || e.visible ? e.details : {},
      at: iso(e.created_at) as string,
    }));
  }

  function textField(v: string | undefined, field: string, message: string): string {
    const t = v?.trim();
    if (!t) throw problems.validation([{ field, message }]);
    return t;
  }

  async function checkedAgency(id: string, field = 'agencyId') {
    const a = uuidRe.test(id) ? await agencyById(db, id) : null;
    if (!a?.active) throw problems.validation([{ field, message: 'Cơ quan tiếp nhận không tồn tại' }]);
    return a;
  }

  async function checkFiles(ids: string[], accountId: string | null, field: string) {
    if (!ids.length) return;
    if (new Set(ids).size !== ids.length) throw problems.validation([{ field, message: 'Tệp đính kèm bị trùng' }]);
    const own = await repo.filesOwnedBy(ids, accountId);
    if (own.length !== ids.length) {
      throw problems.validation([{ field, message: 'Tệp đính kèm phải do chính Ông/Bà tải lên trước (qua /api/v1/files)' }]);
    }
  }

  /** Name, address and a phone or e-mail (NĐ 20/2008): from the body, completed from the account when signed in. */
  async function petitionerOf(given: Partial<Petitioner> | undefined, accountId: string | null) {
    const acc = accountId ? await repo.account(accountId) : null;
    const p: Petitioner = {
      name: given?.name?.trim() || acc?.display_name || '',
      ...(given?.address?.trim() ? { address: given.address.trim() } : {}),
      ...(given?.phone?.trim() || acc?.phone ? { phone: given?.phone?.trim() || (acc?.phone as string) } : {}),
      ...(given?.email?.trim() || acc?.email ? { email: given?.email?.trim() || (acc?.email as string) } : {}),
      ...(given?.organization?.trim() ? { organization: given.organization.trim() } : {}),
    };
    const errors = [];
    if (!p.name) errors.push({ field: 'petitioner/name', message: 'Vui lòng nhập họ và tên (hoặc tên tổ chức)' });
    if (!acc && !p.address) errors.push({ field: 'petitioner/address', message: 'Vui lòng nhập địa chỉ liên hệ' });
    if (!p.phone && !p.email) errors.push({ field: 'petitioner/phone', message: 'Vui lòng để lại số điện thoại hoặc thư điện tử' });
    if (errors.length) {
      throw problems.validation(errors, 'Phản ánh, kiến nghị phải ghi rõ tên, địa chỉ và cách liên hệ (Nghị định 20/2008/NĐ-CP).');
    }
    return p;
  }

  /** Logs a petition in the agency's PAKN register inside `tx`: next number, row, first event, audit. */
  async function register(tx: Orm, ctx: RequestContext, p: NewPetition) {
    const year = vnYear(p.receivedAt);
    const number = await repo.nextRegisterNumber(tx, p.agencyId, year);
    await repo.insert(tx, p, year, number);
    await repo.addEvent(tx, ctx, p.id, {
      action: 'submit',
      from: null,
      to: 'received',
      details: { registerNumber: `${number}/${year}`, channel: p.channel, forwardedFromId: p.forwardedFromId },
    });
    await recordAudit(tx, ctx, {
      action: 'petition.received',
      targetType: 'petition',
      targetId: p.id,
      details: { agencyId: p.agencyId, registerNumber: `${number}/${year}`, channel: p.channel, category: p.category },
    });
  }

  async function intake(
    ctx: RequestContext,
    body: SubmitBody,
    opts: { channel: Channel; receivedAt: Date; petitionerAccountId: string | null; key: string | null; scope: string | null },
  ) {
    if (!categories[body.category]) throw problems.validation([{ field: 'category', message: 'Nội dung phản ánh không hợp lệ' }]);
    const regulation = textField(body.regulation, 'regulation', 'Vui lòng nêu quy định hành chính được phản ánh, kiến nghị');
    const content = textField(body.content, 'content', 'Vui lòng nhập nội dung phản ánh, kiến nghị');
    const agency = await checkedAgency(body.agencyId);
    const petitioner = await petitionerOf(body.petitioner, opts.petitionerAccountId);
    await checkFiles(body.attachmentIds ?? [], ctx.actor.accountId, 'attachmentIds');
    const { forwardDays } = await repo.settings();
    const cal = await calendar.data();
    const id = randomUUID();
    const p: NewPetition = {
      id,
      agencyId: agency.id,
      agencyScope: agency.path,
      category: body.category,
      regulation,
      content,
      proposal: body.proposal?.trim() || null,
      attachmentIds: body.attachmentIds ?? [],
      channel: opts.channel,
      petitionerAccountId: opts.petitionerAccountId,
      petitioner,
      receivedAt: opts.receivedAt,
      receivedBy: opts.channel === 'online' ? null : ctx.actor.accountId,
      forwardDueAt: addWorkingDays(cal, opts.receivedAt, forwardDays),
      forwardedFromId: null,
      requestKey: opts.key,
      requestScope: opts.key ? opts.scope : null,
    };
    await db.orm.transaction((tx) => register(tx, ctx, p));
    return id;
  }

  async function submit(ctx: RequestContext, body: SubmitBody, idempotencyKey: string | null) {
    const signedIn = ctx.actor.kind !== 'anonymous' && ctx.actor.accountId !== null;
    const scope = ctx.actor.accountId ?? `anonymous:${ctx.ip ?? ''}`;
    if (idempotencyKey) {
      const prior = await repo.byRequestKey(scope, idempotencyKey);
      if (prior) return fullView((await repo.load(prior)) as PetitionRow);
    }
    try {
      const id = await intake(ctx, body, {
        channel: 'online',
        receivedAt: new Date(),
        petitionerAccountId: signedIn ? ctx.actor.accountId : null,
        key: idempotencyKey,
        scope,
      });
      return fullView((await repo.load(id)) as PetitionRow);
    } catch (e) {
      // A concurrent resend with the same key won the race: answer with its petition.
      if (idempotencyKey && isUniqueViolation(e)) {
        const prior = await repo.byRequestKey(scope, idempotencyKey);
        if (prior) return fullView((await repo.load(prior)) as PetitionRow);
      }
      throw e;
    }
  }

  /** Counter intake: staff record a written, telephoned or form petition received by their agency. */
  async function counter(ctx: RequestContext, body: CounterBody) {
    const agency = uuidRe.test(body.agencyId) ? await agencyById(db, body.agencyId) : null;
    requireAccess(ctx.actor, 'petitions.handle', agency ? { scope: agency.path } : undefined);
    if (!agency) throw problems.validation([{ field: 'agencyId', message: 'Cơ quan tiếp nhận không tồn tại' }]);
    let receivedAt = new Date();
    if (body.receivedAt) {
      const at = new Date(body.receivedAt);
      if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60_000 || at.getTime() < Date.parse('2020-01-01T00:00:00+07:00')) {
        throw problems.validation([{ field: 'receivedAt', message: 'Ngày tiếp nhận không được sau thời điểm hiện tại' }]);
      }
      receivedAt = at;
    }
    const id = await intake(ctx, body, { channel: body.channel, receivedAt, petitionerAccountId: null, key: null, scope: null });
    return get(ctx, id);
  }

  async function get(ctx: RequestContext, id: string) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    const r = uuidRe.test(id) ? await repo.load(id) : null;
    if (!r) throw notFound();
    const staff = isStaffFor(ctx, r);
    if (!staff && !isPetitioner(ctx, r)) throw notFound();
    return { ...fullView(r), timeline: timeline(await repo.events(r.id), staff) };
  }

  async function mine(ctx: RequestContext) {
    if (ctx.actor.kind === 'anonymous' || !ctx.actor.accountId) throw problems.unauthorized();
    return { items: (await repo.mine(ctx.actor.accountId)).map(fullView) };
  }

  async function queue(ctx: RequestContext, q: { state?: string; overdue?: boolean; agencyId?: string; cursor?: string; limit?: number }) {
    requireAccess(ctx.actor, 'petitions.handle');
    const limit = Math.min(q.limit ?? 50, 200);
    const rows = await repo.queue(scopesFor(ctx.actor, 'petitions.handle'), ctx.actor.accountId, {
      ...(q.state ? { state: q.state } : {}),
      ...(q.overdue ? { overdue: true } : {}),
      ...(q.agencyId && uuidRe.test(q.agencyId) ? { agencyId: q.agencyId } : {}),
      ...(q.cursor ? { cursor: cursorOf(q.cursor) } : {}),
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(fullView),
      nextCursor: rows.length > limit && last ? cursorFor(last.received_at, last.id) : null,
    };
  }

  /** Agencies the officer records petitions for (counter intake), and officers of each for assignment. */
  async function agencies(ctx: RequestContext) {
    requireAccess(ctx.actor, 'petitions.handle');
    return { items: await repo.agencies(scopesFor(ctx.actor, 'petitions.handle')) };
  }

  async function act(ctx: RequestContext, id: string, action: PetitionAction, body: ActionBody) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    // Lookups outside the row happen before the transaction (PGlite has one connection).
    const before = uuidRe.test(id) ? await repo.load(id) : null;
    if (!before) throw notFound();
    // The one access check: the grant over the receiving agency; the assigned officer for his own steps.
    if (!(isAgencyStaff(ctx, before) || (HANDLER_ACTIONS.includes(action) && isHandler(ctx, before)))) {
      if (isPetitioner(ctx, before) || isHandler(ctx, before)) throw problems.forbidden();
      throw notFound();
    }
    const cal = await calendar.data();
    const settings = await repo.settings();
    const target =
      action === 'forward' && body.agencyId ? (uuidRe.test(body.agencyId) ? await agencyById(db, body.agencyId) : null) : undefined;
    const [officer] =
      action === 'assign' && body.accountId && uuidRe.test(body.accountId) ? await staffByAccounts(db, [body.accountId]) : [];
    if (action === 'answer' && body.answerFileId) await checkFiles([body.answerFileId], ctx.actor.accountId, 'answerFileId');

    await db.orm.transaction(async (tx) => {
      const r = await repo.load(id, tx, true);
      if (!r) throw notFound();
      if (r.agency_id !== before.agency_id || r.handler_account_id !== before.handler_account_id) {
        throw problems.conflict('concurrent_change', 'Phản ánh, kiến nghị vừa được thay đổi', 'Vui lòng tải lại và thử lại.');
      }
      if (!isAllowed(action, r.state)) {
        throw problems.conflict(
          'invalid_state',
          'Không thực hiện được ở trạng thái hiện tại',
          `Phản ánh, kiến nghị đang ở trạng thái "${stateNames[r.state]}": không thể "${actionNames[action]}".`,
        );
      }
      const now = new Date();
      const reason = body.reason?.trim() || null;
      const set = [];
      let eventAction: string = action;
      let note: string | null = body.note?.trim() || null;
      let visible = true;
      const details: Record<string, unknown> = {};
      switch (action) {
        case 'classify': {
          if (body.decision !== 'rejected' && body.decision !== 'in_competence') {
            throw problems.validation([
              { field: 'decision', message: 'Chọn "không đủ điều kiện" (rejected) hoặc "thuộc thẩm quyền" (in_competence)' },
            ]);
          }
          if (body.category !== undefined) {
            if (!categories[body.category]) throw problems.validation([{ field: 'category', message: 'Nội dung phản ánh không hợp lệ' }]);
            set.push(sql`category = ${body.category}`);
            details.category = body.category;
          }
          set.push(sql`classified_at = ${now.toISOString()}`);
          if (body.decision === 'rejected') {
            if (!reason) throw problems.validation([{ field: 'reason', message: 'Vui lòng nêu lý do không tiếp nhận xử lý' }]);
            set.push(sql`reject_reason = ${reason}`);
            note = reason;
            eventAction = 'reject';
          } else {
            // The handling period runs from the receipt (working days of the provincial calendar).
            const due = addWorkingDays(cal, new Date(r.received_at), settings.handleDays);
            set.push(sql`handle_due_at = ${due.toISOString()}`);
            details.handleDueAt = due.toISOString();
            eventAction = 'accept';
          }
          break;
        }
        case 'forward': {
          if (!reason)
            throw problems.validation([
              { field: 'reason', message: 'Vui lòng nêu lý do chuyển (không thuộc thẩm quyền, hành vi của cán bộ…)' },
            ]);
          const late = now.getTime() > new Date(r.forward_due_at).getTime();
          let name = body.agencyName?.trim() || null;
          let newId: string | null = null;
          if (target !== undefined) {
            if (!target?.active) throw problems.validation([{ field: 'agencyId', message: 'Cơ quan nhận không tồn tại' }]);
            if (target.id === r.agency_id)
              throw problems.validation([{ field: 'agencyId', message: 'Không chuyển cho chính cơ quan đang xử lý' }]);
            name = target.name;
            // The competent agency is on the platform: the petition enters its PAKN register.
            newId = randomUUID();
            await register(tx, ctx, {
              id: newId,
              agencyId: target.id,
              agencyScope: target.path,
              category: r.category,
              regulation: r.regulation,
              content: r.content,
              proposal: r.proposal,
              attachmentIds: r.attachment_ids,
              channel: r.channel,
              petitionerAccountId: r.petitioner_account_id,
              petitioner: r.petitioner,
              receivedAt: now,
              receivedBy: ctx.actor.accountId,
              forwardDueAt: addWorkingDays(cal, now, settings.forwardDays),
              forwardedFromId: r.id,
              requestKey: null,
              requestScope: null,
            });
          }
          if (!name) throw problems.validation([{ field: 'agencyId', message: 'Chọn cơ quan có thẩm quyền hoặc nhập tên cơ quan' }]);
          set.push(
            sql`forwarded_at = ${now.toISOString()}`,
            sql`forwarded_late = ${late}`,
            sql`forward_agency_id = ${target?.id ?? null}`,
            sql`forward_agency_name = ${name}`,
            sql`forwarded_to_id = ${newId}`,
            sql`classified_at = coalesce(classified_at, ${now.toISOString()}::timestamptz)`,
            sql`handle_due_at = null`,
          );
          note = reason;
          Object.assign(details, {
            toAgencyId: target?.id ?? null,
            toAgencyName: name,
            late,
            forwardedToId: newId,
            forwardDueAt: iso(r.forward_due_at),
          });
          break;
        }
        case 'assign': {
          if (!officer || officer.agencyId !== r.agency_id) {
            throw problems.validation([{ field: 'accountId', message: 'Cán bộ không thuộc cơ quan tiếp nhận' }]);
          }
          set.push(sql`handler_account_id = ${officer.accountId}`);
          Object.assign(details, { accountId: officer.accountId, name: officer.name });
          break;
        }
        case 'note': {
          const assessment: Record<string, string> = {};
          for (const [k, v] of Object.entries(body.assessment ?? {})) {
            if (!(k in criteria)) throw problems.validation([{ field: `assessment/${k}`, message: 'Tiêu chí đánh giá không hợp lệ' }]);
            if (v?.trim()) assessment[k] = v.trim();
          }
          if (!note && !Object.keys(assessment).length) {
            throw problems.validation([{ field: 'note', message: 'Vui lòng nhập nội dung đối thoại hoặc đánh giá' }]);
          }
          const kind = body.kind ?? (Object.keys(assessment).length ? 'assessment' : 'meeting');
          // A meeting with the petitioner is his to see; the assessment of the regulation is internal until the answer.
          visible = kind === 'meeting';
          Object.assign(details, { kind, ...(Object.keys(assessment).length ? { assessment } : {}) });
          break;
        }
        case 'extend': {
          if (r.extended) throw problems.conflict('already_extended', 'Đã gia hạn', 'Mỗi phản ánh, kiến nghị chỉ được gia hạn một lần.');
          if (!reason) throw problems.validation([{ field: 'reason', message: 'Vui lòng nêu lý do gia hạn' }]);
          const days = body.days ?? 0;
          if (!Number.isInteger(days) || days < 1 || days > 30) {
            throw problems.validation([{ field: 'days', message: 'Số ngày gia hạn từ 1 đến 30 ngày làm việc' }]);
          }
          const due = addWorkingDays(cal, new Date(r.handle_due_at ?? now), days);
          set.push(sql`extended = true`, sql`handle_due_at = ${due.toISOString()}`);
          note = reason;
          Object.assign(details, { days, handleDueAt: due.toISOString() });
          break;
        }
        case 'answer': {
          const text = textField(body.answerText, 'answerText', 'Vui lòng nhập kết quả xử lý để công bố');
          const late = r.handle_due_at !== null && now.getTime() > new Date(r.handle_due_at).getTime();
          set.push(
            sql`answer_text = ${text}`,
            sql`answer_file_id = ${body.answerFileId ?? null}`,
            sql`answered_at = ${now.toISOString()}`,
            sql`answered_late = ${late}`,
          );
          if (body.publicSummary?.trim()) set.push(sql`public_summary = ${body.publicSummary.trim()}`);
          note = text;
          Object.assign(details, { late, answerFileId: body.answerFileId ?? null });
          break;
        }
        case 'close':
          set.push(sql`closed_at = ${now.toISOString()}`);
          break;
      }
      const to = nextState(action, r.state, body.decision);
      set.push(sql`state = ${to}`);
      await repo.update(tx, r.id, set);
      await repo.addEvent(tx, ctx, r.id, { action: eventAction, from: r.state, to, note, visible, details });
      await recordAudit(tx, ctx, {
        action: `petition.${eventAction}`,
        targetType: 'petition',
        targetId: r.id,
        details: { from: r.state, to, ...details },
      });
    });
    return get(ctx, id);
  }

  /** An attachment (or the answer document) of a petition, for the petitioner and the agency's staff. */
  async function attachment(ctx: RequestContext, id: string, fileId: string) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    const r = uuidRe.test(id) ? await repo.load(id) : null;
    if (!r || !(isStaffFor(ctx, r) || isPetitioner(ctx, r))) throw notFound();
    if (!r.attachment_ids.includes(fileId) && r.answer_file_id !== fileId) throw notFound();
    return files.content(systemContext('petitions'), fileId);
  }

  /** Officers of the receiving agency who may be assigned (roles that hold petitions.handle by default). */
  async function officers(ctx: RequestContext, id: string) {
    if (ctx.actor.kind === 'anonymous') throw problems.unauthorized();
    const r = uuidRe.test(id) ? await repo.load(id) : null;
    if (!r || !isAgencyStaff(ctx, r)) throw notFound();
    const staff = await staffWithRoles(db, { path: r.agency_scope }, ['motcua', 'chuyenvien', 'lanhdao']);
    return { items: staff.map((s) => ({ accountId: s.accountId, name: s.name, department: s.department })) };
  }

  // --- public ---------------------------------------------------------------------------------------------

  async function publicList(q: { q?: string; category?: number; agency?: string; cursor?: string; limit?: number }) {
    const limit = Math.min(q.limit ?? 20, 100);
    const rows = await repo.publicList({
      ...(q.q?.trim() ? { q: await repo.fold(q.q.trim()) } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.agency && uuidRe.test(q.agency) ? { agencyId: q.agency } : {}),
      ...(q.cursor ? { cursor: cursorOf(q.cursor) } : {}),
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(publicView),
      nextCursor: rows.length > limit && last ? cursorFor(last.answered_at, last.id) : null,
    };
  }

  async function publicDetail(id: string) {
    const r = uuidRe.test(id) ? await repo.load(id) : null;
    if (!r || !isPublished(r)) throw notFound();
    return publicView(r);
  }

  /** The signed answer document of a published petition (served to anyone). */
  async function publicAnswerFile(id: string) {
    const r = uuidRe.test(id) ? await repo.load(id) : null;
    if (!r || !isPublished(r) || !r.answer_file_id) throw notFound();
    return files.content(systemContext('petitions'), r.answer_file_id);
  }

  async function publicAgencies() {
    return { items: await repo.agencies('all') };
  }

  function publicCategories() {
    return { items: Object.entries(categories).map(([k, name]) => ({ code: Number(k), name })), criteria };
  }

  // --- statistics -----------------------------------------------------------------------------------------

  async function stats(ctx: RequestContext, q: { agency?: string; from?: string; to?: string }) {
    const agency = q.agency ? (uuidRe.test(q.agency) ? await agencyById(db, q.agency) : null) : undefined;
    requireAccess(ctx.actor, 'petitions.handle', agency === undefined ? undefined : { scope: agency?.path ?? '\u0000none' });
    const today = localIsoDate(new Date());
    const from = q.from ?? `${today.slice(0, 4)}-01-01`;
    const to = q.to ?? today;
    if (from > to) throw problems.validation([{ field: 'from', message: 'Ngày bắt đầu phải trước ngày kết thúc' }]);
    const next = new Date(`${to}T00:00:00+07:00`);
    next.setUTCDate(next.getUTCDate() + 1);
    const rows = await repo.stats(scopesFor(ctx.actor, 'petitions.handle'), {
      ...(agency ? { agencyId: agency.id } : {}),
      from: new Date(`${from}T00:00:00+07:00`).toISOString(),
      to: next.toISOString(),
    });
    const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 10);
    return {
      from,
      to,
      items: rows.map((s) => {
        // Due items: answered ones and those still unanswered after their due date.
        const due = s.answered + s.protracted;
        return {
          agencyId: s.agency_id,
          agencyName: s.agency_name,
          received: s.received,
          rejected: s.rejected,
          forwarded: s.forwarded,
          forwardedOnTime: s.forwarded_on_time,
          forwardedOnTimePercent: ratio(s.forwarded_on_time, s.forwarded),
          inCompetence: s.in_competence,
          answered: s.answered,
          answeredOnTime: s.answered_on_time,
          protracted: s.protracted,
          open: s.open,
          onTimePercent: ratio(s.answered_on_time, due),
          indicator8: indicator8(s.answered_on_time, due, s.protracted),
        };
      }),
    };
  }

  async function settingsGet(ctx: RequestContext) {
    requireAccess(ctx.actor, 'petitions.manage');
    return repo.settings();
  }

  async function settingsPut(ctx: RequestContext, body: { handleDays: number; forwardDays: number }) {
    requireAccess(ctx.actor, 'petitions.manage');
    await db.orm.transaction(async (tx) => {
      await repo.updateSettings(tx, ctx.actor.accountId, body);
      await recordAudit(tx, ctx, {
        action: 'petition.settings_changed',
        targetType: 'petition_settings',
        targetId: 'province',
        details: body,
      });
    });
    return repo.settings();
  }

  return {
    submit,
    counter,
    get,
    mine,
    queue,
    agencies,
    officers,
    attachment,
    act,
    publicList,
    publicDetail,
    publicAnswerFile,
    publicAgencies,
    publicCategories,
    stats,
    settingsGet,
    settingsPut,
  };
}

export type PetitionsService = ReturnType<typeof petitionsService>;
