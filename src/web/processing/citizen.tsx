/**
 * What the applicant sees of processing on /my-dossiers/:id: the signed e-result, the new due date
 * after an apology ("đã hẹn lại"), and "Rút hồ sơ" (with a reason and a confirmation) while the
 * dossier has no result yet.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, DateTime, FormView, Notice, TextArea, useForm } from '../ui';
import type { Errors } from '../ui/form';
import { DOSSIERS, type DossierDetail, fileUrl, verifyPath, withdrawDossier } from './api';

const WITHDRAWABLE = new Set(['submitted', 'supplement_requested', 'received']);

export function canWithdraw(d: Pick<DossierDetail, 'state' | 'publicStatus'>): boolean {
  return WITHDRAWABLE.has(d.state) && (d.publicStatus ?? 0) < 9;
}

export function CitizenProcessing({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  const p = d.processing;
  return (
    <>
      {p.resultFileId && (
        <Notice tone="success" title={t('processing.citizen.resultReady')}>
          <p>
            <a className="btn btn-primary" href={fileUrl(d.id, p.resultFileId)} download data-testid="citizen-result">
              {t('processing.citizen.download')}
            </a>
          </p>
          {d.code && (
            <p>
              <a href={verifyPath(d.code)}>{t('processing.citizen.verify')}</a>
            </p>
          )}
        </Notice>
      )}
      {p.apologizedAt && (
        <Notice tone="warning" title={t('processing.citizen.rescheduled')}>
          <p>
            {t('processing.citizen.newDue')} <DateTime value={d.dueAt} />
            {p.originalDueAt && (
              <>
                {' '}
                ({t('processing.citizen.oldDue')} <DateTime value={p.originalDueAt} />)
              </>
            )}
          </p>
        </Notice>
      )}
      {canWithdraw(d) && <Withdraw d={d} />}
    </>
  );
}

function Withdraw({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const confirmed = useRef<((ok: boolean) => void) | null>(null);
  const answer = (ok: boolean) => {
    dialog.current?.close();
    confirmed.current?.(ok);
    confirmed.current = null;
  };
  const form = useForm({
    initial: { reason: '' },
    validate: (v): Errors => (v.reason.trim() ? {} : { reason: t('validation.required') }),
    onSubmit: async (v) => {
      const ok = await new Promise<boolean>((resolve) => {
        confirmed.current = resolve;
        dialog.current?.showModal();
      });
      if (!ok) return;
      const next = await withdrawDossier(d.id, v.reason.trim(), d.version);
      qc.setQueryData([DOSSIERS, d.id], next);
      await qc.invalidateQueries({ queryKey: [DOSSIERS], refetchType: 'none' });
      setOpen(false);
    },
  });
  return (
    <section className="section" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t('processing.withdraw.title')}</h2>
      <p className="muted">{t('processing.withdraw.help')}</p>
      {!open ? (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('processing.withdraw.open')}
        </Button>
      ) : (
        <FormView form={form} label={t('processing.withdraw.title')}>
          <TextArea
            label={t('processing.withdraw.reason')}
            required
            rows={3}
            maxLength={2000}
            field={form.field('reason', t('processing.withdraw.reason'))}
            value={form.values.reason}
            onValue={(v) => form.set('reason', v)}
          />
          <div className="button-row">
            <Button type="submit" variant="danger" busy={form.submitting}>
              {t('processing.withdraw.submit')}
            </Button>
            <Button variant="link" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </FormView>
      )}
      <dialog ref={dialog} className="dialog" aria-labelledby="withdraw-confirm" onCancel={() => answer(false)}>
        <h2 id="withdraw-confirm">{t('processing.withdraw.confirm', { code: d.code ?? '' })}</h2>
        <p>{t('processing.withdraw.confirmText')}</p>
        <div className="button-row">
          <Button variant="danger" autoFocus onClick={() => answer(true)}>
            {t('processing.withdraw.submit')}
          </Button>
          <Button variant="link" onClick={() => answer(false)}>
            {t('common.cancel')}
          </Button>
        </div>
      </dialog>
    </section>
  );
}
