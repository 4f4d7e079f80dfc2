/** Small pieces the field-report office screens share: state tag, age, photo gallery, the one-time API key. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Tag } from '../ui';
import { reportPhotoUrl } from './api';
import { ageOf, REPORT_STATES, type ReportState, stateTone } from './logic';

export function ReportStateTag({ state, name }: { state: string; name?: string }) {
  const { t } = useTranslation();
  const known = (REPORT_STATES as readonly string[]).includes(state);
  return (
    <Tag tone={known ? stateTone[state as ReportState] : 'neutral'}>{known ? t(`feedbackOffice.states.${state}`) : (name ?? state)}</Tag>
  );
}

/** "3 ngày trước", "5 giờ trước", "12 phút trước". */
export function AgeText({ createdAt, now }: { createdAt: string; now: Date }) {
  const { t } = useTranslation();
  const age = ageOf(createdAt, now);
  if (!age) return null;
  return <>{t(`feedbackOffice.age.${age.unit}`, { count: age.count })}</>;
}

/** Photos of a report (staff route: before photos, after photos), each a link to the full image. */
export function PhotoGallery({ reportId, fileIds, label }: { reportId: string; fileIds: string[]; label: string }) {
  const { t } = useTranslation();
  if (fileIds.length === 0) return <p className="muted">{t('feedbackOffice.detail.noPhotos')}</p>;
  return (
    <ul className="pa-photos" aria-label={label}>
      {fileIds.map((id, i) => (
        <li key={id}>
          <a href={reportPhotoUrl(reportId, id)} target="_blank" rel="noopener">
            <img
              src={reportPhotoUrl(reportId, id)}
              alt={t('feedbackOffice.detail.photoAlt', { label, n: i + 1 })}
              loading="lazy"
              width={160}
              height={120}
            />
          </a>
        </li>
      ))}
    </ul>
  );
}

/** An Open311 API key, shown once: the warning, the value, and a copy button. */
export function ApiKeyPanel({ name, apiKey }: { name: string; apiKey: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const code = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey);
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
    <section className="pa-secret-box" aria-labelledby="pa-key-title" data-testid="open311-api-key">
      <h3 id="pa-key-title">{t('feedbackOffice.admin.clients.keyTitle', { name })}</h3>
      <p>
        <strong>{t('feedbackOffice.admin.clients.keyWarning')}</strong>
      </p>
      <p>
        <span className="visually-hidden">{t('feedbackOffice.admin.clients.keyLabel')}: </span>
        <code className="secret" ref={code}>
          {apiKey}
        </code>
      </p>
      <div className="button-row">
        <Button variant="secondary" onClick={() => void copy()}>
          {t('feedbackOffice.admin.clients.copy')}
        </Button>
        <span role="status" aria-live="polite">
          {copied === 'ok'
            ? t('feedbackOffice.admin.clients.copied')
            : copied === 'failed'
              ? t('feedbackOffice.admin.clients.copyFailed')
              : ''}
        </span>
      </div>
    </section>
  );
}
