/**
 * The report form's pure logic: its values, the client checks (mirroring the server's schema, plus "some
 * location" and "a contact when not signed in"), the JSON part and the photo parts of the request, and the
 * server's field errors mapped onto the form's fields.
 */
import { ApiError } from '../api';
import type { Errors } from '../ui/form';
import type { CreateReportBody } from './api';
import type { LonLat } from './BoundaryMap';
import type { OutboxError, OutboxPhoto } from './outbox';
import { MAX_PHOTOS, photoName } from './photos';

export interface Photo {
  id: string;
  original: File;
  small: Blob;
  url: string;
}

export interface Values extends Record<string, unknown> {
  categoryCode: string;
  description: string;
  photos: Photo[];
  location: LonLat | null;
  address: string;
  useExifLocation: boolean;
  visibility: 'public' | 'private';
  anonymous: boolean;
  name: string;
  phone: string;
  email: string;
}

export const initial: Values = {
  categoryCode: '',
  description: '',
  photos: [],
  location: null,
  address: '',
  useExifLocation: false,
  visibility: 'public',
  anonymous: false,
  name: '',
  phone: '',
  email: '',
};

const PHONE = /^\+?[0-9 .-]{8,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type T = (key: string, opts?: Record<string, unknown>) => string;

/** Client checks mirroring the server's schema, plus "some location" and "a contact when not signed in". */
export function validateReport(v: Values, signedIn: boolean, t: T): Errors {
  const e: Errors = {};
  if (!v.categoryCode) e.categoryCode = t('feedback.errors.category');
  const d = v.description.trim();
  if (!d) e.description = t('feedback.errors.description');
  else if (d.length > 2000) e.description = t('validation.maxLength', { count: 2000 });
  if (v.photos.length > MAX_PHOTOS) e.photos = t('feedback.errors.tooManyPhotos');
  if (!v.location && !v.address.trim() && !(v.useExifLocation && v.photos.length > 0)) e.location = t('feedback.errors.location');
  if (v.address.trim().length > 500) e.address = t('validation.maxLength', { count: 500 });
  if (v.phone.trim() && !PHONE.test(v.phone.trim())) e.phone = t('feedback.errors.phone');
  if (v.email.trim() && !EMAIL.test(v.email.trim())) e.email = t('validation.email');
  if (!signedIn && !v.phone.trim() && !v.email.trim()) e.phone = t('feedback.errors.contact');
  return e;
}

/** The JSON part of the request. */
export function bodyOf(v: Values): CreateReportBody {
  const contact = { name: v.name.trim() || undefined, phone: v.phone.trim() || undefined, email: v.email.trim() || undefined };
  return {
    categoryCode: v.categoryCode,
    description: v.description.trim(),
    location: v.location ? { lon: round6(v.location.lon), lat: round6(v.location.lat) } : undefined,
    address: v.address.trim() || undefined,
    isPublic: v.visibility === 'public',
    anonymous: v.anonymous,
    useExifLocation: v.useExifLocation && v.photos.length > 0 ? true : undefined,
    contact: contact.name || contact.phone || contact.email ? contact : undefined,
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The photos as queued: the smaller copies, except the first one in full when its EXIF location is wanted. */
export function photosOf(v: Values): OutboxPhoto[] {
  return v.photos.map((p, i) => {
    const blob = i === 0 && v.useExifLocation ? p.original : p.small;
    const type = blob.type || 'image/jpeg';
    return { name: photoName(i, type), type, blob };
  });
}

/** Server field paths ("contact.phone", "report.location.lon") onto this form's fields. */
export function asFormError(e: OutboxError): ApiError {
  const map = (f: string) => {
    const n = f.replace(/^#?\/?/, '').replace(/^(body|report)[/.]/, '');
    if (/^contact[/.]/.test(n)) return n.replace(/^contact[/.]/, '');
    if (/^location/.test(n)) return 'location';
    if (/^photo/.test(n)) return 'photos';
    return n;
  };
  return new ApiError({
    type: 'about:blank',
    title: e.title,
    status: e.status,
    code: e.code,
    detail: e.detail,
    errors: e.errors?.map((x) => ({ field: map(x.field), message: x.message })),
  });
}
