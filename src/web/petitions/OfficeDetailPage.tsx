/**
 * /office/kien-nghi/:id — a petition for the receiving agency: the record with the petitioner's contact, the
 * running deadline (forwarding within 05 working days, then handling), the full timeline, and the actions of
 * the state (classify, forward, assign, note / assessment, extend once, publish the answer, archive).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { ApiError, uploadFile } from '../api';
import { NotFound } from '../app/NotFound';
import { DueCell, useIsWorkingDay, useNow } from '../reception/tags';
import {
  Button,
  DateTime,
  Details,
  ErrorState,
  FileField,
  FormView,
  Loading,
  Notice,
  PageHeader,
  Section,
  SelectField,
  Tag,
  TextArea,
  TextField,
  useForm,
} from '../ui';
import { type ActionBody, fileUrl, type PetitionAction, type PetitionDetail, petitionsApi, petitionsKeys } from './api';
import { actionsFor, currentDue } from './logic';
import { StateTag, Timeline } from './shared';
import './petitions.css';

export default function OfficeDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const now = useNow();
  const isWorking = useIsWorkingDay();
  const q = useQuery({ queryKey: petitionsKeys.detail(id), queryFn: () => petitionsApi.get(id), retry: false });
  const recorded = (location.state as { recorded?: string } | null)?.recorded;
  const [done, setDone] = useState<string | null>(recorded ? t('petitions.office.recorded', { number: recorded }) : null);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  }
  const p = q.data;
  const due = currentDue(p);
  const items: [string, ReactNode][] = [
    [t('petitions.fields.registerNumber'), p.registerNumber],
    [t('petitions.fields.agency'), p.agencyName],
    [t('petitions.fields.category'), p.categoryName],
    [t('petitions.fields.channel'), p.channelName],
    [t('petitions.fields.receivedAt'), <DateTime key="r" value={p.receivedAt} />],
    [t('petitions.fields.forwardDueAt'), <DateTime key="f" value={p.forwardDueAt} />],
    [t('petitions.fields.handleDueAt'), <DateTime key="h" value={p.handleDueAt} />],
    [t('petitions.fields.handler'), p.handlerName],
    [t('petitions.fields.petitioner'), [p.petitioner.name, p.petitioner.organization].filter(Boolean).join(' — ')],
    [t('petitions.fields.address'), p.petitioner.address],
    [t('petitions.fields.phone'), p.petitioner.phone],
    [t('petitions.fields.email'), p.petitioner.email],
  ];
  if (p.forwardAgencyName) {
    items.push([
      t('petitions.fields.forwardedTo'),
      <span key="fw">
        {p.forwardAgencyName} {p.forwardedLate && <Tag tone="danger">{t('petitions.detail.late')}</Tag>}
      </span>,
    ]);
  }
  if (p.rejectReason) items.push([t('petitions.fields.rejectReason'), p.rejectReason]);
  return (
    <>
      <PageHeader
        title={`${p.registerNumber} — ${p.regulation}`}
        lead={<StateTag state={p.state} />}
        breadcrumbs={[
          { to: '/office', label: t('office.title') },
          { to: '/office/kien-nghi', label: t('petitions.office.title') },
        ]}
      />
      {done && <Notice tone="success" live title={done} />}
      {due && (
        <Notice tone="info" title={t(`petitions.due.${due.kind}`)}>
          <DueCell dueAt={due.at} now={now} isWorking={isWorking} />
        </Notice>
      )}
      <Details items={items} />
      <Section title={t('petitions.fields.content')}>
        <p className="pk-note">{p.content}</p>
        {p.proposal && (
          <>
            <h3>{t('petitions.fields.proposal')}</h3>
            <p className="pk-note">{p.proposal}</p>
          </>
        )}
        {p.attachmentIds.length > 0 && (
          <>
            <h3>{t('petitions.detail.attachments', { count: p.attachmentIds.length })}</h3>
            <ul>
              {p.attachmentIds.map((f, i) => (
                <li key={f}>
                  <a href={fileUrl(p.id, f)} target="_blank" rel="noreferrer">
                    {t('petitions.detail.attachment', { n: i + 1 })}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
      {p.answerText && (
        <Section title={t('petitions.fields.answer')}>
          <div className="pk-answer">
            <p className="pk-note">{p.answerText}</p>
            <p className="pk-meta">
              <DateTime value={p.answeredAt} /> {p.answeredLate && <Tag tone="danger">{t('petitions.detail.late')}</Tag>}
            </p>
          </div>
        </Section>
      )}
      {actionsFor(p).length > 0 && (
        <Section title={t('petitions.actions.title')}>
          <div className="pk-actions">
            {actionsFor(p).map((a) => (
              <details key={`${a}-${p.timeline.length}`} className="pk-action">
                <summary>{t(`petitions.actions.${a}`)}</summary>
                <ActionForm p={p} action={a} onDone={(msg) => setDone(msg)} />
              </details>
            ))}
          </div>
        </Section>
      )}
      <Section title={t('petitions.detail.timeline')}>
        <Timeline events={p.timeline} />
      </Section>
    </>
  );
}

type V = Record<string, string>;
const CRITERIA = ['necessity', 'legality', 'simplicity', 'feasibility', 'consistency', 'treaty'] as const;

function ActionForm({ p, action, onDone }: { p: PetitionDetail; action: PetitionAction; onDone: (msg: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const meta = useQuery({ queryKey: petitionsKeys.meta, queryFn: () => petitionsApi.meta(), enabled: action === 'forward' });
  const officers = useQuery({
    queryKey: petitionsKeys.officers(p.id),
    queryFn: () => petitionsApi.officers(p.id),
    enabled: action === 'assign',
  });
  const need = (v: string, name: string, e: V) => {
    if (!v.trim()) e[name] = t('petitions.form.errors.required');
  };
  const form = useForm<V>({
    initial: { decision: 'in_competence', kind: 'meeting', days: '5', publicSummary: p.publicSummary ?? p.summary },
    validate: (v) => {
      const e: V = {};
      if (action === 'classify' && v.decision === 'rejected') need(v.reason ?? '', 'reason', e);
      if (action === 'forward') {
        need(v.reason ?? '', 'reason', e);
        if (!v.agencyId && !v.agencyName?.trim()) e.agencyId = t('petitions.form.errors.forwardTo');
      }
      if (action === 'assign') need(v.accountId ?? '', 'accountId', e);
      if (action === 'extend') need(v.reason ?? '', 'reason', e);
      if (action === 'answer') need(v.answerText ?? '', 'answerText', e);
      if (action === 'note' && !(v.note ?? '').trim() && !CRITERIA.some((c) => (v[c] ?? '').trim())) need('', 'note', e);
      return e;
    },
    onSubmit: async (v) => {
      const body: ActionBody = {};
      const opt = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
      if (action === 'classify') Object.assign(body, { decision: v.decision, reason: opt(v.reason) });
      if (action === 'forward')
        Object.assign(body, { agencyId: v.agencyId || undefined, agencyName: opt(v.agencyName), reason: opt(v.reason) });
      if (action === 'assign') body.accountId = v.accountId;
      if (action === 'note') {
        const assessment = Object.fromEntries(CRITERIA.map((c) => [c, opt(v[c])]).filter(([, x]) => x));
        Object.assign(body, { kind: v.kind, note: opt(v.note), ...(Object.keys(assessment).length ? { assessment } : {}) });
      }
      if (action === 'extend') Object.assign(body, { days: Number(v.days), reason: opt(v.reason) });
      if (action === 'answer') {
        const answerFileId = file ? (await uploadFile(file)).id : undefined;
        Object.assign(body, { answerText: opt(v.answerText), publicSummary: opt(v.publicSummary), answerFileId });
      }
      const next = await petitionsApi.act(p.id, action, JSON.parse(JSON.stringify(body)) as ActionBody);
      queryClient.setQueryData(petitionsKeys.detail(p.id), next);
      await queryClient.invalidateQueries({ queryKey: ['/api/v1/petitions'] });
      onDone(t(`petitions.actions.done.${action}`));
    },
  });
  const v = form.values;
  const text = (name: string, label: string, area = false, required = false) =>
    area ? (
      <TextArea
        label={label}
        required={required}
        field={form.field(name, label)}
        value={v[name] ?? ''}
        onValue={(x) => form.set(name, x)}
        rows={4}
      />
    ) : (
      <TextField
        label={label}
        required={required}
        field={form.field(name, label)}
        value={v[name] ?? ''}
        onValue={(x) => form.set(name, x)}
      />
    );
  return (
    <FormView form={form} label={t(`petitions.actions.${action}`)}>
      {action === 'classify' && (
        <>
          <SelectField
            label={t('petitions.actions.decision')}
            field={form.field('decision', t('petitions.actions.decision'))}
            value={v.decision ?? ''}
            onValue={(x) => form.set('decision', x)}
            options={[
              { value: 'in_competence', label: t('petitions.actions.inCompetence') },
              { value: 'rejected', label: t('petitions.actions.rejected') },
            ]}
          />
          {text('reason', t('petitions.actions.reason'), true, v.decision === 'rejected')}
        </>
      )}
      {action === 'forward' && (
        <>
          <p className="pk-meta">
            {t('petitions.fields.forwardDueAt')}: <DateTime value={p.forwardDueAt} />
          </p>
          <SelectField
            label={t('petitions.actions.forwardAgency')}
            field={form.field('agencyId', t('petitions.actions.forwardAgency'))}
            value={v.agencyId ?? ''}
            onValue={(x) => form.set('agencyId', x)}
            placeholder={t('petitions.actions.outside')}
            options={(meta.data?.agencies ?? []).filter((a) => a.id !== p.agencyId).map((a) => ({ value: a.id, label: a.name }))}
          />
          {!v.agencyId && text('agencyName', t('petitions.actions.forwardAgencyName'))}
          {text('reason', t('petitions.actions.reason'), true, true)}
        </>
      )}
      {action === 'assign' && (
        <SelectField
          label={t('petitions.fields.handler')}
          required
          field={form.field('accountId', t('petitions.fields.handler'))}
          value={v.accountId ?? ''}
          onValue={(x) => form.set('accountId', x)}
          placeholder={t('petitions.form.choose')}
          options={(officers.data?.items ?? []).map((o) => ({
            value: o.accountId,
            label: o.department ? `${o.name} (${o.department})` : o.name,
          }))}
        />
      )}
      {action === 'note' && (
        <>
          <SelectField
            label={t('petitions.actions.noteKind')}
            field={form.field('kind', t('petitions.actions.noteKind'))}
            value={v.kind ?? 'meeting'}
            onValue={(x) => form.set('kind', x)}
            options={[
              { value: 'meeting', label: t('petitions.actions.meeting') },
              { value: 'assessment', label: t('petitions.actions.assessment') },
            ]}
          />
          {text('note', t('petitions.actions.note'), true)}
          {v.kind === 'assessment' && CRITERIA.map((c) => <div key={c}>{text(c, t(`petitions.criteria.${c}`), true)}</div>)}
        </>
      )}
      {action === 'extend' && (
        <>
          <TextField
            label={t('petitions.actions.days')}
            required
            field={form.field('days', t('petitions.actions.days'))}
            value={v.days ?? ''}
            onValue={(x) => form.set('days', x)}
            type="number"
            min={1}
            max={30}
            inputMode="numeric"
          />
          {text('reason', t('petitions.actions.reason'), true, true)}
        </>
      )}
      {action === 'answer' && (
        <>
          {text('answerText', t('petitions.fields.answer'), true, true)}
          <TextArea
            label={t('petitions.actions.publicSummary')}
            hint={t('petitions.actions.publicSummaryHint')}
            field={form.field('publicSummary', t('petitions.actions.publicSummary'))}
            value={v.publicSummary ?? ''}
            onValue={(x) => form.set('publicSummary', x)}
            rows={3}
          />
          <FileField
            label={t('petitions.actions.answerFile')}
            hint={file?.name ?? t('petitions.actions.answerFileHint')}
            field={form.field('answerFileId', t('petitions.actions.answerFile'))}
            accept=".pdf"
            onFile={setFile}
          />
        </>
      )}
      {action === 'close' && <p className="muted">{t('petitions.actions.closeText')}</p>}
      <Button type="submit" busy={form.submitting} variant={action === 'classify' && v.decision === 'rejected' ? 'danger' : 'primary'}>
        {t(`petitions.actions.${action}`)}
      </Button>
    </FormView>
  );
}
