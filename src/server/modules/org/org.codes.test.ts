import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agencyCodeError, checkAgencyCode, legacyAgencyCodeError, levelOfCode, stableUuid, typeFromName } from './org.codes';
import { parseCsv, planUnitImport } from './org.import';
import { foldVn } from './org.shared';

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXY'.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
const groupChar = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const level1 = fc.tuple(upper, digit, digit).map((c) => c.join(''));
const group = fc.array(groupChar, { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
/** Well-formed QĐ 20/2020 codes of at most 35 characters. */
const qd20Code = fc
  .tuple(level1, fc.array(group, { maxLength: 6 }))
  .map(([l1, gs]) => [l1, ...gs].join('.'))
  .filter((c) => c.length <= 35);

describe('agency identifiers (QĐ 20/2020/QĐ-TTg)', () => {
  it('accepts known examples', () => {
    for (const code of ['H66', 'H55.242', 'H56', 'G14', 'A01.001.01', 'H66.003']) {
      expect(agencyCodeError(code), code).toBeNull();
      expect(checkAgencyCode(code)).toMatchObject({ ok: true, format: 'qd20', level1: code.split('.')[0] });
    }
  });

  it('recognises the old QCVN 102:2016 form but keeps it out of `code`', () => {
    expect(checkAgencyCode('000.00.12.H56')).toMatchObject({ ok: true, format: 'qcvn102', level1: 'H56' });
    expect(agencyCodeError('000.00.12.H56')).toMatch(/định dạng cũ QCVN 102/);
    expect(legacyAgencyCodeError('000.00.12.H56')).toBeNull();
    expect(legacyAgencyCodeError('000.00.00.H30')).toBeNull();
    expect(legacyAgencyCodeError('H55.242')).not.toBeNull();
  });

  it('rejects malformed codes with a Vietnamese reason', () => {
    const cases: [string, RegExp][] = [
      ['', /trống/],
      ['h66', /chữ in hoa/],
      ['H66-01', /chữ in hoa/],
      ['H66..1', /đúng một dấu chấm/],
      ['.H66', /đúng một dấu chấm/],
      ['H66.', /đúng một dấu chấm/],
      ['Z66', /mã cấp 1/],
      ['H6', /mã cấp 1/],
      ['66H', /mã cấp 1/],
      ['HH6.001', /mã cấp 1/],
      [`H66.${'1'.repeat(32)}`, /tối đa 35/],
    ];
    for (const [code, reason] of cases) expect(agencyCodeError(code), code).toMatch(reason);
  });

  it('accepts every well-formed code (property)', () => {
    fc.assert(fc.property(qd20Code, (code) => agencyCodeError(code) === null && checkAgencyCode(code).ok));
  });

  it('never accepts a code with a character outside . 0-9 A-Z (property)', () => {
    const bad = fc.constantFrom(...'abcxyz-_/ ,đĐ@#'.split(''));
    fc.assert(
      fc.property(qd20Code, bad, fc.nat(), (code, ch, at) => {
        const i = at % (code.length + 1);
        const broken = code.slice(0, i) + ch + code.slice(i);
        return agencyCodeError(broken) !== null;
      }),
    );
  });

  it('never accepts more than 35 characters (property)', () => {
    fc.assert(
      fc.property(level1, fc.array(group, { minLength: 6, maxLength: 12 }), (l1, gs) => {
        const code = [l1, ...gs].join('.');
        return code.length <= 35 || agencyCodeError(code) !== null;
      }),
    );
  });

  it('the first group must be a letter A–Y and two digits (property)', () => {
    const notLevel1 = fc.string({ minLength: 1, maxLength: 4 }).filter((s) => !/^[A-Y][0-9]{2}$/.test(s));
    fc.assert(fc.property(notLevel1, fc.array(group, { maxLength: 3 }), (l1, gs) => agencyCodeError([l1, ...gs].join('.')) !== null));
  });
});

describe('administrative unit codes and names', () => {
  it('tells levels apart by code length', () => {
    expect(levelOfCode('66')).toBe('province');
    expect(levelOfCode('643')).toBe('district');
    expect(levelOfCode('24133')).toBe('commune');
    expect(levelOfCode('2413')).toBeNull();
  });

  it('derives the unit type from the name', () => {
    expect(typeFromName('Tỉnh Đắk Lắk', 'province')).toBe('tinh');
    expect(typeFromName('Thành phố Huế', 'province')).toBe('thanh_pho');
    expect(typeFromName('Thành phố Buôn Ma Thuột', 'district')).toBe('thanh_pho');
    expect(typeFromName('Thị xã Buôn Hồ', 'district')).toBe('thi_xa');
    expect(typeFromName('Huyện Ea Súp', 'district')).toBe('huyen');
    expect(typeFromName('Thị trấn Ea Kar', 'commune')).toBe('thi_tran');
    expect(typeFromName('Đặc khu Phú Quốc', 'commune')).toBe('dac_khu');
    expect(typeFromName('Phường Buôn Ma Thuột', 'commune')).toBe('phuong');
    expect(typeFromName('Buôn Ma Thuột', 'commune')).toBeNull();
  });

  it('folds Vietnamese like vn_fold()', () => {
    expect(foldVn('Đắk Lắk')).toBe('dak lak');
    expect(foldVn('  Buôn   Ma Thuột ')).toBe('buon ma thuot');
    expect(foldVn("Xã Ea H'Leo")).toBe("xa ea h'leo");
    expect(foldVn('Thủy Hòa Ứng')).toBe('thuy hoa ung');
  });

  it('stable ids are UUIDs, deterministic and distinct', () => {
    const a = stableUuid('agency:H66');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('agency:H66')).toBe(a);
    expect(stableUuid('agency:H66.001')).not.toBe(a);
  });
});

describe('unit import planning (pure)', () => {
  const header = 'province_code,province_name,commune_code,commune_name,commune_type';
  const empty = { units: [], versions: [], links: [] };

  it('creates provinces once and communes per row', () => {
    const csv = `${header}\n66,Tỉnh Đắk Lắk,24133,Phường Buôn Ma Thuột,phuong\n66,Tỉnh Đắk Lắk,24373,Xã Ea Kar,xa\n`;
    const plan = planUnitImport('units', parseCsv(csv).rows, empty, { validFrom: '2025-07-01', legalBasis: 'QĐ 19/2025/QĐ-TTg' });
    expect(plan.report.rejected).toEqual([]);
    expect(plan.inserts.map((u) => u.code).sort()).toEqual(['24133', '24373', '66']);
    expect(plan.report.counts).toMatchObject({ rows: 2, created: 3, rejected: 0 });
  });

  it('reports the line of a duplicated code and of a wrong column count', () => {
    const csv = `${header}\n66,Tỉnh Đắk Lắk,24133,Phường Buôn Ma Thuột,phuong\n66,Tỉnh Đắk Lắk,24133,Phường Khác,phuong\n66,Tỉnh Đắk Lắk,24373\n`;
    const plan = planUnitImport('units', parseCsv(csv).rows, empty, { validFrom: '2025-07-01', legalBasis: null });
    expect(plan.report.rejected).toEqual([
      { line: 3, reasons: ['commune_code: mã 24133 trùng với dòng 2'] },
      { line: 4, reasons: [expect.stringMatching(/Số cột không đúng/)] },
    ]);
  });

  it('a later state of an existing code keeps the earlier one as a version', () => {
    const existing = {
      code: '24133',
      level: 'commune' as const,
      name: 'Phường Thành Công',
      type: 'phuong',
      province_code: '66',
      district_code: '643',
      valid_from: null,
      valid_to: null,
      successor_code: null,
      legal_basis: null,
      note: null,
    };
    const province = {
      ...existing,
      code: '66',
      level: 'province' as const,
      name: 'Tỉnh Đắk Lắk',
      type: 'tinh',
      province_code: null,
      district_code: null,
    };
    const csv = `${header}\n66,Tỉnh Đắk Lắk,24133,Phường Buôn Ma Thuột,phuong\n`;
    const plan = planUnitImport(
      'units',
      parseCsv(csv).rows,
      { units: [existing, province], versions: [], links: [] },
      { validFrom: '2025-07-01', legalBasis: 'x' },
    );
    expect(plan.versions).toEqual([
      expect.objectContaining({ code: '24133', name: 'Phường Thành Công', validTo: '2025-07-01', districtCode: '643' }),
    ]);
    expect(plan.updates).toEqual([
      expect.objectContaining({ code: '24133', name: 'Phường Buôn Ma Thuột', valid_from: '2025-07-01', district_code: null }),
    ]);
    expect(plan.report.updated).toEqual(['24133']);
  });
});
