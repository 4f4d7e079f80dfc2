/** Loading, empty, error and notice blocks shared by every screen. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { Button } from './Button';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <svg className="state-icon" viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm1 2v12h14V6H5zm2 2h10v2H7V8zm0 4h6v2H7v-2z"
        />
      </svg>
      <p className="state-title">{title}</p>
      {children && <div className="state-text">{children}</div>}
      {action && <div className="state-action">{action}</div>}
    </div>
  );
}

/** Title and detail of an API problem, or a plain message for network and unknown failures. */
export function problemText(error: unknown, t: (k: string) => string): { title: string; detail?: string } {
  if (error instanceof ApiError) {
    if (error.code === 'network_error') return { title: t('errors.network.title'), detail: t('errors.network.detail') };
    if (error.status === 403 && !error.problem.detail) return { title: t('errors.forbidden') };
    return { title: error.problem.title || t('errors.generic'), detail: error.problem.detail };
  }
  return { title: t('errors.generic'), detail: error instanceof Error ? error.message : undefined };
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const { title, detail } = problemText(error, t);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      {detail && <p className="state-text">{detail}</p>}
      {onRetry && (
        <Button variant="secondary" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </div>
  );
}

export function Notice({
  tone = 'info',
  title,
  children,
  live = false,
}: {
  tone?: 'info' | 'success' | 'warning' | 'error';
  title?: string;
  children?: ReactNode;
  /** Announce to screen readers (use for results of an action). */
  live?: boolean;
}) {
  return (
    <div className={`notice notice-${tone}`} role={live ? (tone === 'error' ? 'alert' : 'status') : undefined}>
      {title && <p className="notice-title">{title}</p>}
      {children && <div className="notice-body">{children}</div>}
    </div>
  );
}
