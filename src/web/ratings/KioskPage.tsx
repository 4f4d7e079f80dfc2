/**
 * /danh-gia/quay — the kiosk at the desk: the applicant types the dossier code and the last 4 digits of
 * their ID number or phone (as on the tracking page), rates, and the page returns to the start for the
 * next person. Large controls; nothing about the applicant is shown.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Details, FormView, PageHeader, TextField, useForm } from '../ui';
import type { Errors } from '../ui/form';
import { type PublicInfo, type Rating, ratingsApi } from './api';
import { RatingBody } from './LinkPage';
import './ratings.css';

const RESTART_SECONDS = 20;

export default function KioskPage() {
  const { t } = useTranslation();
  const [found, setFound] = useState<(PublicInfo & { token: string }) | null>(null);
  const [done, setDone] = useState<Rating | null>(null);
  const restart = () => {
    setFound(null);
    setDone(null);
  };
  // After a rating, the kiosk goes back to the start by itself.
  useEffect(() => {
    if (!done) return;
    const timer = window.setTimeout(() => {
      setFound(null);
      setDone(null);
    }, RESTART_SECONDS * 1000);
    return () => window.clearTimeout(timer);
  }, [done]);
  return (
    <div className="rating-kiosk">
      <PageHeader title={t('ratings.kiosk.title')} lead={t('ratings.kiosk.lead')} />
      {!found ? (
        <Lookup onFound={setFound} />
      ) : (
        <>
          <Details
            items={[
              [t('ratings.fields.code'), found.dossierCode],
              [t('ratings.fields.procedure'), found.procedureName],
              [t('ratings.fields.agency'), found.agencyName],
            ]}
          />
          <RatingBody info={found} done={done} onRate={async (body) => setDone(await ratingsApi.rateByToken(found.token, body))} />
          <p>
            <Button variant="secondary" onClick={restart}>
              {done ? t('ratings.kiosk.next') : t('common.cancel')}
            </Button>
          </p>
        </>
      )}
    </div>
  );
}

function Lookup({ onFound }: { onFound: (f: PublicInfo & { token: string }) => void }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { code: '', last4: '' },
    validate: (v): Errors => {
      const e: Errors = {};
      if (!v.code.trim()) e.code = t('validation.required');
      if (!/^\d{4}$/.test(v.last4.trim())) e.last4 = t('ratings.kiosk.last4Invalid');
      return e;
    },
    onSubmit: async (v) => onFound(await ratingsApi.kioskLookup(v.code.trim(), v.last4.trim())),
  });
  return (
    <FormView form={form} label={t('ratings.kiosk.find')}>
      <TextField
        label={t('ratings.fields.code')}
        required
        autoComplete="off"
        field={form.field('code', t('ratings.fields.code'))}
        value={form.values.code}
        onValue={(v) => form.set('code', v)}
      />
      <TextField
        label={t('ratings.kiosk.last4')}
        hint={t('ratings.kiosk.last4Hint')}
        required
        inputMode="numeric"
        maxLength={4}
        autoComplete="off"
        field={form.field('last4', t('ratings.kiosk.last4'))}
        value={form.values.last4}
        onValue={(v) => form.set('last4', v)}
      />
      <Button type="submit" variant="primary" busy={form.submitting}>
        {t('ratings.kiosk.find')}
      </Button>
    </FormView>
  );
}
