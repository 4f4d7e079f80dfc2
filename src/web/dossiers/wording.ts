/**
 * Small wording helpers shared by the dossier pages: status names and colours, file sizes,
 * accent-insensitive matching for the agency search, the notification recipient's input type.
 */
import type { TFunction } from 'i18next';
import type { DossierState, DossierSummary, NotifyChannel } from './types';

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

/** The colour of a state: waiting for the applicant stands out, a refusal is red. */
export function stateTone(state: DossierState): Tone {
  switch (state) {
    case 'supplement_requested':
      return 'warning';
    case 'refused':
      return 'danger';
    case 'received':
      return 'success';
    case 'submitted':
      return 'info';
    default:
      return 'neutral';
  }
}

/** The colour of a national public status (1–10), for pages that only know that (public tracking). */
export function publicStatusTone(status: number): Tone {
  if (status === 3 || status === 8) return 'danger';
  if (status === 5 || status === 6) return 'warning';
  if (status === 2 || status === 4 || status === 9 || status === 10) return 'success';
  return status === 1 ? 'info' : 'neutral';
}

/** The national status name the server gives, or "Bản nháp" for a draft (which has none). */
export function statusName(d: Pick<DossierSummary, 'state' | 'publicStatusName'>, t: TFunction): string {
  return d.publicStatusName ?? t(`dossier.states.${d.state}`);
}

/** 1536 → "1,5 KB" (Vietnamese decimal comma). */
export function formatSize(bytes: number, lang = 'vi'): string {
  const nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${nf.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${nf.format(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Lower case without diacritics, đ → d: "Buôn Đôn" and "buon don" match. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Items whose name contains every word of the query, ignoring accents and case. */
export function filterByName<T extends { name: string; code?: string }>(items: readonly T[], query: string): T[] {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((i) => {
    const hay = fold(`${i.name} ${i.code ?? ''}`);
    return words.every((w) => hay.includes(w));
  });
}

/** The recipient input for a notification channel: an address for email, a phone number otherwise (SMS, Zalo). */
export const recipientKind = (channel: NotifyChannel | ''): 'email' | 'phone' => (channel === 'email' ? 'email' : 'phone');

/** Codes are printed in capitals; people type them as they like. */
export const normaliseCode = (s: string) => s.trim().replace(/\s+/g, '').toUpperCase();
