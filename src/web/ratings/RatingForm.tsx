/**
 * The citizen's rating form: one fieldset per criterion (legend = the criterion, radio buttons = its
 * 2 / 1 / 0 scale as worded in TT 01/2018), then an optional comment. Every criterion must be answered.
 * Works on a 360 px screen: options stack, each with a 44 px touch target.
 */
import { useTranslation } from 'react-i18next';
import { Button, FormView, TextArea, useForm } from '../ui';
import type { Errors } from '../ui/form';
import type { RatingForm as Form, RateBody } from './api';
import './ratings.css';

const fieldOf = (key: string) => `answers.${key}`;

export function RatingForm({
  form,
  onSubmit,
  submitLabel,
}: {
  form: Form;
  onSubmit: (body: RateBody) => Promise<void>;
  submitLabel?: string;
}) {
  const { t } = useTranslation();
  const initial: Record<string, string> = { comment: '' };
  for (const c of form.criteria) initial[fieldOf(c.key)] = '';
  const f = useForm<Record<string, string>>({
    initial,
    validate: (v): Errors => {
      const errors: Errors = {};
      for (const c of form.criteria) if (v[fieldOf(c.key)] === '') errors[fieldOf(c.key)] = t('ratings.form.choose');
      return errors;
    },
    onSubmit: async (v) => {
      const answers: Record<string, number> = {};
      for (const c of form.criteria) answers[c.key] = Number(v[fieldOf(c.key)]);
      const comment = (v.comment ?? '').trim();
      await onSubmit({ answers, ...(comment ? { comment } : {}) });
    },
  });
  return (
    <FormView form={f} className="rating-form" label={form.name}>
      <p className="muted">{form.description}</p>
      {form.criteria.map((c) => {
        const name = fieldOf(c.key);
        const field = f.field(name, t('ratings.form.criterion', { number: c.number }));
        return (
          <fieldset
            key={c.key}
            className={['rating-criterion', field.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
            aria-describedby={field.error ? `${field.id}-error` : undefined}
          >
            <legend>
              {c.number}. {c.label}
            </legend>
            {field.error && (
              <p className="field-error" id={`${field.id}-error`}>
                <span className="visually-hidden">{t('form.errorPrefix')} </span>
                {field.error}
              </p>
            )}
            {c.options.map((o, i) => {
              const id = i === 0 ? field.id : `${field.id}-${o.score}`;
              return (
                <div className="rating-option" key={o.score}>
                  <input
                    type="radio"
                    id={id}
                    name={`${f.formId}-${c.key}`}
                    value={String(o.score)}
                    checked={f.values[name] === String(o.score)}
                    onChange={() => f.set(name, String(o.score))}
                    aria-invalid={field.error ? true : undefined}
                  />
                  <label htmlFor={id}>
                    {o.label} <span className="muted">({t('ratings.form.points', { count: o.score })})</span>
                  </label>
                </div>
              );
            })}
          </fieldset>
        );
      })}
      <TextArea
        label={t('ratings.form.comment')}
        hint={t('ratings.form.commentHint')}
        rows={3}
        maxLength={2000}
        field={f.field('comment', t('ratings.form.comment'))}
        value={f.values.comment ?? ''}
        onValue={(v) => f.set('comment', v)}
      />
      <Button type="submit" variant="primary" busy={f.submitting}>
        {submitLabel ?? t('ratings.form.submit')}
      </Button>
    </FormView>
  );
}

/** The rating once given: total, band and the date. */
export function RatingDone({ total, maxTotal, gradeName }: { total: number; maxTotal: number; gradeName: string }) {
  const { t } = useTranslation();
  return (
    <p>
      {t('ratings.done.score')} <span className="rating-score">{t('ratings.done.points', { total, max: maxTotal })}</span> — {gradeName}
    </p>
  );
}
