/**
 * /kien-nghi/gui — the petition form (NĐ 20/2008): the receiving agency, the content category (Art. 5), the
 * regulation concerned, content and proposal, attachments (signed-in only), and the petitioner's name, address
 * and contact (required without an account). One Idempotency-Key per form: a resend after a network failure
 * does not create a second petition.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { uploadFile, uuid } from '../api';
import { useMe } from '../app/auth';
import {
  Button,
  ButtonLink,
  ErrorState,
  FileField,
  FormView,
  Loading,
  Notice,
  PageHeader,
  Section,
  SelectField,
  TextArea,
  TextField,
  useForm,
} from '../ui';
import { type Petition, petitionsApi, petitionsKeys } from './api';
import { emptyForm, type FormValues, toBody, validateForm } from './logic';
import './petitions.css';

export default function FormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: me, isPending: mePending } = useMe();
  const meta = useQuery({ queryKey: petitionsKeys.meta, queryFn: () => petitionsApi.meta(), staleTime: 5 * 60_000 });
  const [key] = useState(() => uuid());
  const [files, setFiles] = useState<File[]>([]);
  const [done, setDone] = useState<Petition | null>(null);
  const signedIn = !!me;
  const form = useForm<FormValues>({
    initial: emptyForm,
    validate: (v) => Object.fromEntries(Object.entries(validateForm(v, signedIn)).map(([k, m]) => [k, t(`petitions.form.errors.${m}`)])),
    onSubmit: async (v) => {
      const ids: string[] = [];
      for (const file of files) ids.push((await uploadFile(file)).id);
      const p = await petitionsApi.submit(toBody(v, ids), key);
      await queryClient.invalidateQueries({ queryKey: petitionsKeys.mine });
      if (signedIn) navigate(`/kien-nghi/${p.id}`, { state: { submitted: p.registerNumber } });
      else setDone(p);
    },
  });
  const crumbs = [
    { to: '/', label: t('nav.home') },
    { to: '/kien-nghi', label: t('petitions.list.title') },
  ];
  if (done) {
    return (
      <div className="narrow">
        <PageHeader title={t('petitions.form.doneTitle')} breadcrumbs={crumbs} />
        <Notice tone="success" live title={t('petitions.form.doneRegister', { number: done.registerNumber, agency: done.agencyName })}>
          <p>{t('petitions.form.doneText')}</p>
        </Notice>
        <ButtonLink to="/kien-nghi">{t('petitions.list.title')}</ButtonLink>
      </div>
    );
  }
  if (mePending || meta.isPending) return <Loading />;
  if (meta.isError) return <ErrorState error={meta.error} onRetry={() => void meta.refetch()} />;
  const v = form.values;
  return (
    <div className="narrow">
      <PageHeader title={t('petitions.form.title')} lead={t('petitions.form.lead')} breadcrumbs={crumbs} />
      <FormView form={form} label={t('petitions.form.title')}>
        <Section title={t('petitions.form.aboutTitle')}>
          <SelectField
            label={t('petitions.fields.agency')}
            required
            field={form.field('agencyId', t('petitions.fields.agency'))}
            value={v.agencyId}
            onValue={(x) => form.set('agencyId', x)}
            placeholder={t('petitions.form.choose')}
            options={meta.data.agencies.map((a) => ({ value: a.id, label: a.name }))}
          />
          <SelectField
            label={t('petitions.fields.category')}
            required
            hint={t('petitions.form.categoryHint')}
            field={form.field('category', t('petitions.fields.category'))}
            value={v.category}
            onValue={(x) => form.set('category', x)}
            placeholder={t('petitions.form.choose')}
            options={meta.data.categories.map((c) => ({ value: String(c.code), label: `${c.code}. ${c.name}` }))}
          />
          <TextField
            label={t('petitions.fields.regulation')}
            required
            hint={t('petitions.form.regulationHint')}
            field={form.field('regulation', t('petitions.fields.regulation'))}
            value={v.regulation}
            onValue={(x) => form.set('regulation', x)}
            maxLength={500}
          />
          <TextArea
            label={t('petitions.fields.content')}
            required
            field={form.field('content', t('petitions.fields.content'))}
            value={v.content}
            onValue={(x) => form.set('content', x)}
            rows={6}
            maxLength={5000}
          />
          <TextArea
            label={t('petitions.fields.proposal')}
            hint={t('petitions.form.proposalHint')}
            field={form.field('proposal', t('petitions.fields.proposal'))}
            value={v.proposal}
            onValue={(x) => form.set('proposal', x)}
            rows={4}
            maxLength={5000}
          />
          {signedIn ? (
            <FileField
              label={t('petitions.form.attachments')}
              hint={files.length ? files.map((x) => x.name).join(', ') : t('petitions.form.attachmentsHint')}
              field={form.field('attachmentIds', t('petitions.form.attachments'))}
              accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
              onFile={(file) => file && setFiles((fs) => [...fs, file].slice(0, 10))}
            />
          ) : (
            <p className="muted">{t('petitions.form.attachmentsSignIn')}</p>
          )}
        </Section>
        <Section title={t('petitions.form.petitionerTitle')}>
          <p className="muted">{signedIn ? t('petitions.form.petitionerSignedIn') : t('petitions.form.petitionerAnon')}</p>
          <TextField
            label={t('petitions.fields.name')}
            required={!signedIn}
            field={form.field('petitioner.name', t('petitions.fields.name'))}
            value={v.name}
            onValue={(x) => form.set('name', x)}
            autoComplete="name"
            maxLength={200}
          />
          <TextField
            label={t('petitions.fields.organization')}
            field={form.field('petitioner.organization', t('petitions.fields.organization'))}
            value={v.organization}
            onValue={(x) => form.set('organization', x)}
            autoComplete="organization"
            maxLength={300}
          />
          <TextField
            label={t('petitions.fields.address')}
            required={!signedIn}
            field={form.field('petitioner.address', t('petitions.fields.address'))}
            value={v.address}
            onValue={(x) => form.set('address', x)}
            autoComplete="street-address"
            maxLength={500}
          />
          <TextField
            label={t('petitions.fields.phone')}
            field={form.field('petitioner.phone', t('petitions.fields.phone'))}
            value={v.phone}
            onValue={(x) => form.set('phone', x)}
            type="tel"
            autoComplete="tel"
            inputMode="tel"
          />
          <TextField
            label={t('petitions.fields.email')}
            field={form.field('petitioner.email', t('petitions.fields.email'))}
            value={v.email}
            onValue={(x) => form.set('email', x)}
            type="email"
            autoComplete="email"
          />
        </Section>
        <Button type="submit" busy={form.submitting}>
          {t('petitions.form.send')}
        </Button>
      </FormView>
    </div>
  );
}
