import { describe, expect, it } from 'vitest';
import { asFormError, bodyOf, initial, type Photo, photosOf, type Values, validateReport } from './reportForm.logic';

const t = (k: string, o?: Record<string, unknown>) => (o ? `${k}:${JSON.stringify(o)}` : k);
const jpeg = (n: number, type = 'image/jpeg') => new Blob([new Uint8Array(n)], { type });
const photo = (orig: number, small: number): Photo => ({
  id: String(orig),
  original: new File([new Uint8Array(orig)], 'IMG_2024_nha_ong_A.heic', { type: 'image/heic' }),
  small: jpeg(small),
  url: '',
});
const filled: Values = {
  ...initial,
  categoryCode: 'moi_truong',
  description: '  Rác thải  ',
  location: { lon: 108.03781234567, lat: 12.66670987654 },
};

describe('report form checks', () => {
  it('a complete report from a signed-in user passes', () => {
    expect(validateReport(filled, true, t)).toEqual({});
  });

  it('category, description and some location are required', () => {
    expect(validateReport(initial, true, t)).toEqual({
      categoryCode: 'feedback.errors.category',
      description: 'feedback.errors.description',
      location: 'feedback.errors.location',
    });
  });

  it('an address or the photo EXIF (with a photo) is enough as a location', () => {
    const noPin = { ...filled, location: null };
    expect(validateReport({ ...noPin, address: 'Ngã tư Lê Duẩn' }, true, t)).toEqual({});
    expect(validateReport({ ...noPin, useExifLocation: true }, true, t).location).toBe('feedback.errors.location');
    expect(validateReport({ ...noPin, useExifLocation: true, photos: [photo(10, 5)] }, true, t)).toEqual({});
  });

  it('not signed in: a phone or an e-mail is required, and checked', () => {
    expect(validateReport(filled, false, t)).toEqual({ phone: 'feedback.errors.contact' });
    expect(validateReport({ ...filled, phone: '0905 123 456' }, false, t)).toEqual({});
    expect(validateReport({ ...filled, email: 'a@b.vn' }, false, t)).toEqual({});
    expect(validateReport({ ...filled, phone: '12' }, false, t)).toEqual({ phone: 'feedback.errors.phone' });
    expect(validateReport({ ...filled, email: 'không phải email' }, true, t)).toEqual({ email: 'validation.email' });
  });

  it('lengths as the server: 2000 for the description, 500 for the address', () => {
    expect(validateReport({ ...filled, description: 'a'.repeat(2001) }, true, t).description).toContain('validation.maxLength');
    expect(validateReport({ ...filled, address: 'a'.repeat(501) }, true, t).address).toContain('"count":500');
  });
});

describe('the request', () => {
  it('JSON part: trimmed, rounded location, no empty contact, EXIF flag only with a photo', () => {
    expect(bodyOf(filled)).toEqual({
      categoryCode: 'moi_truong',
      description: 'Rác thải',
      location: { lon: 108.037812, lat: 12.66671 },
      address: undefined,
      isPublic: true,
      anonymous: false,
      useExifLocation: undefined,
      contact: undefined,
    });
    const b = bodyOf({
      ...filled,
      visibility: 'private',
      anonymous: true,
      phone: ' 0905123456 ',
      useExifLocation: true,
      photos: [photo(3, 2)],
    });
    expect(b).toMatchObject({ isPublic: false, anonymous: true, useExifLocation: true, contact: { phone: '0905123456' } });
    expect(bodyOf({ ...filled, useExifLocation: true }).useExifLocation).toBeUndefined();
  });

  it('photo parts: the small copies with neutral names; the first one original when its EXIF location is wanted', () => {
    const v = { ...filled, photos: [photo(1000, 100), photo(2000, 200)] };
    expect(photosOf(v).map((p) => [p.name, p.blob.size, p.type])).toEqual([
      ['anh-1.jpg', 100, 'image/jpeg'],
      ['anh-2.jpg', 200, 'image/jpeg'],
    ]);
    expect(photosOf({ ...v, useExifLocation: true }).map((p) => [p.name, p.blob.size])).toEqual([
      ['anh-1.heic', 1000],
      ['anh-2.jpg', 200],
    ]);
  });

  it("the server's field errors land on the form's fields", () => {
    const e = asFormError({
      status: 400,
      code: 'validation_failed',
      title: 'Dữ liệu gửi lên không hợp lệ',
      errors: [
        { field: 'body/contact/phone', message: 'sai' },
        { field: '/location/lon', message: 'ngoài tỉnh' },
        { field: 'report', message: 'thiếu' },
        { field: 'body/description', message: 'bắt buộc' },
      ],
    });
    expect(e.fieldErrors()).toEqual({ phone: 'sai', location: 'ngoài tỉnh', report: 'thiếu', description: 'bắt buộc' });
    expect(e.status).toBe(400);
  });
});
