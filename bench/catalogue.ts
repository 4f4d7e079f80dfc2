/**
 * A catalogue of 2,000 procedures for the search benchmark: variants of the demo procedures (same field,
 * level, agencies, components and form) named the way real catalogues name related procedures, with
 * unique valid national codes, written through the catalogue's own JSON import.
 */
import { demoCatalogInputs } from '../src/server/modules/catalog';
import { catalogService } from '../src/server/modules/catalog/catalog.service';
import { systemContext } from '../src/server/platform/auth/actor';
import { type Database, sql } from '../src/server/platform/db/database';

export const CATALOGUE_SIZE = 2000;

/** Words that real procedure names add in front (follow-up procedures) … */
const PREFIXES = ['', 'Cấp lại', 'Cấp đổi', 'Gia hạn', 'Điều chỉnh nội dung', 'Đính chính', 'Thu hồi', 'Xác nhận việc'];
/** … and after (who, where, which case). */
const SUFFIXES = [
  '',
  'có yếu tố nước ngoài',
  'cho người Việt Nam định cư ở nước ngoài',
  'lưu động',
  'tại khu vực biên giới',
  'đối với trường hợp bị mất, hư hỏng',
  'đối với tổ chức',
  'đối với cá nhân',
  'đối với hộ gia đình',
  'cho người nước ngoài thường trú tại Việt Nam',
  'trên môi trường điện tử',
  'trong trường hợp đã đăng ký trước đây',
  'đối với doanh nghiệp nhỏ và vừa',
  'kết hợp thực hiện liên thông',
  'theo đề nghị của cơ quan có thẩm quyền',
];

/** Deterministic PRNG so every run builds the same catalogue. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Inputs for `n` new procedures: variants of the demo ones (same field, level, agencies, components and
 * form), with the prefixes/suffixes real catalogues use and unique valid national codes.
 */
export function catalogueVariants(n: number): unknown[] {
  const base = demoCatalogInputs();
  const taken = new Set(base.map((p) => p.code));
  const rand = prng(66);
  const combos = PREFIXES.flatMap((p) => SUFFIXES.map((s) => [p, s] as const)).filter(([p, s]) => p || s);
  const out: unknown[] = [];
  const perBase = base.map(() => [...combos].sort(() => rand() - 0.5));
  for (let i = 0, serial = 0; out.length < n; i++) {
    const b = base[i % base.length]!;
    const [prefix, suffix] = perBase[i % base.length]![Math.floor(i / base.length)]!;
    const core = b.name.replace(/^Thủ tục\s+/u, '');
    const name = [prefix, prefix ? core.charAt(0).toLocaleLowerCase('vi') + core.slice(1) : core, suffix].filter(Boolean).join(' ');
    let code: string;
    do {
      serial++;
      code = `${(serial % 3) + 1}.${String(500000 + serial).padStart(6, '0')}.000.00.00.H66`;
    } while (taken.has(code));
    taken.add(code);
    out.push({ ...b, code, name: name.slice(0, 500) });
  }
  return out;
}

/** Brings the catalogue to CATALOGUE_SIZE procedures through the catalogue's own JSON import. */
export async function loadCatalogue(db: Database, size = CATALOGUE_SIZE): Promise<{ before: number; after: number; seconds: number }> {
  const count = async () =>
    (await db.rows<{ n: number }>(sql`select count(*)::int as n from procedures where status = 'active'`))[0]?.n ?? 0;
  const before = await count();
  const t0 = performance.now();
  const report = await catalogService(db).importCatalog(systemContext('bench'), { json: catalogueVariants(size - before) }, {});
  if (!report.applied) throw new Error(`import not applied: ${JSON.stringify(report).slice(0, 1000)}`);
  // What autovacuum's analyze does within a minute of a bulk load.
  await db.exec('analyze procedures; analyze procedure_versions; analyze procedure_agencies');
  return { before, after: await count(), seconds: +((performance.now() - t0) / 1000).toFixed(1) };
}
