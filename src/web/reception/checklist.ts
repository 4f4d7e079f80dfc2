/**
 * What the desk checks before receiving: which dossier components of the procedure version have a
 * file (present), which required ones have none (missing), which are only needed in some cases; the
 * forms the office issued (Mẫu 01/02/03); and the supplement request pre-filled from what is missing.
 */
import type { Component } from '../../server/modules/catalog/catalog.schemas';
import type { DossierFile, SupplementItem } from '../../server/modules/dossiers/dossiers.schemas';

/** componentKey of the PDFs the office issues (receipt, supplement request, refusal). */
export const ISSUED_KEY = '_issued';

export type ComponentStatus = 'present' | 'missing' | 'optional';

export interface ChecklistRow {
  component: Component;
  status: ComponentStatus;
  /** Current files (not replaced by a supplement). */
  files: DossierFile[];
  /** Files replaced by a later supplement (kept for the record). */
  superseded: DossierFile[];
}

export interface Checklist {
  rows: ChecklistRow[];
  missing: Component[];
  /** Applicant files under a key the procedure version does not list (shown so nothing is hidden). */
  other: DossierFile[];
}

export function componentChecklist(components: readonly Component[], files: readonly DossierFile[]): Checklist {
  const applicantFiles = files.filter((f) => f.componentKey !== ISSUED_KEY);
  const rows = components.map((component): ChecklistRow => {
    const mine = applicantFiles.filter((f) => f.componentKey === component.key);
    const current = mine.filter((f) => !f.superseded);
    const status: ComponentStatus = current.length > 0 ? 'present' : component.required ? 'missing' : 'optional';
    return { component, status, files: current, superseded: mine.filter((f) => f.superseded) };
  });
  const known = new Set(components.map((c) => c.key));
  return {
    rows,
    missing: rows.filter((r) => r.status === 'missing').map((r) => r.component),
    other: applicantFiles.filter((f) => !known.has(f.componentKey)),
  };
}

export type IssuedForm = '01' | '02' | '03';

export interface IssuedFile {
  file: DossierFile;
  /** Which one-stop form (TT 01/2018): 01 receipt, 02 supplement request, 03 refusal; null = not recognised. */
  form: IssuedForm | null;
}

/** Issued PDFs, oldest first; their form is read from the file name ("mau-01-giay-tiep-nhan-….pdf"). */
export function issuedFiles(files: readonly DossierFile[], receiptFileId: string | null = null): IssuedFile[] {
  return files
    .filter((f) => f.componentKey === ISSUED_KEY)
    .sort((a, b) => a.addedSeq - b.addedSeq)
    .map((file) => {
      const m = /mau[-_ ]?0?([123])\b/i.exec(file.name);
      const form = file.fileId === receiptFileId ? '01' : m ? (`0${m[1]}` as IssuedForm) : null;
      return { file, form };
    });
}

/** One editable line of a supplement request. */
export interface SupplementRow {
  componentKey: string;
  text: string;
}

/** One line per missing required component, or one empty line when nothing is missing. */
export function supplementPrefill(missing: readonly Component[]): SupplementRow[] {
  if (missing.length === 0) return [{ componentKey: '', text: '' }];
  return missing.map((c) => ({ componentKey: c.key, text: c.name.trim().slice(0, 1000) }));
}

/** The request items as the API takes them (blank lines dropped, text trimmed). */
export function supplementItems(rows: readonly SupplementRow[]): SupplementItem[] {
  return rows
    .filter((r) => r.text.trim() !== '')
    .map((r) => (r.componentKey ? { componentKey: r.componentKey, text: r.text.trim() } : { text: r.text.trim() }));
}
