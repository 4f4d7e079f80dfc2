/**
 * Vietnamese identification numbers: the 12-digit personal identification number (số định danh cá nhân,
 * printed on the CCCD / căn cước card) and enterprise tax codes (mã số thuế).
 *
 * Personal identification number (Nghị định 137/2015/NĐ-CP Điều 7, Thông tư 07/2016/TT-BCA Phụ lục I;
 * Luật Căn cước 2023 Điều 12): `PPP G YY NNNNNN`
 *   PPP    code of the province (63 provinces before the 2025 merger, as used by the Ministry of Public
 *          Security) where the birth was registered — fixed for life, so the 2025 merger changes nothing;
 *   G      century and gender: 0/1 = 1900–1999 male/female, 2/3 = 2000–2099, 4/5 = 2100–2199,
 *          6/7 = 2200–2299, 8/9 = 2300–2399;
 *   YY     last two digits of the birth year;
 *   NNNNNN a random sequence (no check digit).
 *
 * Tax code (Thông tư 105/2020/TT-BTC; formula of the General Department of Taxation): 10 digits, the last
 * being a check digit N10 = 10 − (Σ Ni·Wi mod 11) with W = 31, 29, 23, 19, 17, 13, 7, 5, 3 (a base whose
 * result would be 10 is never issued); a dependent unit (branch) adds a 3-digit sequence, written
 * `0101234567-001`.
 */

/** ID-number province codes (Thông tư 07/2016/TT-BCA, Phụ lục I) → province name. */
export const ID_PROVINCES: Readonly<Record<string, string>> = Object.freeze({
  '001': 'Hà Nội',
  '002': 'Hà Giang',
  '004': 'Cao Bằng',
  '006': 'Bắc Kạn',
  '008': 'Tuyên Quang',
  '010': 'Lào Cai',
  '011': 'Điện Biên',
  '012': 'Lai Châu',
  '014': 'Sơn La',
  '015': 'Yên Bái',
  '017': 'Hòa Bình',
  '019': 'Thái Nguyên',
  '020': 'Lạng Sơn',
  '022': 'Quảng Ninh',
  '024': 'Bắc Giang',
  '025': 'Phú Thọ',
  '026': 'Vĩnh Phúc',
  '027': 'Bắc Ninh',
  '030': 'Hải Dương',
  '031': 'Hải Phòng',
  '033': 'Hưng Yên',
  '034': 'Thái Bình',
  '035': 'Hà Nam',
  '036': 'Nam Định',
  '037': 'Ninh Bình',
  '038': 'Thanh Hóa',
  '040': 'Nghệ An',
  '042': 'Hà Tĩnh',
  '044': 'Quảng Bình',
  '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế',
  '048': 'Đà Nẵng',
  '049': 'Quảng Nam',
  '051': 'Quảng Ngãi',
  '052': 'Bình Định',
  '054': 'Phú Yên',
  '056': 'Khánh Hòa',
  '058': 'Ninh Thuận',
  '060': 'Bình Thuận',
  '062': 'Kon Tum',
  '064': 'Gia Lai',
  '066': 'Đắk Lắk',
  '067': 'Đắk Nông',
  '068': 'Lâm Đồng',
  '070': 'Bình Phước',
  '072': 'Tây Ninh',
  '074': 'Bình Dương',
  '075': 'Đồng Nai',
  '077': 'Bà Rịa - Vũng Tàu',
  '079': 'Hồ Chí Minh',
  '080': 'Long An',
  '082': 'Tiền Giang',
  '083': 'Bến Tre',
  '084': 'Trà Vinh',
  '086': 'Vĩnh Long',
  '087': 'Đồng Tháp',
  '089': 'An Giang',
  '091': 'Kiên Giang',
  '092': 'Cần Thơ',
  '093': 'Hậu Giang',
  '094': 'Sóc Trăng',
  '095': 'Bạc Liêu',
  '096': 'Cà Mau',
});

export type Gender = 'male' | 'female';

export type IdNumberCheck =
  | { ok: true; value: string; provinceCode: string; provinceName: string; gender: Gender; birthYear: number }
  | { ok: false; code: IdNumberError; message: string };

export type IdNumberError = 'format' | 'province' | 'future_birth_year' | 'birth_date_mismatch' | 'gender_mismatch';

const idError = (code: IdNumberError, message: string): IdNumberCheck => ({ ok: false, code, message });

/** Year of a birth date given as `YYYY-MM-DD` (or a Date, read in UTC). */
function yearOf(d: string | Date): number | null {
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? null : d.getUTCFullYear();
  const m = /^(\d{4})-\d{2}-\d{2}/.exec(d);
  return m ? Number(m[1]) : null;
}

/**
 * Checks a personal identification number (CCCD). Spaces are ignored. With `birthDate` the encoded birth
 * year must match it; with `gender` the encoded gender must match. A birth year after `now` is refused.
 */
export function checkIdNumber(
  input: string,
  opts: { birthDate?: string | Date | null; gender?: Gender | null; now?: Date } = {},
): IdNumberCheck {
  const s = String(input ?? '').replace(/\s+/g, '');
  if (!/^\d{12}$/.test(s)) return idError('format', 'Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.');
  const provinceCode = s.slice(0, 3);
  const provinceName = ID_PROVINCES[provinceCode];
  if (!provinceName) {
    return idError('province', `Mã tỉnh "${provinceCode}" (3 chữ số đầu) không phải mã nơi đăng ký khai sinh hợp lệ.`);
  }
  const g = Number(s[3]);
  const gender: Gender = g % 2 === 0 ? 'male' : 'female';
  const birthYear = 1900 + Math.floor(g / 2) * 100 + Number(s.slice(4, 6));
  const nowYear = (opts.now ?? new Date()).getUTCFullYear();
  if (birthYear > nowYear) {
    return idError('future_birth_year', `Năm sinh mã hóa trong số định danh (${birthYear}) ở tương lai: số không hợp lệ.`);
  }
  if (opts.birthDate) {
    const y = yearOf(opts.birthDate);
    if (y !== null && y !== birthYear) {
      return idError('birth_date_mismatch', `Năm sinh trong số định danh (${birthYear}) không khớp với ngày sinh (${y}).`);
    }
  }
  if (opts.gender && opts.gender !== gender) {
    return idError('gender_mismatch', 'Giới tính mã hóa trong số định danh không khớp với giới tính đã khai.');
  }
  return { ok: true, value: s, provinceCode, provinceName, gender, birthYear };
}

/** The century/gender digit for a birth year and gender (inverse of the rule above); null outside 1900–2399. */
export function centuryGenderDigit(birthYear: number, gender: Gender): number | null {
  const century = Math.floor((birthYear - 1900) / 100);
  if (century < 0 || century > 4) return null;
  return century * 2 + (gender === 'female' ? 1 : 0);
}

/** `********1234`: only the last four digits; null when unknown. Safe to show the owner; never log it either. */
export function maskIdNumber(idNumber: string | null | undefined): string | null {
  if (!idNumber) return null;
  return `${'*'.repeat(Math.max(0, idNumber.length - 4))}${idNumber.slice(-4)}`;
}

export type TaxCodeCheck =
  | { ok: true; value: string; base: string; branch: string | null }
  | { ok: false; code: TaxCodeError; message: string };

export type TaxCodeError = 'format' | 'check_digit' | 'branch';

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/** The check digit of a 9-digit tax code base; null when the base can never be issued (result 10). */
export function taxCheckDigit(first9: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (TAX_WEIGHTS[i] as number);
  const d = 10 - (sum % 11);
  return d === 10 ? null : d;
}

/**
 * Checks an enterprise tax code: `0101234567`, or a branch `0101234567-001` / `0101234567001`
 * (normalised to the dashed form). Spaces and dots are ignored.
 */
export function checkTaxCode(input: string): TaxCodeCheck {
  const s = String(input ?? '').replace(/[\s.]+/g, '');
  const m = /^(\d{10})(?:-?(\d{3}))?$/.exec(s);
  if (!m) {
    return {
      ok: false,
      code: 'format',
      message: 'Mã số thuế gồm 10 chữ số, hoặc 13 chữ số cho đơn vị phụ thuộc (dạng 0101234567-001).',
    };
  }
  const base = m[1] as string;
  const branch = m[2] ?? null;
  const check = taxCheckDigit(base.slice(0, 9));
  if (check === null || check !== Number(base[9])) {
    return { ok: false, code: 'check_digit', message: 'Mã số thuế không đúng (sai chữ số kiểm tra). Vui lòng kiểm tra lại.' };
  }
  if (branch === '000') {
    return { ok: false, code: 'branch', message: 'Số thứ tự đơn vị phụ thuộc phải từ 001 đến 999.' };
  }
  return { ok: true, value: branch ? `${base}-${branch}` : base, base, branch };
}
