/**
 * "Ủy quyền" in the account pages: authorising another citizen (by username) to file and follow my
 * dossiers — for every procedure or for the ones picked from the catalogue — until a date; the
 * authorisations I gave (revoke) and received (renounce).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import { RadioGroup } from '../dossiers/controls';
import {
  Button,
  check,
  Day,
  FormView,
  Notice,
  PagedList,
  PageHeader,
  problemText,
  rules,
  Section,
  Tag,
  TextArea,
  TextField,
  useForm,
  usePagedList,
} from '../ui';
import { type Authorisation, GIVEN, PARTIES, partiesApi, RECEIVED } from './api';

const invalidate = (qc: ReturnType<typeof useQueryClient>) =>
  qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith(PARTIES) });

/** `YYYY-MM-DD` of a day, n days from today (local time). */
function dayFromNow(n: number): string {
  const d = new Date(Date.now() + n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The day (`YYYY-MM-DD`, Vietnam time) of an instant. */
const vnDay = (instant: string) => new Date(new Date(instant).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The day an exclusive end instant closes (the last day it is valid), as `YYYY-MM-DD` in Vietnam time. */
function lastDay(validUntil: string): string {
  return new Date(new Date(validUntil).getTime() - 1 + 7 * 3_600_000).toISOString().slice(0, 10);
}

export default function AuthorisationsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('parties.authorisations.title')} lead={t('parties.authorisations.lead')} />
      <GiveForm />
      <AuthorisationList side="given" />
      <AuthorisationList side="received" />
    </>
  );
}

interface ProcedureHit {
  code: string;
  name: string;
}

interface GiveValues extends Record<string, unknown> {
  granteeUsername: string;
  scope: 'all' | 'some';
  procedureCodes: ProcedureHit[];
  validUntil: string;
  note: string;
}

function GiveForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<GiveValues>({
    initial: { granteeUsername: '', scope: 'some', procedureCodes: [], validUntil: '', note: '' },
    validate: (v) => {
      const e = check(v, { granteeUsername: [rules.required()], validUntil: [rules.required()], note: [rules.maxLength(1000)] });
      if (v.scope === 'some' && v.procedureCodes.length === 0) e.procedureCodes = t('parties.authorisations.pickOne');
      if (!e.validUntil && v.validUntil < dayFromNow(0)) e.validUntil = t('parties.authorisations.untilFuture');
      if (!e.validUntil && v.validUntil > dayFromNow(5 * 365 + 1)) e.validUntil = t('parties.authorisations.untilMax');
      return e;
    },
    onSubmit: async (v) => {
      const z = await partiesApi.authorise({
        granteeUsername: v.granteeUsername.trim().toLowerCase(),
        procedureCodes: v.scope === 'all' ? [] : v.procedureCodes.map((p) => p.code),
        validUntil: v.validUntil,
        note: v.note.trim() || undefined,
      });
      form.reset();
      setDone(z.grantee.displayName);
      await invalidate(qc);
    },
  });
  const scopeField = form.field('scope', t('parties.authorisations.scope'));
  const procField = form.field('procedureCodes', t('parties.authorisations.procedures'));
  return (
    <Section title={t('parties.authorisations.give')}>
      {done && <Notice tone="success" live title={t('parties.authorisations.given', { name: done })} />}
      <FormView form={form}>
        <TextField
          label={t('parties.authorisations.grantee')}
          hint={t('parties.authorisations.granteeHint')}
          required
          autoComplete="off"
          field={form.field('granteeUsername', t('parties.authorisations.grantee'))}
          value={form.values.granteeUsername}
          onValue={(v) => form.set('granteeUsername', v)}
        />
        <RadioGroup
          id={scopeField.id}
          name={scopeField.name}
          legend={t('parties.authorisations.scope')}
          required
          value={form.values.scope}
          onValue={(v) => form.set('scope', v as GiveValues['scope'])}
          options={[
            { value: 'some', label: t('parties.authorisations.scopeSome') },
            { value: 'all', label: t('parties.authorisations.scopeAll'), hint: t('parties.authorisations.scopeAllHint') },
          ]}
        />
        {form.values.scope === 'some' && (
          <ProcedurePicker
            fieldId={procField.id}
            error={procField.error}
            value={form.values.procedureCodes}
            onValue={(v) => form.set('procedureCodes', v)}
          />
        )}
        <TextField
          type="date"
          label={t('parties.authorisations.until')}
          hint={t('parties.authorisations.untilHint')}
          required
          min={dayFromNow(0)}
          field={form.field('validUntil', t('parties.authorisations.until'))}
          value={form.values.validUntil}
          onValue={(v) => form.set('validUntil', v)}
        />
        <TextArea
          label={t('parties.authorisations.note')}
          rows={2}
          field={form.field('note', t('parties.authorisations.note'))}
          value={form.values.note}
          onValue={(v) => form.set('note', v)}
        />
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('parties.authorisations.giveButton')}
          </Button>
        </div>
      </FormView>
    </Section>
  );
}

/** Search the catalogue and pick procedures (a list of chosen ones with "Bỏ"). */
function ProcedurePicker({
  fieldId,
  error,
  value,
  onValue,
}: {
  fieldId: string;
  error?: string;
  value: ProcedureHit[];
  onValue: (v: ProcedureHit[]) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [term, setTerm] = useState('');
  const found = useQuery({
    queryKey: ['/api/v1/procedures', { q: term, limit: 8, parties: true }],
    queryFn: ({ signal }) => api.get<Page<ProcedureHit>>('/api/v1/procedures', { q: term, limit: 8 }, { signal }),
    enabled: term.trim().length >= 2,
  });
  const chosen = new Set(value.map((p) => p.code));
  return (
    <fieldset className={['fieldset', error ? 'field-invalid' : ''].filter(Boolean).join(' ')} id={fieldId} tabIndex={-1}>
      <legend className="field-label">{t('parties.authorisations.procedures')}</legend>
      {error && (
        <p className="field-error" id={`${fieldId}-error`}>
          {error}
        </p>
      )}
      {value.length > 0 && (
        <ul className="chip-list">
          {value.map((p) => (
            <li key={p.code}>
              {p.name} <code>{p.code}</code>{' '}
              <Button
                variant="link"
                onClick={() => onValue(value.filter((x) => x.code !== p.code))}
                aria-label={t('parties.authorisations.unpickLabel', { name: p.name })}
              >
                {t('parties.authorisations.unpick')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <TextField
        label={t('parties.authorisations.search')}
        hint={t('parties.authorisations.searchHint')}
        field={{ id: `${fieldId}-q`, name: 'procedureSearch' }}
        value={q}
        onValue={setQ}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            setTerm(q);
          }
        }}
      />
      <Button variant="secondary" onClick={() => setTerm(q)}>
        {t('parties.authorisations.searchButton')}
      </Button>
      {found.isError && <Notice tone="error" title={problemText(found.error, t).title} />}
      {found.data && (
        <ul className="result-list" aria-live="polite">
          {found.data.items.length === 0 && <li>{t('parties.authorisations.noHits')}</li>}
          {found.data.items.map((p) => (
            <li key={p.code} className="result-card">
              <span>{p.name}</span> <code>{p.code}</code>{' '}
              {chosen.has(p.code) ? (
                <Tag tone="success">{t('parties.authorisations.picked')}</Tag>
              ) : (
                <Button
                  variant="secondary"
                  onClick={() => onValue([...value, { code: p.code, name: p.name }])}
                  aria-label={t('parties.authorisations.pickLabel', { name: p.name })}
                >
                  {t('parties.authorisations.pick')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

function StatusTag({ status }: { status: Authorisation['status'] }) {
  const { t } = useTranslation();
  const tone = status === 'live' ? 'success' : status === 'pending' ? 'info' : status === 'expired' ? 'warning' : 'neutral';
  return <Tag tone={tone}>{t(`parties.authorisations.status.${status}`)}</Tag>;
}

function AuthorisationList({ side }: { side: 'given' | 'received' }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = usePagedList<Authorisation>(side === 'given' ? GIVEN : RECEIVED, {}, { limit: 20 });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; title: string; detail?: string } | null>(null);
  const end = useMutation({
    mutationFn: (id: string) => partiesApi.revoke(id),
    onSuccess: async () => {
      setNotice({ tone: 'success', title: side === 'given' ? t('parties.authorisations.revoked') : t('parties.authorisations.renounced') });
      await invalidate(qc);
    },
    onError: (e) => setNotice({ tone: 'error', ...problemText(e, t) }),
  });
  return (
    <Section title={side === 'given' ? t('parties.authorisations.givenTitle') : t('parties.authorisations.receivedTitle')}>
      {notice && (
        <Notice tone={notice.tone} live title={notice.title}>
          {notice.detail}
        </Notice>
      )}
      <PagedList
        list={list}
        emptyTitle={side === 'given' ? t('parties.authorisations.givenEmpty') : t('parties.authorisations.receivedEmpty')}
      >
        {(items) => (
          <ul className="result-list">
            {items.map((z) => {
              const person = side === 'given' ? z.grantee : z.grantor;
              const open = z.status === 'live' || z.status === 'pending';
              return (
                <li className="result-card" key={z.id}>
                  <h3 className="result-title">
                    {side === 'given'
                      ? t('parties.authorisations.to', { name: person.displayName, username: person.username })
                      : t('parties.authorisations.from', { name: person.displayName, username: person.username })}
                  </h3>
                  <p>
                    <StatusTag status={z.status} />
                  </p>
                  <p>
                    {z.procedures.length === 0
                      ? t('parties.authorisations.allProcedures')
                      : z.procedures.map((p) => p.name ?? p.code).join('; ')}
                  </p>
                  <p className="result-meta">
                    <span>
                      {t('parties.authorisations.validFrom')} <Day value={vnDay(z.validFrom)} />
                    </span>
                    <span>
                      {t('parties.authorisations.validThrough')} <Day value={lastDay(z.validUntil)} />
                    </span>
                  </p>
                  {z.note && <p>{z.note}</p>}
                  {open && (
                    <div className="button-row">
                      <Button
                        variant="secondary"
                        busy={end.isPending && end.variables === z.id}
                        onClick={() => end.mutate(z.id)}
                        aria-label={
                          side === 'given'
                            ? t('parties.authorisations.revokeLabel', { name: person.displayName })
                            : t('parties.authorisations.renounceLabel', { name: person.displayName })
                        }
                      >
                        {side === 'given' ? t('parties.authorisations.revoke') : t('parties.authorisations.renounce')}
                      </Button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </PagedList>
    </Section>
  );
}
