/**
 * CSV import: choose a file, check it (dry run, nothing written), read the per-row report, then
 * import. Rejected rows are listed with their line number and reasons so the file can be fixed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request } from '../api';
import { Button, DataTable, FileField, FormView, Notice, rules, Section, TextField, useForm } from '../ui';
import type { ImportReport } from './org';

const MAX_BYTES = 5 * 1024 * 1024;

export function CsvImport({
  endpoint,
  invalidate,
  withValidity = false,
  columnsHint,
}: {
  endpoint: string;
  /** Query key prefix to refresh after a successful import. */
  invalidate: string;
  /** Units: the date the file's list takes effect and its legal basis. */
  withValidity?: boolean;
  columnsHint: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const send = async (v: { validFrom: string; legalBasis: string }, dryRun: boolean) => {
    if (!file) return;
    const text = await file.text();
    try {
      const r = await request<ImportReport>('POST', endpoint, {
        query: {
          dryRun: dryRun ? 'true' : 'false',
          ...(withValidity ? { validFrom: v.validFrom || undefined, legalBasis: v.legalBasis.trim() || undefined } : {}),
        },
        body: text,
        contentType: 'text/csv; charset=utf-8',
      });
      setReport(r);
      if (r.applied) await qc.invalidateQueries({ queryKey: [invalidate] });
    } catch (e) {
      // All or nothing: a file with bad rows is refused (422) with the same report; show it as a report,
      // not as one form error per line.
      const report = e instanceof ApiError ? (e.problem.report as ImportReport | undefined) : undefined;
      if (e instanceof ApiError && report) {
        setReport(report);
        throw new ApiError({ ...e.problem, errors: undefined });
      }
      throw e;
    }
  };

  const form = useForm({
    initial: { file: '', validFrom: '', legalBasis: '' },
    validate: (v) => {
      const e: Record<string, string> = {};
      if (!file) e.file = t('import.errors.noFile');
      else if (file.size > MAX_BYTES) e.file = t('import.errors.tooLarge', { size: '5 MB' });
      else if (!/\.csv$/i.test(file.name) && !/csv|text\/plain/.test(file.type)) e.file = t('import.errors.notCsv');
      const d = rules.date()(v.validFrom);
      if (d) e.validFrom = d;
      const lb = rules.maxLength(500)(v.legalBasis);
      if (lb) e.legalBasis = lb;
      return e;
    },
    onSubmit: (v) => send(v, true),
  });

  const [applying, setApplying] = useState(false);
  const apply = async () => {
    setApplying(true);
    try {
      await send(form.values, false);
    } catch (e) {
      form.setServerError(e);
    } finally {
      setApplying(false);
    }
  };

  return (
    <>
      <FormView form={form} className="narrow">
        <FileField
          label={t('import.file')}
          hint={columnsHint}
          required
          accept=".csv,text/csv"
          field={form.field('file', t('import.file'))}
          onFile={(f) => {
            setFile(f);
            setReport(null);
          }}
        />
        {withValidity && (
          <>
            <TextField
              type="date"
              label={t('import.validFrom')}
              hint={t('import.validFromHint')}
              field={form.field('validFrom', t('import.validFrom'))}
              value={form.values.validFrom}
              onValue={(x) => form.set('validFrom', x)}
            />
            <TextField
              label={t('import.legalBasis')}
              maxLength={500}
              field={form.field('legalBasis', t('import.legalBasis'))}
              value={form.values.legalBasis}
              onValue={(x) => form.set('legalBasis', x)}
            />
          </>
        )}
        <Button type="submit" variant={report && !report.applied ? 'secondary' : 'primary'} busy={form.submitting}>
          {t('import.check')}
        </Button>
      </FormView>
      {report && <ImportResult report={report} onApply={apply} applying={applying} />}
    </>
  );
}

function ImportResult({ report, onApply, applying }: { report: ImportReport; onApply: () => void; applying: boolean }) {
  const { t } = useTranslation();
  const c = report.counts;
  // The server imports all or nothing, so only a file without rejected rows can be imported.
  const canApply = !report.applied && c.rejected === 0 && c.rows > 0;
  return (
    <Section title={report.applied ? t('import.appliedTitle') : t('import.reportTitle')} id="import-report">
      <Notice
        live
        tone={report.applied ? 'success' : c.rejected > 0 ? 'warning' : 'info'}
        title={report.applied ? t('import.applied') : c.rejected > 0 ? t('import.hasErrors', { count: c.rejected }) : t('import.dryRunOk')}
      >
        {c.rejected > 0 && !report.applied && <p>{t('import.allOrNothing')}</p>}
        <p>{t('import.counts', { rows: c.rows, created: c.created, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected })}</p>
        {report.format && <p className="muted">{t('import.format', { format: report.format })}</p>}
      </Notice>
      {report.rejected.length > 0 && (
        <>
          <h3>{t('import.rejectedTitle')}</h3>
          <DataTable
            caption={t('import.rejectedTitle')}
            rows={report.rejected}
            rowKey={(r) => String(r.line)}
            columns={[
              { key: 'line', header: t('import.line'), render: (r) => r.line },
              {
                key: 'reasons',
                header: t('import.reasons'),
                render: (r) => (
                  <ul className="plain-list">
                    {r.reasons.map((x) => (
                      <li key={x}>{x}</li>
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
