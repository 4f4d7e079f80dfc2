/**
 * /phan-anh — the public board: filters (category, state, commune, period) kept in the URL, the list (the
 * accessible primary view, paged by cursor) and the SVG map whose current view is sent as `bbox=`.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../app/auth';
import {
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
import { BOARD_STATES, type BoardQuery, type PublicReport, stateGroup } from './api';
import { BoundaryMap, MapLegend, type MapMarker } from './BoundaryMap';
import { type BBox, bboxOf, bboxParam, communesOf } from './geo';
import { OfflineBanner, ReportCard, useBoundaries, useCategories } from './shared';

const FILTERS = ['category', 'state', 'commune', 'from', 'to'] as const;

export default function BoardPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const f = useUrlFilters(FILTERS);
  const categories = useCategories();
  const boundaries = useBoundaries();
  const communes = useMemo(() => (boundaries.data ? communesOf(boundaries.data) : []), [boundaries.data]);
  const outer = useMemo(() => (boundaries.data ? bboxOf(boundaries.data) : null), [boundaries.data]);

  // The map's view, sent as bbox once the user has moved it (the first view is the whole province).
  const [bbox, setBbox] = useState<string | undefined>(undefined);
  const firstView = useRef(true);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onViewChange = (b: BBox) => {
    if (firstView.current) {
      firstView.current = false;
      return;
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setBbox(bboxParam(b, outer ?? undefined)), 400);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const query: BoardQuery = { ...f.applied, bbox };
  const list = usePagedList<PublicReport>('/api/v1/public/field-reports', query as Record<string, string | undefined>, { limit: 50 });
  const markers: MapMarker[] = list.items
    .filter((r) => r.lon !== null && r.lat !== null)
    .map((r) => ({
      id: r.id,
      lon: r.lon as number,
      lat: r.lat as number,
      label: `${r.code} · ${r.categoryName} · ${r.stateName}`,
      group: stateGroup(r.state),
    }));

  return (
    <>
      <PageHeader
        title={t('feedback.board.title')}
        lead={t('feedback.board.lead')}
        breadcrumbs={[{ to: '/', label: t('nav.home') }]}
        actions={
          <>
            <ButtonLink to="/phan-anh/gui" variant="primary">
              {t('feedback.board.submit')}
            </ButtonLink>
            {me && <ButtonLink to="/phan-anh/cua-toi">{t('feedback.mine.title')}</ButtonLink>}
          </>
        }
      />
      <OfflineBanner />
      <details className="fr-filters" open={f.active || undefined}>
        <summary>{f.active ? t('feedback.board.filtersActive') : t('feedback.board.filters')}</summary>
        <FilterBar label={t('feedback.board.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
          <SelectField
            label={t('feedback.fields.category')}
            field={{ id: 'fr-f-category', name: 'category' }}
            value={f.draft.category}
            onValue={(v) => f.setDraft('category', v)}
            placeholder={t('common.all')}
            options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
          <SelectField
            label={t('feedback.fields.state')}
            field={{ id: 'fr-f-state', name: 'state' }}
            value={f.draft.state}
            onValue={(v) => f.setDraft('state', v)}
            placeholder={t('common.all')}
            options={BOARD_STATES.map((s) => ({ value: s, label: t(`feedback.states.${s}`) }))}
          />
          <SelectField
            label={t('feedback.fields.commune')}
            field={{ id: 'fr-f-commune', name: 'commune' }}
            value={f.draft.commune}
            onValue={(v) => f.setDraft('commune', v)}
            placeholder={t('common.all')}
            options={communes.map((c) => ({ value: c.code, label: c.name }))}
          />
          <TextField
            type="date"
            label={t('feedback.fields.from')}
            field={{ id: 'fr-f-from', name: 'from' }}
            value={f.draft.from}
            onValue={(v) => f.setDraft('from', v)}
          />
          <TextField
            type="date"
            label={t('feedback.fields.to')}
            field={{ id: 'fr-f-to', name: 'to' }}
            value={f.draft.to}
            onValue={(v) => f.setDraft('to', v)}
          />
        </FilterBar>
      </details>
      <div className="fr-board">
        <section className="fr-board-map" aria-labelledby="fr-map-title">
          <h2 id="fr-map-title" className="visually-hidden">
            {t('feedback.board.mapTitle')}
          </h2>
          {boundaries.isPending ? (
            <Loading label={t('feedback.map.loading')} />
          ) : boundaries.isError ? (
            <ErrorState error={boundaries.error} onRetry={() => void boundaries.refetch()} />
          ) : (
            <>
              <BoundaryMap
                boundaries={boundaries.data}
                label={t('feedback.board.mapLabel')}
                markers={markers}
                onMarker={(id) => navigate(`/phan-anh/${id}`)}
                onViewChange={onViewChange}
                highlight={f.applied.commune || undefined}
                testId="board-map"
              />
              <MapLegend />
              {bbox && <p className="fr-hint">{t('feedback.board.bboxHint')}</p>}
            </>
          )}
        </section>
        <section className="fr-board-list" aria-labelledby="fr-list-title">
          <h2 id="fr-list-title">{t('feedback.board.listTitle')}</h2>
          <PagedList list={list} emptyTitle={f.active || bbox ? t('list.noMatch') : t('feedback.board.empty')}>
            {(items) => (
              <ul className="fr-cards">
                {items.map((r) => (
                  <ReportCard key={r.id} r={r} />
                ))}
              </ul>
            )}
          </PagedList>
        </section>
      </div>
    </>
  );
}
