/**
 * A secret shown once (a client secret, an API key): the warning, the value, and a copy button that falls back to
 * selecting the text where the clipboard is unavailable (plain http on a LAN).
 */
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';

export function ShownOnce({
  title,
  warning,
  label,
  value,
  testId,
  level = 2,
  children,
}: {
  title: string;
  warning: string;
  /** What the value is, for screen readers ("Khóa bí mật"). */
  label: string;
  value: string;
  testId?: string;
  /** Heading level of the title where the panel sits (2 on a page, 3 inside a section). */
  level?: 2 | 3;
  /** Lines shown above the value (e.g. the client id). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const code = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('ok');
    } catch {
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
  const titleId = `shown-once-${testId ?? 'secret'}`;
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="secret-box" aria-labelledby={titleId} data-testid={testId}>
      <Heading id={titleId}>{title}</Heading>
      <p>
        <strong>{warning}</strong>
      </p>
      {children}
      <p>
        <span className="visually-hidden">{label}: </span>
        <code className="secret" ref={code}>
          {value}
        </code>
      </p>
      <div className="button-row">
        <Button variant="secondary" onClick={() => void copy()}>
          {t('common.copyKey')}
        </Button>
        <span role="status" aria-live="polite">
          {copied === 'ok' ? t('common.copied') : copied === 'failed' ? t('common.copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}
