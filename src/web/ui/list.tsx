/**
 * Cursor-paginated lists: a TanStack infinite query over `{ items, nextCursor }`, the loading / empty /
 * error states every list must show, a "Tải thêm" button, and a table that stacks into cards on
 * narrow screens (no horizontal scroll at 360 px).
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page, type Query } from '../api';
import { Button } from './Button';
import { EmptyState, ErrorState, Loading } from './states';

/** `P` is the page type when the endpoint returns more than `{ items, nextCursor }` (totals, facets). */
export function usePagedList<T, P extends Page<T> = Page<T>>(
  path: string,
  query: Query = {},
  opts: { enabled?: boolean; limit?: number } = {},
) {
  const q = useInfiniteQuery({
    queryKey: [path, query],
    queryFn: ({ pageParam, signal }) => api.get<P>(path, { ...query, limit: opts.limit ?? 50, cursor: pageParam ?? undefined }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: opts.enabled ?? true,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...q, items };
}

type Paged<T> = ReturnType<typeof usePagedList<T>>;

/** Renders the list's state, the content when there are items, and the "load more" button. */
export function PagedList<T>({
  list,
  emptyTitle,
  emptyText,
  children,
}: {
  list: Paged<T>;
  emptyTitle: string;
  emptyText?: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const { t } = useTranslation();
  if (list.isPending) return <Loading />;
  if (list.isError && list.items.length === 0) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.items.length === 0) return <EmptyState title={emptyTitle}>{emptyText}</EmptyState>;
  return (
    <>
      {children(list.items)}
      <div className="list-footer">
        <p className="list-count" aria-live="polite">
          {t('list.shown', { count: list.items.length })}
        </p>
        {list.isFetchNextPageError && <ErrorState error={list.error} />}
        {list.hasNextPage && (
          <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? t('common.loading') : t('list.loadMore')}
          </Button>
        )}
      </div>
    </>
  );
}

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** Narrow, right-aligned column (numbers, actions). */
  align?: 'end';
  /** The row's title: on narrow screens it heads the card instead of being a labelled line. */
  primary?: boolean;
}

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
}) {
  return (
    <table className="table table-stack">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} scope="col" className={c.align === 'end' ? 'align-end' : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c) => (
              <td
                key={c.key}
                data-label={c.header}
                className={[c.align === 'end' ? 'align-end' : '', c.primary ? 'cell-primary' : ''].filter(Boolean).join(' ') || undefined}
              >
                {c.render(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
