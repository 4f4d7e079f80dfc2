import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centuryGenderDigit, checkIdNumber, checkTaxCode, ID_PROVINCES, maskIdNumber, taxCheckDigit } from './identity.numbers';

const now = new Date('2026-12-07T00:00:00Z');
const provinceCodes = Object.keys(ID_PROVINCES);
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A valid ID number for a birth year 1900–2026 and gender. */
const validId = fc
  .record({
    province: fc.constantFrom(...provinceCodes),
    year: fc.integer({ min: 1900, max: 2026 }),
    gender: fc.constantFrom('male' as const, 'female' as const),
    serial: digits(6),
  })
  .map((r) => ({
    ...r,
    id: `${r.province}${centuryGenderDigit(r.year, r.gender)}${String(r.year % 100).padStart(2, '0')}${r.serial}`,
  }));

describe('checkIdNumber', () => {
  it('has the 63 province codes of Thông tư 07/2016/TT-BCA', () => {
    expect(provinceCodes).toHaveLength(63);
    expect(ID_PROVINCES['066']).toBe('Đắk Lắk');
    expect(ID_PROVINCES['079']).toBe('Hồ Chí Minh');
    for (const c of ['000', '003', '005', '097', '099', '100']) expect(ID_PROVINCES[c]).toBeUndefined();
  });

  it('accepts known good numbers and decodes them', () => {
    expect(checkIdNumber('066190001234', { now })).toMatchObject({
      ok: true,
      provinceName: 'Đắk Lắk',
      gender: 'female',
      birthYear: 1990,
    });
    expect(checkIdNumber('001 085 012345', { now })).toMatchObject({ ok: true, value: '001085012345', gender: 'male', birthYear: 1985 });
    expect(checkIdNumber('079305000001', { now })).toMatchObject({ ok: true, gender: 'female', birthYear: 2005 });
    expect(checkIdNumber('066190001234', { birthDate: '1990-03-15', gender: 'female', now }).ok).toBe(true);
    expect(checkIdNumber('066190001234', { birthDate: new Date('1990-03-15T00:00:00Z'), now }).ok).toBe(true);
  });

  it('refuses bad numbers with Vietnamese messages', () => {
    const cases: [string, string, object?][] = [
      ['06619000123', 'format'],
      ['0661900012345', 'format'],
      ['06619000123a', 'format'],
      ['', 'format'],
      ['003190001234', 'province'],
      ['000190001234', 'province'],
      ['099190001234', 'province'],
      ['066227001234', 'future_birth_year'], // 2027 > 2026
      ['066400001234', 'future_birth_year'], // 2100
      ['066190001234', 'birth_date_mismatch', { birthDate: '1991-01-01' }],
      ['066190001234', 'gender_mismatch', { gender: 'male' }],
    ];
    for (const [id, code, opts] of cases) {
      const r = checkIdNumber(id, { now, ...opts });
      expect(r, id).toMatchObject({ ok: false, code });
      if (!r.ok) expect(r.message).toMatch(/[ạ-ỹàáâãèéêìíòóôõùúýăđ]/);
    }
  });

  it('property: every number built from the rules is accepted and decodes back', () => {
    fc.assert(
      fc.property(validId, ({ id, province, year, gender }) => {
        const r = checkIdNumber(id, { birthDate: `${year}-06-01`, gender, now });
        expect(r).toMatchObject({ ok: true, value: id, provinceCode: province, birthYear: year, gender });
      }),
    );
  });

  it('property: a province code outside the list is refused', () => {
    const badProvince = fc
      .integer({ min: 0, max: 999 })
      .map((n) => String(n).padStart(3, '0'))
      .filter((c) => !ID_PROVINCES[c]);
    fc.assert(
      fc.property(badProvince, digits(9), (p, rest) => {
        expect(checkIdNumber(`${p}${rest}`, { now })).toMatchObject({ ok: false, code: 'province' });
      }),
    );
  });

  it('property: a birth date in another year is refused', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 1800, max: 2400 }), ({ id, year }, other) => {
        fc.pre(other !== year);
        expect(checkIdNumber(id, { birthDate: `${other}-01-01`, now })).toMatchObject({ ok: false, code: 'birth_date_mismatch' });
      }),
    );
  });

  it('property: birth years after now are refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...provinceCodes), fc.integer({ min: 2027, max: 2399 }), digits(6), (p, year, serial) => {
        const g = centuryGenderDigit(year, 'male');
        const id = `${p}${g}${String(year % 100).padStart(2, '0')}${serial}`;
        expect(checkIdNumber(id, { now })).toMatchObject({ ok: false, code: 'future_birth_year' });
      }),
    );
  });

  it('property: anything that is not 12 digits is refused as format', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        fc.pre(!/^\d{12}$/.test(s.replace(/\s+/g, '')));
        expect(checkIdNumber(s, { now })).toMatchObject({ ok: false, code: 'format' });
      }),
    );
  });

  it('masks all but the last four digits', () => {
    expect(maskIdNumber('066190001234')).toBe('********1234');
    expect(maskIdNumber(null)).toBeNull();
    expect(maskIdNumber('')).toBeNull();
  });
});

describe('checkTaxCode', () => {
  it('accepts real published tax codes', () => {
    // Viettel, Vinamilk, FPT (public business registrations).
    for (const c of ['0100109106', '0300588569', '0101248141']) expect(checkTaxCode(c)).toMatchObject({ ok: true, value: c, branch: null });
  });

  it('accepts branches with or without the dash and normalises to the dashed form', () => {
    expect(checkTaxCode('0100109106-001')).toEqual({ ok: true, value: '0100109106-001', base: '0100109106', branch: '001' });
    expect(checkTaxCode('0100109106001')).toEqual({ ok: true, value: '0100109106-001', base: '0100109106', branch: '001' });
    expect(checkTaxCode(' 0100109106 - 012 ')).toMatchObject({ ok: true, value: '0100109106-012' });
  });

  it('refuses wrong check digits, bad shapes and branch 000', () => {
    expect(checkTaxCode('0100109107')).toMatchObject({ ok: false, code: 'check_digit' });
    expect(checkTaxCode('0100109107-001')).toMatchObject({ ok: false, code: 'check_digit' });
    expect(checkTaxCode('010010910')).toMatchObject({ ok: false, code: 'format' });
    expect(checkTaxCode('01001091060')).toMatchObject({ ok: false, code: 'format' });
    expect(checkTaxCode('0100109106-01')).toMatchObject({ ok: false, code: 'format' });
    expect(checkTaxCode('010010910a')).toMatchObject({ ok: false, code: 'format' });
    expect(checkTaxCode('0100109106-000')).toMatchObject({ ok: false, code: 'branch' });
    const r = checkTaxCode('0100109107');
    if (!r.ok) expect(r.message).toContain('Mã số thuế');
  });

  it('refuses a base whose check would be 10', () => {
    // 000000000 → sum 0 → 10 − 0 = 10: never issued, whatever the last digit.
    expect(taxCheckDigit('000000000')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(checkTaxCode(`000000000${d}`)).toMatchObject({ ok: false, code: 'check_digit' });
  });

  it('property: base + computed check digit is valid; any other last digit is not', () => {
    fc.assert(
      fc.property(digits(9), fc.integer({ min: 0, max: 9 }), (first9, other) => {
        const check = taxCheckDigit(first9);
        fc.pre(check !== null);
        expect(checkTaxCode(`${first9}${check}`)).toMatchObject({ ok: true, value: `${first9}${check}` });
        if (other !== check) expect(checkTaxCode(`${first9}${other}`)).toMatchObject({ ok: false, code: 'check_digit' });
      }),
    );
  });

  it('property: a single changed digit in the first nine is always detected', () => {
    fc.assert(
      fc.property(digits(9), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (first9, pos, delta) => {
        const check = taxCheckDigit(first9);
        fc.pre(check !== null);
        const changed = `${first9.slice(0, pos)}${(Number(first9[pos]) + delta) % 10}${first9.slice(pos + 1)}`;
        expect(checkTaxCode(`${changed}${check}`).ok).toBe(false);
      }),
    );
  });

  it('property: branch forms normalise identically', () => {
    fc.assert(
      fc.property(digits(9), digits(3), (first9, branch) => {
        const check = taxCheckDigit(first9);
        fc.pre(check !== null && branch !== '000');
        const a = checkTaxCode(`${first9}${check}-${branch}`);
        const b = checkTaxCode(`${first9}${check}${branch}`);
        expect(a).toEqual(b);
        expect(a).toMatchObject({ ok: true, value: `${first9}${check}-${branch}` });
      }),
    );
  });
});
