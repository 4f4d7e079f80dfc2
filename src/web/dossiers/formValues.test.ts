/**
 * The application form in the browser: conditions, the checks that mirror the server, the conversion
 * between inputs and stored values, pre-filling, and pages of a few fields.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import vi from '../i18n/vi.json';
import { checkFields, conditionMet, displayValue, fromServer, isRequired, parseNumber, prefill, splitFields, toServer } from './formValues';
import type { FormField } from './types';

let t: TFunction;

beforeAll(async () => {
  const i = i18next.createInstance();
  await i.init({ lng: 'vi', resources: { vi: { translation: vi } }, interpolation: { escapeValue: false }, showSupportNotice: false });
  t = i.getFixedT('vi');
});

const f = (key: string, type: FormField['type'], required = false, extra: Partial<FormField> = {}): FormField => ({
  key,
  label: key,
  type,
  required,
  ...extra,
});

// The marriage form of the catalogue: the court decision is required only after a divorce.
const marriage: FormField[] = [
  f('ho_ten', 'text', true, { maxLength: 100 }),
  f('tinh_trang', 'select', true, {
    options: [
      { value: 'chua_ket_hon', label: 'Chưa kết hôn' },
      { value: 'da_ly_hon', label: 'Đã ly hôn' },
    ],
  }),
  f('so_ban_an', 'text', false, { requiredIf: { field: 'tinh_trang', equals: 'da_ly_hon' } }),
];

describe('requiredIf', () => {
  it('holds only when the other field has exactly the given value', () => {
    const field = marriage[2] as FormField;
    expect(conditionMet(field, { tinh_trang: 'da_ly_hon' })).toBe(true);
    expect(isRequired(field, { tinh_trang: 'da_ly_hon' })).toBe(true);
    expect(isRequired(field, { tinh_trang: 'chua_ket_hon' })).toBe(false);
    expect(isRequired(field, {})).toBe(false);
    // Strict equality, as on the server: a number condition is not met by its text.
    const n = f('x', 'text', false, { requiredIf: { field: 'so', equals: 2 } });
    expect(isRequired(n, { so: 2 })).toBe(true);
    expect(isRequired(n, { so: '2' })).toBe(false);
    const c = f('y', 'text', false, { requiredIf: { field: 'co', equals: true } });
    expect(isRequired(c, { co: true })).toBe(true);
    expect(isRequired(c, { co: false })).toBe(false);
  });

  it('makes the field required at submission, with the field named in the message', () => {
    expect(checkFields(marriage, { ho_ten: 'A', tinh_trang: 'da_ly_hon' }, true, t)).toEqual({
      'form.so_ban_an': 'Vui lòng nhập "so_ban_an"',
    });
    expect(checkFields(marriage, { ho_ten: 'A', tinh_trang: 'chua_ket_hon' }, true, t)).toEqual({});
  });
});

describe('value checks (same rules as the server)', () => {
  it('asks for every required field when complete, and only checks what was typed for a draft', () => {
    expect(checkFields(marriage, {}, true, t)).toEqual({
      'form.ho_ten': 'Vui lòng nhập "ho_ten"',
      'form.tinh_trang': 'Vui lòng chọn "tinh_trang"',
    });
    expect(checkFields(marriage, {}, false, t)).toEqual({});
    expect(checkFields(marriage, { tinh_trang: 'khac' }, false, t)).toEqual({
      'form.tinh_trang': 'Giá trị không nằm trong danh sách lựa chọn',
    });
  });

  it('checks each type', () => {
    const fields = [
      f('cccd', 'id_number'),
      f('dt', 'phone'),
      f('mail', 'email'),
      f('ngay', 'date'),
      f('so', 'number', false, { min: 1, max: 50 }),
      f('xa', 'unit'),
      f('ma', 'text', false, { pattern: '^[A-Z]{2}\\d+$', minLength: 3 }),
      f('dong_y', 'checkbox', true),
    ];
    const bad = checkFields(
      fields,
      { cccd: '12345', dt: '12345', mail: 'a@b', ngay: '2025-02-30', so: 51, xa: 'abc', ma: 'ab1', dong_y: false },
      true,
      t,
    );
    expect(bad).toEqual({
      'form.cccd': 'Số định danh cá nhân gồm đúng 12 chữ số',
      'form.dt': 'Số điện thoại không hợp lệ (ví dụ 0912345678)',
      'form.mail': 'Địa chỉ thư điện tử không hợp lệ',
      'form.ngay': 'Ngày không hợp lệ',
      'form.so': 'Không được lớn hơn 50',
      'form.xa': 'Mã đơn vị hành chính không hợp lệ',
      'form.ma': 'Giá trị không đúng định dạng',
      'form.dong_y': 'Vui lòng chọn "dong_y"',
    });
    const good = checkFields(
      fields,
      { cccd: '066123456789', dt: '0912 345.678', mail: 'a@b.vn', ngay: '2024-02-29', so: 1, xa: '66001', ma: 'AB12', dong_y: true },
      true,
      t,
    );
    expect(good).toEqual({});
    expect(checkFields([f('so', 'number')], { so: 'mười' }, false, t)).toEqual({ 'form.so': 'Phải là một số' });
    expect(checkFields([f('ten', 'text', false, { maxLength: 3 })], { ten: 'abcd' }, false, t)).toEqual({
      'form.ten': 'Không quá 3 ký tự',
    });
  });
});

describe('inputs ↔ stored values', () => {
  const fields = [f('ten', 'text'), f('so', 'number'), f('dt', 'phone'), f('co', 'checkbox'), f('ghi_chu', 'textarea')];

  it('leaves blanks out, reads Vietnamese numbers, strips phone spacing, keeps only known keys', () => {
    expect(toServer(fields, { ten: '  Hồng ', so: '1.000.000', dt: '0905 123 456', co: false, ghi_chu: '  ', la: 'x' })).toEqual({
      ten: 'Hồng',
      so: 1000000,
      dt: '0905123456',
      co: false,
    });
    expect(toServer(fields, { so: '2,5' })).toEqual({ so: 2.5 });
    // Not a number: kept as typed so the check can say so.
    expect(toServer(fields, { so: '12a' })).toEqual({ so: '12a' });
  });

  it('reads numbers as people write them', () => {
    expect(parseNumber('1.000')).toBe(1000);
    expect(parseNumber('2.5')).toBe(2.5);
    expect(parseNumber('0,5')).toBe(0.5);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('1.2.3')).toBeNaN();
  });

  it('turns stored values back into inputs', () => {
    expect(fromServer(fields, { ten: 'Hồng', so: 12, co: true })).toEqual({ ten: 'Hồng', so: '12', co: true });
    expect(fromServer(fields, {})).toEqual({ co: false });
  });

  it('shows stored values in words', () => {
    const sel = f('gt', 'select', true, { options: [{ value: 'nu', label: 'Nữ' }] });
    expect(displayValue(sel, 'nu', t)).toBe('Nữ');
    expect(displayValue(f('d', 'date'), '2025-07-01', t)).toBe('01/07/2025');
    expect(displayValue(f('c', 'checkbox'), true, t)).toBe('Có');
    expect(displayValue(f('n', 'number'), 1500000, t)).toBe('1.500.000');
    expect(displayValue(f('x', 'text'), null, t)).toBe('');
  });
});

describe('pre-filling from the account', () => {
  it('fills the applicant name and the first email and phone fields when empty', () => {
    const fields = [f('ho_ten', 'text'), f('so_dien_thoai', 'phone'), f('email', 'email'), f('email_ben_kia', 'email')];
    expect(prefill(fields, {}, { name: 'Nguyễn Thị Hồng', email: 'h@example.vn', phone: null })).toEqual({
      ho_ten: 'Nguyễn Thị Hồng',
      email: 'h@example.vn',
    });
    expect(prefill(fields, { ho_ten: 'Khác' }, { name: 'Nguyễn Thị Hồng' })).toEqual({ ho_ten: 'Khác' });
    expect(prefill([f('ten', 'text')], {}, { name: 'A' })).toEqual({});
  });
});

describe('pages of a few fields', () => {
  const many = (n: number, type: FormField['type'] = 'text') => Array.from({ length: n }, (_, i) => f(`f${i}`, type));
  const keys = (pages: FormField[][]) => pages.map((p) => p.map((x) => x.key));

  it('cuts the form into pages of at most four fields, in order', () => {
    expect(keys(splitFields(many(11)))).toEqual([
      ['f0', 'f1', 'f2', 'f3'],
      ['f4', 'f5', 'f6', 'f7'],
      ['f8', 'f9', 'f10'],
    ]);
    expect(splitFields([])).toEqual([]);
  });

  it('counts a textarea as two fields', () => {
    const fields = [f('a', 'text'), f('b', 'textarea'), f('c', 'textarea'), f('d', 'text'), f('e', 'text')];
    expect(keys(splitFields(fields))).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('keeps a conditional field on the page of the field it depends on', () => {
    const fields = [f('a', 'text'), f('b', 'text'), f('c', 'text'), ...marriage.slice(1), f('z', 'text'), f('y', 'text')];
    expect(keys(splitFields(fields))).toEqual([
      ['a', 'b', 'c', 'tinh_trang', 'so_ban_an'],
      ['z', 'y'],
    ]);
  });

  it('joins a lone last field to the page before', () => {
    expect(keys(splitFields(many(5)))).toEqual([['f0', 'f1', 'f2', 'f3', 'f4']]);
    expect(keys(splitFields([...many(4), f('t', 'textarea')]))).toEqual([['f0', 'f1', 'f2', 'f3'], ['t']]);
  });
});
