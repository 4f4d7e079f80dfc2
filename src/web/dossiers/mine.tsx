/**
 * My dossiers (/my-dossiers): every dossier of the signed-in person, newest activity first, filtered by
 * state (kept in the address), 20 at a time with "Tải thêm". A draft leads back into the wizard.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ButtonLink, DataTable, DateTime, FilterBar, PagedList, PageHeader, SelectField, Tag, useUrlFilters } from '../ui';
import { openPath, useMyDossiers } from './api';
import { SignedIn } from './guard';
import { type DossierState, type DossierSummary, dossierStates } from './types';
import { stateTone, statusName } from './wording';

export default function MyDossiersPage() {
  return (
    <SignedIn>
      <MyDossiers />
    </SignedIn>
  );
}

const FILTERS = ['state'] as const;

function MyDossiers() {
  const { t } = useTranslation();
  const f = useUrlFilters(FILTERS);
  const state = (dossierStates as readonly string[]).includes(f.applied.state) ? (f.applied.state as DossierState) : '';
  const list = useMyDossiers(state);
  return (
    <>
      <PageHeader
        title={t('nav.myDossiers')}
        lead={t('dossier.mine.lead')}
        breadcrumbs={[{ to: '/', label: t('nav.home') }]}
        actions={
          <ButtonLink to="/procedures" variant="primary">
            {t('dossier.mine.new')}
          </ButtonLink>
        }
      />
      <FilterBar label={t('dossier.mine.filter')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <SelectField
          label={t('dossier.fields.status')}
          field={{ id: 'mine-state', name: 'state' }}
          value={f.draft.state}
          onValue={(v) => f.setDraft('state', v)}
          placeholder={t('common.all')}
          options={dossierStates.map((s) => ({ value: s, label: t(`dossier.states.${s}`) }))}
        />
      </FilterBar>
      <PagedList
        list={list}
        emptyTitle={f.active ? t('dossier.mine.noMatch') : t('dossier.mine.empty')}
        emptyText={
          <p>
            {t('dossier.mine.emptyText')} <Link to="/procedures">{t('dossier.mine.toCatalogue')}</Link>
          </p>
        }
      >
        {(items) => (
          <DataTable<DossierSummary>
            caption={t('nav.myDossiers')}
            rows={items}
            rowKey={(d) => d.id}
            columns={[
              {
                key: 'code',
                header: t('dossier.fields.code'),
                primary: true,
                render: (d) => (
                  <Link to={openPath(d)} className="nowrap">
                    {d.code ?? t('dossier.states.draft')}
                    {!d.code && <span className="visually-hidden">: {d.procedureName}</span>}
                  </Link>
                ),
              },
              { key: 'procedure', header: t('dossier.fields.procedure'), render: (d) => d.procedureName },
              {
                key: 'status',
                header: t('dossier.fields.status'),
                render: (d) => <Tag tone={stateTone(d.state)}>{statusName(d, t)}</Tag>,
              },
              { key: 'submitted', header: t('dossier.fields.submittedAt'), render: (d) => <DateTime value={d.submittedAt} /> },
              { key: 'due', header: t('dossier.fields.dueAt'), render: (d) => <DateTime value={d.dueAt} /> },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}
