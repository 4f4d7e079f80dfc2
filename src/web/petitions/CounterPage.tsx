/**
 * /office/kien-nghi/ghi-nhan — counter staff record a petition received in writing, by telephone or on an
 * opinion form: logged in the agency's PAKN register at once; the date of receipt may be earlier (post).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Button, ErrorState, FormView, Loading, PageHeader, Section, SelectField, TextArea, TextField, useForm } from '../ui';
import { petitionsApi, petitionsKeys } from './api';
import { emptyForm, type FormValues, toBody, validateForm } from './logic';
import './petitions.css';

type CounterValues = FormValues & { channel: string; receivedAt: string };
const PETITIONER = new Set(['name', 'organization', 'address', 'phone', 'email']);

export default function CounterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const meta = useQuery({ queryKey: petitionsKeys.meta, queryFn: () => petitionsApi.meta(), staleTime: 5 * 60_000 });
  const agencies = useQuery({ queryKey: petitionsKeys.staffAgencies, queryFn: () => petitionsApi.staffAgencies() });
  const form = useForm<CounterValues>({
    initial: { ...emptyForm, channel: 'written', receivedAt: '' },
    validate: (v) => {
      const e = Object.fromEntries(Object.entries(validateForm(v, false)).map(([k, m]) => [k, t(`petitions.form.errors.${m}`)]));
      if (v.receivedAt && new Date(v.receivedAt).getTime() > Date.now()) e.receivedAt = t('petitions.form.errors.future');
      return e;
    },
    onSubmit: async (v) => {
      const p = await petitionsApi.counter({
        ...toBody(v),
        channel: v.channel as 'written' | 'phone' | 'form',
        ...(v.receivedAt ? { receivedAt: new Date(v.receivedAt).toISOString() } : {}),
      });
      navigate(`/office/kien-nghi/${p.id}`, { state: { recorded: p.registerNumber } });
    },
  });
  // An officer of one agency records for it without choosing.
  const only = agencies.data?.items.length === 1 ? agencies.data.items[0]?.id : undefined;
  const { set } = form;
  useEffect(() => {
    if (only) set('agencyId', only);
  }, [only, set]);
  if (meta.isPending || agencies.isPending) return <Loading />;
  if (meta.isError || agencies.isError) return <ErrorState error={meta.error ?? agencies.error} />;
  const v = form.values;
  const text = (name: keyof CounterValues & string, label: string, extra: object = {}) => (
    <TextField
      label={label}
      field={form.field(PETITIONER.has(name) ? `petitioner.${name}` : name, label)}
      value={String(v[name] ?? '')}
      onValue={(x) => form.set(name, x)}
      {...extra}
    />
  );
  return (
    <div className="narrow">
      <PageHeader
        title={t('petitions.counter.title')}
        lead={t('petitions.counter.lead')}
        breadcrumbs={[
          { to: '/office', label: t('office.title') },
          { to: '/office/kien-nghi', label: t('petitions.office.title') },
        ]}
      />
      <FormView form={form} label={t('petitions.counter.title')}>
        <Section title={t('petitions.counter.intake')}>
          <SelectField
            label={t('petitions.fields.agency')}
            required
            field={form.field('agencyId', t('petitions.fields.agency'))}
            value={v.agencyId}
            onValue={(x) => form.set('agencyId', x)}
            placeholder={t('petitions.form.choose')}
            options={agencies.data.items.map((a) => ({ value: a.id, label: a.name }))}
          />
          <SelectField
            label={t('petitions.fields.channel')}
            required
            field={form.field('channel', t('petitions.fields.channel'))}
            value={v.channel}
            onValue={(x) => form.set('channel', x)}
            options={(['written', 'phone', 'form'] as const).map((c) => ({ value: c, label: t(`petitions.channels.${c}`) }))}
          />
          {text('receivedAt', t('petitions.fields.receivedAt'), { type: 'datetime-local', hint: t('petitions.counter.receivedAtHint') })}
          <SelectField
            label={t('petitions.fields.category')}
            required
            field={form.field('category', t('petitions.fields.category'))}
            value={v.category}
            onValue={(x) => form.set('category', x)}
            placeholder={t('petitions.form.choose')}
            options={meta.data.categories.map((c) => ({ value: String(c.code), label: `${c.code}. ${c.name}` }))}
          />
          {text('regulation', t('petitions.fields.regulation'), { required: true, maxLength: 500 })}
          <TextArea
            label={t('petitions.fields.content')}
            required
            field={form.field('content', t('petitions.fields.content'))}
            value={v.content}
            onValue={(x) => form.set('content', x)}
            rows={6}
          />
          <TextArea
            label={t('petitions.fields.proposal')}
            field={form.field('proposal', t('petitions.fields.proposal'))}
            value={v.proposal}
            onValue={(x) => form.set('proposal', x)}
            rows={3}
          />
        </Section>
        <Section title={t('petitions.form.petitionerTitle')}>
          {text('name', t('petitions.fields.name'), { required: true })}
          {text('organization', t('petitions.fields.organization'))}
          {text('address', t('petitions.fields.address'), { required: true })}
          {text('phone', t('petitions.fields.phone'), { type: 'tel' })}
          {text('email', t('petitions.fields.email'), { type: 'email' })}
        </Section>
        <Button type="submit" busy={form.submitting}>
          {t('petitions.counter.save')}
        </Button>
      </FormView>
    </div>
  );
}
