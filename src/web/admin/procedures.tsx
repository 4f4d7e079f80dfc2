/**
 * Procedure catalogue administration: search (the public search API), create, edit — each save
 * publishes a new version —, retire, browse earlier versions read-only, import (JSON or CSV, checked
 * first) and export.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, request } from '../api';
import {
  onlineLevelLabel,
  onlineLevels,
  PROCEDURES,
  type Procedure,
  type ProcedureImportReport,
  type ProcedureListPage,
  type ProcedureSummary,
  portalPath,
  procedureLevelLabel,
  procedureLevels,
  retireProcedure,
  useProcedure,
  useProcedureFields,
  useProcedureVersion,
} from '../catalog/catalog';
import { OnlineLevelTag, ProcedureView } from '../catalog/ProcedureView';
import {
  Button,
  ButtonLink,
  CheckboxField,
  DataTable,
  DateTime,
  ErrorState,
  FileField,
  FilterBar,
  FormView,
  Loading,
  Notice,
  PagedList,
  PageHeader,
  Section,
  SelectField,
  Tag,
  TextField,
  useForm,
  usePagedList,
  useUrlFilters,
} from '../ui';
import { ProcedureForm } from './procedureForm';
import { filterField } from './shared';

const FILTERS = ['q', 'field', 'level', 'onlineLevel', 'includeRetired'] as const;
const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/procedures', label: t('admin.sections.procedures.title') },
];
const adminPath = (id: string) => `/admin/procedures/${encodeURIComponent(id)}`;

export function ProcedureList() {
  const { t } = useTranslation();
  const f = useUrlFilters(FILTERS);
  const fields = useProcedureFields();
  const list = usePagedList<ProcedureSummary, ProcedureListPage>(PROCEDURES, {
    ...f.applied,
    includeRetired: f.applied.includeRetired === 'true',
  });
  const total = list.data?.pages[0]?.total;
  return (
    <>
      <PageHeader
        title={t('admin.sections.procedures.title')}
        lead={t('catalogAdmin.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
        actions={
          <>
            <ButtonLink to="/admin/procedures/new" variant="primary">
              {t('catalogAdmin.create')}
            </ButtonLink>
            <ButtonLink to="/admin/procedures/import">{t('catalogAdmin.importAction')}</ButtonLink>
          </>
        }
      />
      <p className="export-links">
        {t('catalogAdmin.export')}{' '}
        <a href={`${PROCEDURES}/export?format=csv`} download>
          CSV
        </a>{' '}
        ·{' '}
        <a href={`${PROCEDURES}/export?format=json`} download>
          JSON
        </a>
      </p>
      <FilterBar label={t('catalogAdmin.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField
          label={t('catalog.query')}
          hint={t('catalog.queryHint')}
          type="search"
          field={filterField('q')}
          value={f.draft.q}
          onValue={(v) => f.setDraft('q', v)}
        />
        <SelectField
          label={t('catalog.field')}
          field={filterField('field')}
          value={f.draft.field}
          onValue={(v) => f.setDraft('field', v)}
          placeholder={t('common.all')}
          options={(fields.data ?? []).map((x) => ({ value: x.value, label: `${x.value} (${x.count})` }))}
        />
        <SelectField
          label={t('catalog.level')}
          field={filterField('level')}
          value={f.draft.level}
          onValue={(v) => f.setDraft('level', v)}
          placeholder={t('common.all')}
          options={procedureLevels.map((l) => ({ value: l, label: procedureLevelLabel(t, l) }))}
        />
        <SelectField
          label={t('catalog.onlineLevel')}
          field={filterField('onlineLevel')}
          value={f.draft.onlineLevel}
          onValue={(v) => f.setDraft('onlineLevel', v)}
          placeholder={t('common.all')}
          options={onlineLevels.map((l) => ({ value: l, label: onlineLevelLabel(t, l) }))}
        />
        <CheckboxField
          label={t('catalogAdmin.includeRetired')}
          field={filterField('includeRetired')}
          checked={f.draft.includeRetired === 'true'}
          onChecked={(v) => f.setDraft('includeRetired', v ? 'true' : '')}
        />
      </FilterBar>
      {total !== undefined && (
        <p className="result-total" role="status">
          {t('catalog.found', { count: total })}
        </p>
      )}
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('catalog.empty')}>
        {(items) => (
          <DataTable<ProcedureSummary>
            caption={t('admin.sections.procedures.title')}
            rows={items}
            rowKey={(p) => p.id}
            columns={[
              {
                key: 'name',
                header: t('catalog.name'),
                primary: true,
                render: (p) => (
                  <>
                    <Link to={adminPath(p.id)}>{p.name}</Link>
                    <code className="cell-sub">{p.code}</code>
                  </>
                ),
              },
              { key: 'field', header: t('catalog.field'), render: (p) => p.field },
              { key: 'level', header: t('catalog.level'), render: (p) => procedureLevelLabel(t, p.level) },
              { key: 'online', header: t('catalog.onlineLevelShort'), render: (p) => <OnlineLevelTag level={p.onlineLevel} /> },
              { key: 'version', header: t('catalogAdmin.version'), align: 'end', render: (p) => p.version },
              { key: 'status', header: t('common.status'), render: (p) => <StatusTag status={p.status} /> },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}

export function ProcedureNew() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  return (
    <>
      <PageHeader title={t('catalogAdmin.create')} lead={t('catalogAdmin.createLead')} breadcrumbs={crumbs(t)} />
      <ProcedureForm
        submitLabel={t('catalogAdmin.publishFirst')}
        cancelTo="/admin/procedures"
        onSaved={async (p) => {
          qc.setQueryData([PROCEDURES, p.id], p);
          await qc.invalidateQueries({ queryKey: [PROCEDURES], refetchType: 'none' });
          navigate(adminPath(p.id), { state: { published: p.version } });
        }}
      />
    </>
  );
}

export function ProcedureEdit() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const qc = useQueryClient();
  const procedure = useProcedure(id);
  const navigate = useNavigate();
  const [published, setPublished] = useState<number | null>((location.state as { published?: number } | null)?.published ?? null);
  // The "published" note is for this visit only: drop it from history so a reload does not repeat it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on arrival
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, []);
  if (procedure.isPending) return <Loading />;
  if (procedure.isError) return <ErrorState error={procedure.error} onRetry={() => void procedure.refetch()} />;
  const p = procedure.data;
  const active = p.status === 'active';
  return (
    <>
      <PageHeader
        title={p.name}
        lead={
          <span className="result-meta">
            <code>{p.code}</code>
            <span>{t('catalogAdmin.versionN', { version: p.version })}</span>
            <span>
              <StatusTag status={p.status} />
            </span>
          </span>
        }
        breadcrumbs={crumbs(t)}
        actions={
          active && (
            <ButtonLink to={portalPath(p)} variant="secondary">
              {t('catalogAdmin.viewOnPortal')}
            </ButtonLink>
          )
        }
      />
      {published !== null && <Notice tone="success" live title={t('catalogAdmin.published', { version: published })} />}
      {active ? (
        <>
          <Notice tone="info" title={t('catalogAdmin.versioningTitle', { next: p.version + 1 })}>
            <p>{t('catalogAdmin.versioningText', { version: p.version })}</p>
          </Notice>
          <ProcedureForm
            key={`${p.id}-${p.version}`}
            procedure={p}
            submitLabel={t('catalogAdmin.publishNext', { next: p.version + 1 })}
            cancelTo="/admin/procedures"
            onSaved={async (saved) => {
              qc.setQueryData([PROCEDURES, p.id], saved);
              await qc.invalidateQueries({ queryKey: [PROCEDURES], refetchType: 'none' });
              setPublished(saved.version);
              window.scrollTo(0, 0);
            }}
          />
        </>
      ) : (
        <ProcedureView procedure={p} />
      )}
      <Versions procedure={p} />
      {active && <Retire procedure={p} />}
    </>
  );
}

function StatusTag({ status }: { status: Procedure['status'] }) {
  const { t } = useTranslation();
  return status === 'active' ? (
    <Tag tone="success">{t('catalogAdmin.statusActive')}</Tag>
  ) : (
    <Tag tone="danger">{t('catalogAdmin.statusRetired')}</Tag>
  );
}

function Versions({ procedure: p }: { procedure: Procedure }) {
  const { t } = useTranslation();
  const rows = [...p.versions].sort((a, b) => b.version - a.version);
  return (
    <Section title={t('catalogAdmin.versions')} id="procedure-versions">
      <DataTable
        caption={t('catalogAdmin.versions')}
        rows={rows}
        rowKey={(r) => String(r.version)}
        columns={[
          {
            key: 'version',
            header: t('catalogAdmin.version'),
            primary: true,
            render: (r) => (
              <>
                <Link to={`${adminPath(p.id)}/versions/${r.version}`}>{t('catalogAdmin.versionN', { version: r.version })}</Link>
                {r.version === p.version && (
                  <>
                    {' '}
                    <Tag tone="info">{t('catalogAdmin.current')}</Tag>
                  </>
                )}
              </>
            ),
          },
          { key: 'at', header: t('catalogAdmin.publishedAt'), render: (r) => <DateTime value={r.publishedAt} /> },
          { key: 'by', header: t('catalogAdmin.publishedBy'), render: (r) => r.publishedBy },
        ]}
      />
    </Section>
  );
}

function Retire({ procedure: p }: { procedure: Procedure }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirmRef = useRef<HTMLFieldSetElement>(null);
  const retire = async () => {
    setBusy(true);
    setError(null);
    try {
      await retireProcedure(p.id);
      await qc.invalidateQueries({ queryKey: [PROCEDURES] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <Section title={t('catalogAdmin.retireTitle')} id="procedure-retire">
      <p>{t('catalogAdmin.retireText')}</p>
      {error !== null && <ErrorState error={error} />}
      {confirming ? (
        <fieldset className="confirm-box" ref={confirmRef} tabIndex={-1}>
          <legend className="confirm-question">{t('catalogAdmin.retireConfirm', { name: p.name })}</legend>
          <div className="button-row">
            <Button variant="danger" busy={busy} onClick={() => void retire()}>
              {t('catalogAdmin.retireYes')}
            </Button>
            <Button variant="link" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </fieldset>
      ) : (
        <Button
          variant="danger"
          onClick={() => {
            setConfirming(true);
            // Move to the question so keyboard and screen-reader users meet it first.
            requestAnimationFrame(() => confirmRef.current?.focus());
          }}
        >
          {t('catalogAdmin.retire')}
        </Button>
      )}
    </Section>
  );
}

export function ProcedureVersionPage() {
  const { t } = useTranslation();
  const { id = '', version = '' } = useParams();
  const n = Number(version);
  const current = useProcedure(id);
  const old = useProcedureVersion(id, n);
  if (old.isPending) return <Loading />;
  if (old.isError) return <ErrorState error={old.error} onRetry={() => void old.refetch()} />;
  const p = old.data;
  const latest = current.data?.version;
  return (
    <>
      <PageHeader
        title={p.name}
        lead={t('catalogAdmin.versionReadOnly', { version: p.version })}
        breadcrumbs={[...crumbs(t), { to: adminPath(id), label: current.data?.name ?? p.name }]}
      />
      {latest !== undefined && latest !== p.version && (
        <Notice tone="warning" title={t('catalogAdmin.oldVersion', { version: p.version, latest })}>
          <p>
            <Link to={adminPath(id)}>{t('catalogAdmin.toCurrent')}</Link>
          </p>
        </Notice>
      )}
      <ProcedureView procedure={p} />
    </>
  );
}

// ---- Import --------------------------------------------------------------------------------------

const MAX_BYTES = 10 * 1024 * 1024;

/** The import answers with the same report whether it was applied or refused (422, all or nothing). */
function reportOf(e: unknown): ProcedureImportReport | null {
  if (!(e instanceof ApiError)) return null;
  const body = e.problem as unknown as Partial<ProcedureImportReport> & { report?: ProcedureImportReport };
  if (body.report) return body.report;
  return Array.isArray(body.rejected) ? (body as ProcedureImportReport) : null;
}

export function ProcedureImport() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ProcedureImportReport | null>(null);
  const isJson = (f: File) => /\.json$/i.test(f.name) || f.type === 'application/json';

  const send = async (dryRun: boolean) => {
    if (!file) return;
    const text = await file.text();
    try {
      const report = await request<ProcedureImportReport>('POST', `${PROCEDURES}/import`, {
        query: { dryRun: dryRun ? 'true' : 'false' },
        body: text,
        contentType: isJson(file) ? 'application/json' : 'text/csv; charset=utf-8',
      });
      setReport(report);
      if (!dryRun) await qc.invalidateQueries({ queryKey: [PROCEDURES] });
    } catch (e) {
      const refused = reportOf(e);
      if (refused) {
        setReport(refused);
        throw new ApiError({ ...(e as ApiError).problem, errors: undefined });
      }
      throw e;
    }
  };

  const form = useForm({
    initial: { file: '' },
    validate: (): Record<string, string> => {
      if (!file) return { file: t('catalogAdmin.importErrors.noFile') };
      if (file.size > MAX_BYTES) return { file: t('import.errors.tooLarge', { size: '10 MB' }) };
      if (!/\.(csv|json)$/i.test(file.name)) return { file: t('catalogAdmin.importErrors.type') };
      return {};
    },
    onSubmit: () => send(true),
  });

  const [applying, setApplying] = useState(false);
  const apply = async () => {
    setApplying(true);
    try {
      await send(false);
    } catch (e) {
      form.setServerError(e);
    } finally {
      setApplying(false);
    }
  };

  return (
    <>
      <PageHeader title={t('catalogAdmin.importTitle')} lead={t('catalogAdmin.importLead')} breadcrumbs={crumbs(t)} />
      <FormView form={form} className="narrow">
        <FileField
          label={t('catalogAdmin.importFile')}
          hint={t('catalogAdmin.importHint')}
          required
          accept=".json,.csv,application/json,text/csv"
          field={form.field('file', t('catalogAdmin.importFile'))}
          onFile={(f) => {
            setFile(f);
            setReport(null);
          }}
        />
        <Button type="submit" variant={report && !report.applied ? 'secondary' : 'primary'} busy={form.submitting}>
          {t('import.check')}
        </Button>
      </FormView>
      {report && <ImportResult report={report} onApply={() => void apply()} applying={applying} />}
    </>
  );
}

function ImportResult({ report, onApply, applying }: { report: ProcedureImportReport; onApply: () => void; applying: boolean }) {
  const { t } = useTranslation();
  const applied = report.applied;
  const rejected = report.rejected.length;
  const rows = report.created + report.updated + report.unchanged + rejected;
  const canApply = !applied && rejected === 0 && report.created + report.updated > 0;
  return (
    <Section title={applied ? t('import.appliedTitle') : t('import.reportTitle')} id="import-report">
      <Notice
        live
        tone={applied ? 'success' : rejected > 0 ? 'warning' : 'info'}
        title={
          applied
            ? t('import.applied')
            : rejected > 0
              ? t('catalogAdmin.importHasErrors', { count: rejected })
              : report.created + report.updated === 0
                ? t('catalogAdmin.importNothing')
                : t('import.dryRunOk')
        }
      >
        {rejected > 0 && !applied && <p>{t('import.allOrNothing')}</p>}
        <p>{t('import.counts', { rows, created: report.created, updated: report.updated, unchanged: report.unchanged, rejected })}</p>
        {!applied && rejected === 0 && report.created + report.updated > 0 && <p>{t('catalogAdmin.importVersions')}</p>}
      </Notice>
      {rejected > 0 && (
        <>
          <h3>{t('catalogAdmin.importRejected')}</h3>
          <DataTable
            caption={t('catalogAdmin.importRejected')}
            rows={report.rejected}
            rowKey={(r) => `${r.line}-${r.code ?? ''}`}
            columns={[
              { key: 'line', header: t('catalogAdmin.importLine'), render: (r) => r.line },
              { key: 'code', header: t('catalog.code'), render: (r) => (r.code ? <code>{r.code}</code> : '—') },
              {
                key: 'reasons',
                header: t('import.reasons'),
                render: (r) => (
                  <ul className="plain-list">
                    {r.errors.map((x) => (
                      <li key={`${x.field}:${x.message}`}>
                        {x.field && <code>{x.field}</code>} {x.message}
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </>
      )}
      {canApply && (
        <div className="button-row">
          <Button onClick={onApply} busy={applying}>
            {t('import.apply')}
          </Button>
        </div>
      )}
    </Section>
  );
}
