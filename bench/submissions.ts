/**
 * A citizen's online submission as the web app makes it, for the benchmarks: sign in (CSRF token, then
 * login), upload two ~200 KB PDF scans (POST /api/v1/files), then POST /api/v1/dossiers with
 * `submit: true` and an Idempotency-Key. `submissionStorm` runs many such citizens at once and records
 * every acknowledged (2xx) dossier and upload, so callers can check later that none was lost.
 */
import { type Database, sql } from '../src/server/platform/db/database';
import { Client, HttpError, scanUploads } from './lib';

interface ProcedureDetail {
  id: string;
  code: string;
  name: string;
  agencies: { id: string; code: string; name: string }[];
  components: { key: string; required: boolean }[];
  form: {
    fields: {
      key: string;
      type: string;
      required: boolean;
      options?: { value: string }[];
      min?: number;
      max?: number;
      maxLength?: number;
    }[];
  };
}

export interface Plan {
  procedureId: string;
  label: string;
  agencies: { id: string; unit: string }[];
  componentKeys: [string, string];
  form: ProcedureDetail['form'];
}

/** Procedures citizens submit online whose required documents fit in two files. */
export const SUBMIT_PROCEDURES = ['1.004873', '2.000635', '1.010803', '1.001731'];

export async function submissionPlans(origin: string): Promise<Plan[]> {
  const anon = new Client(origin);
  // Residence of the applicant (form field of type unit): the commune of a ward's People's Committee.
  const wardUnits = new Map<string, string>();
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: { items: { id: string; kind: string; adminUnitCode: string | null }[]; nextCursor: string | null } = await anon.json(
      'GET',
      `/api/v1/agencies?kind=ubnd_xa&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const a of page.items) if (a.adminUnitCode) wardUnits.set(a.id, a.adminUnitCode);
    cursor = page.nextCursor;
  }
  const anyWard = [...wardUnits.values()];
  if (anyWard.length === 0) throw new Error('no ward with an administrative unit code');
  const plans: Plan[] = [];
  for (const bare of SUBMIT_PROCEDURES) {
    const p = await anon.json<ProcedureDetail>('GET', `/api/v1/procedures/${bare}`);
    const required = p.components.filter((c) => c.required).map((c) => c.key);
    const keys = [...required, ...p.components.filter((c) => !c.required).map((c) => c.key)];
    if (required.length > 2 || keys.length === 0) continue;
    plans.push({
      procedureId: p.id,
      label: `${bare} ${p.name}`,
      agencies: p.agencies.map((a, i) => ({ id: a.id, unit: wardUnits.get(a.id) ?? (anyWard[i % anyWard.length] as string) })),
      componentKeys: [keys[0]!, keys[1] ?? keys[0]!],
      form: p.form,
    });
  }
  if (plans.length === 0) throw new Error('no procedure to submit');
  return plans;
}

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** Values for every field of the form, valid for its type. */
function fillForm(form: Plan['form'], unit: string, i: number): Record<string, string | number | boolean> {
  const v: Record<string, string | number | boolean> = {};
  for (const f of form.fields) {
    switch (f.type) {
      case 'date':
        v[f.key] = '1990-05-12';
        break;
      case 'id_number':
        v[f.key] = `066${digits(9)}`;
        break;
      case 'phone':
        v[f.key] = `09${digits(8)}`;
        break;
      case 'email':
        v[f.key] = `congdan${i}@example.vn`;
        break;
      case 'unit':
        v[f.key] = unit;
        break;
      case 'select':
        v[f.key] = f.options?.[0]?.value ?? '';
        break;
      case 'number':
        v[f.key] = Math.max(f.min ?? 1, Math.min(f.max ?? 100, 10));
        break;
      case 'checkbox':
        v[f.key] = true;
        break;
      default:
        v[f.key] = (f.key === 'ho_ten' ? `Nguyễn Văn Bình ${i}` : `Đề nghị giải quyết hồ sơ số ${i} theo quy định`).slice(
          0,
          f.maxLength ?? 200,
        );
    }
  }
  return v;
}

export interface Acked {
  id: string;
  code: string;
  owner: number;
  files: { fileId: string; sha256: string }[];
}

export interface StormResult {
  acked: Acked[];
  /** Uploads answered 201 (referenced by a dossier or not). */
  uploads: { owner: number; fileId: string; sha256: string }[];
  failures: Map<string, number>;
  /** Dossier requests that got no answer at all (connection lost): the client may retry them with the same key. */
  unanswered: { owner: number; key: string; body: unknown }[];
  dossierMs: number[];
  createMs: number[];
  seconds: number;
}

/**
 * `sessions.length` citizens submit in a loop until `until()` says stop: two uploads, then the dossier.
 * Every 2xx is recorded (what was acknowledged); anything else is counted by reason.
 */
export async function submissionStorm(
  sessions: Client[],
  plans: Plan[],
  until: () => boolean,
  onAck?: (a: Acked) => void,
): Promise<StormResult> {
  const scans = scanUploads();
  const r: StormResult = { acked: [], uploads: [], failures: new Map(), unanswered: [], dossierMs: [], createMs: [], seconds: 0 };
  const fail = (why: string) => r.failures.set(why, (r.failures.get(why) ?? 0) + 1);
  let n = 0;
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (s, owner) => {
      // One body per citizen, reused: each citizen's uploads go one after another.
      const upload = scans.body('ban-scan.pdf');
      while (!until()) {
        const i = n++;
        const plan = plans[i % plans.length]!;
        const agency = plan.agencies[i % plan.agencies.length]!;
        const started = performance.now();
        let pending: { owner: number; key: string; body: unknown } | undefined;
        try {
          const files: Acked['files'] = [];
          for (const _ of plan.componentKeys) {
            const sha256 = upload.next();
            const fileId = await s.uploadBody(upload.buffer, upload.boundary);
            const f = { fileId, sha256 };
            files.push(f);
            r.uploads.push({ owner, ...f });
          }
          const body = {
            procedureId: plan.procedureId,
            ...(plan.agencies.length > 1 ? { agencyId: agency.id } : {}),
            form: fillForm(plan.form, agency.unit, i),
            files: files.map((f, k) => ({ componentKey: plan.componentKeys[k]!, fileId: f.fileId })),
            resultDelivery: 'online',
            submit: true,
          };
          const key = `bench-${process.pid}-${i}-${Date.now()}`;
          pending = { owner, key, body };
          const c0 = performance.now();
          const d = await s.json<{ id: string; code: string | null; state: string }>('POST', '/api/v1/dossiers', body, {
            'idempotency-key': key,
          });
          const done = performance.now();
          pending = undefined;
          if (!d.code || d.state !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(d).slice(0, 200)}`);
          const a = { id: d.id, code: d.code, owner, files };
          r.acked.push(a);
          onAck?.(a);
          r.createMs.push(done - c0);
          r.dossierMs.push(done - started);
        } catch (e) {
          if (e instanceof HttpError) {
            fail(`HTTP ${e.status}`);
            if (r.failures.get(`HTTP ${e.status}`) === 1) console.error(e.message);
          } else {
            fail((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message.slice(0, 80));
            if (pending) r.unanswered.push(pending);
          }
        }
      }
    }),
  );
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

export async function citizenSessions(origin: string, n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) out.push(await new Client(origin).login(i % 2 ? 'congdan2' : 'congdan'));
  return out;
}

/** Dossier codes held by more than one dossier (the unique index should make this impossible). */
export async function duplicateCodes(db: Database): Promise<{ code: string; n: number }[]> {
  return db.rows(sql`select code, count(*)::int as n from dossiers where code is not null group by code having count(*) > 1`);
}
