import { describe, expect, it } from 'vitest';
import type { FormField } from '../../server/modules/catalog/catalog.schemas';
import { checkInput, displayValue, initialInput, isRequired, toFormValues, undeclaredKeys } from './formValues';
import { afterFailure, freshKey, keyForSend, uuid } from './idempotency';

const f = (key: string, type: FormField['type'], required: boolean, extra: Partial<FormField> = {}): FormField => ({
  key,
  label: key,
  type,
  required,
  ...extra,
});

const fields: FormField[] = [
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
  ...initialInput(fields),
  ho_ten: 'Lê Thị B',
  so_dinh_danh: '066190000123',
  so_dien_thoai: '0912 345 678',
  ngay_sinh: '1990-02-28',
  gioi_tinh: 'nu',
  dia_chi_don_vi: '24121',
  cam_doan: true,
};

describe('counter form checks (mirror of the server rules)', () => {
  it('starts empty: text fields blank, checkboxes unticked', () => {
    expect(initialInput(fields.slice(9, 11))).toEqual({ so_ban_an: '', cam_doan: false });
  });

  it('accepts a correctly filled form', () => {
    expect(checkInput(fields, valid)).toEqual({});
  });

  it('reports every required field left blank, and an unticked required checkbox', () => {
    const p = checkInput(fields, initialInput(fields));
    expect(Object.keys(p).sort()).toEqual([
      'cam_doan',
      'dia_chi_don_vi',
      'gioi_tinh',
      'ho_ten',
      'ngay_sinh',
      'so_dien_thoai',
      'so_dinh_danh',
    ]);
    expect(p.cam_doan).toEqual({ code: 'checkboxRequired' });
    expect(p.ho_ten).toEqual({ code: 'required' });
  });

  it('checks the type of each filled value', () => {
    const p = checkInput(fields, {
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
      ho_ten: { code: 'maxLength', params: { count: 10 } },
      so_dinh_danh: { code: 'idNumber' },
      so_dien_thoai: { code: 'phone' },
      email: { code: 'email' },
      ngay_sinh: { code: 'date' },
      gioi_tinh: { code: 'select' },
      so_tang: { code: 'max', params: { max: 50 } },
      dia_chi_don_vi: { code: 'unit' },
      ma: { code: 'pattern' },
    });
    expect(checkInput(fields, { ...valid, so_tang: 'abc' }).so_tang).toEqual({ code: 'number' });
    expect(checkInput(fields, { ...valid, so_tang: '0' }).so_tang).toEqual({ code: 'min', params: { min: 1 } });
  });

  it('applies requiredIf only when the other field has the given value', () => {
    const ban = fields.find((x) => x.key === 'so_ban_an') as FormField;
    expect(isRequired(ban, { ...valid, tinh_trang: 'chua_ket_hon' })).toBe(false);
    expect(isRequired(ban, { ...valid, tinh_trang: 'da_ly_hon' })).toBe(true);
    expect(checkInput(fields, { ...valid, tinh_trang: 'da_ly_hon' }).so_ban_an).toEqual({ code: 'required' });
    const flag = f('ly_do', 'text', false, { requiredIf: { field: 'cam_doan', equals: true } });
    expect(isRequired(flag, { cam_doan: true })).toBe(true);
    expect(isRequired(flag, { cam_doan: false })).toBe(false);
  });
});

describe('form body for the API', () => {
  it('keeps known fields, trims text, converts numbers and phone numbers, leaves blanks out', () => {
    expect(toFormValues(fields, { ...valid, ho_ten: '  Lê Thị B ', so_tang: '3', email: '  ', extra: 'x' })).toEqual({
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
});

describe('stored values as they read on the dossier page', () => {
  const words = { yes: 'Có', no: 'Không', unitName: (c: string) => (c === '24121' ? 'Phường Buôn Ma Thuột' : undefined) };
  const by = (k: string) => fields.find((x) => x.key === k);
  it('shows option labels, Vietnamese dates, yes/no and commune names', () => {
    expect(displayValue(by('gioi_tinh'), 'nu', words)).toBe('Nữ');
    expect(displayValue(by('ngay_sinh'), '1990-02-28', words)).toBe('28/02/1990');
    expect(displayValue(by('cam_doan'), true, words)).toBe('Có');
    expect(displayValue(by('dia_chi_don_vi'), '24121', words)).toBe('Phường Buôn Ma Thuột (24121)');
    expect(displayValue(by('dia_chi_don_vi'), '99999', words)).toBe('99999');
    expect(displayValue(undefined, 12, words)).toBe('12');
    expect(displayValue(by('email'), null, words)).toBe('');
  });

  it('lists stored keys the form does not declare', () => {
    expect(undeclaredKeys(fields, { ho_ten: 'A', cu: 'x' })).toEqual(['cu']);
  });
});

describe('Idempotency-Key of the counter form', () => {
  let n = 0;
  const next = () => `key-${++n}`;

  it('a double click or a retry of the same content reuses the key', () => {
    const s0 = freshKey(next);
    const s1 = keyForSend(s0, '{"a":1}', next);
    const s2 = keyForSend(s1, '{"a":1}', next);
    expect(s1.key).toBe(s0.key);
    expect(s2.key).toBe(s0.key);
    // Network failure: the first attempt may have landed, so the retry keeps the key.
    expect(afterFailure(s2, 0, next).key).toBe(s0.key);
    expect(afterFailure(s2, 503, next).key).toBe(s0.key);
    expect(afterFailure(s2, 409, next).key).toBe(s0.key);
  });

  it('a definite refusal (422) or different content after an unknown outcome gets a new key', () => {
    const s = keyForSend(freshKey(next), '{"a":1}', next);
    const refused = afterFailure(s, 422, next);
    expect(refused.key).not.toBe(s.key);
    expect(refused.sentBody).toBeNull();
    expect(keyForSend(s, '{"a":2}', next).key).not.toBe(s.key);
  });

  it('makes RFC 4122 v4 UUIDs the server accepts as keys', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
