/** Small pieces the field-report office screens share: state tag, age, photo gallery. */
import { useTranslation } from 'react-i18next';
import { Tag } from '../ui';
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
          <a href={reportPhotoUrl(reportId, id, true)} target="_blank" rel="noopener">
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
