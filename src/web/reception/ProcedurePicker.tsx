/**
 * Choose a procedure by searching the public catalogue (accent- and typo-tolerant on the server).
 * Results are plain buttons under the search box, their count announced politely; the choice shows
 * as a chip with a "change" button. Used by the queue filter and the counter registration.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { PROCEDURES, type ProcedureListPage, procedureLevelLabel, useProcedure } from '../catalog/catalog';
import { Button } from '../ui';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return v;
}

export interface PickedProcedure {
  id: string;
  name: string;
  code: string;
}

export function ProcedurePicker({
  label,
  hint,
  value,
  onChange,
  id,
  error,
  required = false,
  limit = 8,
}: {
  label: string;
  hint?: string;
  /** Chosen procedure id ('' = none). */
  value: string;
  onChange: (p: PickedProcedure | null) => void;
  /** id of the search input (error summaries link to it). */
  id?: string;
  error?: string;
  required?: boolean;
  limit?: number;
}) {
  const { t } = useTranslation();
  const auto = useId().replace(/:/g, '');
  const inputId = id ?? `pp-${auto}`;
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const chosen = useProcedure(value);
  const results = useQuery({
    queryKey: [PROCEDURES, 'pick', q, limit],
    queryFn: ({ signal }) => api.get<ProcedureListPage>(PROCEDURES, { q, limit }, { signal }),
    enabled: q.length >= 2 && !value,
    staleTime: 60_000,
  });

  if (value) {
    const p = chosen.data;
    return (
      <div className={['field', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
        <p className="field-label" id={`${inputId}-label`}>
          {label}
        </p>
        {error && <p className="field-error">{error}</p>}
        <div className="chip picked-procedure">
          <span>
            {p ? p.name : chosen.isError ? value : t('common.loading')}
            {p && <span className="cell-sub">{p.code}</span>}
          </span>
          <Button
            id={inputId}
            variant="link"
            aria-describedby={`${inputId}-label`}
            onClick={() => {
              setText('');
              onChange(null);
              requestAnimationFrame(() => document.getElementById(inputId)?.focus());
            }}
          >
            {t('reception.picker.change')}
          </Button>
        </div>
      </div>
    );
  }

  const items = results.data?.items ?? [];
  const describedBy = [hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', 'procedure-picker', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={inputId}>
        {label}
        {required && (
          <span className="required-mark">
            <span aria-hidden="true"> *</span>
            <span className="visually-hidden"> ({t('form.required')})</span>
          </span>
        )}
      </label>
      {hint && (
        <div className="field-hint" id={`${inputId}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p className="field-error" id={`${inputId}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {error}
        </p>
      )}
      <input
        id={inputId}
        className="input"
        type="search"
        autoComplete="off"
        value={text}
        maxLength={200}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter picks nothing by itself (it would submit the surrounding form); ↓ goes to the results.
          if (e.key === 'Enter') e.preventDefault();
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            (document.querySelector(`#${inputId}-results button`) as HTMLButtonElement | null)?.focus();
          }
        }}
      />
      <p className="visually-hidden" aria-live="polite">
        {q.length >= 2 && results.isSuccess ? t('reception.picker.found', { count: items.length }) : ''}
      </p>
      {q.length >= 2 && (
        <div className="picker-results">
          {results.isPending && <p className="muted">{t('common.loading')}</p>}
          {results.isError && <p className="field-error">{t('reception.picker.error')}</p>}
          {results.isSuccess && items.length === 0 && <p className="muted">{t('reception.picker.none')}</p>}
          {items.length > 0 && (
            <ul className="picker-list" id={`${inputId}-results`}>
              {items.map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    className="picker-option"
                    onClick={() => onChange({ id: p.id, name: p.name, code: p.code })}
                    onKeyDown={(e) => moveFocus(e, inputId)}
                  >
                    <span className="picker-name">{p.name}</span>
                    <span className="cell-sub">
                      {p.code} · {p.field} · {procedureLevelLabel(t, p.level)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** ↑/↓ between results; ↑ from the first goes back to the search box. */
function moveFocus(e: React.KeyboardEvent<HTMLButtonElement>, inputId: string) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  const li = e.currentTarget.closest('li');
  const target = e.key === 'ArrowDown' ? li?.nextElementSibling : li?.previousElementSibling;
  const next = target?.querySelector('button') ?? (e.key === 'ArrowUp' ? document.getElementById(inputId) : null);
  (next as HTMLElement | null)?.focus();
}
