/**
 * The application form in the browser, as the wizard and the counter use it: conditions, the checks
 * that mirror the server (same wording), the conversion between inputs and stored values, and how
 * stored values read.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import vi from '../i18n/vi.json';
import {
  checkFields,
  conditionMet,
  displayValue,
  type FormField,
  fromServer,
  initialInput,
  isRequired,
  parseNumber,
  toServer,
  undeclaredKeys,
} from './values';

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

// A counter form with every type of field.
const counter: FormField[] = [
  f('ho_ten', 'text', true, { maxLength: 10 }),
  f('so_dinh_danh', 'id_number', true),
  f('so_dien_thoai', 'phone', true),
  f('email', 'email', false),
  f('ngay_sinh', 'date', true),
  f('gioi_tinh', 'select', true, {
    options: [
      { value: 'nam', label: 'Nam' },
      { value: 'nu', label: 'Nữ' },
    ],
  }),
  f('so_tang', 'number', false, { min: 1, max: 50 }),
  f('dia_chi_don_vi', 'unit', true),
  f('tinh_trang', 'select', false, {
    options: [
      { value: 'chua_ket_hon', label: 'Chưa kết hôn' },
      { value: 'da_ly_hon', label: 'Đã ly hôn' },
    ],
  }),
  f('so_ban_an', 'text', false, { requiredIf: { field: 'tinh_trang', equals: 'da_ly_hon' } }),
  f('cam_doan', 'checkbox', true),
  f('ma', 'text', false, { pattern: '^[A-Z]{2}[0-9]+$' }),
];

const valid = {
  ...initialInput(counter),
  ho_ten: 'Lê Thị B',
  so_dinh_danh: '066190000123',
  so_dien_thoai: '0912 345 678',
  ngay_sinh: '1990-02-28',
  gioi_tinh: 'nu',
  dia_chi_don_vi: '24121',
  cam_doan: true,
};

/** The counter's check: the whole form as typed, every required field asked for. */
const checkCounter = (input: Record<string, string | boolean>) => checkFields(counter, toServer(counter, input), true, t);

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

  it('applies at the counter only when the other field has the given value', () => {
    const ban = counter.find((x) => x.key === 'so_ban_an') as FormField;
    expect(isRequired(ban, toServer(counter, { ...valid, tinh_trang: 'chua_ket_hon' }))).toBe(false);
    expect(isRequired(ban, toServer(counter, { ...valid, tinh_trang: 'da_ly_hon' }))).toBe(true);
    expect(checkCounter({ ...valid, tinh_trang: 'da_ly_hon' })['form.so_ban_an']).toBe('Vui lòng nhập "so_ban_an"');
    const flag = f('ly_do', 'text', false, { requiredIf: { field: 'cam_doan', equals: true } });
    expect(isRequired(flag, { cam_doan: true })).toBe(true);
    expect(isRequired(flag, { cam_doan: false })).toBe(false);
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

  it('starts a counter form empty: text fields blank, checkboxes unticked', () => {
    expect(initialInput(counter.slice(9, 11))).toEqual({ so_ban_an: '', cam_doan: false });
  });

  it('accepts a correctly filled counter form', () => {
    expect(checkCounter(valid)).toEqual({});
  });

  it('reports every required field left blank, and an unticked required checkbox', () => {
    const p = checkCounter(initialInput(counter));
    expect(Object.keys(p).sort()).toEqual([
      'form.cam_doan',
      'form.dia_chi_don_vi',
      'form.gioi_tinh',
      'form.ho_ten',
      'form.ngay_sinh',
      'form.so_dien_thoai',
      'form.so_dinh_danh',
    ]);
    expect(p['form.cam_doan']).toBe('Vui lòng chọn "cam_doan"');
    expect(p['form.ho_ten']).toBe('Vui lòng nhập "ho_ten"');
  });

  it('checks the type of each value typed at the counter', () => {
    const p = checkCounter({
      ...valid,
      ho_ten: 'Nguyễn Văn Anh Tuấn',
      so_dinh_danh: '12345',
      so_dien_thoai: '12345',
      email: 'khong-phai-email',
      ngay_sinh: '2025-02-30',
      gioi_tinh: 'khac',
      so_tang: '60',
      dia_chi_don_vi: 'BMT',
      ma: 'ab12',
    });
    expect(p).toEqual({
      'form.ho_ten': 'Không quá 10 ký tự',
      'form.so_dinh_danh': 'Số định danh cá nhân gồm đúng 12 chữ số',
      'form.so_dien_thoai': 'Số điện thoại không hợp lệ (ví dụ 0912345678)',
      'form.email': 'Địa chỉ thư điện tử không hợp lệ',
      'form.ngay_sinh': 'Ngày không hợp lệ',
      'form.gioi_tinh': 'Giá trị không nằm trong danh sách lựa chọn',
      'form.so_tang': 'Không được lớn hơn 50',
      'form.dia_chi_don_vi': 'Mã đơn vị hành chính không hợp lệ',
      'form.ma': 'Giá trị không đúng định dạng',
    });
    expect(checkCounter({ ...valid, so_tang: 'abc' })['form.so_tang']).toBe('Phải là một số');
    expect(checkCounter({ ...valid, so_tang: '0' })['form.so_tang']).toBe('Không được nhỏ hơn 1');
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

  it('builds the counter body: known fields, text trimmed, numbers and phone numbers converted, blanks left out', () => {
    expect(toServer(counter, { ...valid, ho_ten: '  Lê Thị B ', so_tang: '3', email: '  ', extra: 'x' })).toEqual({
      ho_ten: 'Lê Thị B',
      so_dinh_danh: '066190000123',
      so_dien_thoai: '0912345678',
      ngay_sinh: '1990-02-28',
      gioi_tinh: 'nu',
      so_tang: 3,
      dia_chi_don_vi: '24121',
      cam_doan: true,
    });
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
});

describe('stored values as they read on the review and dossier pages', () => {
  it('shows stored values in words', () => {
    const sel = f('gt', 'select', true, { options: [{ value: 'nu', label: 'Nữ' }] });
    expect(displayValue(sel, 'nu', t)).toBe('Nữ');
    expect(displayValue(f('d', 'date'), '2025-07-01', t)).toBe('01/07/2025');
    expect(displayValue(f('c', 'checkbox'), true, t)).toBe('Có');
    expect(displayValue(f('n', 'number'), 1500000, t)).toBe('1.500.000');
    expect(displayValue(f('x', 'text'), null, t)).toBe('');
  });

  it('shows option labels, Vietnamese dates, yes/no and commune names', () => {
    const unitName = (c: string) => (c === '24121' ? 'Phường Buôn Ma Thuột' : undefined);
    const by = (k: string) => counter.find((x) => x.key === k);
    expect(displayValue(by('gioi_tinh'), 'nu', t, unitName)).toBe('Nữ');
    expect(displayValue(by('ngay_sinh'), '1990-02-28', t, unitName)).toBe('28/02/1990');
    expect(displayValue(by('cam_doan'), true, t, unitName)).toBe('Có');
    expect(displayValue(by('cam_doan'), 'true', t, unitName)).toBe('Có');
    expect(displayValue(by('dia_chi_don_vi'), '24121', t, unitName)).toBe('Phường Buôn Ma Thuột (24121)');
    expect(displayValue(by('dia_chi_don_vi'), '99999', t, unitName)).toBe('99999');
    expect(displayValue(undefined, 12, t)).toBe('12');
    expect(displayValue(undefined, false, t)).toBe('Không');
    expect(displayValue(by('email'), null, t)).toBe('');
  });

  it('lists stored keys the form does not declare', () => {
    expect(undeclaredKeys(counter, { ho_ten: 'A', cu: 'x' })).toEqual(['cu']);
  });
});
