/**
 * The public board: public, moderated reports filtered by map bbox, category, state, commune and period, with
 * cursor paging; the public detail (public events only, names no one); the Atom feed per commune.
 */
import { type Database, sql } from '../../platform/db/database';
import { problems } from '../../platform/http/problem';
import { type BBox, parseBBox } from './feedback.geo';
import { decodeCursor, encodeCursor, publicView, type ReportRow, readTimeline, reportSelect, uuidRe } from './feedback.views';

const notFound = () => problems.notFound('Không tìm thấy phản ánh.');

/** Publicly visible: public, moderated, not removed. The one rule for the board, the detail and Open311. */
export const isPubliclyVisible = (r: Pick<ReportRow, 'is_public' | 'moderated_at' | 'state'>) =>
  r.is_public && r.moderated_at !== null && r.state !== 'removed';

export interface BoardQuery {
  bbox?: string;
  category?: string;
  state?: string;
  commune?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/** 0.04 square degrees (about 22 × 22 km, 1 % of the province): a town or a small district. */
const SMALL_VIEW_DEG2 = 0.04;
const bboxArea = (b: BBox) => (b.maxLon - b.minLon) * (b.maxLat - b.minLat);

const boardCond = sql`r.is_public and r.moderated_at is not null and r.state <> 'removed'`;

export function feedbackBoard(db: Database) {
  async function board(q: BoardQuery) {
    const conds = [boardCond];
    if (q.bbox) {
      const b = parseBBox(q.bbox);
      if (!b) throw problems.validation([{ field: 'bbox', message: 'bbox có dạng minLon,minLat,maxLon,maxLat' }]);
      // A small view (a town, a district) is found through the spatial index. PostgreSQL cannot estimate how many
      // points a box holds (it assumes very few), so a large view is asked with plain ranges instead: then the
      // planner sees that most reports match and reads the newest ones first.
      conds.push(
        bboxArea(b) <= SMALL_VIEW_DEG2
          ? sql`point(r.lon, r.lat) <@ box(point(${b.minLon}, ${b.minLat}), point(${b.maxLon}, ${b.maxLat}))`
          : sql`r.lon between ${b.minLon} and ${b.maxLon} and r.lat between ${b.minLat} and ${b.maxLat}`,
      );
    }
    if (q.category) conds.push(sql`r.category_code = ${q.category}`);
    if (q.state) conds.push(sql`r.state = ${q.state}`);
    if (q.commune) conds.push(sql`r.commune_code = ${q.commune}`);
    if (q.from) conds.push(sql`r.created_at >= ${q.from}::date`);
    if (q.to) conds.push(sql`r.created_at < (${q.to}::date + 1)`);
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      conds.push(sql`(r.created_at, r.id) < (${c.at}::timestamptz, ${c.id}::uuid)`);
    }
    const limit = Math.min(q.limit ?? 100, 500);
    const rows = await db.rows<ReportRow>(
      sql`${reportSelect} where ${sql.join(conds, sql` and `)} order by r.created_at desc, r.id desc limit ${limit + 1}`,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(publicView),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async function publicDetail(id: string) {
    const r = uuidRe.test(id) ? (await db.rows<ReportRow>(sql`${reportSelect} where r.id = ${id}`))[0] : undefined;
    if (!r || !isPubliclyVisible(r)) throw notFound();
    return { ...publicView(r), timeline: await readTimeline(db, r.id, true) };
  }

  async function communeFeed(communeCode: string, selfUrl: string) {
    const [b] = await db.rows<{ name: string }>(sql`select name from admin_boundaries where unit_code = ${communeCode}`);
    if (!b) throw problems.notFound('Không tìm thấy xã, phường.');
    const { items } = await board({ commune: communeCode, limit: 50 });
    return atomFeed(`Phản ánh hiện trường – ${b.name}`, selfUrl, items);
  }

  /** A public report by its code (PA-…), as on the board; 404 otherwise. */
  async function publicDetailByCode(code: string) {
    const [r] = await db.rows<{ id: string }>(sql`select id from field_reports where code = ${code}`);
    if (!r) throw notFound();
    return publicDetail(r.id);
  }

  return { board, publicDetail, publicDetailByCode, communeFeed };
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

/** Atom 1.0 (RFC 4287) feed of public reports. */
export function atomFeed(title: string, selfUrl: string, items: ReturnType<typeof publicView>[]): string {
  const updated = items[0]?.updatedAt ?? new Date(0).toISOString();
  const base = selfUrl.replace(/\/api\/v1\/public\/field-reports\/feed\/.*$/, '');
  const entries = items
    .map(
      (r) => `  <entry>
    <id>urn:uuid:${r.id}</id>
    <title>${xmlEscape(`${r.code} – ${r.categoryName} – ${r.stateName}`)}</title>
    <link href="${xmlEscape(`${base}/phan-anh/${r.id}`)}"/>
    <updated>${r.updatedAt}</updated>
    <published>${r.createdAt}</published>
    <summary>${xmlEscape(r.description)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlEscape(selfUrl)}</id>
  <title>${xmlEscape(title)}</title>
  <link rel="self" href="${xmlEscape(selfUrl)}"/>
  <updated>${updated}</updated>
  <author><name>TinhSo</name></author>
${entries}
</feed>
`;
}
