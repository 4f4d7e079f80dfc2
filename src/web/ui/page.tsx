/** Page frame pieces: title (sets document.title, takes focus after navigation), breadcrumbs, sections. */
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime, formatDay, isoOf } from '../format';

let navigated = false;
/** Called by the shell when the route changes after the first render. */
export function markNavigated(): void {
  navigated = true;
}

export function useDocumentTitle(title: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
}

export function PageHeader({
  title,
  lead,
  actions,
  breadcrumbs,
}: {
  title: string;
  lead?: ReactNode;
  actions?: ReactNode;
  breadcrumbs?: { to: string; label: string }[];
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(title);
  useEffect(() => {
    // Move focus to the new page's title so screen readers announce it (not on first load).
    if (navigated) ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div className="page-header">
      {breadcrumbs && <Breadcrumbs items={breadcrumbs} />}
      <div className="page-header-row">
        <div>
          <h1 ref={ref} tabIndex={-1}>
            {title}
          </h1>
          {lead && <div className="lead">{lead}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
    </div>
  );
}

export function Breadcrumbs({ items }: { items: { to: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <nav className="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
      <ol>
        {items.map((i) => (
          <li key={i.to}>
            <Link to={i.to}>{i.label}</Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const headingId = id ?? `s-${title.replace(/\W+/g, '-')}`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function DateTime({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  return <time dateTime={isoOf(value)}>{formatDateTime(value)}</time>;
}

/** Definition list of label/value pairs (record details). */
export function Details({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="details">
      {items.map(([k, v]) => (
        <div className="details-row" key={k}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Tag({ tone = 'neutral', children }: { tone?: 'neutral' | 'success' | 'warning' | 'danger' | 'info'; children: ReactNode }) {
  return <span className={`tag tag-${tone}`}>{children}</span>;
}

export function Day({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  return <time dateTime={value.slice(0, 10)}>{formatDay(value)}</time>;
}
