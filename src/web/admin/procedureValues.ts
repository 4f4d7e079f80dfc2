/**
 * The procedure editor's form state and its two conversions: a published procedure → editable
 * values (legal time split into a number and a unit, lists as rows, the form schema as JSON text)
 * and values → the API input (time in working hours, 8 to a day). Plus the client-side checks,
 * which mirror the server's rules so the same mistakes get the same words on either side.
 */
import type { TFunction } from 'i18next';
import {
  type Delivery,
  type FormSchema,
  formFieldTypes,
  type OnlineLevel,
  type Procedure,
  type ProcedureInput,
  type ProcedureLevel,
} from '../catalog/catalog';
import type { Errors } from '../ui';

export const HOURS_PER_DAY = 8;

export interface FeeRow {
  rowId: string;
  name: string;
  amountVnd: string;
  note: string;
}

export interface ComponentRow {
  rowId: string;
  /** Stable key dossiers refer to; empty for a new row until it is saved. */
  key: string;
  name: string;
  original: '' | 'original' | 'copy';
  copies: string;
  required: boolean;
  condition: string;
  fromEdataStore: boolean;
  templateFileId: string | null;
  documentType: string | null;
}

export interface ProcedureValues extends Record<string, unknown> {
  code: string;
  name: string;
  field: string;
  level: ProcedureLevel | '';
  onlineLevel: OnlineLevel | '';
  agencyIds: string[];
  implementingAgencyNote: string;
  timeValue: string;
  timeUnit: 'days' | 'hours';
  processingNote: string;
  fees: FeeRow[];
  exemptions: string;
  components: ComponentRow[];
  /** One legal document per line. */
  legalBasis: string;
  resultType: string;
  resultDelivery: Delivery[];
  /** The form schema as JSON text. */
  form: string;
}

let rowSeq = 0;
/** React key of a row: stable while rows are added, removed and moved. */
export const newRowId = () => `r${++rowSeq}`;

export const blankFee = (): FeeRow => ({ rowId: newRowId(), name: '', amountVnd: '', note: '' });

export const blankComponent = (): ComponentRow => ({
  rowId: newRowId(),
  key: '',
  name: '',
  original: 'original',
  copies: '1',
  required: true,
  condition: '',
  fromEdataStore: false,
  templateFileId: null,
  documentType: null,
});

export function toValues(p?: Procedure): ProcedureValues {
  if (!p) {
    return {
      code: '',
      name: '',
      field: '',
      level: '',
      onlineLevel: '',
      agencyIds: [],
      implementingAgencyNote: '',
      timeValue: '',
      timeUnit: 'days',
      processingNote: '',
      fees: [],
      exemptions: '',
      components: [],
      legalBasis: '',
      resultType: '',
      resultDelivery: ['counter'],
      form: '',
    };
  }
  const hours = p.processingHours;
  const inDays = hours != null && hours % HOURS_PER_DAY === 0;
  return {
    code: p.code,
    name: p.name,
    field: p.field,
    level: p.level,
    onlineLevel: p.onlineLevel,
    agencyIds: p.agencies.map((a) => a.id),
    implementingAgencyNote: p.implementingAgencyNote ?? '',
    timeValue: hours == null ? '' : String(inDays ? hours / HOURS_PER_DAY : hours),
    timeUnit: hours == null || inDays ? 'days' : 'hours',
    processingNote: p.processingNote ?? '',
    fees: p.fees.map((f) => ({
      rowId: newRowId(),
      name: f.name,
      amountVnd: f.amountVnd == null ? '' : String(f.amountVnd),
      note: f.note ?? '',
    })),
    exemptions: p.exemptions ?? '',
    components: p.components.map((c) => ({
      rowId: newRowId(),
      key: c.key,
      name: c.name,
      original: c.original == null ? '' : c.original ? 'original' : 'copy',
      copies: c.copies == null ? '' : String(c.copies),
      required: c.required,
      condition: c.condition ?? '',
      fromEdataStore: c.fromEdataStore,
      templateFileId: c.templateFileId,
      documentType: c.documentType,
    })),
    legalBasis: p.legalBasis.join('\n'),
    resultType: p.resultType ?? '',
    resultDelivery: [...p.resultDelivery],
    form: JSON.stringify(p.form, null, 2),
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** "50.000", "50 000 đ" → 50000; empty → null. */
export function parseVnd(s: string): number | null {
  const digits = s.replace(/[.\s,_]|đ|vnđ|vnd/gi, '');
  if (digits === '') return null;
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
}

/** Working time in hours (the API's unit) from what was typed and the chosen unit. */
export function toHours(value: string, unit: 'days' | 'hours'): number | null {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) return Number.NaN;
  return unit === 'days' ? Math.round(n * HOURS_PER_DAY * 100) / 100 : n;
}

/** The API input; `baseVersion` lets the server refuse (409) a save over someone else's newer version. */
export function toInput(v: ProcedureValues, baseVersion?: number): ProcedureInput {
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    field: v.field.trim(),
    level: v.level as ProcedureLevel,
    onlineLevel: v.onlineLevel as OnlineLevel,
    agencies: v.agencyIds.map((id) => ({ id })),
    implementingAgencyNote: orNull(v.implementingAgencyNote),
    processingHours: toHours(v.timeValue, v.timeUnit),
    processingNote: orNull(v.processingNote),
    fees: v.fees.map((f) => ({ name: f.name.trim(), amountVnd: parseVnd(f.amountVnd), note: orNull(f.note) })),
    exemptions: orNull(v.exemptions),
    // A new row has no key yet: the server gives it the next free one (tp1, tp2 …).
    components: v.components.map((c) => ({
      ...(c.key ? { key: c.key } : {}),
      name: c.name.trim(),
      original: c.original === '' ? null : c.original === 'original',
      copies: c.copies.trim() === '' ? null : Number(c.copies),
      required: c.required,
      condition: orNull(c.condition),
      templateFileId: c.templateFileId,
      fromEdataStore: c.fromEdataStore,
      documentType: c.documentType,
    })),
    // An empty schema box means "the standard form" (the server fills in the applicant's details).
    ...(v.form.trim() === '' ? {} : { form: JSON.parse(v.form) as FormSchema }),
    legalBasis: legalLines(v.legalBasis),
    resultType: orNull(v.resultType),
    resultDelivery: v.resultDelivery,
    ...(baseVersion ? { baseVersion } : {}),
  };
}

export const legalLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;
/** Full national code: {1|2|3}.{6 digits}.000.00.00.{level-1 agency code}, e.g. 1.001193.000.00.00.H66. */
export const PROCEDURE_CODE = /^[123]\.[0-9]{6}\.000\.00\.00\.[A-Y][0-9]{2}$/;

/** Problems of a form schema typed as JSON; empty when it is usable. */
export function formSchemaProblems(text: string, t: TFunction): string[] {
  if (text.trim() === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return [t('catalogAdmin.schema.notJson', { reason: e instanceof Error ? e.message : String(e) })];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Array.isArray((data as { fields?: unknown }).fields)) {
    return [t('catalogAdmin.schema.noFields')];
  }
  const problems: string[] = [];
  const fields = (data as { fields: unknown[] }).fields;
  const keys = new Set<string>();
  fields.forEach((raw, i) => {
    const n = i + 1;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(t('catalogAdmin.schema.notObject', { n }));
      return;
    }
    const f = raw as Record<string, unknown>;
    if (typeof f.key !== 'string' || !FIELD_KEY.test(f.key)) problems.push(t('catalogAdmin.schema.badKey', { n }));
    else if (keys.has(f.key)) problems.push(t('catalogAdmin.schema.duplicateKey', { n, key: f.key }));
    else keys.add(f.key);
    if (typeof f.label !== 'string' || f.label.trim() === '') problems.push(t('catalogAdmin.schema.noLabel', { n }));
    if (typeof f.type !== 'string' || !(formFieldTypes as readonly string[]).includes(f.type)) {
      problems.push(t('catalogAdmin.schema.badType', { n, types: formFieldTypes.join(', ') }));
    }
    if (f.required !== undefined && typeof f.required !== 'boolean') problems.push(t('catalogAdmin.schema.badRequired', { n }));
    if (f.type === 'select') {
      const ok =
        Array.isArray(f.options) &&
        f.options.length > 0 &&
        f.options.every((o) => typeof o === 'object' && o !== null && typeof o.value === 'string' && typeof o.label === 'string');
      if (!ok) problems.push(t('catalogAdmin.schema.badOptions', { n }));
    }
    if (typeof f.pattern === 'string') {
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        problems.push(t('catalogAdmin.schema.badPattern', { n }));
      }
    }
  });
  // requiredIf must name a field of the same form (checked once every key is known).
  fields.forEach((raw, i) => {
    const ri = (raw as { requiredIf?: { field?: unknown } } | null)?.requiredIf;
    if (ri !== undefined && (typeof ri?.field !== 'string' || !keys.has(ri.field))) {
      problems.push(t('catalogAdmin.schema.badRequiredIf', { n: i + 1 }));
    }
  });
  return problems;
}

const isInt = (s: string) => /^\d+$/.test(s.trim());

export function validateProcedure(v: ProcedureValues, t: TFunction): Errors {
  const e: Errors = {};
  const req = t('validation.required');
  const max = (name: string, value: string, n: number) => {
    if (!e[name] && value.trim().length > n) e[name] = t('validation.maxLength', { count: n });
  };
  if (v.code.trim() === '') e.code = req;
  else if (!PROCEDURE_CODE.test(v.code.trim().toUpperCase())) e.code = t('validation.procedureCode');
  if (v.name.trim() === '') e.name = req;
  max('name', v.name, 500);
  if (v.field.trim() === '') e.field = req;
  max('field', v.field, 200);
  if (!v.level) e.level = req;
  if (!v.onlineLevel) e.onlineLevel = req;
  if (v.agencyIds.length === 0) e.agencyIds = t('validation.agencyRequired');
  max('implementingAgencyNote', v.implementingAgencyNote, 1000);
  const hours = toHours(v.timeValue, v.timeUnit);
  if (hours != null && (!Number.isFinite(hours) || hours <= 0 || !Number.isInteger(hours) || hours > 2920)) {
    e.timeValue = t(v.timeUnit === 'days' ? 'validation.processingDays' : 'validation.processingHours');
  }
  max('processingNote', v.processingNote, 2000);
  v.fees.forEach((f, i) => {
    if (f.name.trim() === '') e[`fees.${i}.name`] = req;
    max(`fees.${i}.name`, f.name, 300);
    const amount = parseVnd(f.amountVnd);
    if (amount != null && !Number.isSafeInteger(amount)) e[`fees.${i}.amountVnd`] = t('validation.vnd');
    max(`fees.${i}.note`, f.note, 2000);
  });
  max('exemptions', v.exemptions, 4000);
  v.components.forEach((c, i) => {
    if (c.name.trim() === '') e[`components.${i}.name`] = req;
    max(`components.${i}.name`, c.name, 1000);
    if (c.copies.trim() !== '' && (!isInt(c.copies) || Number(c.copies) < 1 || Number(c.copies) > 50)) {
      e[`components.${i}.copies`] = t('validation.copies');
    }
    max(`components.${i}.condition`, c.condition, 1000);
  });
  const lines = legalLines(v.legalBasis);
  if (lines.some((l) => l.length > 500)) e.legalBasis = t('validation.legalLine', { count: 500 });
  else if (lines.some((l) => l.includes(';'))) e.legalBasis = t('validation.legalSemicolon');
  max('resultType', v.resultType, 1000);
  // NĐ 42/2022, Điều 11: a fully online service returns its result online or by public post.
  if (v.onlineLevel === 'toan_trinh' && !v.resultDelivery.includes('online') && !v.resultDelivery.includes('post')) {
    e.resultDelivery = t('validation.fullyOnlineDelivery');
  }
  const schema = formSchemaProblems(v.form, t);
  if (schema.length > 0) e.form = schema.join(' ');
  return e;
}

/**
 * Server field paths that have no input of their own are pinned on the input that edits them:
 * "body/form/fields/0/type" → "form", "body/processingHours" → "timeValue".
 */
export function inputFieldOf(serverField: string): string {
  const parts = serverField
    .replace(/^#?\/?/, '')
    .split(/[/.]/)
    .filter((p) => p !== '');
  if (parts[0] === 'body') parts.shift();
  const [head, index, leaf] = parts;
  switch (head) {
    case 'form':
      return 'form';
    case 'processingHours':
    case 'processingDays':
      return 'timeValue';
    case 'agencies':
      return 'agencyIds';
    case 'baseVersion':
      return '';
    case 'legalBasis':
    case 'resultDelivery':
      return head;
    case 'fees':
    case 'components':
      if (index !== undefined && /^\d+$/.test(index)) {
        const known = head === 'fees' ? ['name', 'amountVnd', 'note'] : ['name', 'original', 'copies', 'condition'];
        return `${head}.${index}.${leaf && known.includes(leaf) ? leaf : 'name'}`;
      }
      return head;
    default:
      return parts.join('.');
  }
}
