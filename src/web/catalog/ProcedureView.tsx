/**
 * A procedure as a citizen reads it: who handles it, how far it can be done online, how long it
 * takes, what it costs, which papers to bring and on what legal basis. Shared by the portal's detail
 * page and the read-only view of an older version in the admin area.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import { DataTable, Details, EmptyState, Notice, Section, Tag } from '../ui';
import {
  type Component,
  deliveryLabel,
  type Fee,
  feeAmount,
  onlineLevelLabel,
  onlineLevelText,
  onlineLevelTone,
  type Procedure,
  procedureLevelLabel,
  processingTime,
  templateUrl,
} from './catalog';

export function OnlineLevelTag({ level }: { level: string }) {
  const { t } = useTranslation();
  return <Tag tone={onlineLevelTone(level)}>{onlineLevelLabel(t, level)}</Tag>;
}

export function ProcedureView({ procedure: p, actions }: { procedure: Procedure; actions?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const time = processingTime(p, t, i18n.language);
  return (
    <div className="procedure">
      {p.status === 'retired' && <Notice tone="warning" title={t('catalog.retired')} />}
      <Details
        items={[
          [t('catalog.code'), <code key="c">{p.code}</code>],
          [t('catalog.field'), p.field],
          [t('catalog.level'), procedureLevelLabel(t, p.level)],
          [t('catalog.agencies'), <Agencies key="a" procedure={p} />],
          [
            t('catalog.processingTime'),
            time || p.processingNote ? (
              <>
                {time && <strong>{time}</strong>}
                {p.processingNote && <p className="procedure-note">{p.processingNote}</p>}
              </>
            ) : (
              t('catalog.time.unknown')
            ),
          ],
        ]}
      />
      <div className={`online-level online-level-${p.onlineLevel}`}>
        <p className="online-level-title">
          <OnlineLevelTag level={p.onlineLevel} />
        </p>
        <p>{onlineLevelText(t, p.onlineLevel)}</p>
        {actions}
      </div>

      <Section title={t('catalog.components')} id="procedure-components">
        {p.components.length === 0 ? (
          <EmptyState title={t('catalog.noComponents')} />
        ) : (
          <>
            <p className="muted">{t('catalog.componentsLead')}</p>
            <ComponentTable procedure={p} />
          </>
        )}
      </Section>

      <Section title={t('catalog.fees')} id="procedure-fees">
        {p.fees.length === 0 ? <p>{t('catalog.noFees')}</p> : <FeeTable fees={p.fees} />}
        {p.exemptions && (
          <>
            <h3>{t('catalog.exemptions')}</h3>
            <p className="pre-line">{p.exemptions}</p>
          </>
        )}
      </Section>

      <Section title={t('catalog.result')} id="procedure-result">
        <Details
          items={[
            [t('catalog.resultType'), p.resultType],
            [
              t('catalog.resultDelivery'),
              p.resultDelivery.length > 0 ? (
                <ul className="plain-list" key="d">
                  {p.resultDelivery.map((d) => (
                    <li key={d}>{deliveryLabel(t, d)}</li>
                  ))}
                </ul>
              ) : null,
            ],
          ]}
        />
      </Section>

      <Section title={t('catalog.legalBasis')} id="procedure-legal">
        {p.legalBasis.length === 0 ? (
          <p>{t('catalog.noLegalBasis')}</p>
        ) : (
          <ul className="legal-list">
            {p.legalBasis.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        )}
      </Section>

      <p className="procedure-version">{t('catalog.versionLine', { version: p.version, date: formatDate(p.publishedAt) })}</p>
    </div>
  );
}

/** Commune procedures list every commune's People's Committee: show a few, the rest on request. */
const AGENCIES_SHOWN = 5;

function Agencies({ procedure: p }: { procedure: Procedure }) {
  const { t } = useTranslation();
  if (p.agencies.length === 0 && !p.implementingAgencyNote) return <>—</>;
  const item = (a: Procedure['agencies'][number]) => <li key={a.id}>{a.name}</li>;
  const rest = p.agencies.slice(AGENCIES_SHOWN);
  return (
    <>
      {p.implementingAgencyNote && <p className="procedure-note procedure-note-first">{p.implementingAgencyNote}</p>}
      {p.agencies.length > 0 && <ul className="plain-list">{p.agencies.slice(0, AGENCIES_SHOWN).map(item)}</ul>}
      {rest.length > 0 && (
        <details className="more-agencies">
          <summary>{t('catalog.moreAgencies', { count: rest.length })}</summary>
          <ul className="plain-list">{rest.map(item)}</ul>
        </details>
      )}
    </>
  );
}

function FeeTable({ fees }: { fees: Fee[] }) {
  const { t } = useTranslation();
  return (
    <DataTable<Fee & { i: number }>
      caption={t('catalog.fees')}
      rows={fees.map((f, i) => ({ ...f, i }))}
      rowKey={(f) => String(f.i)}
      columns={[
        { key: 'name', header: t('catalog.feeName'), primary: true, render: (f) => f.name },
        { key: 'amount', header: t('catalog.feeAmount'), render: (f) => <span className="nowrap">{feeAmount(f.amountVnd, t)}</span> },
        { key: 'note', header: t('catalog.feeNote'), render: (f) => f.note ?? '—' },
      ]}
    />
  );
}

function ComponentTable({ procedure }: { procedure: Procedure }) {
  const { t } = useTranslation();
  const components = procedure.components;
  return (
    <DataTable<Component>
      caption={t('catalog.components')}
      rows={components}
      rowKey={(c) => c.key}
      columns={[
        {
          key: 'name',
          header: t('catalog.componentName'),
          primary: true,
          render: (c) => (
            <>
              <span>{c.name}</span>
              {(c.fromEdataStore || c.templateFileId) && (
                <span className="component-extras">
                  {c.fromEdataStore && <Tag tone="success">{t('catalog.fromEdataStore')}</Tag>}
                  {c.templateFileId && (
                    <a href={templateUrl(procedure.id, procedure.version, c.key)} download>
                      {t('catalog.downloadTemplate')}
                      <span className="visually-hidden">: {c.name}</span>
                    </a>
                  )}
                </span>
              )}
            </>
          ),
        },
        {
          key: 'original',
          header: t('catalog.originalOrCopy'),
          render: (c) => (c.original == null ? '—' : c.original ? t('catalog.original') : t('catalog.copy')),
        },
        {
          key: 'copies',
          header: t('catalog.copies'),
          render: (c) => (c.copies == null ? '—' : t('catalog.copiesValue', { count: c.copies })),
        },
        {
          key: 'required',
          header: t('catalog.requirement'),
          render: (c) => (
            <span className="component-requirement">
              {c.required ? <Tag tone="warning">{t('catalog.required')}</Tag> : !c.condition && t('catalog.optional')}
              {c.condition && <span>{t('catalog.whenCondition', { condition: c.condition })}</span>}
            </span>
          ),
        },
      ]}
    />
  );
}
