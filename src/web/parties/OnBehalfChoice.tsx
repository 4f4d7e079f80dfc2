/**
 * "Nộp hồ sơ cho" at the start of a new dossier, shown only to someone who may file for others: a
 * business he represents, or a person whose authorisation covers this procedure. Filing for oneself is
 * the default and needs nothing; choosing someone else creates the draft for them at once (the owner is
 * fixed when the dossier is created) and opens it in the wizard. A draft filed for someone shows whom.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api';
import type { Procedure } from '../catalog/catalog';
import { wizardPath } from '../dossiers/api';
import type { DossierDetail } from '../dossiers/types';
import { formatDate } from '../format';
import { Button, Notice, problemText, SelectField } from '../ui';
import { AUTHORISATIONS_PAGE, type PrincipalOption, usePrincipals } from './api';

const keyOf = (o: PrincipalOption) => (o.kind === 'business' ? `b:${o.businessId}` : `c:${o.accountId}`);

export function OnBehalfChoice({
  procedure: p,
  agencyId,
}: {
  procedure: Pick<Procedure, 'id' | 'code' | 'agencies'>;
  /** The agency chosen in the wizard's first step (a dossier is created with its agency). */
  agencyId: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const principals = usePrincipals(p.code);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; detail?: string } | null>(null);
  const items = principals.data?.items ?? [];
  // Nothing to choose: only oneself (or the list is not there yet, or failed — filing for oneself still works).
  if (items.length <= 1) return null;
  const self = items[0] as PrincipalOption;
  const chosen = items.find((o) => keyOf(o) === choice) ?? self;

  const label = (o: PrincipalOption) =>
    o.via === 'self'
      ? t('parties.onBehalf.self', { name: o.name })
      : o.kind === 'business'
        ? t('parties.onBehalf.business', { name: o.name, taxCode: o.taxCode ?? '' })
        : t('parties.onBehalf.person', { name: o.name, until: formatDate(o.validUntil ?? null) });

  const start = async () => {
    if (chosen.via === 'self') return;
    setBusy(true);
    setProblem(null);
    try {
      const d = await api.post<DossierDetail>('/api/v1/dossiers', {
        procedureId: p.id,
        agencyId: agencyId || p.agencies[0]?.id,
        onBehalfOf:
          chosen.kind === 'business'
            ? { kind: 'business', businessId: chosen.businessId }
            : { kind: 'citizen', accountId: chosen.accountId },
      });
      navigate(wizardPath(p.code, d.id));
    } catch (e) {
      setProblem(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="notice notice-info" aria-labelledby="on-behalf-title">
      <h2 id="on-behalf-title" className="notice-title">
        {t('parties.onBehalf.title')}
      </h2>
      <p>{t('parties.onBehalf.lead')}</p>
      {problem && (
        <Notice tone="error" live title={problem.title}>
          {problem.detail}
        </Notice>
      )}
      <SelectField
        label={t('parties.onBehalf.label')}
        field={{ id: 'on-behalf-of', name: 'onBehalfOf' }}
        value={choice || keyOf(self)}
        onValue={setChoice}
        options={items.map((o) => ({ value: keyOf(o), label: label(o) }))}
      />
      {chosen.via !== 'self' && !agencyId && p.agencies.length > 1 && <p>{t('parties.onBehalf.agencyFirst')}</p>}
      {chosen.via !== 'self' && (agencyId || p.agencies.length <= 1) && (
        <div className="button-row">
          <Button onClick={() => void start()} busy={busy}>
            {t('parties.onBehalf.start', { name: chosen.name })}
          </Button>
        </div>
      )}
      <p>
        <Link to={AUTHORISATIONS_PAGE}>{t('parties.onBehalf.manage')}</Link>
      </p>
    </section>
  );
}

/** On a draft filed for someone else: whom it is for. */
export function OnBehalfNote({ dossier }: { dossier: Pick<DossierDetail, 'onBehalfOf'> | null }) {
  const { t } = useTranslation();
  if (!dossier?.onBehalfOf) return null;
  return (
    <Notice
      tone="info"
      title={
        dossier.onBehalfOf.kind === 'business'
          ? t('parties.onBehalf.forBusiness', { name: dossier.onBehalfOf.name })
          : t('parties.onBehalf.forPerson', { name: dossier.onBehalfOf.name })
      }
    />
  );
}
