/**
 * The sync message without a database: the date format, and that what the builder makes passes the
 * portal's own checks.
 */
import { describe, expect, it } from 'vitest';
import { buildHoSo, type DossierSource, dvcqgDate, parseDvcqgDate, SYNC_SERVICE, validateEnvelope } from './dvcqg.payload';

describe('dates', () => {
  it('are yyyyMMddHHmmss in Vietnam time', () => {
    expect(dvcqgDate('2025-07-08T01:02:03Z')).toBe('20250708080203');
    expect(dvcqgDate('2025-12-31T17:30:00Z')).toBe('20260101003000');
  });

  it('parse back, and impossible dates are refused', () => {
    expect(parseDvcqgDate('20250708080203')?.toISOString()).toBe('2025-07-08T01:02:03.000Z');
    expect(parseDvcqgDate('20250230080000')).toBeNull();
    expect(parseDvcqgDate('20250708250000')).toBeNull();
    expect(parseDvcqgDate('2025-07-08')).toBeNull();
  });
});

const source = (over: Partial<DossierSource> = {}): DossierSource => ({
  code: 'H66.201-250708-0001',
  procedureCode: '1.001193.000.00.00.H66',
  procedureName: 'Đăng ký khai sinh',
  procedureField: 'Hộ tịch',
  agencyName: 'UBND phường Buôn Ma Thuột',
  channel: 1,
  publicStatus: 3,
  applicant: { kind: 'citizen', name: 'Nguyễn Văn An', idNumber: null, phone: '0912345678', email: null },
  summary: null,
  submittedAt: '2025-07-08T01:00:00.000Z',
  receivedAt: null,
  dueAt: null,
  refusedAt: '2025-07-08T02:00:00.000Z',
  files: [{ fileId: 'f1', componentKey: '_issued', name: 'mau-03.pdf', superseded: false, reused: false }],
  actions: [
    {
      seq: 1,
      action: 'create',
      actionName: 'Tạo hồ sơ',
      at: '2025-07-08T01:00:00.000Z',
      actorLabel: 'Cán bộ',
      note: null,
      payload: {},
      statusAfter: null,
    },
    {
      seq: 2,
      action: 'submit',
      actionName: 'Nộp hồ sơ',
      at: '2025-07-08T01:00:00.000Z',
      actorLabel: 'Cán bộ',
      note: null,
      payload: {},
      statusAfter: 1,
    },
    {
      seq: 3,
      action: 'refuse',
      actionName: 'Từ chối tiếp nhận hồ sơ',
      at: '2025-07-08T02:00:00.000Z',
      actorLabel: 'Cán bộ',
      note: 'Không thuộc thẩm quyền',
      payload: {},
      statusAfter: 3,
    },
  ],
  ...over,
});

describe('the record', () => {
  it('a refused counter dossier: status 3 with NgayTuChoi, unknown fields left out, issued forms not listed', () => {
    const h = buildHoSo(source());
    expect(h).toMatchObject({
      TrangThaiHoSo: '3',
      KenhThucHien: '1',
      NgayTuChoi: '20250708090000',
      LoaiDoiTuong: '1',
      TenLinhVuc: 'Hộ tịch',
    });
    expect('SoGiayToChuHoSo' in h).toBe(false);
    expect('Email' in h).toBe(false);
    expect('NgayTiepNhan' in h).toBe(false);
    expect(h.TaiLieuNop).toEqual([]);
    expect(h.QuaTrinhXuLy.map((q) => [q.TrangThai, q.NoiDungXuLy])).toEqual([
      ['1', 'Nộp hồ sơ'],
      ['3', 'Từ chối tiếp nhận hồ sơ: Không thuộc thẩm quyền'],
    ]);
    expect(() => validateEnvelope({ service: SYNC_SERVICE, isUpdating: true, data: [h] })).not.toThrow();
  });
});
