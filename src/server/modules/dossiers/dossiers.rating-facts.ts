/**
 * What the ratings module needs to know about a dossier (through the index, never the tables): whose it is,
 * whether the result has been returned, the agency and desk, who received and who processed it, and
 * how each hand-over stood against its step's own time budget (TT 01/2018 indicator 2).
 */
import { sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';
import { lastDigits } from './dossiers.form-values';
import { dossiersRepo } from './dossiers.repo';
import type { DossierState } from './dossiers.schemas';

export interface RatingOfficer {
  accountId: string;
  label: string;
  /** receiving = took the dossier in at the desk; processing = acted on it afterwards (forward, appraise, approve, return). */
  role: 'receiving' | 'processing';
}

export interface RatingFacts {
  id: string;
  code: string | null;
  state: DossierState;
  /** The result has been handed to the applicant (state completed, national status 10). */
  returned: boolean;
  returnedAt: string | null;
  ownerAccountId: string | null;
  createdByAccountId: string | null;
  procedureCode: string;
  procedureName: string;
  agencyId: string;
  agencyScope: string;
  agencyName: string;
  deskAgencyId: string;
  deskScope: string;
  deskAgencyName: string;
  dueAt: string | null;
  officers: RatingOfficer[];
  /** Verdicts of the hand-overs that had a step due date ('early' | 'on_time' | 'late'), in order. */
  handovers: ('early' | 'on_time' | 'late')[];
}

interface ActorRow {
  seq: number;
  action: string;
  actor_account_id: string | null;
  actor_label: string;
  at: string | Date;
  status: string | null;
}

type Verdict = 'early' | 'on_time' | 'late';

/** The hand-over verdicts recorded in the action log (Mẫu 05's trước hạn / đúng hạn / quá hạn), for TT 01's indicator 2. */
function verdicts(rows: ActorRow[]): Verdict[] {
  return rows.map((r) => r.status).filter((s): s is Verdict => s === 'early' || s === 'on_time' || s === 'late');
}

export function ratingFactsReader(db: Database) {
  const repo = dossiersRepo(db);

  async function factsOf(d: NonNullable<Awaited<ReturnType<typeof repo.byId>>>, tx?: Orm): Promise<RatingFacts> {
    const rows = await db.rows<ActorRow>(
      sql`select seq, action, actor_account_id, actor_label, at, payload #>> '{handover,status}' as status
            from dossier_actions where dossier_id = ${d.id} order by seq`,
      tx,
    );
    const applicantSide = new Set([d.ownerAccountId, d.createdByAccountId].filter(Boolean));
    const officers: RatingOfficer[] = [];
    const seen = new Set<string>();
    let received = false;
    for (const r of rows) {
      if (r.action === 'receive') received = true;
      if (!received || !r.actor_account_id || applicantSide.has(r.actor_account_id) || seen.has(r.actor_account_id)) continue;
      seen.add(r.actor_account_id);
      officers.push({ accountId: r.actor_account_id, label: r.actor_label, role: r.action === 'receive' ? 'receiving' : 'processing' });
    }
    const handovers = verdicts(rows);
    return {
      id: d.id,
      code: d.code,
      state: d.state,
      returned: d.state === 'completed' && d.returnedAt !== null,
      returnedAt: d.returnedAt,
      ownerAccountId: d.ownerAccountId,
      createdByAccountId: d.createdByAccountId,
      procedureCode: d.procedureCode,
      procedureName: d.procedureName,
      agencyId: d.agencyId,
      agencyScope: d.agencyScope,
      agencyName: d.agencyName,
      deskAgencyId: d.deskAgencyId,
      deskScope: d.deskScope,
      deskAgencyName: d.deskAgencyName,
      dueAt: d.dueAt,
      officers,
      handovers,
    };
  }

  return {
    /** `tx`: read inside the caller's transaction (an action listener). */
    async byId(id: string, tx?: Orm): Promise<RatingFacts | null> {
      const d = await repo.byId(id, tx);
      return d ? factsOf(d, tx) : null;
    },
    /**
     * By code, only for whoever also knows the last 4 digits of the applicant's ID number or phone (the
     * kiosk at the desk); null when the code is unknown or the digits do not match.
     */
    async byCodeAndLast4(code: string, last4: string): Promise<RatingFacts | null> {
      const d = await repo.byCode(code);
      if (!d || d.publicStatus === null || !/^\d{4}$/.test(last4)) return null;
      const ok = lastDigits(d.applicant.idNumber) === last4 || lastDigits(d.applicant.phone) === last4;
      return ok ? factsOf(d) : null;
    },
  };
}
