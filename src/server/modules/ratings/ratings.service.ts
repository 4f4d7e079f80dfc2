/**
 * Ratings use cases: the applicant rates a returned dossier (online, by the signed link, at the kiosk);
 * leaders read quarterly figures of their agencies and officers; anyone reads the agency ranking.
 */
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { can, requireAccess, requireSignedIn, scopesFor } from '../../platform/auth/access';
import { type RequestContext, systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import { problems } from '../../platform/http/problem';
import type { Notifier } from '../../platform/notify';
import { type DossierActionListener, notifyApplicant, type RatingFacts, ratingFactsReader } from '../dossiers';
import { staffByAccounts } from '../org';
import {
  agencyGrade,
  answerErrors,
  type FormCode,
  forms,
  gradeNames,
  indicator2,
  parsePeriod,
  quarterOf,
  type Score,
  STAFF_INDICATORS,
  scoreRating,
  staffGrade,
  staffGradeNames,
  totalOf,
} from './ratings.forms';
import { type AggregateRow, type RatingRow, ratingsRepo } from './ratings.repo';
import { ratingTokens } from './ratings.tokens';

export interface RatingsDeps {
  db: Database;
  config: Config;
  notify: Notifier;
}

export interface RateBody {
  answers: Record<string, number>;
  comment?: string;
}

const notFound = () => problems.notFound('Không tìm thấy hồ sơ.');
const badPeriod = () => problems.validation([{ field: 'period', message: 'Kỳ đánh giá có dạng NĂM-QUÝ, ví dụ 2026-Q4' }]);

export function ratingsService(deps: RatingsDeps) {
  const { db, config, notify } = deps;
  const repo = ratingsRepo(db);
  const facts = ratingFactsReader(db);
  const tokens = ratingTokens(config.sessionSecret);
  const base = config.publicUrl.replace(/\/$/, '');
  const linkUrl = (dossierId: string) => `${base}/danh-gia/${tokens.link(dossierId)}`;

  const isApplicant = (ctx: RequestContext, f: RatingFacts) =>
    ctx.actor.accountId !== null && (ctx.actor.accountId === f.ownerAccountId || ctx.actor.accountId === f.createdByAccountId);

  async function activeForm() {
    return forms[await repo.formCode()];
  }

  function ratingView(r: RatingRow, withComment: boolean) {
    return {
      id: r.id,
      dossierId: r.dossier_id,
      dossierCode: r.dossier_code,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      formCode: r.form_code,
      answers: r.answers,
      indicators: Array.from({ length: 9 }, (_, i) => (r[`i${i + 1}`] ?? null) as number | null),
      total: Number(r.total),
      maxTotal: r.max_total,
      grade: r.grade,
      gradeName: gradeNames[r.grade],
      comment: withComment ? r.comment : null,
      channel: r.channel,
      period: `${r.year}-Q${r.quarter}`,
      createdAt: new Date(r.created_at).toISOString(),
      officers: r.officers ?? [],
    };
  }

  /** What the rating pages show about a dossier: nothing personal (no applicant, no officers). */
  async function publicInfo(f: RatingFacts) {
    const rated = await repo.byDossier(f.id);
    return {
      dossierCode: f.code ?? '',
      procedureName: f.procedureName,
      agencyName: f.agencyName,
      returned: f.returned,
      rated: rated !== null,
      ratedAt: rated ? new Date(rated.created_at).toISOString() : null,
      form: await activeForm(),
    };
  }

  async function rate(ctx: RequestContext, f: RatingFacts, channel: 'online' | 'link' | 'kiosk', body: RateBody) {
    if (!f.returned) {
      throw problems.conflict(
        'not_returned',
        'Chưa thể đánh giá',
        'Hồ sơ chưa được trả kết quả. Ông/Bà đánh giá được sau khi nhận kết quả giải quyết.',
      );
    }
    const already = () =>
      problems.conflict('already_rated', 'Hồ sơ đã được đánh giá', 'Mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn Ông/Bà đã đánh giá.');
    if (await repo.byDossier(f.id)) throw already();
    const form = await activeForm();
    const errors = answerErrors(form, body.answers);
    if (errors.length) throw problems.validation(errors);
    const scored = scoreRating(form, body.answers as Record<string, Score>, indicator2(f.handovers));
    // Names and agencies as they are now (the staff record), copied so the quarter's figures keep them.
    const staff = new Map(
      (
        await staffByAccounts(
          db,
          f.officers.map((o) => o.accountId),
        )
      ).map((s) => [s.accountId, s]),
    );
    const officers = f.officers.map((o) => {
      const s = staff.get(o.accountId);
      return {
        accountId: o.accountId,
        name: s?.name ?? o.label,
        role: o.role,
        agencyId: s?.agencyId ?? null,
        agencyScope: s?.agencyPath ?? f.agencyScope,
        agencyName: s?.agencyName ?? f.agencyName,
      };
    });
    const now = new Date();
    const { year, quarter } = quarterOf(now);
    const id = randomUUID();
    const comment = body.comment?.trim() || null;
    await db.orm.transaction(async (tx) => {
      const ok = await repo.insert(tx, {
        id,
        dossierId: f.id,
        dossierCode: f.code ?? '',
        procedureCode: f.procedureCode,
        procedureName: f.procedureName,
        formCode: form.code,
        answers: body.answers,
        indicators: scored.indicators,
        general: scored.general,
        total: scored.total,
        maxTotal: scored.maxTotal,
        grade: scored.grade,
        comment,
        channel,
        ratedBy: channel === 'online' ? ctx.actor.accountId : null,
        agencyId: f.agencyId,
        agencyScope: f.agencyScope,
        agencyName: f.agencyName,
        deskAgencyId: f.deskAgencyId,
        deskScope: f.deskScope,
        deskAgencyName: f.deskAgencyName,
        returnedAt: f.returnedAt,
        year,
        quarter,
        createdAt: now,
        officers,
      });
      if (!ok) throw already();
      await recordAudit(tx, ctx, {
        action: 'rating.created',
        targetType: 'dossier',
        targetId: f.id,
        details: { channel, formCode: form.code, total: scored.total, grade: scored.grade },
      });
    });
    const saved = await repo.byDossier(f.id);
    return ratingView(saved as RatingRow, true);
  }

  function period(p: string) {
    const q = parsePeriod(p);
    if (!q) throw badPeriod();
    return q;
  }

  function line(r: AggregateRow, by: 'agency' | 'officer') {
    const averages = Array.from({ length: 9 }, (_, i) => r[`a${i + 1}`] ?? null);
    const t = totalOf(averages, by === 'officer' ? STAFF_INDICATORS : undefined);
    const general = [r.g1, r.g2, r.g3].map((g) => (g === null || g === undefined ? null : Math.round(Number(g) * 10) / 10));
    if (by === 'agency') {
      const grade = agencyGrade(t.total);
      return { id: r.key, name: r.name, agencyName: null, ratings: r.ratings, ...t, grade, gradeName: gradeNames[grade], general };
    }
    const grade = staffGrade(t.total);
    return {
      id: r.key,
      name: r.name,
      agencyName: r.agency_name,
      ratings: r.ratings,
      ...t,
      grade,
      gradeName: staffGradeNames[grade],
      general,
    };
  }

  const byTotal = (a: { total: number; name: string }, b: { total: number; name: string }) =>
    b.total - a.total || a.name.localeCompare(b.name, 'vi');

  return {
    tokens,
    linkUrl,

    async forms() {
      return { active: await repo.formCode(), forms: Object.values(forms) };
    },

    async setForm(ctx: RequestContext, code: FormCode) {
      requireAccess(ctx.actor, 'ratings.manage');
      await db.orm.transaction(async (tx) => {
        await repo.setFormCode(tx, code, ctx.actor.accountId);
        await recordAudit(tx, ctx, { action: 'rating.form_set', targetType: 'rating_settings', details: { formCode: code } });
      });
      return this.forms();
    },

    /** The applicant's view of rating one of their dossiers ("my dossiers"). */
    async forDossier(ctx: RequestContext, dossierId: string) {
      requireSignedIn(ctx.actor);
      const f = await facts.byId(dossierId);
      if (!f || !isApplicant(ctx, f)) throw notFound();
      const rated = await repo.byDossier(f.id);
      return {
        ...(await publicInfo(f)),
        rating: rated ? ratingView(rated, true) : null,
        ratingUrl: f.returned ? linkUrl(f.id) : null,
      };
    },

    async rateOnline(ctx: RequestContext, dossierId: string, body: RateBody) {
      requireSignedIn(ctx.actor);
      const f = await facts.byId(dossierId);
      if (!f || !isApplicant(ctx, f)) throw notFound();
      return rate(ctx, f, 'online', body);
    },

    /** QR of the signed link, for the applicant or the desk that returns the result (printed or shown at the counter). */
    async qrSvg(ctx: RequestContext, dossierId: string): Promise<string> {
      requireSignedIn(ctx.actor);
      const f = await facts.byId(dossierId);
      if (!f) throw notFound();
      if (!isApplicant(ctx, f)) requireAccess(ctx.actor, 'dossiers.receive', { scope: f.deskScope });
      return QRCode.toString(linkUrl(f.id), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    },

    async byToken(token: string) {
      const t = tokens.verify(token);
      const f = t ? await facts.byId(t.dossierId) : null;
      if (!t || !f) throw problems.notFound('Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn.');
      return { ...(await publicInfo(f)), channel: t.kind };
    },

    async rateByToken(ctx: RequestContext, token: string, body: RateBody) {
      const t = tokens.verify(token);
      const f = t ? await facts.byId(t.dossierId) : null;
      if (!t || !f) throw problems.notFound('Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn.');
      return rate(ctx, f, t.kind, body);
    },

    /** The kiosk at the desk: code + last 4 digits of the applicant's ID number or phone → a short-lived kiosk token. */
    async kioskLookup(code: string, last4: string) {
      const f = await facts.byCodeAndLast4(code.trim(), last4.trim());
      if (!f) return null;
      return { token: tokens.kiosk(f.id), ...(await publicInfo(f)) };
    },

    async summary(ctx: RequestContext, q: { period: string; by: 'agency' | 'officer' }) {
      requireAccess(ctx.actor, 'ratings.read');
      const { year, quarter } = period(q.period);
      const scopes = scopesFor(ctx.actor, 'ratings.read');
      const rows = q.by === 'agency' ? await repo.byAgency(year, quarter, scopes) : await repo.byOfficer(year, quarter, scopes);
      return { period: `${year}-Q${quarter}`, by: q.by, items: rows.map((r) => line(r, q.by)).sort(byTotal) };
    },

    /** The ratings behind a summary line (with comments), for leaders within their scope. */
    async list(ctx: RequestContext, q: { period: string; agencyId?: string; officerId?: string; limit?: number }) {
      requireAccess(ctx.actor, 'ratings.read');
      const { year, quarter } = period(q.period);
      const rows = await repo.list({
        year,
        quarter,
        agencyId: q.agencyId,
        officerId: q.officerId,
        scopes: scopesFor(ctx.actor, 'ratings.read'),
        limit: q.limit ?? 200,
      });
      return { items: rows.map((r) => ratingView(r, true)) };
    },

    /** Public agency ranking for a quarter: agencies only, no officer, no comment, no dossier. */
    async ranking(q: { period: string }) {
      const { year, quarter } = period(q.period);
      const items = (await repo.byAgency(year, quarter, 'all')).map((r) => line(r, 'agency')).sort(byTotal);
      return {
        period: `${year}-Q${quarter}`,
        items: items.map((i, n) => ({
          rank: n + 1,
          agencyId: i.id,
          agencyName: i.name,
          ratings: i.ratings,
          indicators: i.indicators,
          total: i.total,
          maxTotal: i.maxTotal,
          grade: i.grade,
          gradeName: i.gradeName,
        })),
      };
    },

    /** Staff may see the rating of a dossier they can read (used by the office dossier page). */
    canRead: (ctx: RequestContext, scope: string) => can(ctx.actor, 'ratings.read', { scope }),
  };
}

export type RatingsService = ReturnType<typeof ratingsService>;

/**
 * Sends the invitation to rate (with the signed link) when the desk returns the result: the action that
 * completes the dossier. Runs in the action's transaction, like every dossier listener.
 */
export function ratingInviteListener(deps: RatingsDeps): DossierActionListener {
  const facts = ratingFactsReader(deps.db);
  const tokens = ratingTokens(deps.config.sessionSecret);
  const base = deps.config.publicUrl.replace(/\/$/, '');
  return async (tx, d, action) => {
    if (action.action !== 'advance' || d.state !== 'completed') return;
    const f = await facts.byId(d.id, tx);
    await notifyApplicant(deps.notify, systemContext('ratings'), tx, d, 'dossier.rating_invite', {
      procedureName: f?.procedureName ?? '',
      ratingUrl: `${base}/danh-gia/${tokens.link(d.id)}`,
    });
  };
}
