/**
 * The steps of the submission wizard for one procedure version (the form cut into pages of a few
 * fields), and where a server error belongs: `form/<key>` → the form page holding that field,
 * `files/<componentKey>` → attachments, the agency and the delivery choices → their own steps;
 * anything else is shown on the review page.
 */
import { fieldName, uuid } from '../api';
import { formErrorKey } from '../procedure-form/values';
import type { Errors } from '../ui';
import type { FieldProps } from '../ui/form';
import type { FormField, Procedure } from './types';

export type StepKind = 'agency' | 'form' | 'files' | 'delivery' | 'review';

export interface Step {
  /** Stable name used in the address (?step=…): agency, form-1, form-2 …, files, delivery, review. */
  key: string;
  kind: StepKind;
  /** Fields of a form page. */
  fields: FormField[];
  /** 1-based page number among the form pages, and how many there are. */
  page?: { n: number; of: number };
}

/** Error key of a component's attachments (`files/<componentKey>` from the server). */
export const fileErrorKey = (componentKey: string) => `files.${componentKey}`;

/** Long answers take the room of two short ones on a page. */
const weight = (f: FormField) => (f.type === 'textarea' ? 2 : 1);

/**
 * Pages of a few fields each (at most `capacity`, a textarea counting double), in form order. A field
 * whose condition refers to a field on the page being filled stays on that page, so the "required"
 * mark appears next to the answer that triggers it; a last page of one short field joins the one before.
 */
export function splitFields(fields: readonly FormField[], capacity = 4): FormField[][] {
  const pages: FormField[][] = [];
  let page: FormField[] = [];
  let used = 0;
  for (const f of fields) {
    const tied = f.requiredIf !== undefined && page.some((p) => p.key === f.requiredIf?.field);
    if (page.length > 0 && !tied && used + weight(f) > capacity) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(f);
    used += weight(f);
  }
  if (page.length > 0) pages.push(page);
  const last = pages[pages.length - 1];
  const before = pages[pages.length - 2];
  if (last && before && last.length === 1 && weight(last[0] as FormField) === 1) {
    before.push(...last);
    pages.pop();
  }
  return pages;
}

type ProcedureShape = Pick<Procedure, 'agencies' | 'components' | 'form'>;

export function buildSteps(p: ProcedureShape, fieldsPerPage = 4): Step[] {
  const steps: Step[] = [];
  if (p.agencies.length > 1) steps.push({ key: 'agency', kind: 'agency', fields: [] });
  const pages = splitFields(p.form.fields, fieldsPerPage);
  pages.forEach((fields, i) => {
    steps.push({ key: `form-${i + 1}`, kind: 'form', fields, page: { n: i + 1, of: pages.length } });
  });
  if (p.components.length > 0) steps.push({ key: 'files', kind: 'files', fields: [] });
  steps.push({ key: 'delivery', kind: 'delivery', fields: [] });
  steps.push({ key: 'review', kind: 'review', fields: [] });
  return steps;
}

const deliveryKeys = new Set(['resultDelivery', 'notifyChannel', 'notifyTo']);

/** The step an error key (after fieldName(): `form.ho_ten`, `files.tk`, `agencyId` …) belongs to. */
export function stepOfError(key: string, steps: readonly Step[]): string {
  const [head = '', sub] = key.split('.');
  if (head === 'form' && sub) {
    const step = steps.find((s) => s.kind === 'form' && s.fields.some((f) => f.key === sub));
    if (step) return step.key;
  }
  if (head === 'files' && steps.some((s) => s.kind === 'files')) return 'files';
  if (head === 'agencyId' && steps.some((s) => s.kind === 'agency')) return 'agency';
  if (deliveryKeys.has(head)) return 'delivery';
  return 'review';
}

/**
 * Server field errors grouped by step (keys normalised: `body/form/ho_ten` → `form.ho_ten`,
 * `files/tk/0` → `files.tk`), and the first step in wizard order that has any.
 */
export function errorsByStep(
  errors: readonly { field: string; message: string }[],
  steps: readonly Step[],
): { byStep: Record<string, Errors>; first: string | null } {
  const byStep: Record<string, Errors> = {};
  for (const e of errors) {
    const parts = fieldName(e.field).split('.');
    const key = (parts[0] === 'form' || parts[0] === 'files' ? parts.slice(0, 2).join('.') : parts[0]) || 'dossier';
    const step = stepOfError(key, steps);
    byStep[step] ??= {};
    const bucket = byStep[step];
    if (!(key in bucket)) bucket[key] = e.message;
  }
  const first = steps.find((s) => byStep[s.key])?.key ?? null;
  return { byStep, first };
}

/** Required components that have no file yet. */
export function missingComponents(components: Procedure['components'], files: readonly { componentKey: string }[]): string[] {
  return components.filter((c) => c.required && !files.some((f) => f.componentKey === c.key)).map((c) => c.key);
}

// ---- the submission's Idempotency-Key ------------------------------------------------------------

interface KeyStore {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

const memory = new Map<string, string>();
const fallbackStore: KeyStore = { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) };

function store(): KeyStore {
  try {
    return typeof localStorage === 'undefined' ? fallbackStore : localStorage;
  } catch {
    return fallbackStore;
  }
}

/**
 * The Idempotency-Key for submitting this draft at this version: one UUID kept per draft (survives a
 * reload), suffixed with the version. A repeated click or a retry after a lost answer sends the same
 * key and body, so the server answers once; after the draft changed (new version) it is a new request.
 */
export function submitKey(draftId: string, version: number, s: KeyStore = store()): string {
  const name = `tinhso.dossier.submit.${draftId}`;
  let id = s.getItem(name);
  if (!id) {
    id = uuid();
    try {
      s.setItem(name, id);
    } catch {
      // storage full or blocked: the key still holds for this page
    }
  }
  return `${id}.v${version}`;
}

/** The id of the control an error key points at (the error summary links to it). */
export function inputId(key: string): string | undefined {
  const [head = '', sub] = key.split('.');
  if (head === 'form' && sub) return `dossier-f-${sub}`;
  if (head === 'files' && sub) return `dossier-c-${sub}`;
  const fixed: Record<string, string> = {
    agencyId: 'dossier-agency',
    resultDelivery: 'dossier-delivery',
    notifyChannel: 'dossier-notify',
    notifyTo: 'dossier-notify-to',
    note: 'dossier-supplement-note',
  };
  return fixed[head];
}

/** id, name and error of a form field on the citizen's pages (ids `dossier-f-<key>`, which the error summary links to). */
export const formFieldProps =
  (errors: Errors) =>
  (f: FormField): FieldProps => {
    const key = formErrorKey(f.key);
    return { id: inputId(key) ?? f.key, name: f.key, error: errors[key] };
  };
