/**
 * Use cases of parties: a citizen registers a business (and becomes its legal representative), the legal
 * representative adds and removes representatives, a citizen authorises another to act for them (ủy
 * quyền) and revokes it, the grantee may renounce it. Each use case starts with its access check; each
 * write ends with its audit record in the same transaction.
 *
 * In the demo a business is declared by the citizen, not verified against the national business register.
 */
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit';
import { requireSignedIn } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import { type Database, isUniqueViolation } from '../../platform/db/database';
import { decodeCursorPair, encodeCursor } from '../../platform/http/pagination';
import { type FieldError, problems } from '../../platform/http/problem';
import { currentProcedure } from '../catalog';
import { checkTaxCode } from '../identity';
import { type AuthorisationRow, type BusinessRow, partiesRepo } from './parties.repo';
import type {
  AddRepresentativeBody,
  Authorisation,
  AuthorisationListQuery,
  BusinessDetail,
  BusinessSummary,
  CreateAuthorisationBody,
  PrincipalOption,
  PrincipalsQuery,
  RegisterBusinessBody,
  Representative,
} from './parties.schemas';

/** Longest authorisation: five years from its start. */
export const MAX_AUTHORISATION_YEARS = 5;
const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const iso = (v: Date | string) => new Date(v).toISOString();
const businessNotFound = () => problems.notFound('Không tìm thấy doanh nghiệp.');
const authorisationNotFound = () => problems.notFound('Không tìm thấy ủy quyền.');

/** Only citizens register businesses and give or hold authorisations (staff act through their agencies). */
function requireCitizen(ctx: RequestContext): string {
  requireSignedIn(ctx.actor);
  if (ctx.actor.kind !== 'citizen') {
    throw problems.forbidden('Chức năng này dành cho tài khoản công dân.');
  }
  return ctx.actor.accountId;
}

/** `YYYY-MM-DD` is a day in Vietnam time (its start); anything else an instant. Null when unreadable. */
function instantOf(s: string, endOfDay: boolean): Date | null {
  if (DATE_RE.test(s)) {
    // 2026-02-30 and the like are refused (Date would roll them over).
    const utc = new Date(`${s}T00:00:00Z`);
    if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== s) return null;
    const start = new Date(`${s}T00:00:00+07:00`);
    return endOfDay ? new Date(start.getTime() + DAY_MS) : start;
  }
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function authorisationStatus(
  z: Pick<AuthorisationRow, 'revoked_at' | 'valid_from' | 'valid_until'>,
  at: Date,
): Authorisation['status'] {
  if (z.revoked_at) return 'revoked';
  if (new Date(z.valid_until).getTime() <= at.getTime()) return 'expired';
  if (new Date(z.valid_from).getTime() > at.getTime()) return 'pending';
  return 'live';
}

export function partiesService(db: Database) {
  const repo = partiesRepo(db);

  function summaryOf(b: BusinessRow, role: BusinessSummary['myRole']): BusinessSummary {
    return {
      id: b.id,
      taxCode: b.tax_code,
      name: b.name,
      address: b.address,
      status: b.status,
      myRole: role,
      createdAt: iso(b.created_at),
    };
  }

  async function detailOf(b: BusinessRow, role: BusinessSummary['myRole']): Promise<BusinessDetail> {
    const reps = await repo.representatives(b.id);
    return {
      ...summaryOf(b, role),
      representatives: reps.map(
        (r): Representative => ({
          accountId: r.account_id,
          username: r.username,
          displayName: r.display_name,
          role: r.role,
          addedAt: iso(r.added_at),
        }),
      ),
    };
  }

  /** The business and the actor's role in it; a business the actor does not represent is a 404. */
  async function representedBusiness(accountId: string, id: string): Promise<{ b: BusinessRow; role: BusinessSummary['myRole'] }> {
    const role = await repo.roleIn(id, accountId);
    const b = role ? await repo.businessById(id) : undefined;
    if (!b || !role) throw businessNotFound();
    return { b, role };
  }

  /** A citizen account by username, or a field error. */
  async function citizenByUsername(username: string, field: string) {
    const a = await repo.accountByUsername(username);
    if (!a || a.kind !== 'citizen' || a.status !== 'active') {
      throw problems.validation([{ field, message: 'Không tìm thấy tài khoản công dân với tên đăng nhập này' }]);
    }
    return a;
  }

  /** Procedure names for the codes, read once per call. */
  function procedureNames() {
    const cache = new Map<string, Promise<string | null>>();
    return (code: string) => {
      let name = cache.get(code);
      if (!name) {
        name = currentProcedure(db, code).then(
          (p) => p?.name ?? null,
          () => null,
        );
        cache.set(code, name);
      }
      return name;
    };
  }

  async function authorisationOf(z: AuthorisationRow, at: Date, nameOf = procedureNames()): Promise<Authorisation> {
    return {
      id: z.id,
      grantor: { accountId: z.grantor_account_id, username: z.grantor_username, displayName: z.grantor_name },
      grantee: { accountId: z.grantee_account_id, username: z.grantee_username, displayName: z.grantee_name },
      procedureCodes: z.procedure_codes,
      procedures: await Promise.all(z.procedure_codes.map(async (code) => ({ code, name: await nameOf(code) }))),
      validFrom: iso(z.valid_from),
      validUntil: iso(z.valid_until),
      note: z.note,
      createdAt: iso(z.created_at),
      revokedAt: z.revoked_at ? iso(z.revoked_at) : null,
      revokedBy: z.revoked_by === null ? null : z.revoked_by === z.grantor_account_id ? 'grantor' : 'grantee',
      status: authorisationStatus(z, at),
    };
  }

  return {
    // -------------------------------------------------------------------------------------------
    // Businesses
    // -------------------------------------------------------------------------------------------

    /** Registers a business by tax code; the citizen becomes its legal representative (declared, not verified). */
    async registerBusiness(ctx: RequestContext, body: RegisterBusinessBody): Promise<BusinessDetail> {
      const me = requireCitizen(ctx);
      const tax = checkTaxCode(body.taxCode);
      if (!tax.ok) throw problems.validation([{ field: 'taxCode', message: tax.message }]);
      const name = body.name.trim().replace(/\s+/g, ' ');
      if (name.length < 2) throw problems.validation([{ field: 'name', message: 'Vui lòng nhập tên doanh nghiệp' }]);
      const address = body.address?.trim() || null;
      const taken = () =>
        problems.conflict(
          'business_exists',
          'Mã số thuế đã được đăng ký',
          'Doanh nghiệp có mã số thuế này đã được đăng ký trên hệ thống. Vui lòng đề nghị người đại diện theo pháp luật thêm bạn làm người đại diện.',
        );
      if (await repo.businessByTaxCode(tax.value)) throw taken();
      const id = randomUUID();
      const at = new Date();
      try {
        await db.orm.transaction(async (tx) => {
          await repo.insertBusiness(tx, { id, taxCode: tax.value, name, address, at }, { id: randomUUID(), accountId: me });
          await recordAudit(tx, ctx, {
            action: 'business.registered',
            targetType: 'business',
            targetId: id,
            details: { taxCode: tax.value, status: 'declared' },
          });
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw taken();
        throw e;
      }
      return detailOf((await repo.businessById(id)) as BusinessRow, 'legal_representative');
    },

    async myBusinesses(ctx: RequestContext, q: { limit?: number; cursor?: string }) {
      const me = requireCitizen(ctx);
      const limit = q.limit ?? 50;
      const rows = await repo.myBusinesses(me, decodeCursorPair(q.cursor), limit);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map((r) => summaryOf(r, r.role)),
        nextCursor: rows.length > limit && last ? encodeCursor([iso(last.created_at), last.id]) : null,
      };
    },

    /** A business with its representatives: only for its representatives (others get 404). */
    async business(ctx: RequestContext, id: string): Promise<BusinessDetail> {
      const me = requireCitizen(ctx);
      const { b, role } = await representedBusiness(me, id);
      return detailOf(b, role);
    },

    /** The legal representative adds a representative (by username). */
    async addRepresentative(ctx: RequestContext, id: string, body: AddRepresentativeBody): Promise<BusinessDetail> {
      const me = requireCitizen(ctx);
      const { b, role } = await representedBusiness(me, id);
      if (role !== 'legal_representative') {
        throw problems.forbidden('Chỉ người đại diện theo pháp luật của doanh nghiệp mới được thêm hoặc bớt người đại diện.');
      }
      const a = await citizenByUsername(body.username, 'username');
      const exists = () =>
        problems.conflict('already_representative', 'Đã là người đại diện', 'Người này đã là người đại diện của doanh nghiệp.');
      if (await repo.roleIn(id, a.id)) throw exists();
      try {
        await db.orm.transaction(async (tx) => {
          await repo.addRepresentative(tx, { id: randomUUID(), businessId: id, accountId: a.id, addedBy: me, at: new Date() });
          await recordAudit(tx, ctx, {
            action: 'business.representative_added',
            targetType: 'business',
            targetId: id,
            details: { accountId: a.id, role: 'representative' },
          });
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw exists();
        throw e;
      }
      return detailOf(b, role);
    },

    /** The legal representative removes a representative (not himself: a business keeps its legal representative). */
    async removeRepresentative(ctx: RequestContext, id: string, accountId: string): Promise<void> {
      const me = requireCitizen(ctx);
      const { role } = await representedBusiness(me, id);
      if (role !== 'legal_representative') {
        throw problems.forbidden('Chỉ người đại diện theo pháp luật của doanh nghiệp mới được thêm hoặc bớt người đại diện.');
      }
      if (accountId.toLowerCase() === me) {
        throw problems.conflict(
          'legal_representative_stays',
          'Không thể bỏ người đại diện theo pháp luật',
          'Người đại diện theo pháp luật không thể tự bỏ mình khỏi doanh nghiệp.',
        );
      }
      await db.orm.transaction(async (tx) => {
        if (!(await repo.removeRepresentative(tx, id, accountId, me, new Date()))) {
          throw problems.notFound('Người này không phải người đại diện của doanh nghiệp.');
        }
        await recordAudit(tx, ctx, {
          action: 'business.representative_removed',
          targetType: 'business',
          targetId: id,
          details: { accountId },
        });
      });
    },

    // -------------------------------------------------------------------------------------------
    // Authorisations
    // -------------------------------------------------------------------------------------------

    /** The signed-in citizen authorises another citizen (by username) for some or all procedures, until a date. */
    async createAuthorisation(ctx: RequestContext, body: CreateAuthorisationBody): Promise<Authorisation> {
      const me = requireCitizen(ctx);
      const now = new Date();
      const errors: FieldError[] = [];
      const grantee = await citizenByUsername(body.granteeUsername, 'granteeUsername');
      if (grantee.id === me) errors.push({ field: 'granteeUsername', message: 'Không thể tự ủy quyền cho chính mình' });

      const codes: string[] = [];
      for (const [i, raw] of body.procedureCodes.entries()) {
        const p = await currentProcedure(db, raw.trim()).catch(() => null);
        if (!p || p.status !== 'active') {
          errors.push({ field: `procedureCodes/${i}`, message: 'Không tìm thấy thủ tục đang áp dụng với mã này' });
        } else if (!codes.includes(p.code)) codes.push(p.code);
      }

      const given = body.validFrom ? instantOf(body.validFrom, false) : now;
      const until = instantOf(body.validUntil, true);
      if (!given) errors.push({ field: 'validFrom', message: 'Ngày bắt đầu không hợp lệ' });
      if (!until) errors.push({ field: 'validUntil', message: 'Ngày hết hiệu lực không hợp lệ' });
      // A start in the past (e.g. today's date) starts now.
      const from = given && given.getTime() < now.getTime() ? now : given;
      if (from && until) {
        const max = new Date(from);
        max.setUTCFullYear(max.getUTCFullYear() + MAX_AUTHORISATION_YEARS);
        if (until.getTime() <= now.getTime()) {
          errors.push({ field: 'validUntil', message: 'Ngày hết hiệu lực phải ở tương lai' });
        } else if (until.getTime() <= from.getTime()) {
          errors.push({ field: 'validUntil', message: 'Ngày hết hiệu lực phải sau ngày bắt đầu' });
        } else if (until.getTime() > max.getTime() + DAY_MS) {
          errors.push({ field: 'validUntil', message: `Ủy quyền có thời hạn tối đa ${MAX_AUTHORISATION_YEARS} năm` });
        }
      }
      if (errors.length) throw problems.validation(errors);

      const id = randomUUID();
      await db.orm.transaction(async (tx) => {
        await repo.insertAuthorisation(tx, {
          id,
          grantorAccountId: me,
          granteeAccountId: grantee.id,
          procedureCodes: codes,
          validFrom: from as Date,
          validUntil: until as Date,
          note: body.note?.trim() || null,
          at: now,
        });
        await recordAudit(tx, ctx, {
          action: 'authorisation.granted',
          targetType: 'authorisation',
          targetId: id,
          details: { granteeAccountId: grantee.id, procedureCodes: codes, validUntil: (until as Date).toISOString() },
        });
      });
      const row = await repo.authorisationById(id);
      if (!row) throw new Error('authorisation just written is missing');
      return authorisationOf(row, new Date());
    },

    /** Authorisations the signed-in citizen gave (side 'given') or received ('received'); nobody else's. */
    async authorisations(ctx: RequestContext, side: 'given' | 'received', q: AuthorisationListQuery) {
      const me = requireCitizen(ctx);
      const limit = q.limit ?? 50;
      const now = new Date();
      const rows = await repo.authorisations(
        side === 'given' ? 'grantor' : 'grantee',
        me,
        { liveOrPending: q.status === 'live', at: now },
        decodeCursorPair(q.cursor),
        limit,
      );
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const names = procedureNames();
      return {
        items: await Promise.all(items.map((z) => authorisationOf(z, now, names))),
        nextCursor: rows.length > limit && last ? encodeCursor([iso(last.created_at), last.id]) : null,
      };
    },

    /** Ends an authorisation: the grantor revokes it, or the grantee renounces it. Others get 404. */
    async revokeAuthorisation(ctx: RequestContext, id: string): Promise<Authorisation> {
      const me = requireCitizen(ctx);
      const z = await repo.authorisationById(id);
      if (!z || (z.grantor_account_id !== me && z.grantee_account_id !== me)) throw authorisationNotFound();
      if (z.revoked_at) {
        throw problems.conflict('authorisation_revoked', 'Ủy quyền đã chấm dứt', 'Ủy quyền này đã được thu hồi hoặc từ chối trước đó.');
      }
      const byGrantor = z.grantor_account_id === me;
      await db.orm.transaction(async (tx) => {
        if (!(await repo.revoke(tx, id, me, new Date()))) {
          throw problems.conflict('authorisation_revoked', 'Ủy quyền đã chấm dứt', 'Ủy quyền này đã được thu hồi hoặc từ chối trước đó.');
        }
        await recordAudit(tx, ctx, {
          action: byGrantor ? 'authorisation.revoked' : 'authorisation.renounced',
          targetType: 'authorisation',
          targetId: id,
          details: { grantorAccountId: z.grantor_account_id, granteeAccountId: z.grantee_account_id },
        });
      });
      const row = await repo.authorisationById(id);
      return authorisationOf(row as AuthorisationRow, new Date());
    },

    // -------------------------------------------------------------------------------------------
    // Principals: for whom the signed-in person may file (the submission wizard)
    // -------------------------------------------------------------------------------------------

    async principals(ctx: RequestContext, q: PrincipalsQuery): Promise<{ items: PrincipalOption[] }> {
      requireSignedIn(ctx.actor);
      const me = ctx.actor.accountId;
      let code: string | null = null;
      if (q.procedureCode) {
        const p = await currentProcedure(db, q.procedureCode.trim()).catch(() => null);
        if (!p) throw problems.validation([{ field: 'procedureCode', message: 'Không tìm thấy thủ tục với mã này' }]);
        code = p.code;
      }
      const now = new Date();
      const [self, businesses, grants] = await Promise.all([repo.accountById(me), repo.activeBusinessesOf(me), repo.liveGrantsTo(me, now)]);
      const items: PrincipalOption[] = [{ kind: 'citizen', accountId: me, name: self?.display_name ?? ctx.actor.label, via: 'self' }];
      for (const b of businesses) items.push({ kind: 'business', businessId: b.id, name: b.name, taxCode: b.tax_code, via: b.role });
      const seen = new Set<string>();
      for (const g of grants) {
        if (seen.has(g.grantor_account_id)) continue;
        if (code !== null && g.procedure_codes.length > 0 && !g.procedure_codes.includes(code)) continue;
        seen.add(g.grantor_account_id);
        items.push({
          kind: 'citizen',
          accountId: g.grantor_account_id,
          name: g.grantor_name,
          via: 'authorisation',
          authorisationId: g.id,
          validUntil: iso(g.valid_until),
        });
      }
      return { items };
    },
  };
}

export type PartiesService = ReturnType<typeof partiesService>;
