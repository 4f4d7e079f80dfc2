/** /kien-nghi — published answers to petitions on administrative regulations, with search and filters. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ButtonLink, FilterBar, PagedList, PageHeader, SelectField, TextField, usePagedList, useUrlFilters } from '../ui';
import { PUBLIC_LIST, type PublicPetition, petitionsApi, petitionsKeys } from './api';
import { AnswerCard } from './shared';
import './petitions.css';

const f = (name: string) => ({ id: `pk-filter-${name}`, name });

export default function PublicListPage() {
  const { t } = useTranslation();
  const filters = useUrlFilters(['q', 'category', 'agency'] as const);
  const meta = useQuery({ queryKey: petitionsKeys.meta, queryFn: () => petitionsApi.meta(), staleTime: 5 * 60_000 });
  const list = usePagedList<PublicPetition>(
    PUBLIC_LIST,
    {
      q: filters.applied.q || undefined,
      category: filters.applied.category || undefined,
      agency: filters.applied.agency || undefined,
    },
    { limit: 20 },
  );
  return (
    <div className="narrow">
      <PageHeader
        title={t('petitions.list.title')}
        lead={t('petitions.list.lead')}
        breadcrumbs={[{ to: '/', label: t('nav.home') }]}
        actions={
          <span className="button-row">
            <ButtonLink to="/kien-nghi/gui" variant="primary">
              {t('petitions.list.submit')}
            </ButtonLink>
            <ButtonLink to="/kien-nghi/cua-toi">{t('petitions.mine.title')}</ButtonLink>
          </span>
        }
      />
      <FilterBar
        label={t('petitions.list.search')}
        submitLabel={t('petitions.list.searchButton')}
        onApply={filters.apply}
        onClear={filters.clear}
        active={filters.active}
      >
        <TextField
          label={t('petitions.list.q')}
          field={f('q')}
          value={filters.draft.q}
          onValue={(v) => filters.setDraft('q', v)}
          type="search"
        />
        <SelectField
          label={t('petitions.fields.category')}
          field={f('category')}
          value={filters.draft.category}
          onValue={(v) => filters.setDraft('category', v)}
          placeholder={t('petitions.list.all')}
          options={(meta.data?.categories ?? []).map((c) => ({ value: String(c.code), label: `${c.code}. ${c.name}` }))}
        />
        <SelectField
          label={t('petitions.fields.agency')}
          field={f('agency')}
          value={filters.draft.agency}
          onValue={(v) => filters.setDraft('agency', v)}
          placeholder={t('petitions.list.all')}
          options={(meta.data?.agencies ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
      </FilterBar>
      <PagedList
        list={list}
        emptyTitle={t('petitions.list.empty')}
        emptyText={filters.active ? t('petitions.list.emptyFiltered') : undefined}
      >
        {(items) => (
          <ul className="pk-cards">
            {items.map((p) => (
              <AnswerCard key={p.id} p={p} to={`/kien-nghi/${p.id}`} />
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
