/**
 * The procedure editor's conversions and checks: legal time in days or hours → working hours,
 * rows → API lists (new components get their key from the server), JSON form schema checks, and
 * server field paths pinned on the inputs that edit them.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Procedure } from '../catalog/catalog';
import vi from '../i18n/vi.json';
import {
  blankComponent,
  blankFee,
  formSchemaProblems,
  inputFieldOf,
  parseVnd,
  toHours,
  toInput,
  toValues,
  validateProcedure,
} from './procedureValues';

let t: TFunction;
beforeAll(async () => {
  const i = i18next.createInstance();
  await i.init({ lng: 'vi', resources: { vi: { translation: vi } }, interpolation: { escapeValue: false }, showSupportNotice: false });
  t = i.t;
});

const AGENCY = '0b7c8f7e-2f5a-4a51-9a57-0c1f1f1f1f1f';

const birth: Procedure = {
  id: '5f0c1c1e-1111-4c4c-8888-000000000001',
  code: '1.001193.000.00.00.H66',
  name: 'Thủ tục đăng ký khai sinh',
  field: 'Hộ tịch',
  level: 'commune',
  onlineLevel: 'toan_trinh',
  processingHours: 8,
  processingDays: 1,
  feeTotalVnd: 8000,
  agencies: [{ id: AGENCY, code: 'H66.01', name: 'UBND xã Ea Kar' }],
  version: 3,
  status: 'active',
  processingNote: 'Ngay trong ngày tiếp nhận',
  fees: [
    { name: 'Lệ phí đúng hạn', amountVnd: 0, note: 'Miễn' },
    { name: 'Lệ phí quá hạn', amountVnd: 8000, note: null },
  ],
  exemptions: null,
  components: [
    {
      key: 'tp1',
      name: 'Tờ khai đăng ký khai sinh',
      original: true,
      copies: 1,
      required: true,
      condition: null,
      templateFileId: null,
      fromEdataStore: false,
      documentType: null,
    },
    {
      key: 'tp2',
      name: 'Văn bản ủy quyền',
      original: null,
      copies: null,
      required: false,
      condition: 'Trường hợp ủy quyền',
      templateFileId: null,
      fromEdataStore: false,
      documentType: null,
    },
  ],
  form: { fields: [{ key: 'ho_ten', label: 'Họ và tên', type: 'text', required: true }] },
  legalBasis: ['Luật Hộ tịch 60/2014/QH13', 'Nghị định 123/2015/NĐ-CP'],
  resultType: 'Giấy khai sinh',
  resultDelivery: ['online', 'counter'],
  implementingAgencyNote: null,
  publishedAt: '2025-07-01T02:00:00Z',
  publishedBy: 'Quản trị hệ thống',
  versions: [],
};

describe('legal time', () => {
  it('is sent in working hours, 8 to a day', () => {
    expect(toHours('3', 'days')).toBe(24);
    expect(toHours('0,5', 'days')).toBe(4);
    expect(toHours('4', 'hours')).toBe(4);
    expect(toHours('', 'days')).toBeNull();
    expect(toHours('abc', 'days')).toBeNaN();
  });

  it('is shown in days when it is a whole number of days, in hours otherwise', () => {
    expect(toValues(birth)).toMatchObject({ timeValue: '1', timeUnit: 'days' });
    expect(toValues({ ...birth, processingHours: 12 })).toMatchObject({ timeValue: '12', timeUnit: 'hours' });
    expect(toValues({ ...birth, processingHours: null })).toMatchObject({ timeValue: '', timeUnit: 'days' });
  });
});

describe('amounts', () => {
  it('accepts đồng typed with dots or spaces', () => {
    expect(parseVnd('50.000')).toBe(50000);
    expect(parseVnd('50 000 đ')).toBe(50000);
    expect(parseVnd('0')).toBe(0);
    expect(parseVnd('')).toBeNull();
    expect(parseVnd('năm mươi')).toBeNaN();
  });
});

describe('values ↔ API input', () => {
  it('round-trips a published procedure and names the version it was edited from', () => {
    const input = toInput(toValues(birth), birth.version);
    expect(input).toMatchObject({
      code: birth.code,
      name: birth.name,
      agencies: [{ id: AGENCY }],
      processingHours: 8,
      fees: birth.fees,
      legalBasis: birth.legalBasis,
      resultDelivery: ['online', 'counter'],
      form: birth.form,
      baseVersion: 3,
    });
    expect(input.components).toEqual(birth.components);
  });

  it('sends new component rows without a key (the server assigns one) and keeps the order', () => {
    const v = toValues(birth);
    const added = { ...blankComponent(), name: 'Giấy chứng sinh', original: 'copy' as const, copies: '2' };
    v.components = [added, ...v.components];
    const input = toInput(v);
    expect(input.components?.map((c) => c.key)).toEqual([undefined, 'tp1', 'tp2']);
    expect(input.components?.[0]).toMatchObject({ name: 'Giấy chứng sinh', original: false, copies: 2, required: true });
    expect(input).not.toHaveProperty('baseVersion');
  });

  it('leaves the form out when its box is empty (the server uses the general form)', () => {
    expect(toInput({ ...toValues(birth), form: '  ' })).not.toHaveProperty('form');
  });

  it('turns one legal document per line into a list, skipping blank lines', () => {
    expect(toInput({ ...toValues(birth), legalBasis: 'Luật A\n\n  Nghị định B  \r\n' }).legalBasis).toEqual(['Luật A', 'Nghị định B']);
  });
});

describe('client-side checks', () => {
  it('accepts a valid procedure', () => {
    expect(validateProcedure(toValues(birth), t)).toEqual({});
  });

  it('requires the main fields and at least one agency for a new procedure', () => {
    const e = validateProcedure(toValues(), t);
    expect(Object.keys(e).sort()).toEqual(['agencyIds', 'code', 'field', 'level', 'name', 'onlineLevel']);
    expect(e.name).toBe('Trường này là bắt buộc');
  });

  it('wants the full national code', () => {
    expect(validateProcedure({ ...toValues(birth), code: '1.001193' }, t).code).toMatch(/1\.001193\.000\.00\.00\.H66/);
  });

  it('checks time, amounts, copies and rows by position', () => {
    const v = toValues(birth);
    v.timeValue = '0,3';
    v.fees = [...v.fees, { ...blankFee(), amountVnd: '12,5k' }];
    v.components = [
      { ...v.components[0]!, copies: '0' },
      { ...v.components[1]!, name: ' ' },
    ];
    const e = validateProcedure(v, t);
    expect(e.timeValue).toBeDefined();
    expect(e['fees.2.name']).toBe('Trường này là bắt buộc');
    expect(e['fees.2.amountVnd']).toBeDefined();
    expect(e['components.0.copies']).toBeDefined();
    expect(e['components.1.name']).toBe('Trường này là bắt buộc');
    expect(validateProcedure({ ...toValues(birth), timeValue: '3', timeUnit: 'hours' }, t).timeValue).toBeUndefined();
  });

  it('requires a fully online service to deliver online or by post', () => {
    expect(validateProcedure({ ...toValues(birth), resultDelivery: ['counter'] }, t).resultDelivery).toBeDefined();
    expect(
      validateProcedure({ ...toValues(birth), onlineLevel: 'mot_phan', resultDelivery: ['counter'] }, t).resultDelivery,
    ).toBeUndefined();
  });

  it('refuses semicolons in legal basis lines', () => {
    expect(validateProcedure({ ...toValues(birth), legalBasis: 'Luật A; Luật B' }, t).legalBasis).toBeDefined();
  });
});

describe('form schema (JSON)', () => {
  it('accepts a valid schema and an empty box', () => {
    expect(formSchemaProblems(JSON.stringify(birth.form), t)).toEqual([]);
    expect(formSchemaProblems('', t)).toEqual([]);
  });

  it('reports broken JSON and a missing field list', () => {
    expect(formSchemaProblems('{"fields": [', t)[0]).toMatch(/^Không đọc được JSON/);
    expect(formSchemaProblems('[]', t)).toHaveLength(1);
  });

  it('reports each bad field by its number', () => {
    const problems = formSchemaProblems(
      JSON.stringify({
        fields: [
          { key: 'HoTen', label: '', type: 'text', required: true },
          { key: 'gioi_tinh', label: 'Giới tính', type: 'select', required: 'yes' },
          { key: 'gioi_tinh', label: 'Lặp', type: 'colour', required: false },
          { key: 'ly_do', label: 'Lý do', type: 'text', requiredIf: { field: 'khong_co', equals: 'x' } },
        ],
      }),
      t,
    );
    expect(problems.some((p) => p.startsWith('Trường 1: key'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Trường 1: thiếu label'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Trường 2: required'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Trường 2: trường select'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Trường 3: key “gioi_tinh” bị trùng'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Trường 3: type'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Trường 4: requiredIf'))).toBe(true);
  });
});

describe('server field errors', () => {
  it('land on the inputs that edit them', () => {
    expect(inputFieldOf('body/components/0/name')).toBe('components.0.name');
    expect(inputFieldOf('body/components/1/key')).toBe('components.1.name');
    expect(inputFieldOf('body/fees/2/amountVnd')).toBe('fees.2.amountVnd');
    expect(inputFieldOf('body/form/fields/0/type')).toBe('form');
    expect(inputFieldOf('body/processingHours')).toBe('timeValue');
    expect(inputFieldOf('body/agencies/0')).toBe('agencyIds');
    expect(inputFieldOf('body/legalBasis/3')).toBe('legalBasis');
    expect(inputFieldOf('body/name')).toBe('name');
  });
});
