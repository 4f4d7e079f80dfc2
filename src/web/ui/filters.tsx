/**
 * List filters kept in the URL (?q=…&level=…) so they survive reload and can be shared.
 * The filter form edits a draft; "Lọc" applies it, "Xóa bộ lọc" clears it.
 */
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Button } from './Button';

export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const [draft, setDraft] = useState(applied);
  const appliedKey = keys.map((k) => applied[k]).join('\u0000');
  // Keep the draft in step when the URL changes (back/forward).
  // biome-ignore lint/correctness/useExhaustiveDependencies: appliedKey stands for `applied`
  useEffect(() => setDraft(applied), [appliedKey]);
  const apply = (values: Record<K, string>) => {
    const next = new URLSearchParams();
    for (const k of keys) if (values[k]) next.set(k, values[k]);
    setParams(next, { replace: false });
  };
  return {
    applied,
    draft,
    setDraft: (k: K, v: string) => setDraft((d) => ({ ...d, [k]: v })),
    apply: () => apply(draft),
    clear: () => apply(Object.fromEntries(keys.map((k) => [k, ''])) as Record<K, string>),
    active: keys.some((k) => applied[k] !== ''),
  };
}

export function FilterBar({
  label,
  onApply,
  onClear,
  active,
  submitLabel,
  children,
}: {
  label: string;
  onApply: () => void;
  onClear: () => void;
  active: boolean;
  /** Text of the submit button; "Lọc" unless given (e.g. "Tìm kiếm" for a search form). */
  submitLabel?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <form role="search"> is the established landmark pattern
    <form className="filter-bar" role="search" aria-label={label} onSubmit={submit} noValidate>
      <div className="filter-fields">{children}</div>
      <div className="filter-actions">
        <Button type="submit">{submitLabel ?? t('list.filter')}</Button>
        {active && (
          <Button variant="link" onClick={onClear}>
            {t('list.clearFilters')}
          </Button>
        )}
      </div>
    </form>
  );
}
