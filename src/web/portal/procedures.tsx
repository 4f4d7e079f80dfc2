/**
 * The public procedure catalogue: search (accent- and typo-insensitive on the server) with facet
 * filters kept in the URL, and the detail page of one procedure. Open to everyone, signed in or not.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../api';
import { NotFound } from '../app/NotFound';
import {
  facetOptions,
  feeSummary,
  onlineLevelLabel,
  PROCEDURES,
  type ProcedureListPage,
  type ProcedureSummary,
  portalPath,
  procedureLevelLabel,
  processingTime,
  useProcedure,
} from '../catalog/catalog';
import { OnlineLevelTag, ProcedureView } from '../catalog/ProcedureView';
import {
  Button,
  ButtonLink,
  ErrorState,
  FilterBar,
  Loading,
  PagedList,
  PageHeader,
  SelectField,
  TextField,
  usePagedList,
  useUrlFilters,
} from '../ui';
import type { FieldProps } from '../ui/form';

const FILTERS = ['q', 'field', 'level', 'onlineLevel', 'agencyId'] as const;
const PAGE_SIZE = 20;
const searchField = (name: string): FieldProps => ({ id: `procedure-${name}`, name });

/** Remembered so the detail page can lead back to the same results. */
interface FromSearch {
  fromSearch?: string;
}

export function ProcedureSearch() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const f = useUrlFilters(FILTERS);
  const list = usePagedList<ProcedureSummary, ProcedureListPage>(PROCEDURES, f.applied, { limit: PAGE_SIZE });
  const first = list.data?.pages[0];
  const facets = first?.facets;
  const chosen = FILTERS.filter((k) => k !== 'q' && f.applied[k] !== '').length;
  const [filtersOpen, setFiltersOpen] = useState(chosen > 0);
  const moreId = useId();

  return (
    <>
      <PageHeader title={t('catalog.title')} lead={t('catalog.lead')} breadcrumbs={[{ to: '/', label: t('nav.home') }]} />
      <FilterBar label={t('catalog.searchLabel')} onApply={f.apply} onClear={f.clear} active={f.active} submitLabel={t('catalog.search')}>
        <TextField
          className="span-all"
          label={t('catalog.query')}
          hint={t('catalog.queryHint')}
          type="search"
          enterKeyHint="search"
          maxLength={200}
          field={searchField('q')}
          value={f.draft.q}
          onValue={(v) => f.setDraft('q', v)}
        />
        <div className="span-all filter-toggle-row">
          <Button
            variant="secondary"
            className="filter-toggle"
            aria-expanded={filtersOpen}
            aria-controls={moreId}
            onClick={() => setFiltersOpen((o) => !o)}
          >
            {chosen > 0 ? t('catalog.moreFiltersCount', { count: chosen }) : t('catalog.moreFilters')}
          </Button>
        </div>
        <div id={moreId} className={['span-all', 'filter-more', filtersOpen ? '' : 'is-collapsed'].filter(Boolean).join(' ')}>
          <SelectField
            label={t('catalog.field')}
            field={searchField('field')}
            value={f.draft.field}
            onValue={(v) => f.setDraft('field', v)}
            placeholder={t('common.all')}
            options={facetOptions(facets?.field, f.draft.field)}
          />
          <SelectField
            label={t('catalog.level')}
            field={searchField('level')}
            value={f.draft.level}
            onValue={(v) => f.setDraft('level', v)}
            placeholder={t('common.all')}
            options={facetOptions(facets?.level, f.draft.level, (x) => procedureLevelLabel(t, x.value))}
          />
          <SelectField
            label={t('catalog.onlineLevel')}
            field={searchField('onlineLevel')}
            value={f.draft.onlineLevel}
            onValue={(v) => f.setDraft('onlineLevel', v)}
            placeholder={t('common.all')}
            options={facetOptions(facets?.onlineLevel, f.draft.onlineLevel, (x) => onlineLevelLabel(t, x.value))}
          />
          <SelectField
            label={t('catalog.agency')}
            field={searchField('agencyId')}
            value={f.draft.agencyId}
            onValue={(v) => f.setDraft('agencyId', v)}
            placeholder={t('common.all')}
            options={facetOptions(facets?.agency, f.draft.agencyId)}
          />
        </div>
      </FilterBar>
      {first && (
        <p className="result-total" role="status">
          {f.active ? t('catalog.found', { count: first.total }) : t('catalog.totalAll', { count: first.total })}
        </p>
      )}
      <PagedList
        list={list}
        emptyTitle={f.active ? t('catalog.noMatch') : t('catalog.empty')}
        emptyText={f.active ? <p>{t('catalog.noMatchText')}</p> : undefined}
      >
        {(items) => (
          <ol className="result-list">
            {items.map((p) => (
              <ResultCard key={p.id} procedure={p} fromSearch={location.search} lang={i18n.language} />
            ))}
          </ol>
        )}
      </PagedList>
    </>
  );
}

function ResultCard({ procedure: p, fromSearch, lang }: { procedure: ProcedureSummary; fromSearch: string; lang: string }) {
  const { t } = useTranslation();
  const time = processingTime(p, t, lang);
  return (
    <li className="result-card">
      <h2 className="result-title">
        <Link to={portalPath(p)} state={{ fromSearch } satisfies FromSearch}>
          {p.name}
        </Link>
      </h2>
      <p className="result-meta">
        <code>{p.code}</code>
        <span>{p.field}</span>
        <span>{procedureLevelLabel(t, p.level)}</span>
      </p>
      <dl className="result-facts">
        <div>
          <dt className="visually-hidden">{t('catalog.onlineLevel')}</dt>
          <dd>
            <OnlineLevelTag level={p.onlineLevel} />
          </dd>
        </div>
        <div>
          <dt>{t('catalog.processingTimeShort')}</dt>
          <dd>{time ?? t('catalog.time.seeDetail')}</dd>
        </div>
        <div>
          <dt>{t('catalog.feeShort')}</dt>
          <dd>{feeSummary(p.feeTotalVnd, t)}</dd>
        </div>
      </dl>
    </li>
  );
}

export function ProcedurePage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const location = useLocation();
  const fromSearch = (location.state as FromSearch | null)?.fromSearch ?? '';
  const procedure = useProcedure(code);
  const back = `/procedures${fromSearch}`;
  if (procedure.isPending) return <Loading />;
  if (procedure.isError) {
    if (procedure.error instanceof ApiError && procedure.error.status === 404) return <NotFound />;
    return <ErrorState error={procedure.error} onRetry={() => void procedure.refetch()} />;
  }
  const p = procedure.data;
  const online = p.status === 'active' && p.onlineLevel !== 'thong_tin';
  return (
    <>
      <PageHeader
        title={p.name}
        lead={
          <span className="result-meta">
            <code>{p.code}</code>
            <span>{p.field}</span>
            <span>{procedureLevelLabel(t, p.level)}</span>
          </span>
        }
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: back, label: t('catalog.title') },
        ]}
      />
      <ProcedureView
        procedure={p}
        actions={
          online ? (
            <ButtonLink to={`${portalPath(p)}/nop`} variant="primary">
              {t('catalog.submitOnline')}
            </ButtonLink>
          ) : undefined
        }
      />
      <p>
        <Link to={back}>{fromSearch ? t('catalog.backToResults') : t('catalog.backToCatalog')}</Link>
      </p>
    </>
  );
}
