/** Badges of a store document: validity and where it came from. */
import { useTranslation } from 'react-i18next';
import { Tag } from '../ui';
import type { EdataDocument } from './api';

export function ValidityTag({ doc }: { doc: Pick<EdataDocument, 'valid' | 'validUntil'> }) {
  const { t } = useTranslation();
  if (!doc.valid) return <Tag tone="danger">{t('edata.validity.expired')}</Tag>;
  return (
    <Tag tone="success">
      {doc.validUntil ? t('edata.validity.validUntil', { day: formatDay(doc.validUntil) }) : t('edata.validity.noLimit')}
    </Tag>
  );
}

export function SourceTag({ source }: { source: EdataDocument['source'] }) {
  const { t } = useTranslation();
  return <Tag tone={source === 'result' ? 'info' : 'neutral'}>{t(`edata.source.${source}`)}</Tag>;
}

/** 2031-04-15 → 15/04/2031. */
export function formatDay(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}
