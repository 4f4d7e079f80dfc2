/** Small pieces the SSO screens share: an inline confirmation and the "shown once" secret panel. */
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../ui';

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

/** A client secret, shown once: the warning, the value, and a copy button. */
export function SecretPanel({ clientId, secret }: { clientId: string; secret: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const code = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('ok');
    } catch {
      // No clipboard (plain http on a LAN): select the text so Ctrl+C works.
      const el = code.current;
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      setCopied('failed');
    }
  };
  return (
    <section className="sso-secret-box" aria-labelledby="sso-secret-title" data-testid="client-secret">
      <h2 id="sso-secret-title">{t('sso.admin.secretTitle')}</h2>
      <p>
        <strong>{t('sso.admin.secretWarning')}</strong>
      </p>
      <p>
        {t('sso.admin.clientId')}: <code>{clientId}</code>
      </p>
      <p>
        <span className="visually-hidden">{t('sso.admin.secretLabel')}: </span>
        <code className="secret" ref={code}>
          {secret}
        </code>
      </p>
      <div className="button-row">
        <Button variant="secondary" onClick={() => void copy()}>
          {t('sso.admin.copy')}
        </Button>
        <span role="status" aria-live="polite">
          {copied === 'ok' ? t('sso.admin.copied') : copied === 'failed' ? t('sso.admin.copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}
