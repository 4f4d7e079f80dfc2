/**
 * One dossier as the desk sees it (GET /api/v1/dossiers/:id): who applied, for which procedure, the
 * form with the labels of the procedure version it was filed under, the files per component against
 * the checklist of required components, the forms the office issued, the full timeline, and — while
 * it waits at the desk — the receive / request supplement / refuse actions.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { FormField } from '../../server/modules/catalog/catalog.schemas';
import { can, useMe } from '../app/auth';
import { deliveryLabel, portalPath, processingTime, useProcedureVersion } from '../catalog/catalog';
import { formatDateTime, isoOf } from '../format';
import { displayValue, undeclaredKeys } from '../procedure-form/values';
import { inProcessing, ProcessingPanel } from '../processing/panel';
import { CounterRatingQr } from '../ratings/CounterQr';
import { DateTime, Details, EmptyState, ErrorState, Loading, Notice, PageHeader, Section, Tag } from '../ui';
import { type Outcome, ReceptionActions } from './actions';
import { type DossierDetail, type DossierFile, dossierFileUrl, type TimelineEntry, useCommunes, useDossier } from './api';
import { type ChecklistRow, componentChecklist, type IssuedFile, issuedFiles } from './checklist';
import { DvcqgSync } from './DvcqgSync';
import { ChannelTag, DueCell, PausedDue, StateTag, useIsWorkingDay, useNow, WaitTag } from './tags';

export function DossierPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const dossier = useDossier(id);
  if (dossier.isPending) return <Loading />;
  if (dossier.isError)
    return (
      <>
        <PageHeader title={t('reception.detail.notFoundTitle')} breadcrumbs={[{ to: '/office', label: t('office.title') }]} />
        <ErrorState error={dossier.error} onRetry={() => void dossier.refetch()} />
      </>
    );
  return <DossierView dossier={dossier.data} />;
}

function DossierView({ dossier: d }: { dossier: DossierDetail }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const version = useProcedureVersion(d.procedureId, d.procedureVersion);
  const procedure = version.data;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const receiptRef = useRef<HTMLDivElement>(null);
  // Just received: the receipt box says it all (due date, receipt to print); no second notice.
  const justReceived = outcome?.tone === 'success' && d.state === 'received';
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const checklist = componentChecklist(procedure?.components ?? [], d.files);
  const issued = issuedFiles(d.files, d.receiptFileId);
  const canReceive = can(me, 'dossiers.receive') && d.state === 'submitted';
  const time = procedure ? processingTime({ processingHours: d.processingHours ?? procedure.processingHours }, t, i18n.language) : null;

  // The result of an action is read out and takes focus, so nobody misses a 409 or the new due date.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a new outcome arrives, not when the dossier changes
  useEffect(() => {
    if (outcome) (justReceived ? receiptRef : outcomeRef).current?.focus();
  }, [outcome]);

  return (
    <>
      <PageHeader
        title={t('reception.detail.title', { code: d.code ?? t('reception.noCode') })}
        lead={
          <span className="status-line">
            <StateTag state={d.state} />
            <span>{d.procedureName}</span>
          </span>
        }
        breadcrumbs={[
          { to: '/office', label: t('office.title') },
          { to: '/office/reception', label: t('reception.queue.title') },
        ]}
      />
      {outcome && !justReceived && (
        <div ref={outcomeRef} tabIndex={-1} className="outcome">
          <Notice tone={outcome.tone} live title={outcome.title}>
            {outcome.detail}
          </Notice>
        </div>
      )}
      {d.state === 'received' && (
        <div ref={receiptRef} tabIndex={-1} className="outcome">
          <ReceiptBox dossier={d} live={justReceived} />
        </div>
      )}
      {d.state === 'refused' && <IssuedNotice files={issued} dossierId={d.id} form="03" title={t('reception.detail.refusedNotice')} />}
      {d.openSupplement && (
        <OpenSupplement
          dossier={d}
          request={[...issued].reverse().find((i) => i.form === '02')}
          componentName={(k) => procedure?.components.find((c) => c.key === k)?.name}
        />
      )}
      {canReceive && (
        <ReceptionActions
          key={d.version}
          dossier={d}
          components={procedure?.components ?? []}
          missing={checklist.missing}
          onOutcome={setOutcome}
        />
      )}

      {inProcessing(d) && <ProcessingPanel dossier={d} />}

      {d.state !== 'draft' && <DvcqgSync dossierId={d.id} />}
      {d.state === 'completed' && can(me, 'dossiers.receive') && <CounterRatingQr dossierId={d.id} code={d.code} />}

      <Section title={t('reception.detail.general')} id="dossier-general">
        <Details
          items={[
            [t('reception.fields.code'), d.code ? <code key="c">{d.code}</code> : t('reception.noCode')],
            [
              t('reception.fields.procedure'),
              <span key="p">
                <Link to={portalPath({ code: d.procedureCode, id: d.procedureId })}>{d.procedureName}</Link>
                <span className="cell-sub">
                  {d.procedureCode} · {t('reception.detail.procedureVersion', { version: d.procedureVersion })}
                </span>
              </span>,
            ],
            [t('reception.fields.agency'), d.agencyName],
            [t('reception.fields.desk'), d.deskAgencyName],
            [t('reception.fields.channel'), <ChannelTag key="ch" channel={d.channel} />],
            [t('reception.fields.state'), d.publicStatusName ? `${d.currentStep} (${d.publicStatusName})` : d.currentStep],
            [t('reception.fields.submittedAt'), <DateTime key="s" value={d.submittedAt} />],
            [
              t('reception.fields.waiting'),
              d.state === 'submitted' && d.submittedAt ? <WaitTag key="w" since={d.submittedAt} now={now} isWorking={isWorking} /> : null,
            ],
            [t('reception.fields.receivedAt'), d.receivedAt ? <DateTime key="r" value={d.receivedAt} /> : null],
            [t('reception.fields.processingTime'), time],
            [
              t('reception.fields.dueAt'),
              d.dueAt ? (
                d.state === 'supplement_requested' ? (
                  <PausedDue key="due" dueAt={d.dueAt} />
                ) : (
                  <DueCell key="due" dueAt={d.dueAt} now={now} isWorking={isWorking} />
                )
              ) : null,
            ],
            [t('reception.fields.resultDelivery'), deliveryLabel(t, d.resultDelivery)],
            [
              t('reception.fields.notify'),
              d.notifyChannel ? `${t(`reception.notifyChannels.${d.notifyChannel}`)}${d.notifyTo ? ` · ${d.notifyTo}` : ''}` : null,
            ],
          ]}
        />
      </Section>

      <Section title={t('reception.detail.applicant')} id="dossier-applicant">
        <Details
          items={[
            [t('reception.applicant.name'), d.applicant.name],
            [t('reception.applicant.idNumber'), d.applicant.idNumber],
            [t('reception.applicant.phone'), d.applicant.phone],
            [t('reception.applicant.email'), d.applicant.email],
            [t('reception.applicant.address'), d.applicant.address],
          ]}
        />
      </Section>

      <Section title={t('reception.detail.form')} id="dossier-form">
        {version.isPending ? (
          <Loading />
        ) : version.isError ? (
          <ErrorState error={version.error} onRetry={() => void version.refetch()} />
        ) : (
          <FormValuesView fields={version.data.form.fields} values={d.form} />
        )}
      </Section>

      <Section title={t('reception.detail.components')} id="dossier-components">
        {version.isSuccess && (
          <ComponentsView rows={checklist.rows} other={checklist.other} dossierId={d.id} missingCount={checklist.missing.length} />
        )}
      </Section>

      <Section title={t('reception.detail.issued')} id="dossier-issued">
        {issued.length === 0 ? (
          <p className="muted">{t('reception.detail.noIssued')}</p>
        ) : (
          <ul className="plain-list file-list">
            {issued.map((i) => (
              <li key={i.file.fileId}>
                <IssuedLink dossierId={d.id} issued={i} />
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('reception.detail.timeline')} id="dossier-timeline">
        <Timeline entries={d.timeline} files={d.files} dossierId={d.id} />
      </Section>
    </>
  );
}

/** Received: the due date and the receipt (Mẫu 01) to print for the applicant. */
function ReceiptBox({ dossier: d, live }: { dossier: DossierDetail; live: boolean }) {
  const { t } = useTranslation();
  return (
    <Notice tone="success" live={live} title={t('reception.detail.receivedNotice')}>
      <p>
        {d.dueAt ? (
          <>
            {t('reception.detail.dueAt')}: <strong>{formatDateTime(d.dueAt)}</strong>
          </>
        ) : (
          t('reception.detail.noDueAt')
        )}
      </p>
      {d.receiptFileId && (
        <p>
          <a
            className="btn btn-secondary"
            href={dossierFileUrl(d.id, d.receiptFileId)}
            target="_blank"
            rel="noopener"
            data-testid="receipt-link"
          >
            {t('reception.detail.printReceipt')}
          </a>
        </p>
      )}
    </Notice>
  );
}

function IssuedNotice({ files, dossierId, form, title }: { files: IssuedFile[]; dossierId: string; form: '02' | '03'; title: string }) {
  const last = [...files].reverse().find((f) => f.form === form);
  return (
    <Notice tone="warning" title={title}>
      {last && (
        <p>
          <IssuedLink dossierId={dossierId} issued={last} />
        </p>
      )}
    </Notice>
  );
}

function IssuedLink({ dossierId, issued }: { dossierId: string; issued: IssuedFile }) {
  const { t } = useTranslation();
  return (
    <a href={dossierFileUrl(dossierId, issued.file.fileId)} target="_blank" rel="noopener">
      {issued.form ? t(`reception.issuedForms.${issued.form}`) : issued.file.name}
      <span className="cell-sub">
        {issued.file.name} · {fileSize(issued.file.size)}
      </span>
    </a>
  );
}

function OpenSupplement({
  dossier: d,
  request,
  componentName,
}: {
  dossier: DossierDetail;
  /** The supplement request form (Mẫu 02) sent to the applicant. */
  request: IssuedFile | undefined;
  componentName: (key: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const s = d.openSupplement;
  if (!s) return null;
  return (
    <Notice tone="warning" title={t('reception.detail.openSupplement', { at: formatDateTime(s.requestedAt) })}>
      <ol className="plain-list">
        {s.items.map((it, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the request's lines are fixed once sent
          <li key={i}>
            {it.text}
            {it.componentKey && <span className="cell-sub">{componentName(it.componentKey) ?? it.componentKey}</span>}
          </li>
        ))}
      </ol>
      <p>
        <strong>{t('reception.actions.reason')}:</strong> {s.reason}
      </p>
      {request && (
        <p>
          <IssuedLink dossierId={d.id} issued={request} />
        </p>
      )}
    </Notice>
  );
}

function FormValuesView({ fields, values }: { fields: FormField[]; values: DossierDetail['form'] }) {
  const { t } = useTranslation();
  const hasUnit = fields.some((f) => f.type === 'unit');
  const communes = useCommunes(hasUnit);
  const names = new Map((communes.data?.items ?? []).map((u) => [u.code, u.name]));
  const unitName = (c: string) => names.get(c);
  const extra = undeclaredKeys(fields, values);
  if (fields.length === 0 && extra.length === 0) return <p className="muted">{t('reception.detail.noForm')}</p>;
  // Keyed by field key: two fields may share a label (the applicant's and the child's date of birth).
  const rows: [string, string, string][] = [
    ...fields.map((f): [string, string, string] => [f.key, f.label, displayValue(f, values[f.key], t, unitName)]),
    ...extra.map((k): [string, string, string] => [k, k, displayValue(undefined, values[k], t)]),
  ];
  return (
    <dl className="details">
      {rows.map(([key, label, value]) => (
        <div className="details-row" key={key}>
          <dt>{label}</dt>
          <dd>{value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

const statusTone = { present: 'success', missing: 'danger', optional: 'neutral' } as const;

function ComponentsView({
  rows,
  other,
  dossierId,
  missingCount,
}: {
  rows: ChecklistRow[];
  other: DossierFile[];
  dossierId: string;
  missingCount: number;
}) {
  const { t } = useTranslation();
  if (rows.length === 0 && other.length === 0) return <EmptyState title={t('reception.detail.noComponents')} />;
  return (
    <>
      <p className={missingCount > 0 ? 'checklist-summary checklist-missing' : 'checklist-summary'} role="status">
        {missingCount > 0 ? t('reception.detail.missingCount', { count: missingCount }) : t('reception.detail.allPresent')}
      </p>
      <table className="table table-stack table-dense">
        <caption className="visually-hidden">{t('reception.detail.components')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reception.checklist.component')}</th>
            <th scope="col">{t('reception.checklist.status')}</th>
            <th scope="col">{t('reception.checklist.files')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.component.key}>
              <td className="cell-primary" data-label={t('reception.checklist.component')}>
                {r.component.name}
                <span className="cell-sub">
                  {r.component.required ? t('reception.checklist.required') : r.component.condition || t('reception.checklist.optional')}
                </span>
              </td>
              <td data-label={t('reception.checklist.status')}>
                <Tag tone={statusTone[r.status]}>{t(`reception.checklist.${r.status}`)}</Tag>
              </td>
              <td data-label={t('reception.checklist.files')}>
                <FileLinks files={r.files} superseded={r.superseded} dossierId={dossierId} />
              </td>
            </tr>
          ))}
          {other.length > 0 && (
            <tr>
              <td className="cell-primary" data-label={t('reception.checklist.component')}>
                {t('reception.checklist.other')}
              </td>
              <td data-label={t('reception.checklist.status')}>—</td>
              <td data-label={t('reception.checklist.files')}>
                <FileLinks files={other} superseded={[]} dossierId={dossierId} />
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

function FileLinks({ files, superseded, dossierId }: { files: DossierFile[]; superseded: DossierFile[]; dossierId: string }) {
  const { t } = useTranslation();
  if (files.length === 0 && superseded.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list file-list">
      {files.map((f) => (
        <li key={f.fileId}>
          <a href={dossierFileUrl(dossierId, f.fileId)} target="_blank" rel="noopener">
            {f.name}
          </a>{' '}
          <span className="muted">({fileSize(f.size)})</span> {f.reused && <Tag tone="info">{t('reception.checklist.reused')}</Tag>}
        </li>
      ))}
      {superseded.map((f) => (
        <li key={f.fileId} className="muted">
          <a href={dossierFileUrl(dossierId, f.fileId)} target="_blank" rel="noopener">
            <s>{f.name}</s>
          </a>{' '}
          ({t('reception.checklist.superseded')})
        </li>
      ))}
    </ul>
  );
}

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const asItems = (v: unknown): { text: string }[] =>
  Array.isArray(v)
    ? v.filter((x): x is { text: string } => typeof x === 'object' && x !== null && typeof (x as { text?: unknown }).text === 'string')
    : [];

/** What an action said, from its details: reasons, requested items, a new due date. */
function EntryDetails({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const d = entry.details ?? {};
  const reasons = asStrings(d.reasons);
  const items = asItems(d.items);
  const reason = typeof d.reason === 'string' ? d.reason : null;
  const dueAt = typeof d.dueAt === 'string' ? d.dueAt : null;
  if (!reasons.length && !items.length && !reason && !dueAt) return null;
  return (
    <div className="timeline-details">
      {items.length > 0 && (
        <ol className="plain-list">
          {items.map((it, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: logged lines never change
            <li key={i}>{it.text}</li>
          ))}
        </ol>
      )}
      {reason && (
        <p>
          {t('reception.actions.reason')}: {reason}
        </p>
      )}
      {reasons.length > 0 && (
        <ul className="plain-list">
          {reasons.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: logged lines never change
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {dueAt && (
        <p>
          {t('reception.detail.dueAt')}: <time dateTime={isoOf(dueAt)}>{formatDateTime(dueAt)}</time>
        </p>
      )}
    </div>
  );
}

function Timeline({ entries, files, dossierId }: { entries: TimelineEntry[]; files: DossierFile[]; dossierId: string }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <p className="muted">{t('reception.detail.noTimeline')}</p>;
  const byId = new Map(files.map((f) => [f.fileId, f]));
  return (
    <ol className="timeline">
      {[...entries]
        .sort((a, b) => a.seq - b.seq)
        .map((e) => (
          <li key={e.seq}>
            <p className="timeline-title">{e.actionName}</p>
            <p className="timeline-meta">
              <DateTime value={e.at} /> · {e.actorLabel}
            </p>
            {e.note && <p>{e.note}</p>}
            <EntryDetails entry={e} />
            {e.fileIds.length > 0 && (
              <ul className="plain-list file-list">
                {e.fileIds.map((id) => (
                  <li key={id}>
                    <a href={dossierFileUrl(dossierId, id)} target="_blank" rel="noopener">
                      {byId.get(id)?.name ?? t('reception.detail.file')}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
    </ol>
  );
}
