/**
 * The draft as plain data: a new one, the body of a save, step checks.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import vi from '../i18n/vi.json';
import { checkAll, checkStep, currentFiles, draftBody, newDraft, prefill, suggestedRecipient } from './draft';
import { buildSteps } from './steps';
import type { DossierFile, FormField, Procedure } from './types';

let t: TFunction;

beforeAll(async () => {
  const i = i18next.createInstance();
  await i.init({ lng: 'vi', resources: { vi: { translation: vi } }, interpolation: { escapeValue: false }, showSupportNotice: false });
  t = i.getFixedT('vi');
});

const procedure = {
  id: 'p1',
  agencies: [
    { id: 'a1', code: 'H66.201', name: 'UBND phường Buôn Ma Thuột' },
    { id: 'a2', code: 'H66.202', name: 'UBND xã Hòa Phú' },
  ],
  components: [
    {
      key: 'tk',
      name: 'Tờ khai',
      original: true,
      copies: 1,
      required: true,
      condition: null,
      templateFileId: null,
      fromEdataStore: false,
      documentType: null,
    },
  ],
  form: {
    fields: [
      { key: 'ho_ten', label: 'Họ tên', type: 'text', required: true },
      { key: 'so_dien_thoai', label: 'Số điện thoại', type: 'phone', required: true },
      { key: 'email', label: 'Email', type: 'email', required: false },
    ],
  },
  resultDelivery: ['online', 'counter'],
} as unknown as Procedure;

describe('a new draft', () => {
  it('is pre-filled from the account and takes the only choices for the user', () => {
    const d = newDraft(procedure, { name: 'Nguyễn Thị Hồng' });
    expect(d).toMatchObject({ agencyId: '', raw: { ho_ten: 'Nguyễn Thị Hồng' }, resultDelivery: '' });
    const one = newDraft({ ...procedure, agencies: [procedure.agencies[0]!], resultDelivery: ['online'] }, {});
    expect(one).toMatchObject({ agencyId: 'a1', resultDelivery: 'online' });
  });

  it('is saved with what has been given so far', () => {
    const d = { ...newDraft(procedure, { name: 'Hồng' }), notifyChannel: 'sms' as const, notifyTo: ' 0905123456 ' };
    d.files = [{ componentKey: 'tk', fileId: 'f1', name: 'tk.pdf', size: 10, mediaType: 'application/pdf' }];
    expect(draftBody(procedure, d)).toEqual({
      form: { ho_ten: 'Hồng' },
      files: [{ componentKey: 'tk', fileId: 'f1' }],
      notifyChannel: 'sms',
      notifyTo: '0905123456',
    });
  });
});

describe('step checks', () => {
  const steps = buildSteps(procedure);
  const base = newDraft(procedure, {});

  it('asks for the agency, the form, the required files and the delivery choices before submitting', () => {
    const all = checkAll(steps, procedure, base, true, t);
    expect(all.first).toBe('agency');
    expect(Object.keys(all.byStep)).toEqual(['agency', 'form-1', 'files', 'delivery']);
    expect(all.byStep.files).toEqual({ 'files.tk': 'Chưa có tệp đính kèm cho giấy tờ bắt buộc này' });
    expect(all.byStep.delivery).toEqual({
      resultDelivery: 'Vui lòng chọn cách nhận kết quả',
      notifyChannel: 'Vui lòng chọn cách nhận thông báo',
    });
    // A draft may be saved half-filled.
    expect(checkAll(steps, procedure, base, false, t).first).toBeNull();
  });

  it('checks the recipient against the channel', () => {
    const delivery = steps.find((s) => s.kind === 'delivery')!;
    const s = { ...base, resultDelivery: 'online' as const, notifyChannel: 'email' as const, notifyTo: '0905123456' };
    expect(checkStep(delivery, procedure, s, true, t)).toEqual({ notifyTo: 'Địa chỉ thư điện tử không hợp lệ' });
    expect(checkStep(delivery, procedure, { ...s, notifyChannel: 'zalo' }, true, t)).toEqual({});
  });

  it('proposes the form’s email or phone as the recipient', () => {
    const s = { ...base, raw: { so_dien_thoai: '0905123456', email: 'h@example.vn' } };
    expect(suggestedRecipient(procedure, s, 'email')).toBe('h@example.vn');
    expect(suggestedRecipient(procedure, s, 'sms')).toBe('0905123456');
  });
});

describe('files of a saved dossier', () => {
  it('keeps the applicant’s current files, not the issued papers or replaced ones', () => {
    const file = (fileId: string, componentKey: string, superseded = false): DossierFile => ({
      fileId,
      componentKey,
      name: `${fileId}.pdf`,
      mediaType: 'application/pdf',
      size: 1,
      reused: false,
      superseded,
      addedSeq: 1,
    });
    const files = currentFiles({ files: [file('a', 'tk'), file('b', 'tk', true), file('c', '_issued')] });
    expect(files.map((f) => f.fileId)).toEqual(['a']);
  });
});

const f = (key: string, type: FormField['type']): FormField => ({ key, label: key, type, required: false });

describe('pre-filling from the account', () => {
  it('fills the applicant name and the first email and phone fields when empty', () => {
    const fields = [f('ho_ten', 'text'), f('so_dien_thoai', 'phone'), f('email', 'email'), f('email_ben_kia', 'email')];
    expect(prefill(fields, {}, { name: 'Nguyễn Thị Hồng', email: 'h@example.vn', phone: null })).toEqual({
      ho_ten: 'Nguyễn Thị Hồng',
      email: 'h@example.vn',
    });
    expect(prefill(fields, { ho_ten: 'Khác' }, { name: 'Nguyễn Thị Hồng' })).toEqual({ ho_ten: 'Khác' });
    expect(prefill([f('ten', 'text')], {}, { name: 'A' })).toEqual({});
  });
});
