/**
 * "Chọn từ kho dữ liệu" for one dossier component: the valid papers of the signed-in person's store,
 * those whose type fits the component first; choosing one attaches its file without uploading it
 * again (the dossier records it as reused).
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorState, Loading, Tag } from '../ui';
import { type EdataDocument, fits, rankFor, useDocTypes, useValidDocuments } from './api';
import { formatDay } from './tags';

export interface PickedDocument {
  componentKey: string;
  fileId: string;
  name: string;
  size: number;
  mediaType: string;
  edataDocumentId: string;
}

export function StorePicker({
  componentKey,
  componentName,
  documentType,
  eligible,
  taken,
  onPick,
}: {
  componentKey: string;
  componentName: string;
  /** The component's document type in the catalogue (cccd, giay_khai_sinh …), if any. */
  documentType: string | null | undefined;
  /** The catalogue marks the component as a paper the citizen may already hold. */
  eligible: boolean;
  /** Files already attached anywhere in the dossier (a store paper is attached once). */
  taken: string[];
  onPick: (d: PickedDocument) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const docs = useValidDocuments(open);
  const types = useDocTypes();
  const ranked = rankFor(docs.data ?? [], types.data ?? [], documentType);
  const pick = (d: EdataDocument) => {
    onPick({ componentKey, fileId: d.file.id, name: d.title, size: d.file.size, mediaType: d.file.mediaType, edataDocumentId: d.id });
    setOpen(false);
  };
  return (
    <div className="edata-choice">
      <Button variant={eligible ? 'secondary' : 'link'} aria-expanded={open} aria-controls={listId} onClick={() => setOpen((o) => !o)}>
        {t('edata.picker.open')}
        <span className="visually-hidden">: {componentName}</span>
      </Button>
      {eligible && !open && <p className="muted">{t('edata.picker.hint')}</p>}
      {open && (
        <div id={listId}>
          {docs.isPending ? (
            <Loading />
          ) : docs.isError ? (
            <ErrorState error={docs.error} onRetry={() => void docs.refetch()} />
          ) : ranked.length === 0 ? (
            <p className="muted">{t('edata.picker.empty')}</p>
          ) : (
            <ul className="picker-list" aria-label={t('edata.picker.listLabel', { name: componentName })}>
              {ranked.map((d) => {
                const used = taken.includes(d.file.id);
                return (
                  <li key={d.id} className="picker-option">
                    <span className="picker-name">
                      {d.title} {fits(d, types.data ?? [], documentType) && <Tag tone="success">{t('edata.picker.fits')}</Tag>}
                    </span>
                    <span className="muted" style={{ display: 'block' }}>
                      {d.typeName}
                      {d.number ? ` · ${t('edata.numberShort', { number: d.number })}` : ''}
                      {d.validUntil ? ` · ${t('edata.validity.validUntil', { day: formatDay(d.validUntil) })}` : ''}
                    </span>
                    <Button variant="secondary" disabled={used} onClick={() => pick(d)}>
                      {used ? t('edata.picker.used') : t('edata.picker.choose')}
                      <span className="visually-hidden">: {d.title}</span>
                    </Button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
