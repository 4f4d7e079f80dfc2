/**
 * Test helpers for dossiers: uploads over HTTP, the demo procedures used by the tests and filled-in
 * forms for them.
 */
import { randomBytes } from 'node:crypto';
import type { Session } from '../../../../test/app';
import { samplePdf } from '../../platform/files/testing';
import { demoAgencyId } from '../org';
import type { FormValues } from './dossiers.schemas';

/** Commune level, online end to end, three required components (tp1, tp2, tp6); no fixed legal time. */
export const KHAI_SINH = '1.001193.000.00.00.H66';
/** Province level (Sở Nội vụ, received at the provincial service centre), required tp1 + tp2, 10 working days. */
export const THO_CUNG = '1.010803.000.00.00.H66';
export const BMT = demoAgencyId('H66.201');
export const EA_KAR = demoAgencyId('H66.204');

export const applicantForm = (overrides: FormValues = {}): FormValues => ({
  ho_ten: 'Nguyễn Văn An',
  ngay_sinh: '1990-05-12',
  so_dinh_danh: '066090001234',
  so_dien_thoai: '0912345678',
  email: 'nguyenvanan@example.vn',
  dia_chi_don_vi: '24133',
  dia_chi: '12 Lê Duẩn, tổ dân phố 3',
  ...overrides,
});

export const khaiSinhForm = (overrides: FormValues = {}): FormValues =>
  applicantForm({
    ho_ten_nguoi_duoc_khai_sinh: 'Nguyễn Minh Khôi',
    ngay_sinh_nguoi_duoc_khai_sinh: '2026-11-01',
    gioi_tinh: 'nam',
    noi_sinh: 'Bệnh viện Đa khoa vùng Tây Nguyên',
    ...overrides,
  });

export const thoCungForm = (overrides: FormValues = {}): FormValues =>
  applicantForm({ noi_dung_yeu_cau: 'Đề nghị giải quyết chế độ trợ cấp thờ cúng liệt sĩ Nguyễn Văn Bình.', ...overrides });

function multipart(filename: string, type: string, bytes: Buffer) {
  const boundary = `----tinhso${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads a small distinct PDF as the session's user; returns the file id. */
export async function uploadPdf(s: Session, name = 'giay-to.pdf'): Promise<string> {
  const m = multipart(name, 'application/pdf', samplePdf(`${name} ${randomBytes(6).toString('hex')}`));
  const res = await s.request('POST', '/api/v1/files', m.body, m.headers);
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** One uploaded file per component key. */
export async function filesFor(s: Session, keys: string[]): Promise<{ componentKey: string; fileId: string }[]> {
  return Promise.all(keys.map(async (componentKey) => ({ componentKey, fileId: await uploadPdf(s, `${componentKey}.pdf`) })));
}

/** A complete khai sinh dossier filed online with the ward of Buôn Ma Thuột, submitted at once. */
export async function submitKhaiSinh(s: Session, form: FormValues = khaiSinhForm()) {
  return s.request('POST', '/api/v1/dossiers', {
    procedureId: KHAI_SINH,
    agencyId: BMT,
    form,
    files: await filesFor(s, ['tp1', 'tp2', 'tp6']),
    resultDelivery: 'online',
    submit: true,
  });
}

/** A complete province-level dossier (received by the provincial service centre), submitted at once. */
export async function submitThoCung(s: Session, form: FormValues = thoCungForm()) {
  return s.request('POST', '/api/v1/dossiers', {
    procedureId: THO_CUNG,
    form,
    files: await filesFor(s, ['tp1', 'tp2']),
    resultDelivery: 'counter',
    submit: true,
  });
}
