/**
 * All SQL of ratings: the province's settings, the ratings with their officers, and the quarterly
 * aggregates (per-indicator averages; avg() skips nulls, so indicators without data drop out).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';
import type { FormCode, Grade } from './ratings.forms';

export interface RatingRow {
  id: string;
  dossier_id: string;
  dossier_code: string;
  procedure_code: string;
  procedure_name: string;
  form_code: FormCode;
  answers: Record<string, number>;
  total: number;
  max_total: number;
  grade: Grade;
  comment: string | null;
  channel: 'online' | 'link' | 'kiosk';
  agency_id: string;
  agency_name: string;
  year: number;
  quarter: number;
  created_at: string | Date;
  officers: { accountId: string; name: string; role: 'receiving' | 'processing' }[] | null;
  [k: `i${number}`]: number | null;
}

export interface NewRating {
  id: string;
  dossierId: string;
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  formCode: FormCode;
  answers: Record<string, number>;
  indicators: (number | null)[];
  general: (number | null)[];
  total: number;
  maxTotal: number;
  grade: Grade;
  comment: string | null;
  channel: 'online' | 'link' | 'kiosk';
  ratedBy: string | null;
  agencyId: string;
  agencyScope: string;
  agencyName: string;
  deskAgencyId: string;
  deskScope: string;
  deskAgencyName: string;
  returnedAt: string | null;
  year: number;
  quarter: number;
  createdAt: Date;
  officers: {
    accountId: string;
    name: string;
    role: 'receiving' | 'processing';
    agencyId: string | null;
    agencyScope: string;
    agencyName: string;
  }[];
}

/** Rows whose `col` (an agency path) lies within one of the scopes. */
export function inScopes(col: SQL, scopes: 'all' | string[]): SQL {
  if (scopes === 'all') return sql`true`;
  if (!scopes.length) return sql`false`;
  return sql`(${sql.join(
    scopes.map((s) => sql`(${col} = ${s} or ${col} like ${`${s.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`})`),
    sql` or `,
  )})`;
}

/** The officers of rating `r`, receiving officer first. */
const officersOf = sql`(select json_agg(json_build_object('accountId', o.account_id, 'name', o.name, 'role', o.role) order by o.role, o.name)
                          from dossier_rating_officers o where o.rating_id = r.id)`;

const avgs = (p: string) => sql.raw(Array.from({ length: 9 }, (_, i) => `avg(${p}i${i + 1})::float8 as a${i + 1}`).join(', '));

export interface AggregateRow {
  key: string;
  name: string;
  agency_name: string | null;
  ratings: number;
  g1: number | null;
  g2: number | null;
  g3: number | null;
  [k: `a${number}`]: number | null;
}

export function ratingsRepo(db: Database) {
  return {
    async formCode(): Promise<FormCode> {
      const [r] = await db.rows<{ form_code: FormCode }>(sql`select form_code from rating_settings where id`);
      return r?.form_code ?? 'tt01';
    },

    async setFormCode(tx: Orm, code: FormCode, by: string | null): Promise<void> {
      await db.rows(sql`update rating_settings set form_code = ${code}, updated_at = now(), updated_by = ${by} where id`, tx);
    },

    async byDossier(dossierId: string): Promise<RatingRow | null> {
      const [r] = await db.rows<RatingRow>(
        sql`select r.*, r.total::float8 as total, ${officersOf} as officers from dossier_ratings r where dossier_id = ${dossierId}`,
      );
      return r ?? null;
    },

    /** false when the dossier already has a rating (the unique key answers, so two racing requests cannot both win). */
    async insert(tx: Orm, r: NewRating): Promise<boolean> {
      const i = r.indicators;
      const g = r.general;
      const rows = await db.rows(
        sql`insert into dossier_ratings (id, dossier_id, dossier_code, procedure_code, procedure_name, form_code, answers,
              i1, i2, i3, i4, i5, i6, i7, i8, i9, g1, g2, g3, total, max_total, grade, comment, channel, rated_by,
              agency_id, agency_scope, agency_name, desk_agency_id, desk_scope, desk_agency_name, returned_at, year, quarter, created_at)
            values (${r.id}, ${r.dossierId}, ${r.dossierCode}, ${r.procedureCode}, ${r.procedureName}, ${r.formCode},
              ${JSON.stringify(r.answers)}::jsonb,
              ${i[0]}, ${i[1]}, ${i[2]}, ${i[3]}, ${i[4]}, ${i[5]}, ${i[6]}, ${i[7]}, ${i[8]}, ${g[0]}, ${g[1]}, ${g[2]},
              ${r.total}, ${r.maxTotal}, ${r.grade}, ${r.comment}, ${r.channel}, ${r.ratedBy},
              ${r.agencyId}, ${r.agencyScope}, ${r.agencyName}, ${r.deskAgencyId}, ${r.deskScope}, ${r.deskAgencyName},
              ${r.returnedAt}, ${r.year}, ${r.quarter}, ${r.createdAt.toISOString()})
            on conflict (dossier_id) do nothing
            returning id`,
        tx,
      );
      if (!rows.length) return false;
      if (r.officers.length) {
        await db.rows(
          sql`insert into dossier_rating_officers (rating_id, account_id, name, role, agency_id, agency_scope, agency_name, year, quarter)
              values ${sql.join(
                r.officers.map(
                  (o) =>
                    sql`(${r.id}, ${o.accountId}, ${o.name}, ${o.role}, ${o.agencyId}, ${o.agencyScope}, ${o.agencyName}, ${r.year}, ${r.quarter})`,
                ),
                sql`, `,
              )}`,
          tx,
        );
      }
      return true;
    },

    /** Per agency (the resolving agency of the dossiers) for a quarter, within the scopes. */
    byAgency(year: number, quarter: number, scopes: 'all' | string[]): Promise<AggregateRow[]> {
      return db.rows<AggregateRow>(
        sql`select agency_id::text as key, min(agency_name) as name, null as agency_name, count(*)::int as ratings, ${avgs('')},
                   avg(g1)::float8 as g1, avg(g2)::float8 as g2, avg(g3)::float8 as g3
              from dossier_ratings
             where year = ${year} and quarter = ${quarter} and ${inScopes(sql`agency_scope`, scopes)}
             group by agency_id`,
      );
    },

    /** Per officer for a quarter: officers whose agency lies within the scopes. */
    byOfficer(year: number, quarter: number, scopes: 'all' | string[]): Promise<AggregateRow[]> {
      return db.rows<AggregateRow>(
        sql`select o.account_id::text as key, min(o.name) as name, min(o.agency_name) as agency_name, count(*)::int as ratings, ${avgs('r.')},
                   avg(r.g1)::float8 as g1, avg(r.g2)::float8 as g2, avg(r.g3)::float8 as g3
              from dossier_rating_officers o join dossier_ratings r on r.id = o.rating_id
             where o.year = ${year} and o.quarter = ${quarter} and ${inScopes(sql`o.agency_scope`, scopes)}
             group by o.account_id`,
      );
    },

    /** The ratings behind a summary line (newest first), within the scopes. */
    list(f: {
      year: number;
      quarter: number;
      agencyId?: string;
      officerId?: string;
      scopes: 'all' | string[];
      limit: number;
    }): Promise<RatingRow[]> {
      const conds: SQL[] = [sql`r.year = ${f.year}`, sql`r.quarter = ${f.quarter}`];
      if (f.agencyId) conds.push(sql`r.agency_id = ${f.agencyId}`, inScopes(sql`r.agency_scope`, f.scopes));
      if (f.officerId) {
        conds.push(
          sql`exists (select 1 from dossier_rating_officers o where o.rating_id = r.id and o.account_id = ${f.officerId}
                       and ${inScopes(sql`o.agency_scope`, f.scopes)})`,
        );
      }
      if (!f.agencyId && !f.officerId) conds.push(inScopes(sql`r.agency_scope`, f.scopes));
      return db.rows<RatingRow>(
        sql`select r.*, r.total::float8 as total, ${officersOf} as officers
              from dossier_ratings r
             where ${sql.join(conds, sql` and `)}
             order by r.created_at desc, r.id
             limit ${f.limit}`,
      );
    },
  };
}

export type RatingsRepo = ReturnType<typeof ratingsRepo>;
