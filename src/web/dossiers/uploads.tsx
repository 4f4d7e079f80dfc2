/**
 * Attachments of one dossier component (thành phần hồ sơ): the files already attached, and new
 * uploads with a progress bar, a clear message and a retry when one fails; or a paper chosen from the
 * e-data store ("Chọn từ kho dữ liệu"), attached without uploading it again.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FileMeta, uploadFile } from '../api';
import { StorePicker } from '../edata/Picker';
import { Button, problemText, Tag } from '../ui';
import type { AttachedFile } from './draft';
import type { Component } from './types';
import { formatSize } from './wording';

/** What POST /api/v1/files accepts (the server reads the type from the bytes; this only helps the picker). */
export const ACCEPT =
  '.pdf,.jpg,.jpeg,.png,.webp,.tif,.tiff,.docx,.xlsx,.odt,.ods,.xml,application/pdf,image/jpeg,image/png,image/webp,image/tiff';

interface Upload {
  id: number;
  file: File;
  progress: number;
  error: { title: string; detail?: string } | null;
}

let nextUploadId = 1;

export function ComponentFiles({
  component,
  files,
  error,
  templateHref,
  onAdded,
  onRemove,
  onBusy,
}: {
  component: Component;
  files: AttachedFile[];
  error?: string;
  templateHref?: string;
  onAdded: (f: AttachedFile) => void;
  onRemove?: (fileId: string) => void;
  /** Called with +1 when an upload starts and -1 when it ends (the step waits for running uploads). */
  onBusy?: (delta: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = `dossier-c-${component.key}`;
  const inputRef = useRef<HTMLInputElement>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [announce, setAnnounce] = useState('');

  const patch = (uid: number, change: Partial<Upload>) => setUploads((list) => list.map((u) => (u.id === uid ? { ...u, ...change } : u)));

  const run = async (u: Upload) => {
    onBusy?.(1);
    patch(u.id, { progress: 0, error: null });
    setAnnounce(t('dossier.files.uploading', { name: u.file.name }));
    try {
      const meta: FileMeta = await uploadFile(u.file, { onProgress: (p) => patch(u.id, { progress: p }) });
      setUploads((list) => list.filter((x) => x.id !== u.id));
      onAdded({
        componentKey: component.key,
        fileId: meta.id,
        name: meta.originalName || u.file.name,
        size: meta.size,
        mediaType: meta.mediaType,
      });
      setAnnounce(t('dossier.files.uploaded', { name: u.file.name }));
    } catch (e) {
      const text = e instanceof ApiError && e.status === 0 ? { title: t('dossier.files.networkFailed') } : problemText(e, t);
      patch(u.id, { error: text });
      setAnnounce(t('dossier.files.failed', { name: u.file.name }));
    } finally {
      onBusy?.(-1);
    }
  };

  const pick = (list: FileList | null) => {
    const chosen = [...(list ?? [])].map((file) => ({ id: nextUploadId++, file, progress: 0, error: null }));
    if (inputRef.current) inputRef.current.value = '';
    if (chosen.length === 0) return;
    setUploads((prev) => [...prev, ...chosen]);
    for (const u of chosen) void run(u);
  };

  return (
    <fieldset
      className={['form-section', 'component-files', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{component.name}</legend>
      <p className="component-requirement">
        {component.required ? <Tag tone="warning">{t('catalog.required')}</Tag> : !component.condition && t('catalog.optional')}
        {component.condition && <span>{t('catalog.whenCondition', { condition: component.condition })}</span>}
        {component.original != null && <span>{component.original ? t('catalog.original') : t('catalog.copy')}</span>}
      </p>
      {templateHref && (
        <p>
          <a href={templateHref} download>
            {t('catalog.downloadTemplate')}
            <span className="visually-hidden">: {component.name}</span>
          </a>
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {error}
        </p>
      )}

      {files.length > 0 && (
        <ul className="upload-list" aria-label={t('dossier.files.attached', { name: component.name })}>
          {files.map((f) => (
            <li key={f.fileId} className="upload-item">
              <span className="upload-name">{f.name}</span>
              {(f.edataDocumentId || f.reused) && <Tag tone="success">{t('edata.reused')}</Tag>}
              <span className="muted nowrap">{formatSize(f.size, i18n.language)}</span>
              {onRemove && (
                <Button variant="link" onClick={() => onRemove(f.fileId)} aria-label={t('dossier.files.remove', { name: f.name })}>
                  {t('dossier.files.removeShort')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}

      {uploads.length > 0 && (
        <ul className="upload-list">
          {uploads.map((u) => (
            <li key={u.id} className={['upload-item', u.error ? 'upload-item-failed' : ''].filter(Boolean).join(' ')}>
              <span className="upload-name">{u.file.name}</span>
              {u.error ? (
                <>
                  <span className="field-error upload-error">
                    {u.error.title}
                    {u.error.detail ? ` ${u.error.detail}` : ''}
                  </span>
                  <span className="upload-actions">
                    <Button variant="secondary" onClick={() => void run(u)}>
                      {t('common.retry')}
                    </Button>
                    <Button variant="link" onClick={() => setUploads((list) => list.filter((x) => x.id !== u.id))}>
                      {t('dossier.files.dismiss')}
                    </Button>
                  </span>
                </>
              ) : (
                <span className="upload-progress">
                  <progress max={1} value={u.progress} aria-label={t('dossier.files.progress', { name: u.file.name })} />
                  <span className="muted nowrap" aria-hidden="true">
                    {Math.round(u.progress * 100)}%
                  </span>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}

      <div className="field">
        <label className="field-label" htmlFor={`${id}-input`}>
          {files.length > 0 ? t('dossier.files.addMore') : t('dossier.files.choose')}
          <span className="visually-hidden">: {component.name}</span>
        </label>
        <div className="field-hint" id={`${id}-hint`}>
          {t('dossier.files.accept')}
        </div>
        <input
          ref={inputRef}
          id={`${id}-input`}
          type="file"
          className="input input-file"
          accept={ACCEPT}
          multiple
          aria-describedby={`${id}-hint`}
          onChange={(e) => pick(e.target.files)}
        />
      </div>

      <StorePicker
        componentKey={component.key}
        componentName={component.name}
        documentType={component.documentType}
        eligible={component.fromEdataStore}
        taken={files.map((f) => f.fileId)}
        onPick={(d) => {
          onAdded(d);
          setAnnounce(t('edata.picker.picked', { name: d.name }));
        }}
      />
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </fieldset>
  );
}
