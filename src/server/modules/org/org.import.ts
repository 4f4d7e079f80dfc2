/**
 * CSV imports of administrative units and agencies: parsing, format detection and planning.
 *
 * Planning is pure: it takes a snapshot of what the database holds and returns the rows to insert
 * and update plus a report. Imports are all-or-nothing: reference data must stay consistent (a
 * commune without its province, or half a merger, is worse than no change), so a file with any
 * rejected row writes nothing and the report lists every rejected line with its reasons.
 */
import { parse } from 'csv-parse/sync';
import { problems } from '../../platform/http/problem';
import { agencyCodeError, isIsoDate, levelLabel, typeFromName, type UnitLevel, type UnitType, unitTypeLabels } from './org.codes';
import type { NewUnitLink, NewUnitVersion, UnitRow, UnitVersionRow } from './org.repo';
import type { ImportReport } from './org.schemas';

// ------------------------------------------------------------------------------------------------
// CSV
// ------------------------------------------------------------------------------------------------

export interface CsvRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
  /** Set when the row has the wrong number of columns. */
  error?: string;
}

export interface ParsedCsv {
  header: string[];
  rows: CsvRow[];
}

/** Parses a CSV text with a header row; a malformed file (bad quoting) is a 400 with the line. */
export function parseCsv(text: string): ParsedCsv {
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number; error?: unknown } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (h: string[]) => {
        header = h.map((c) => c.trim().toLowerCase());
        return header;
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw problems.badRequest(
      'csv_malformed',
      'Tệp CSV không đọc được',
      `Tệp CSV sai cấu trúc${line ? ` ở dòng ${line}` : ''} (kiểm tra dấu ngoặc kép và dấu phẩy).`,
    );
  }
  if (header.length === 0) throw problems.badRequest('csv_empty', 'Tệp CSV trống', 'Tệp không có dòng tiêu đề.');
  const rows = records.map(({ record, info }) => {
    const values: Record<string, string> = {};
    for (const h of header) values[h] = (record[h] ?? '').normalize('NFC');
    const row: CsvRow = { line: info.lines, values };
    if (info.error) row.error = `Số cột không đúng (cần ${header.length} cột như dòng tiêu đề)`;
    return row;
  });
  return { header, rows };
}

export function requireColumns(header: string[], expected: readonly string[], label: string): void {
  const missing = expected.filter((c) => !header.includes(c));
  if (missing.length) {
    throw problems.badRequest(
      'csv_columns',
      'Tệp CSV thiếu cột',
      `Tệp ${label} cần các cột: ${expected.join(',')}. Thiếu: ${missing.join(', ')}.`,
    );
  }
}

// ------------------------------------------------------------------------------------------------
// Unit files: three formats, told apart by their header
// ------------------------------------------------------------------------------------------------

export const unitCsvFormats = {
  /** units-2025.csv: the communes in force and their provinces. */
  units: ['province_code', 'province_name', 'commune_code', 'commune_name', 'commune_type'],
  /** units-2025-mapping.csv: pre-reform province/district/ward → new province/commune. */
  mapping: [
    'old_province_code',
    'old_province_name',
    'old_district_code',
    'old_district_name',
    'old_ward_code',
    'old_ward_name',
    'new_province_code',
    'new_province_name',
    'new_commune_code',
    'new_commune_name',
    'relation',
    'note',
  ],
  /** units-2025-changes.csv: later renames and reclassifications, each with its date and legal basis. */
  changes: ['effective_date', 'legal_basis', 'province_code', 'commune_code', 'field', 'value_2025_07_01', 'value_after'],
} as const;

export type UnitCsvFormat = keyof typeof unitCsvFormats;

export function detectUnitFormat(header: string[]): UnitCsvFormat {
  for (const f of ['mapping', 'changes', 'units'] as const) {
    if (unitCsvFormats[f].every((c) => header.includes(c))) return f;
  }
  throw problems.badRequest(
    'csv_columns',
    'Không nhận ra dạng tệp',
    'Dòng tiêu đề phải là một trong ba dạng: ' +
      `danh mục (${unitCsvFormats.units.join(',')}); ` +
      `bảng chuyển đổi cũ → mới (${unitCsvFormats.mapping.join(',')}); ` +
      `thay đổi sau mốc (${unitCsvFormats.changes.join(',')}).`,
  );
}

export const DEFAULT_BASELINE = '2025-07-01';
export const defaultLegalBasis: Record<UnitCsvFormat, string> = {
  units: 'Quyết định 19/2025/QĐ-TTg',
  mapping: 'Nghị quyết 202/2025/QH15; các nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025',
  changes: '',
};

type State = Pick<UnitRow, 'name' | 'type' | 'province_code' | 'district_code'>;

interface Snapshot {
  units: UnitRow[];
  versions: UnitVersionRow[];
  links: { predecessor_code: string; successor_code: string; effective_date: string }[];
}

export interface UnitPlan {
  report: ImportReport;
  /** Full rows of units to insert, and current rows of existing units to rewrite. */
  inserts: UnitRow[];
  updates: UnitRow[];
  versions: NewUnitVersion[];
  links: NewUnitLink[];
}

const sameState = (a: State, b: State) =>
  a.name === b.name &&
  a.type === b.type &&
  (a.province_code ?? null) === (b.province_code ?? null) &&
  (a.district_code ?? null) === (b.district_code ?? null);

const describe = (u: UnitRow) => `${u.name} (${u.code})`;

/**
 * Plans a unit import. `validFrom` is the date the file's state takes effect (the reform date for
 * the mapping file); each row of a changes file carries its own date.
 */
export function planUnitImport(
  format: UnitCsvFormat,
  rows: CsvRow[],
  snap: Snapshot,
  opts: { validFrom: string; legalBasis: string | null },
): UnitPlan {
  const units = new Map(snap.units.map((u) => [u.code, { ...u }]));
  const versionKeys = new Set(snap.versions.map((v) => `${v.code}|${v.valid_to}`));
  const versionsByCode = new Map<string, UnitVersionRow[]>();
  for (const v of snap.versions) versionsByCode.set(v.code, [...(versionsByCode.get(v.code) ?? []), v]);
  const linkKeys = new Set(snap.links.map((l) => `${l.predecessor_code}|${l.successor_code}|${l.effective_date}`));
  const created = new Set<string>();
  const touched = new Set<string>();
  const versions: NewUnitVersion[] = [];
  const links: NewUnitLink[] = [];
  /** For units created by this import: relation of the link their successor_code came from. */
  const successorRelation = new Map<string, 'full' | 'partial'>();
  const report: ImportReport = {
    format,
    applied: false,
    counts: { rows: rows.length, created: 0, updated: 0, unchanged: 0, rejected: 0 },
    created: [],
    updated: [],
    rejected: [],
  };

  // Each row first collects reasons with no side effect; only a clean row changes the plan.
  type Step = () => void;

  /** Number of changes planned so far (a row that adds none is "unchanged"). */
  let mutations = 0;
  const create =
    (row: UnitRow): Step =>
    () => {
      mutations++;
      units.set(row.code, row);
      created.add(row.code);
    };
  const addVersion = (code: string, s: State, from: string | null, to: string, legalBasis: string | null) => {
    if (versionKeys.has(`${code}|${to}`)) return;
    mutations++;
    versionKeys.add(`${code}|${to}`);
    versions.push({
      code,
      name: s.name,
      type: s.type,
      provinceCode: s.province_code,
      districtCode: s.district_code,
      validFrom: from,
      validTo: to,
      legalBasis,
    });
    const row: UnitVersionRow = {
      code,
      name: s.name,
      type: s.type,
      province_code: s.province_code,
      district_code: s.district_code,
      valid_from: from,
      valid_to: to,
      legal_basis: legalBasis,
    };
    versionsByCode.set(code, [...(versionsByCode.get(code) ?? []), row]);
    touched.add(code);
  };
  const addLink = (
    pred: string,
    succ: string,
    relation: 'full' | 'partial',
    date: string,
    legalBasis: string | null,
    note: string | null,
  ) => {
    const key = `${pred}|${succ}|${date}`;
    if (linkKeys.has(key)) return;
    mutations++;
    linkKeys.add(key);
    links.push({ predecessorCode: pred, successorCode: succ, relation, effectiveDate: date, legalBasis, note });
    touched.add(pred);
  };

  /** The state a unit had on `date` (its current row or an earlier version), or null if it was not in force. */
  const stateOn = (u: UnitRow, date: string): State | null => {
    if (u.valid_to !== null && u.valid_to <= date) return null;
    if (u.valid_from === null || u.valid_from <= date) return u;
    return (versionsByCode.get(u.code) ?? []).find((v) => (v.valid_from === null || v.valid_from <= date) && v.valid_to > date) ?? null;
  };

  /**
   * Moves a unit to a new state from `date`: the same date corrects the current state in place,
   * a later date keeps the current state as a version.
   */
  const changeState = (code: string, next: State, date: string, legalBasis: string | null, reasons: string[]): Step | null => {
    const u = units.get(code) as UnitRow;
    if (u.valid_to !== null && u.valid_to <= date) {
      reasons.push(`Mã ${code} đã dùng cho ${u.name}, hết hiệu lực từ ${u.valid_to}; mã đơn vị hành chính không được dùng lại`);
      return null;
    }
    if (sameState(u, next)) return null;
    if (u.valid_from !== null && u.valid_from > date) {
      // The file describes an earlier state than the current one: fine if the history agrees.
      const then = stateOn(u, date);
      if (!then || !sameState(then, next)) reasons.push(`${describe(u)} đã có dữ liệu mới hơn (hiệu lực từ ${u.valid_from})`);
      return null;
    }
    return () => {
      if (u.valid_from !== date) addVersion(code, u, u.valid_from, date, u.legal_basis);
      const inPlace = u.valid_from === date;
      mutations++;
      Object.assign(u, next, { valid_from: date, legal_basis: inPlace ? (legalBasis ?? u.legal_basis) : legalBasis });
      touched.add(code);
    };
  };

  /** Records what a code that continues after `date` was before it (the mirror of changeState). */
  const recordEarlier = (code: string, before: State, date: string, legalBasis: string | null, reasons: string[]): Step | null => {
    const u = units.get(code) as UnitRow;
    if (versionKeys.has(`${code}|${date}`)) return null;
    if (u.valid_from === date) return () => addVersion(code, before, null, date, legalBasis);
    if (u.valid_from === null || u.valid_from < date) {
      if (sameState(u, before)) return null;
      return () => {
        addVersion(code, before, u.valid_from, date, legalBasis);
        mutations++;
        u.valid_from = date;
        touched.add(code);
      };
    }
    reasons.push(`${describe(u)} có hiệu lực từ ${u.valid_from}, sau ngày ${date} của tệp; không ghép được lịch sử`);
    return null;
  };

  // ---- units format ------------------------------------------------------------------------------
  const seen = new Map<string, { line: number; state: State }>();
  const unitsRow = (v: Record<string, string>, reasons: string[], line: number): Step[] => {
    const pc = v.province_code ?? '';
    const pn = v.province_name ?? '';
    const cc = v.commune_code ?? '';
    const cn = v.commune_name ?? '';
    const ct = v.commune_type ?? '';
    if (!/^\d{2}$/.test(pc)) reasons.push('province_code: mã tỉnh phải gồm đúng 2 chữ số');
    if (!/^\d{5}$/.test(cc)) reasons.push('commune_code: mã xã phải gồm đúng 5 chữ số');
    const ptype = typeFromName(pn, 'province');
    if (!ptype) reasons.push('province_name: tên tỉnh phải bắt đầu bằng "Tỉnh" hoặc "Thành phố"');
    if (!['xa', 'phuong', 'dac_khu', 'thi_tran'].includes(ct)) reasons.push('commune_type: loại phải là xa, phuong hoặc dac_khu');
    else if (typeFromName(cn, 'commune') !== ct) {
      reasons.push(`commune_name: tên phải bắt đầu bằng "${unitTypeLabels[ct as UnitType]}" cho đúng loại ${ct}`);
    }
    if (reasons.length) return [];
    const pState: State = { name: pn, type: ptype as string, province_code: null, district_code: null };
    const cState: State = { name: cn, type: ct, province_code: pc, district_code: null };
    const steps: Step[] = [];
    for (const [code, level, state] of [
      [pc, 'province', pState],
      [cc, 'commune', cState],
    ] as const) {
      const prior = seen.get(code);
      if (prior) {
        if (level === 'commune') reasons.push(`commune_code: mã ${code} trùng với dòng ${prior.line}`);
        else if (!sameState(prior.state, state))
          reasons.push(`province_name: khác tên tỉnh ${code} ở dòng ${prior.line} ("${prior.state.name}")`);
        continue;
      }
      if (!units.has(code)) {
        steps.push(
          create({
            code,
            level,
            ...state,
            valid_from: opts.validFrom,
            valid_to: null,
            successor_code: null,
            legal_basis: opts.legalBasis,
            note: null,
          }),
        );
      } else {
        const step = changeState(code, state, opts.validFrom, opts.legalBasis, reasons);
        if (step) steps.push(step);
      }
    }
    if (reasons.length) return [];
    return [
      ...steps,
      () => {
        if (!seen.has(pc)) seen.set(pc, { line, state: pState });
        seen.set(cc, { line, state: cState });
      },
    ];
  };

  // ---- mapping format ----------------------------------------------------------------------------
  const mappingRow = (v: Record<string, string>, reasons: string[], _line: number): Step[] => {
    const date = opts.validFrom;
    const lb = opts.legalBasis;
    const op = v.old_province_code ?? '';
    const od = v.old_district_code ?? '';
    const ow = v.old_ward_code ?? '';
    const np = v.new_province_code ?? '';
    const nc = v.new_commune_code ?? '';
    const relation = v.relation as 'full' | 'partial';
    const note = v.note ? v.note : null;
    if (!/^\d{2}$/.test(op)) reasons.push('old_province_code: mã tỉnh cũ phải gồm 2 chữ số');
    if (!/^\d{3}$/.test(od)) reasons.push('old_district_code: mã huyện cũ phải gồm 3 chữ số');
    if (ow !== '' && !/^\d{5}$/.test(ow)) reasons.push('old_ward_code: mã xã cũ phải gồm 5 chữ số (hoặc để trống)');
    if (!/^\d{2}$/.test(np)) reasons.push('new_province_code: mã tỉnh mới phải gồm 2 chữ số');
    if (!/^\d{5}$/.test(nc)) reasons.push('new_commune_code: mã xã mới phải gồm 5 chữ số');
    if (relation !== 'full' && relation !== 'partial') reasons.push('relation: phải là full hoặc partial');
    const opType = typeFromName(v.old_province_name ?? '', 'province');
    const odType = typeFromName(v.old_district_name ?? '', 'district');
    const owType = ow ? typeFromName(v.old_ward_name ?? '', 'commune') : null;
    if (!opType) reasons.push('old_province_name: tên phải bắt đầu bằng "Tỉnh" hoặc "Thành phố"');
    if (!odType) reasons.push('old_district_name: tên phải bắt đầu bằng "Huyện", "Quận", "Thị xã" hoặc "Thành phố"');
    if (ow && !owType) reasons.push('old_ward_name: tên phải bắt đầu bằng "Xã", "Phường" hoặc "Thị trấn"');
    if (reasons.length) return [];

    const newCommune = units.get(nc);
    const newProvince = units.get(np);
    if (newProvince?.level !== 'province' || !stateOn(newProvince, date)) {
      reasons.push(
        `new_province_code: tỉnh ${np} chưa có trong danh mục hoặc không có hiệu lực ngày ${date}; hãy nhập danh mục đơn vị hành chính (units-2025.csv) trước`,
      );
    }
    const communeThen = newCommune?.level === 'commune' ? stateOn(newCommune, date) : null;
    if (!communeThen) {
      reasons.push(
        `new_commune_code: xã ${nc} chưa có trong danh mục hoặc không có hiệu lực ngày ${date}; hãy nhập danh mục đơn vị hành chính (units-2025.csv) trước`,
      );
    } else if (communeThen.province_code !== np) {
      reasons.push(`new_commune_code: xã ${nc} thuộc tỉnh ${communeThen.province_code}, không phải ${np}`);
    }
    if (reasons.length) return [];

    const steps: Step[] = [];
    // Old province.
    const opState: State = { name: v.old_province_name as string, type: opType as string, province_code: null, district_code: null };
    const opUnit = units.get(op);
    if (op === np) {
      const s = recordEarlier(op, opState, date, lb, reasons);
      if (s) steps.push(s);
    } else if (!opUnit) {
      steps.push(create(closedRow(op, 'province', opState, date, np, lb, null)), () => addLink(op, np, 'full', date, lb, null));
    } else if (opUnit.valid_to === null) {
      reasons.push(`old_province_code: tỉnh ${op} (${opUnit.name}) đang có hiệu lực; hãy đóng tỉnh này (sáp nhập vào ${np}) trước`);
    } else if (opUnit.successor_code !== np) {
      reasons.push(`old_province_code: tỉnh ${op} đã ghi nhận sáp nhập vào ${opUnit.successor_code}, tệp ghi ${np}`);
    } else steps.push(() => addLink(op, np, 'full', date, lb, null));

    // Old district: the level was abolished, its territory stayed in the new province (or, for an
    // island district without communes, became the special zone).
    const districtTarget = ow ? np : nc;
    const odState: State = { name: v.old_district_name as string, type: odType as string, province_code: op, district_code: null };
    const odUnit = units.get(od);
    if (!odUnit) {
      steps.push(create(closedRow(od, 'district', odState, date, districtTarget, lb, ow ? null : note)), () =>
        addLink(od, districtTarget, 'full', date, lb, ow ? null : note),
      );
    } else if (odUnit.valid_to === null) {
      reasons.push(`old_district_code: huyện ${od} (${odUnit.name}) vẫn đang có hiệu lực`);
    } else if (odUnit.province_code !== op) {
      reasons.push(`old_district_code: huyện ${od} thuộc tỉnh ${odUnit.province_code}, tệp ghi ${op}`);
    } else steps.push(() => addLink(od, districtTarget, 'full', date, lb, ow ? null : note));

    // Old ward.
    if (ow) {
      const owState: State = { name: v.old_ward_name as string, type: owType as string, province_code: op, district_code: od };
      const owUnit = units.get(ow);
      if (ow === nc) {
        const s = recordEarlier(ow, owState, date, lb, reasons);
        if (s) steps.push(s);
      } else if (!owUnit) {
        steps.push(create(closedRow(ow, 'commune', owState, date, nc, lb, note)), () => {
          successorRelation.set(ow, relation);
          addLink(ow, nc, relation, date, lb, note);
        });
      } else if (created.has(ow) || owUnit.valid_to !== null || owUnit.valid_from === date) {
        // A ward split among several new communes: one more link. Prefer a 'full' link as the
        // main successor of a unit this import created.
        steps.push(() => {
          addLink(ow, nc, relation, date, lb, note);
          if (created.has(ow) && relation === 'full' && successorRelation.get(ow) === 'partial') {
            owUnit.successor_code = nc;
            mutations++;
            successorRelation.set(ow, 'full');
          }
        });
      } else {
        reasons.push(
          `old_ward_code: xã ${ow} (${owUnit.name}) đang có hiệu lực từ trước ngày ${date}, không thể đồng thời đã sáp nhập vào ${nc}`,
        );
      }
    }
    return reasons.length ? [] : steps;
  };

  function closedRow(
    code: string,
    level: UnitLevel,
    s: State,
    date: string,
    successor: string,
    lb: string | null,
    note: string | null,
  ): UnitRow {
    return { code, level, ...s, valid_from: null, valid_to: date, successor_code: successor, legal_basis: lb, note };
  }

  // ---- changes format ----------------------------------------------------------------------------
  const changesRow = (v: Record<string, string>, reasons: string[], _line: number): Step[] => {
    const date = v.effective_date ?? '';
    const lb = v.legal_basis || null;
    const code = v.commune_code || v.province_code || '';
    const field = v.field ?? '';
    const before = v.value_2025_07_01 ?? '';
    const after = v.value_after ?? '';
    if (!isIsoDate(date)) reasons.push('effective_date: ngày phải có dạng YYYY-MM-DD');
    if (!['province_name', 'commune_name', 'commune_type'].includes(field)) {
      reasons.push('field: chỉ hỗ trợ province_name, commune_name, commune_type');
    }
    if (field === 'province_name' && v.commune_code) reasons.push('commune_code: phải để trống khi đổi tên tỉnh');
    if (field !== 'province_name' && !v.commune_code) reasons.push('commune_code: bắt buộc khi thay đổi cấp xã');
    const u = units.get(code);
    if (!u) reasons.push(`Không có đơn vị mã ${code} trong danh mục`);
    if (reasons.length || !u) return [];
    const level: UnitLevel = field === 'province_name' ? 'province' : 'commune';
    if (u.level !== level) {
      reasons.push(`Mã ${code} là ${levelLabel(u.level)}, không phải ${levelLabel(level)}`);
      return [];
    }
    const next: State = { name: u.name, type: u.type, province_code: u.province_code, district_code: u.district_code };
    const currentValue = field === 'commune_type' ? u.type : u.name;
    if (currentValue === after) return [];
    if (currentValue !== before) {
      reasons.push(`Giá trị hiện tại của ${describe(u)} là "${currentValue}", khác giá trị trước thay đổi "${before}"`);
      return [];
    }
    if (field === 'commune_type') {
      if (!['xa', 'phuong', 'dac_khu', 'thi_tran'].includes(after)) {
        reasons.push('value_after: loại xã phải là xa, phuong, dac_khu hoặc thi_tran');
        return [];
      }
      next.type = after;
    } else {
      next.name = after;
      // A province's type follows its name ("Tỉnh Đồng Nai" → "Thành phố Đồng Nai").
      if (field === 'province_name') {
        const t = typeFromName(after, 'province');
        if (!t) {
          reasons.push('value_after: tên tỉnh phải bắt đầu bằng "Tỉnh" hoặc "Thành phố"');
          return [];
        }
        next.type = t;
      }
    }
    const step = changeState(code, next, date, lb, reasons);
    return step && !reasons.length ? [step] : [];
  };

  const handler = { units: unitsRow, mapping: mappingRow, changes: changesRow }[format];
  for (const row of rows) {
    const reasons: string[] = row.error ? [row.error] : [];
    const before = mutations;
    const steps = reasons.length ? [] : handler(row.values, reasons, row.line);
    if (reasons.length) {
      report.rejected.push({ line: row.line, reasons });
      continue;
    }
    for (const s of steps) s();
    if (mutations === before) report.counts.unchanged++;
  }

  const updated = [...touched].filter((c) => !created.has(c) && units.has(c));
  report.created = [...created];
  report.updated = updated;
  report.counts.created = created.size;
  report.counts.updated = updated.length;
  report.counts.rejected = report.rejected.length;
  return {
    report,
    inserts: [...created].map((c) => units.get(c) as UnitRow),
    updates: updated.map((c) => units.get(c) as UnitRow),
    versions,
    links,
  };
}

// ------------------------------------------------------------------------------------------------
// Agency files: code,name,short_name,kind,parent_code,admin_unit_code
// ------------------------------------------------------------------------------------------------

export const agencyCsvColumns = ['code', 'name', 'short_name', 'kind', 'parent_code', 'admin_unit_code'] as const;

export interface AgencyImportRow {
  line: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  parentCode: string | null;
  adminUnitCode: string | null;
}

/** Field-level checks of one agency row (references are checked by the service). */
export function checkAgencyRow(row: CsvRow, kinds: readonly string[]): { value?: AgencyImportRow; reasons: string[] } {
  const reasons: string[] = row.error ? [row.error] : [];
  const v = row.values;
  const code = (v.code ?? '').toUpperCase();
  const codeErr = agencyCodeError(code);
  if (codeErr) reasons.push(`code: ${codeErr}`);
  if (!v.name) reasons.push('name: tên cơ quan là bắt buộc');
  else if (v.name.length > 300) reasons.push('name: tên dài tối đa 300 ký tự');
  if ((v.short_name ?? '').length > 60) reasons.push('short_name: tên viết tắt dài tối đa 60 ký tự');
  if (!kinds.includes(v.kind ?? '')) reasons.push(`kind: loại cơ quan phải là một trong ${kinds.join(', ')}`);
  const parentCode = v.parent_code ? v.parent_code.toUpperCase() : null;
  if (parentCode && agencyCodeError(parentCode)) reasons.push('parent_code: mã cơ quan cấp trên không đúng định dạng');
  if (parentCode === code) reasons.push('parent_code: cơ quan không thể trực thuộc chính nó');
  const unit = v.admin_unit_code || null;
  if (unit && !/^\d{2}(\d{3})?$/.test(unit)) reasons.push('admin_unit_code: mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số)');
  if (reasons.length) return { reasons };
  return {
    reasons,
    value: {
      line: row.line,
      code,
      name: v.name as string,
      shortName: v.short_name || null,
      kind: v.kind as string,
      parentCode,
      adminUnitCode: unit,
    },
  };
}
