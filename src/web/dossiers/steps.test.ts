/**
 * The wizard's steps and form pages, where a server error belongs, and the submission's Idempotency-Key.
 */
import { describe, expect, it } from 'vitest';
import { buildSteps, errorsByStep, inputId, missingComponents, splitFields, stepOfError, submitKey } from './steps';
import type { Component, FormField } from './types';

const field = (key: string): FormField => ({ key, label: key, type: 'text', required: true });
const component = (key: string, required = true): Component => ({
  key,
  name: `Giấy ${key}`,
  original: null,
  copies: null,
  required,
  condition: null,
  templateFileId: null,
  fromEdataStore: false,
  documentType: null,
});
const agency = (n: number) => ({ id: `a${n}`, code: `H66.${n}`, name: `UBND ${n}` });

// A commune-level procedure: many agencies, 6 fields (2 pages), 2 components.
const commune = {
  agencies: [agency(1), agency(2)],
  components: [component('tk'), component('uq', false)],
  form: { fields: ['a', 'b', 'c', 'd', 'e', 'g'].map(field) },
};

describe('steps', () => {
  it('has the agency step only when several agencies handle the procedure', () => {
    expect(buildSteps(commune).map((s) => s.key)).toEqual(['agency', 'form-1', 'form-2', 'files', 'delivery', 'review']);
    const single = { ...commune, agencies: [agency(1)], components: [] };
    expect(buildSteps(single).map((s) => s.key)).toEqual(['form-1', 'form-2', 'delivery', 'review']);
    expect(buildSteps(commune)[2]?.page).toEqual({ n: 2, of: 2 });
  });
});

describe('server errors → steps', () => {
  const steps = buildSteps(commune);

  it('sends each field error to the step that shows the field', () => {
    expect(stepOfError('form.a', steps)).toBe('form-1');
    expect(stepOfError('form.e', steps)).toBe('form-2');
    expect(stepOfError('files.tk', steps)).toBe('files');
    expect(stepOfError('agencyId', steps)).toBe('agency');
    expect(stepOfError('notifyTo', steps)).toBe('delivery');
    // Unknown field or a problem about the dossier as a whole: the review page shows it.
    expect(stepOfError('form.unknown', steps)).toBe('review');
    expect(stepOfError('version', steps)).toBe('review');
  });

  it('groups the 422 errors by step, keyed like the inputs, first step first', () => {
    const grouped = errorsByStep(
      [
        { field: 'files/tk', message: 'Thiếu tờ khai' },
        { field: 'form/e', message: 'Vui lòng nhập "e"' },
        { field: 'body/form/e', message: 'lặp lại' },
        { field: '/agencyId', message: 'Chọn cơ quan' },
        { field: 'resultDelivery', message: 'Không hỗ trợ' },
      ],
      steps,
    );
    expect(grouped.first).toBe('agency');
    expect(grouped.byStep).toEqual({
      agency: { agencyId: 'Chọn cơ quan' },
      'form-2': { 'form.e': 'Vui lòng nhập "e"' },
      files: { 'files.tk': 'Thiếu tờ khai' },
      delivery: { resultDelivery: 'Không hỗ trợ' },
    });
    expect(errorsByStep([], steps)).toEqual({ byStep: {}, first: null });
  });

  it('links each error key to its control', () => {
    expect(inputId('form.ho_ten')).toBe('dossier-f-ho_ten');
    expect(inputId('files.tk')).toBe('dossier-c-tk');
    expect(inputId('notifyTo')).toBe('dossier-notify-to');
    expect(inputId('version')).toBeUndefined();
  });
});

describe('attachments', () => {
  it('lists the required components without a file', () => {
    expect(missingComponents(commune.components, [])).toEqual(['tk']);
    expect(missingComponents(commune.components, [{ componentKey: 'tk' }])).toEqual([]);
  });
});

describe('Idempotency-Key of a submission', () => {
  it('is the same for a repeated submission of the same draft version and changes with the version', () => {
    const store = new Map<string, string>();
    const s = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const k1 = submitKey('d1', 3, s);
    expect(submitKey('d1', 3, s)).toBe(k1);
    expect(k1).toMatch(/^[0-9a-f-]{36}\.v3$/);
    expect(k1).toMatch(/^[\w.:-]{8,200}$/); // the server's rule
    expect(submitKey('d1', 4, s)).toBe(k1.replace(/v3$/, 'v4'));
    expect(submitKey('d2', 3, s)).not.toBe(k1);
  });
});

const f = (key: string, type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({
  key,
  label: key,
  type,
  required: false,
  ...extra,
});

// The marriage form of the catalogue: the court decision is required only after a divorce.
const marriage: FormField[] = [
  f('tinh_trang', 'select', {
    required: true,
    options: [
      { value: 'chua_ket_hon', label: 'Chưa kết hôn' },
      { value: 'da_ly_hon', label: 'Đã ly hôn' },
    ],
  }),
  f('so_ban_an', 'text', { requiredIf: { field: 'tinh_trang', equals: 'da_ly_hon' } }),
];

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
    const fields = [f('a', 'text'), f('b', 'text'), f('c', 'text'), ...marriage, f('z', 'text'), f('y', 'text')];
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
