/**
 * Pure rules about codes: agency identifiers (QĐ 20/2020/QĐ-TTg, QCVN 102:2016) and administrative
 * unit codes and types (QĐ 124/2004, QĐ 19/2025). No database, no HTTP.
 */
import { createHash } from 'node:crypto';

// ------------------------------------------------------------------------------------------------
// Agency identifiers
// ------------------------------------------------------------------------------------------------

/** QĐ 20/2020 Art. 4: groups grow left → right; the first is the level-1 code MX1X2 (M = A…Y). */
const QD20 = /^[A-Y][0-9]{2}(\.[0-9A-Z]+)*$/;
/** QCVN 102:2016: V1V2V3.Z1Z2.Y1Y2.MX1X2 — four fixed-width groups, level 1 last (e.g. 000.00.12.H56). */
const QCVN102 = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y][0-9]{2}$/;

export const AGENCY_CODE_MAX = 35;

export type AgencyCodeCheck =
  | { ok: true; format: 'qd20'; level1: string; groups: string[] }
  | { ok: true; format: 'qcvn102'; level1: string; groups: string[] }
  | { ok: false; reason: string };

/**
 * Classifies an agency identifier. Both formats are recognised so that a message from an older
 * system can be matched, but only the current QĐ 20/2020 form is accepted as an agency's `code`;
 * the QCVN 102 form is kept separately as `legacyCode`.
 */
export function checkAgencyCode(code: string): AgencyCodeCheck {
  if (code.length === 0) return { ok: false, reason: 'Mã định danh không được để trống' };
  if (code.length > AGENCY_CODE_MAX) return { ok: false, reason: `Mã định danh dài tối đa ${AGENCY_CODE_MAX} ký tự` };
  if (!/^[0-9A-Z.]+$/.test(code)) return { ok: false, reason: 'Mã định danh chỉ gồm chữ in hoa A–Z, chữ số 0–9 và dấu chấm' };
  if (code.startsWith('.') || code.endsWith('.') || code.includes('..')) {
    return { ok: false, reason: 'Các nhóm ký tự của mã định danh phải cách nhau đúng một dấu chấm' };
  }
  const groups = code.split('.');
  if (QCVN102.test(code) && !QD20.test(code)) {
    return { ok: true, format: 'qcvn102', level1: groups[3] as string, groups };
  }
  if (!QD20.test(code)) {
    return { ok: false, reason: 'Nhóm đầu tiên phải là mã cấp 1 dạng MX1X2: một chữ cái A–Y và hai chữ số (ví dụ H66)' };
  }
  return { ok: true, format: 'qd20', level1: groups[0] as string, groups };
}

/** Reason a value is not acceptable as an agency's current (QĐ 20/2020) code, or null. */
export function agencyCodeError(code: string): string | null {
  const c = checkAgencyCode(code);
  if (!c.ok) return c.reason;
  if (c.format === 'qcvn102') {
    return 'Đây là mã theo định dạng cũ QCVN 102:2016; hãy nhập mã theo QĐ 20/2020/QĐ-TTg (ví dụ H66.001) và ghi mã cũ vào trường mã cũ';
  }
  return null;
}

/** Reason a value is not acceptable as a legacy (QCVN 102:2016) code, or null. */
export function legacyAgencyCodeError(code: string): string | null {
  const c = checkAgencyCode(code);
  if (c.ok && c.format === 'qcvn102') return null;
  return 'Mã cũ phải theo định dạng QCVN 102:2016: V1V2V3.Z1Z2.Y1Y2.MX1X2 (ví dụ 000.00.12.H56)';
}

// ------------------------------------------------------------------------------------------------
// Administrative units
// ------------------------------------------------------------------------------------------------

export const unitLevels = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof unitLevels)[number];

export const unitTypes = ['tinh', 'thanh_pho', 'huyen', 'quan', 'thi_xa', 'xa', 'phuong', 'thi_tran', 'dac_khu'] as const;
export type UnitType = (typeof unitTypes)[number];

/** Types allowed at each level (pre-2025 ones included, for history). */
export const typesByLevel: Record<UnitLevel, readonly UnitType[]> = {
  province: ['tinh', 'thanh_pho'],
  district: ['huyen', 'quan', 'thi_xa', 'thanh_pho'],
  commune: ['xa', 'phuong', 'thi_tran', 'dac_khu'],
};

export const unitTypeLabels: Record<UnitType, string> = {
  tinh: 'Tỉnh',
  thanh_pho: 'Thành phố',
  huyen: 'Huyện',
  quan: 'Quận',
  thi_xa: 'Thị xã',
  xa: 'Xã',
  phuong: 'Phường',
  thi_tran: 'Thị trấn',
  dac_khu: 'Đặc khu',
};

const codeLength: Record<UnitLevel, number> = { province: 2, district: 3, commune: 5 };

export function unitCodeError(level: UnitLevel, code: string): string | null {
  const n = codeLength[level];
  return new RegExp(`^[0-9]{${n}}$`).test(code) ? null : `Mã ${levelLabel(level)} gồm đúng ${n} chữ số`;
}

/** The level a code belongs to, from its length (codes of different levels never collide). */
export function levelOfCode(code: string): UnitLevel | null {
  if (/^[0-9]{2}$/.test(code)) return 'province';
  if (/^[0-9]{3}$/.test(code)) return 'district';
  if (/^[0-9]{5}$/.test(code)) return 'commune';
  return null;
}

export function levelLabel(level: UnitLevel): string {
  return { province: 'tỉnh', district: 'huyện (trước 2025)', commune: 'xã' }[level];
}

/** The unit type named by the first words of a unit's full name ("Thị trấn Ea Kar" → thi_tran). */
export function typeFromName(name: string, level: UnitLevel): UnitType | null {
  const n = name.trim().normalize('NFC');
  const candidates = typesByLevel[level];
  // Longest label first so "Thị xã" / "Thị trấn" win over shorter prefixes.
  const sorted = [...candidates].sort((a, b) => unitTypeLabels[b].length - unitTypeLabels[a].length);
  for (const t of sorted) {
    const label = unitTypeLabels[t];
    if (n.startsWith(`${label} `) || n.toLowerCase().startsWith(`${label.toLowerCase()} `)) return t;
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Stable ids for seeded records
// ------------------------------------------------------------------------------------------------

/** A name-based UUID (RFC 4122 v5 layout over SHA-1), so seeded records keep the same id in every database. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`tinhso:${name}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Today's date in Vietnam (YYYY-MM-DD): validity of units is judged on the local calendar. */
export function todayVn(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
