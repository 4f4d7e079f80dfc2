/**
 * Form state with GOV.UK-style error handling: client checks mirror the server's rules; on submit,
 * errors (client or server field errors from problem+json) are listed in a summary at the top that
 * takes focus and links to each field; each field shows its own message; the submit button is
 * disabled while the request is in flight.
 */
import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { problemText } from './states';

export type Errors = Record<string, string>;
export type Validator<T> = (value: T) => string | null | undefined | false;

export interface FormOptions<V> {
  initial: V;
  /** Client-side checks; return a message per invalid field. */
  validate?: (values: V) => Errors;
  onSubmit: (values: V) => Promise<void> | void;
}

export interface FieldProps {
  id: string;
  name: string;
  error?: string;
}

export interface Form<V> {
  values: V;
  set: <K extends keyof V>(name: K, value: V[K]) => void;
  reset: (values?: V) => void;
  errors: Errors;
  /** A problem not tied to one field (e.g. "account locked"). */
  problem: { title: string; detail?: string } | null;
  submitting: boolean;
  formId: string;
  /** Props for a field: id, name and its current error. Registers the label for the summary. */
  field: (name: keyof V & string, label: string) => FieldProps;
  handleSubmit: (e: FormEvent) => void;
  /** Set errors from outside (e.g. a second step that reports a field error). */
  setServerError: (error: unknown) => void;
  summaryRef: React.RefObject<HTMLDivElement | null>;
  labels: Record<string, string>;
  attempt: number;
}

export function useForm<V extends Record<string, unknown>>(opts: FormOptions<V>): Form<V> {
  const { t } = useTranslation();
  const formId = useId().replace(/:/g, '');
  const [values, setValues] = useState<V>(opts.initial);
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<{ title: string; detail?: string } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement | null>(null);
  const labels = useRef<Record<string, string>>({});
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const set = useCallback(<K extends keyof V>(name: K, value: V[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
  }, []);

  const setServerError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        const fe = error.fieldErrors();
        setErrors(fe);
        // A validation problem with field errors is explained by the list; others keep their title/detail.
        setProblem(Object.keys(fe).length > 0 ? { title: error.problem.title, detail: error.problem.detail } : problemText(error, t));
      } else {
        setErrors({});
        setProblem(problemText(error, t));
      }
      setAttempt((n) => n + 1);
    },
    [t],
  );

  const handleSubmit = useCallback(
    (e: FormEvent) => {
      e.preventDefault();
      if (submitting) return;
      const current = values;
      const clientErrors = optsRef.current.validate?.(current) ?? {};
      if (Object.keys(clientErrors).length > 0) {
        setErrors(clientErrors);
        setProblem(null);
        setAttempt((n) => n + 1);
        return;
      }
      setErrors({});
      setProblem(null);
      setSubmitting(true);
      Promise.resolve()
        .then(() => optsRef.current.onSubmit(current))
        .catch(setServerError)
        .finally(() => setSubmitting(false));
    },
    [submitting, values, setServerError],
  );

  // After a failed attempt, move focus to the summary so keyboard and screen-reader users hear it.
  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  return {
    values,
    set,
    reset: (v) => {
      setValues(v ?? optsRef.current.initial);
      setErrors({});
      setProblem(null);
    },
    errors,
    problem,
    submitting,
    formId,
    field: (name, label) => {
      labels.current[name] = label;
      return { id: `${formId}-${name.replace(/\./g, '-')}`, name, error: errors[name] };
    },
    handleSubmit,
    setServerError,
    summaryRef,
    labels: labels.current,
    attempt,
  };
}

/** The error summary at the top of a form. Renders nothing when there is nothing to say. */
export function ErrorSummary<V>({ form }: { form: Form<V> }) {
  const { t } = useTranslation();
  // List errors in the order the fields appear on the page.
  const order = Object.keys(form.labels);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const entries = Object.entries(form.errors).sort(([a], [b]) => rank(a) - rank(b));
  if (entries.length === 0 && !form.problem) return null;
  const focusField = (e: React.MouseEvent, id: string) => {
    const el = document.getElementById(id);
    if (!el) return;
    e.preventDefault();
    el.scrollIntoView({ block: 'center' });
    el.focus();
  };
  return (
    <div className="error-summary" ref={form.summaryRef} tabIndex={-1} role="alert" aria-labelledby={`${form.formId}-summary-title`}>
      <h2 className="error-summary-title" id={`${form.formId}-summary-title`}>
        {entries.length > 0 ? t('form.errorSummary') : (form.problem?.title ?? t('errors.generic'))}
      </h2>
      {form.problem && entries.length > 0 && form.problem.detail && <p>{form.problem.detail}</p>}
      {form.problem && entries.length === 0 && form.problem.detail && <p>{form.problem.detail}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([name, message]) => {
            const id = `${form.formId}-${name.replace(/\./g, '-')}`;
            const label = form.labels[name];
            return (
              <li key={name}>
                {label ? (
                  <a href={`#${id}`} onClick={(e) => focusField(e, id)}>
                    {label}: {message}
                  </a>
                ) : (
                  <span>
                    {name}: {message}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** <form> with the summary on top; noValidate because our own checks give better messages. */
export function FormView<V>({
  form,
  children,
  className,
  label,
}: {
  form: Form<V>;
  children: ReactNode;
  className?: string;
  label?: string;
}) {
  return (
    <form className={['form', className].filter(Boolean).join(' ')} noValidate onSubmit={form.handleSubmit} aria-label={label}>
      <ErrorSummary form={form} />
      {children}
    </form>
  );
}
