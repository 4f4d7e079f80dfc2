/**
 * Pieces of a dossier shown on the citizen's dossier page and on the tracking page: the status strip,
 * the facts, the answers of the form, the files by component and the timeline of actions.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { deliveryLabel } from '../catalog/catalog';
import { formatDateTime, isoOf } from '../format';
import { UnitName } from '../procedure-form/Fields';
import { displayValue } from '../procedure-form/values';
import { DateTime, Details, Tag } from '../ui';
import { dossierFileUrl } from './api';
import {
  type Component,
  type DossierDetail,
  type DossierFile,
  type DossierSummary,
  type FormField,
  ISSUED,
  type PublicDossier,
  type TimelineEntry,
} from './types';
import { formatSize, publicStatusTone, stateTone, statusName } from './wording';

type Status = Pick<DossierSummary, 'state' | 'publicStatusName' | 'currentStep' | 'submittedAt' | 'dueAt'>;

export function StatusStrip({ d }: { d: Status }) {
  const { t } = useTranslation();
  return (
    <div className="summary-strip dossier-status">
      <div className="summary-item">
        <span className="summary-label">{t('dossier.fields.status')}</span>
        <span className="summary-value">
          <Tag tone={stateTone(d.state)}>{statusName(d, t)}</Tag>
        </span>
      </div>
      <div className="summary-item">
        <span className="summary-label">{t('dossier.fields.step')}</span>
        <span className="summary-value">{d.currentStep || '—'}</span>
      </div>
      <div className="summary-item">
        <span className="summary-label">{t('dossier.fields.submittedAt')}</span>
        <span className="summary-value">
          <DateTime value={d.submittedAt} />
        </span>
      </div>
      <div className="summary-item">
        <span className="summary-label">{t('dossier.fields.dueAt')}</span>
        <span className="summary-value">{d.dueAt ? <DateTime value={d.dueAt} /> : t('dossier.fields.dueUnset')}</span>
      </div>
    </div>
  );
}

/** The public facts of a dossier (no personal data): what the QR code and the tracking page show. */
export function PublicFacts({ d }: { d: PublicDossier }) {
  const { t } = useTranslation();
  return (
    <Details
      items={[
        [t('dossier.fields.code'), <strong key="c">{d.code}</strong>],
        [t('dossier.fields.procedure'), d.procedureName],
        [t('dossier.fields.agency'), d.agencyName],
        [
          t('dossier.fields.status'),
          <Tag key="s" tone={publicStatusTone(d.publicStatus)}>
            {d.publicStatusName}
          </Tag>,
        ],
        [t('dossier.fields.step'), d.currentStep],
        [t('dossier.fields.channel'), t(`dossier.channelNames.${d.channel}`)],
        [t('dossier.fields.submittedAt'), <DateTime key="a" value={d.submittedAt} />],
        [t('dossier.fields.receivedAt'), <DateTime key="r" value={d.receivedAt} />],
        [t('dossier.fields.dueAt'), d.dueAt ? <DateTime key="d" value={d.dueAt} /> : t('dossier.fields.dueUnset')],
      ]}
    />
  );
}

export function DossierFacts({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  return (
    <Details
      items={[
        [t('dossier.fields.procedure'), `${d.procedureName} (${d.procedureCode})`],
        [t('dossier.fields.agency'), d.agencyName],
        [t('dossier.fields.desk'), d.deskAgencyName],
        [t('dossier.fields.channel'), t(`dossier.channelNames.${d.channel}`)],
        // Filed for someone else (an authorisation, a business): for whom, and by whom.
        [
          t('dossier.fields.onBehalfOf'),
          d.onBehalfOf ? `${d.onBehalfOf.name} (${t(`dossier.principalKinds.${d.onBehalfOf.kind}`)})` : null,
        ],
        [t('dossier.fields.submittedBy'), d.onBehalfOf ? d.submittedBy : null],
        [t('dossier.fields.receivedAt'), <DateTime key="r" value={d.receivedAt} />],
        [t('dossier.delivery.result'), deliveryLabel(t, d.resultDelivery)],
        [t('dossier.delivery.notify'), d.notifyChannel ? `${t(`dossier.channels.${d.notifyChannel}`)}: ${d.notifyTo ?? ''}` : null],
      ]}
    />
  );
}

export function FormAnswers({ fields, values }: { fields: FormField[]; values: DossierDetail['form'] }) {
  const { t } = useTranslation();
  const shown = fields.filter((f) => values[f.key] !== undefined && values[f.key] !== null && values[f.key] !== '');
  if (shown.length === 0) return <p className="muted">{t('dossier.detail.noAnswers')}</p>;
  // Keyed by field (two fields of a form may share a label, e.g. the applicant's and the child's date of birth).
  return (
    <dl className="details">
      {shown.map((f) => {
        const v = values[f.key];
        return (
          <div className="details-row" key={f.key}>
            <dt>{f.label}</dt>
            <dd>{f.type === 'unit' && typeof v === 'string' ? <UnitName code={v} /> : displayValue(f, v, t)}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/**
 * Files by component, in the procedure's order, then the papers the office issued. `dossierId` makes
 * the names links (the owner's page); the tracking page lists names only.
 */
export function FileGroups({ files, components, dossierId }: { files: DossierFile[]; components: Component[]; dossierId?: string }) {
  const { t, i18n } = useTranslation();
  const keys = [...components.map((c) => c.key), ...files.map((f) => f.componentKey)].filter((k, i, all) => all.indexOf(k) === i);
  const groups = keys
    .map((k) => ({
      key: k,
      name: k === ISSUED ? t('dossier.detail.issued') : (components.find((c) => c.key === k)?.name ?? k),
      files: files.filter((f) => f.componentKey === k),
    }))
    .filter((g) => g.files.length > 0);
  if (groups.length === 0) return <p className="muted">{t('dossier.detail.noFiles')}</p>;
  return (
    <Details
      items={groups.map((g) => [
        g.name,
        <ul className="plain-list" key={g.key}>
          {g.files.map((f) => (
            <li key={f.fileId}>
              {dossierId ? (
                <a href={dossierFileUrl(dossierId, f.fileId)} target="_blank" rel="noopener">
                  {f.name}
                </a>
              ) : (
                f.name
              )}{' '}
              <span className="muted">({formatSize(f.size, i18n.language)})</span>
              {f.superseded && (
                <>
                  {' '}
                  <Tag>{t('dossier.detail.superseded')}</Tag>
                </>
              )}
              {f.reused && (
                <>
                  {' '}
                  <Tag tone="success">{t('edata.reused')}</Tag>
                </>
              )}
            </li>
          ))}
        </ul>,
      ])}
    />
  );
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** What an action said, in words: the reason, the list to supplement, the reasons of a refusal, the new due date. */
function ActionDetails({ details }: { details: TimelineEntry['details'] }) {
  const { t } = useTranslation();
  const parts: ReactNode[] = [];
  if (isText(details.reason)) parts.push(<p key="reason">{t('dossier.timeline.reason', { reason: details.reason })}</p>);
  const items = Array.isArray(details.items) ? details.items.map((i) => (i as { text?: unknown })?.text).filter(isText) : [];
  if (items.length > 0) {
    parts.push(
      <ul key="items">
        {items.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>,
    );
  }
  const reasons = Array.isArray(details.reasons) ? details.reasons.filter(isText) : [];
  if (reasons.length > 0) {
    parts.push(
      <ul key="reasons">
        {reasons.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>,
    );
  }
  if (isText(details.dueAt)) parts.push(<p key="due">{t('dossier.timeline.due', { date: formatDateTime(details.dueAt) })}</p>);
  return parts.length > 0 ? <div className="dossier-action-details">{parts}</div> : null;
}

/** Edits of a draft are the applicant's own typing, not steps of the procedure: the timeline leaves them out. */
export const visibleEntries = (entries: TimelineEntry[]) => entries.filter((e) => e.action !== 'update_draft');

export function Timeline({ entries: all }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation();
  const entries = visibleEntries(all);
  if (entries.length === 0) return <p className="muted">{t('dossier.detail.noTimeline')}</p>;
  return (
    <ol className="timeline">
      {entries.map((e) => (
        <li key={e.seq}>
          <span className="timeline-title">{e.actionName}</span>
          <div className="timeline-meta">
            <time dateTime={isoOf(e.at)}>{formatDateTime(e.at)}</time> · {e.actorLabel}
          </div>
          {e.note && <p className="pre-line">{e.note}</p>}
          <ActionDetails details={e.details} />
        </li>
      ))}
    </ol>
  );
}
