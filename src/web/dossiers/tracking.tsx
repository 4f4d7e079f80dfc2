/**
 * Public tracking (/tra-cuu, /tra-cuu/:code — the QR code on the receipt opens the latter): anyone sees
 * the public facts of a dossier by its code (no personal data). The details and the timeline need the
 * last 4 digits of the applicant's ID number or their phone number; wrong answers are rate-limited.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../api';
import { useProcedureVersion } from '../catalog/catalog';
import { normalisePhone } from '../procedure-form/values';
import {
  Button,
  EmptyState,
  ErrorState,
  type Errors,
  FormView,
  Loading,
  Notice,
  PageHeader,
  rules,
  Section,
  TextField,
  useForm,
} from '../ui';
import { lookupDossier, trackingPath, usePublicDossier } from './api';
import { RadioGroup } from './controls';
import { DOSSIER_CODE_RE, type DossierDetail } from './types';
import { FileGroups, PublicFacts, Timeline } from './view';
import { normaliseCode } from './wording';

function CodeForm({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm({
    initial: { code: initial },
    validate: (v): Errors => {
      const code = normaliseCode(v.code);
      const required = rules.required()(code);
      if (required) return { code: required };
      return DOSSIER_CODE_RE.test(code) ? {} : { code: t('dossier.track.codeFormat') };
    },
    onSubmit: (v) => navigate(trackingPath(normaliseCode(v.code))),
  });
  return (
    <FormView form={form} label={t('dossier.track.title')} className="narrow">
      <TextField
        label={t('dossier.fields.code')}
        hint={t('dossier.track.codeHint')}
        required
        field={form.field('code', t('dossier.fields.code'))}
        value={form.values.code}
        onValue={(v) => form.set('code', v)}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={60}
      />
      <Button type="submit">{t('dossier.track.search')}</Button>
    </FormView>
  );
}

export function TrackingSearchPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('dossier.track.title')} lead={t('dossier.track.lead')} breadcrumbs={[{ to: '/', label: t('nav.home') }]} />
      <CodeForm />
    </>
  );
}

const tooMany = (e: unknown) => e instanceof ApiError && e.status === 429;

export function TrackingPage() {
  const { t } = useTranslation();
  const { code: param = '' } = useParams();
  const code = normaliseCode(param);
  const valid = DOSSIER_CODE_RE.test(code);
  const q = usePublicDossier(valid ? code : '');
  const [detail, setDetail] = useState<DossierDetail | null>(null);
  const header = (
    <PageHeader
      title={t('dossier.track.titleCode', { code })}
      breadcrumbs={[
        { to: '/', label: t('nav.home') },
        { to: '/tra-cuu', label: t('dossier.track.title') },
      ]}
    />
  );
  const notFound = !valid || (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 400));
  if (notFound) {
    return (
      <>
        {header}
        <EmptyState title={t('dossier.track.notFound')}>
          <p>{t('dossier.track.notFoundText')}</p>
        </EmptyState>
        <Section title={t('dossier.track.again')} id="track-again">
          <CodeForm initial={code} />
        </Section>
      </>
    );
  }
  if (q.isPending) return <Loading />;
  if (q.isError) {
    return (
      <>
        {header}
        {tooMany(q.error) ? (
          <Notice tone="error" live title={t('dossier.track.tooMany')}>
            <p>{(q.error as ApiError).problem.detail || t('dossier.track.tooManyText')}</p>
          </Notice>
        ) : (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        )}
      </>
    );
  }
  return (
    <>
      {header}
      <Section title={t('dossier.track.publicInfo')} id="track-public">
        <PublicFacts d={q.data} />
      </Section>
      {detail ? (
        <LookupResult d={detail} />
      ) : (
        <Section title={t('dossier.track.more')} id="track-more">
          <LookupForm code={code} onFound={setDetail} />
        </Section>
      )}
    </>
  );
}

/** What the applicant sees after proving who they are: the files (names only) and the whole timeline. */
function LookupResult({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  const procedure = useProcedureVersion(d.procedureId, d.procedureVersion);
  const heading = useRef<HTMLHeadingElement>(null);
  // The form this replaces had focus: hand it to the result's heading so screen readers read on from there.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="section" aria-labelledby="track-detail">
      <div className="section-header">
        <h2 id="track-detail" ref={heading} tabIndex={-1}>
          {t('dossier.track.detail')}
        </h2>
      </div>
      <h3>{t('dossier.detail.files')}</h3>
      <FileGroups files={d.files} components={procedure.data?.components ?? []} />
      <h3>{t('dossier.detail.timeline')}</h3>
      <Timeline entries={d.timeline} />
    </section>
  );
}

function LookupForm({ code, onFound }: { code: string; onFound: (d: DossierDetail) => void }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<'idLast4' | 'phone'>('idLast4');
  const form = useForm({
    initial: { answer: '' },
    validate: (v): Errors => {
      const answer = v.answer.trim();
      if (!answer) return { answer: t('validation.required') };
      if (by === 'idLast4' && !/^[0-9]{4}$/.test(answer)) return { answer: t('dossier.track.last4Format') };
      if (by === 'phone' && !/^\+?[0-9]{9,14}$/.test(normalisePhone(answer))) return { answer: t('dossier.check.phone') };
      return {};
    },
    onSubmit: async (v) => {
      const answer = v.answer.trim();
      try {
        onFound(await lookupDossier(code, by === 'idLast4' ? { idLast4: answer } : { phone: normalisePhone(answer) }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          throw new ApiError({ ...e.problem, title: t('dossier.track.noMatch'), detail: t('dossier.track.noMatchText'), errors: [] });
        }
        if (tooMany(e)) {
          throw new ApiError({
            ...(e as ApiError).problem,
            title: t('dossier.track.tooMany'),
            detail: t('dossier.track.tooManyText'),
            errors: [],
          });
        }
        throw e;
      }
    },
  });
  const label = by === 'idLast4' ? t('dossier.track.last4') : t('dossier.track.phone');
  return (
    <FormView form={form} label={t('dossier.track.more')} className="narrow">
      <p>{t('dossier.track.moreLead')}</p>
      <RadioGroup
        id="track-by"
        name="by"
        legend={t('dossier.track.by')}
        options={[
          { value: 'idLast4', label: t('dossier.track.last4') },
          { value: 'phone', label: t('dossier.track.phone') },
        ]}
        value={by}
        onValue={(v) => {
          setBy(v as 'idLast4' | 'phone');
          form.set('answer', '');
        }}
      />
      <TextField
        label={label}
        required
        field={form.field('answer', label)}
        value={form.values.answer}
        onValue={(v) => form.set('answer', v)}
        inputMode={by === 'idLast4' ? 'numeric' : 'tel'}
        type={by === 'idLast4' ? 'text' : 'tel'}
        maxLength={by === 'idLast4' ? 4 : 20}
        autoComplete="off"
        className="input-short"
      />
      <Button type="submit" busy={form.submitting}>
        {t('dossier.track.show')}
      </Button>
    </FormView>
  );
}
