/** An inline confirmation: the question replaces the button until the user confirms or cancels. */
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';

/**
 * A button that asks first: the question replaces it (focus moves there), with a confirm and a cancel
 * button. `onConfirm` errors are left to the caller to show.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  variant = 'danger',
  ariaLabel,
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  variant?: 'danger' | 'secondary';
  ariaLabel?: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLFieldSetElement>(null);
  if (!open) {
    return (
      <Button
        variant={variant}
        aria-label={ariaLabel}
        onClick={() => {
          setOpen(true);
          requestAnimationFrame(() => box.current?.focus());
        }}
      >
        {label}
      </Button>
    );
  }
  return (
    <fieldset className="confirm-box" ref={box} tabIndex={-1}>
      <legend className="confirm-question">{question}</legend>
      <div className="button-row">
        <Button
          variant="danger"
          busy={busy}
          onClick={() => {
            setBusy(true);
            void onConfirm().finally(() => {
              setBusy(false);
              setOpen(false);
            });
          }}
        >
          {confirmLabel}
        </Button>
        <Button variant="link" disabled={busy} onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </fieldset>
  );
}
