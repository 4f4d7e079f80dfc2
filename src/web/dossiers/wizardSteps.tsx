/**
 * The bodies of the wizard's steps: choosing the agency, the result delivery and notification, and
 * the review of everything before submitting. (Form pages are drawn by procedure-form/Fields.tsx,
 * attachments by uploads.tsx.)
 */
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deliveryLabel } from '../catalog/catalog';
import { UnitName } from '../procedure-form/Fields';
import { displayValue, toServer } from '../procedure-form/values';
import { Button, Details, Tag, TextField } from '../ui';
import { RadioGroup } from './controls';
import { type DraftState, suggestedRecipient } from './draft';
import type { Step } from './steps';
import { type NotifyChannel, notifyChannels, type Procedure } from './types';
import { filterByName, formatSize, recipientKind } from './wording';

export function AgencyStep({
  procedure: p,
  value,
  onValue,
  error,
}: {
  procedure: Procedure;
  value: string;
  onValue: (id: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = filterByName(p.agencies, q);
  // The current choice stays listed whatever the search.
  const chosen = p.agencies.find((a) => a.id === value);
  const list = chosen && !found.includes(chosen) ? [chosen, ...found] : found;
  return (
    <>
      <p>{t('dossier.agency.lead')}</p>
      {p.agencies.length > 6 && (
        <>
          <TextField
            label={t('dossier.agency.search')}
            field={{ id: 'dossier-agency-q', name: 'agencyQuery' }}
            type="search"
            value={q}
            onValue={setQ}
            autoComplete="off"
            enterKeyHint="search"
            onKeyDown={(e) => {
              // Enter filters the list; it must not send the step.
              if (e.key === 'Enter') e.preventDefault();
            }}
          />
          <p className="muted" aria-live="polite">
            {t('dossier.agency.found', { count: found.length })}
          </p>
        </>
      )}
      <RadioGroup
        id="dossier-agency"
        name="agencyId"
        legend={t('dossier.agency.legend')}
        required
        error={error}
        options={list.map((a) => ({ value: a.id, label: a.name }))}
        value={value}
        onValue={onValue}
      />
    </>
  );
}

export function DeliveryStep({
  procedure: p,
  state: s,
  errors,
  onChange,
}: {
  procedure: Procedure;
  state: DraftState;
  errors: Record<string, string>;
  onChange: (c: Partial<DraftState>) => void;
}) {
  const { t } = useTranslation();
  const kind = recipientKind(s.notifyChannel);
  const chooseChannel = (v: string) => {
    const channel = v as NotifyChannel;
    const previous = s.notifyChannel ? suggestedRecipient(p, s, s.notifyChannel) : '';
    // Propose the form's email or phone unless the user typed a recipient of their own.
    const keep = s.notifyTo.trim() !== '' && s.notifyTo.trim() !== previous && recipientKind(channel) === recipientKind(s.notifyChannel);
    onChange({ notifyChannel: channel, notifyTo: keep ? s.notifyTo : suggestedRecipient(p, s, channel) });
  };
  return (
    <>
      {p.resultDelivery.length > 0 && (
        <RadioGroup
          id="dossier-delivery"
          name="resultDelivery"
          legend={t('dossier.delivery.result')}
          required
          error={errors.resultDelivery}
          options={p.resultDelivery.map((d) => ({ value: d, label: deliveryLabel(t, d), hint: t(`dossier.delivery.hints.${d}`) }))}
          value={s.resultDelivery}
          onValue={(v) => onChange({ resultDelivery: v as DraftState['resultDelivery'] })}
        />
      )}
      <RadioGroup
        id="dossier-notify"
        name="notifyChannel"
        legend={t('dossier.delivery.notify')}
        hint={t('dossier.delivery.notifyHint')}
        required
        error={errors.notifyChannel}
        options={notifyChannels.map((c) => ({ value: c, label: t(`dossier.channels.${c}`) }))}
        value={s.notifyChannel}
        onValue={chooseChannel}
      />
      {s.notifyChannel && (
        <TextField
          label={kind === 'email' ? t('dossier.delivery.toEmail') : t('dossier.delivery.toPhone')}
          required
          field={{ id: 'dossier-notify-to', name: 'notifyTo', error: errors.notifyTo }}
          type={kind === 'email' ? 'email' : 'tel'}
          autoComplete={kind === 'email' ? 'email' : 'tel'}
          maxLength={200}
          value={s.notifyTo}
          onValue={(v) => onChange({ notifyTo: v })}
        />
      )}
    </>
  );
}

function EditButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="link" onClick={onClick}>
      {t('common.edit')}
      <span className="visually-hidden">: {label}</span>
    </Button>
  );
}

export function ReviewStep({
  procedure: p,
  state: s,
  steps,
  stepTitle,
  onGo,
}: {
  procedure: Procedure;
  state: DraftState;
  steps: Step[];
  stepTitle: (step: Step) => string;
  onGo: (key: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const values = toServer(p.form.fields, s.raw);
  const agency = p.agencies.find((a) => a.id === s.agencyId);
  const section = (step: Step, body: ReactNode) => {
    const title = stepTitle(step);
    return (
      <section className="review-section" key={step.key} aria-labelledby={`review-${step.key}`}>
        <div className="section-header">
          <h3 id={`review-${step.key}`}>{title}</h3>
          <EditButton label={title} onClick={() => onGo(step.key)} />
        </div>
        {body}
      </section>
    );
  };
  return (
    <>
      <p>{t('dossier.review.lead')}</p>
      {steps.map((step) => {
        switch (step.kind) {
          case 'agency':
            return section(step, <p>{agency?.name ?? '—'}</p>);
          case 'form':
            return section(
              step,
              <Details
                items={step.fields.map((f) => [
                  f.label,
                  f.type === 'unit' && typeof values[f.key] === 'string' ? (
                    <UnitName key={f.key} code={values[f.key] as string} />
                  ) : (
                    displayValue(f, values[f.key], t)
                  ),
                ])}
              />,
            );
          case 'files':
            return section(
              step,
              <Details
                items={p.components
                  .filter((c) => c.required || s.files.some((f) => f.componentKey === c.key))
                  .map((c) => {
                    const files = s.files.filter((f) => f.componentKey === c.key);
                    return [
                      c.name,
                      files.length === 0 ? (
                        t('dossier.review.noFile')
                      ) : (
                        <ul className="plain-list" key={c.key}>
                          {files.map((f) => (
                            <li key={f.fileId}>
                              {f.name} <span className="muted">({formatSize(f.size, i18n.language)})</span>
                              {(f.edataDocumentId || f.reused) && (
                                <>
                                  {' '}
                                  <Tag tone="success">{t('edata.reused')}</Tag>
                                </>
                              )}
                            </li>
                          ))}
                        </ul>
                      ),
                    ];
                  })}
              />,
            );
          case 'delivery':
            return section(
              step,
              <Details
                items={[
                  ...(p.resultDelivery.length > 0
                    ? [[t('dossier.delivery.result'), s.resultDelivery ? deliveryLabel(t, s.resultDelivery) : ''] as [string, string]]
                    : []),
                  [
                    t('dossier.delivery.notify'),
                    s.notifyChannel ? `${t(`dossier.channels.${s.notifyChannel}`)}: ${s.notifyTo.trim()}` : '',
                  ] as [string, string],
                ]}
              />,
            );
          default:
            return null;
        }
      })}
      <p className="muted">{t('dossier.review.pledge')}</p>
    </>
  );
}
