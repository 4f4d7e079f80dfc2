/**
 * Controls the dossier pages need beyond the shared kit: a radio group in a fieldset, and an error
 * summary fed from outside (the wizard keeps errors per step; a server 422 lands on several steps).
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Errors } from '../ui';
import { Button } from '../ui';
import { inputId } from './steps';

export interface RadioOption {
  value: string;
  label: string;
  hint?: ReactNode;
}

export function RadioGroup({
  id,
  name,
  legend,
  hint,
  error,
  required,
  options,
  value,
  onValue,
}: {
  id: string;
  name: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  options: RadioOption[];
  value: string;
  onValue: (v: string) => void;
}) {
  const { t } = useTranslation();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={['fieldset', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
      id={id}
      tabIndex={-1}
      aria-describedby={described}
    >
      <legend className="field-label">
        {legend}
        {required && (
          <span className="required-mark">
            <span aria-hidden="true"> *</span>
            <span className="visually-hidden"> ({t('form.required')})</span>
          </span>
        )}
      </legend>
      {hint && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {error}
        </p>
      )}
      {options.map((o) => {
        const oid = `${id}-${o.value.replace(/[^\w-]/g, '_')}`;
        return (
          <div className="field-checkbox" key={o.value}>
            <input
              type="radio"
              className="checkbox"
              id={oid}
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onValue(o.value)}
            />
            <label className="checkbox-label" htmlFor={oid}>
              {o.label}
              {o.hint && <span className="checkbox-hint">{o.hint}</span>}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** Moves focus to an element: the summary after a failed attempt, a field from a summary link. */
function focusElement(id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  el.scrollIntoView({ block: 'center' });
  el.focus();
  return true;
}

export interface OtherStep {
  key: string;
  label: string;
  onGo: () => void;
}

/**
 * The error summary at the top of a step: takes focus when `attempt` changes, links each message to
 * its control, and lists other steps that still have problems.
 */
export function ErrorBox({
  errors,
  labels,
  problem,
  attempt,
  others = [],
}: {
  errors: Errors;
  labels: Record<string, string>;
  problem?: { title: string; detail?: string } | null;
  attempt: number;
  others?: OtherStep[];
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const show = entries.length > 0 || !!problem || others.length > 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus follows each new attempt, not each render
  useEffect(() => {
    if (attempt > 0 && show) ref.current?.focus();
  }, [attempt]);
  if (!show) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="dossier-errors-title">
      <h2 className="error-summary-title" id="dossier-errors-title">
        {entries.length > 0 || others.length > 0 ? t('form.errorSummary') : (problem?.title ?? t('errors.generic'))}
      </h2>
      {problem && (entries.length > 0 || others.length > 0) && <p>{problem.title}</p>}
      {problem?.detail && <p>{problem.detail}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([key, message]) => {
            const id = inputId(key);
            const label = labels[key];
            // "Vui lòng nhập "Số điện thoại"" already names its field.
            const text = label && !message.includes(label) ? `${label}: ${message}` : message;
            return (
              <li key={key}>
                {id ? (
                  <a
                    href={`#${id}`}
                    onClick={(e) => {
                      if (focusElement(id)) e.preventDefault();
                    }}
                  >
                    {text}
                  </a>
                ) : (
                  <span>{text}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {others.length > 0 && (
        <>
          <p>{t('dossier.wizard.otherStepErrors')}</p>
          <ul className="plain-list">
            {others.map((o) => (
              <li key={o.key}>
                <Button variant="link" onClick={o.onGo}>
                  {o.label}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
