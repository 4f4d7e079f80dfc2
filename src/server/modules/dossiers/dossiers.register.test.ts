import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RegisterMeta, type RegisterRow, registerTotals, registerWorkbook } from './dossiers.register';

const HEADERS = [
  'STT',
  'Mã hồ sơ',
  'Tên TTHC',
  'Tên tổ chức/cá nhân',
  'Địa chỉ, số điện thoại',
  'Cơ quan chủ trì giải quyết',
  'Nhận hồ sơ (ngày giờ)',
  'Hẹn trả kết quả',
  'Ngày trả kết quả',
  'Phương thức nhận kết quả',
  'Kênh nộp',
  'Tình trạng',
  'Đúng hạn/Trễ hạn',
  'Ký nhận',
];

function row(i: number, overrides: Partial<RegisterRow> = {}): RegisterRow {
  return {
    code: `H66.201-261124-${String(i + 1).padStart(4, '0')}`,
    procedureName: 'Đăng ký khai sinh',
    applicantName: 'Nguyễn Thị Hồng Nhung',
    applicantAddress: '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk',
    applicantPhone: '0905123456',
    leadAgencyName: 'Ủy ban nhân dân phường Buôn Ma Thuột',
    receivedAt: new Date('2026-11-24T02:15:00Z'),
    dueAt: new Date('2026-11-27T09:30:00Z'),
    returnedAt: new Date('2026-11-26T08:05:00Z'),
    returnMethod: 'counter',
    publicStatusName: 'Đã trả kết quả',
    timeliness: 'early',
    channel: 1,
    ...overrides,
  };
}

const meta: RegisterMeta = {
  title: 'Sổ theo dõi hồ sơ',
  agencyName: 'Ủy ban nhân dân phường Buôn Ma Thuột',
  periodFrom: '2026-11-01',
  periodTo: '2026-11-30',
  generatedAt: new Date('2026-12-01T01:30:00Z'),
  filters: ['Lĩnh vực: Hộ tịch', 'Kênh nộp: Trực tiếp'],
};

const rows: RegisterRow[] = [
  row(0),
  row(1, { timeliness: 'on_time', channel: 2, returnMethod: 'online', applicantPhone: null }),
  row(2, { timeliness: 'late', channel: 3, returnMethod: 'post', applicantAddress: null }),
  row(3, {
    timeliness: 'pending_overdue',
    returnedAt: null,
    returnMethod: null,
    publicStatusName: 'Đang xử lý',
    applicantAddress: null,
    applicantPhone: null,
  }),
  row(4, { timeliness: 'pending', returnedAt: null, publicStatusName: 'Đang xử lý', receivedAt: null, dueAt: null }),
];

async function load(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

/** Row number of the header row (the one whose first cell is "STT"). */
function headerRowOf(sheet: ExcelJS.Worksheet): number {
  for (let r = 1; r <= 20; r++) if (sheet.getCell(r, 1).value === 'STT') return r;
  throw new Error('no header row');
}

function textsOf(sheet: ExcelJS.Worksheet, r: number): unknown[] {
  return HEADERS.map((_, c) => sheet.getCell(r, c + 1).value);
}

describe('Sổ theo dõi hồ sơ (.xlsx)', () => {
  let sheet: ExcelJS.Worksheet;
  let header: number;
  beforeAll(async () => {
    sheet = await load(await registerWorkbook(rows, meta));
    header = headerRowOf(sheet);
  });

  it('starts with the agency, the title, the period, the filters and the time it was made', () => {
    const titles = Array.from({ length: header - 1 }, (_, i) => sheet.getCell(i + 1, 1).value);
    expect(titles).toEqual([
      'ỦY BAN NHÂN DÂN PHƯỜNG BUÔN MA THUỘT',
      'SỔ THEO DÕI HỒ SƠ',
      'Từ ngày 01/11/2026 đến ngày 30/11/2026',
      'Điều kiện lọc: Lĩnh vực: Hộ tịch; Kênh nộp: Trực tiếp',
      'Ngày lập: 01/12/2026 08:30',
      null,
    ]);
    expect(sheet.getCell(2, 1).font.bold).toBe(true);
    // the title spans the table
    expect(sheet.getCell(2, HEADERS.length).isMerged).toBe(true);
  });

  it('has the Mẫu 06 header row, frozen, with an auto-filter over the data', () => {
    expect(textsOf(sheet, header)).toEqual(HEADERS);
    expect(sheet.getCell(header, 1).font.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    // read back as a range: columns A..N, from the header to the last dossier
    expect(sheet.autoFilter).toBe(`A${header}:N${header + rows.length}`);
    expect(sheet.getColumn(3).width).toBeGreaterThan(30);
    expect(sheet.getCell(header + 1, 3).alignment.wrapText).toBe(true);
  });

  it('writes one row per dossier with the labels in Vietnamese', () => {
    expect(textsOf(sheet, header + 1)).toEqual([
      1,
      'H66.201-261124-0001',
      'Đăng ký khai sinh',
      'Nguyễn Thị Hồng Nhung',
      '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk; ĐT: 0905123456',
      'Ủy ban nhân dân phường Buôn Ma Thuột',
      expect.any(Date),
      expect.any(Date),
      expect.any(Date),
      'Trực tiếp tại Bộ phận Một cửa',
      'Trực tiếp',
      'Đã trả kết quả',
      'Trước hạn',
      null,
    ]);
    const column = (c: number) => rows.map((_, i) => sheet.getCell(header + 1 + i, c).value);
    expect(column(1)).toEqual([1, 2, 3, 4, 5]);
    expect(column(10)).toEqual([
      'Trực tiếp tại Bộ phận Một cửa',
      'Trực tuyến',
      'Qua bưu chính công ích',
      null,
      'Trực tiếp tại Bộ phận Một cửa',
    ]);
    expect(column(11)).toEqual(['Trực tiếp', 'Trực tuyến', 'Bưu chính công ích', 'Trực tiếp', 'Trực tiếp']);
    expect(column(13)).toEqual(['Trước hạn', 'Đúng hạn', 'Trễ hạn', 'Đang giải quyết, quá hạn', 'Đang giải quyết, trong hạn']);
    expect(column(5)).toEqual([
      '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk; ĐT: 0905123456',
      '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk',
      'ĐT: 0905123456',
      '',
      '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk; ĐT: 0905123456',
    ]);
    // no date → empty cell, not 1900-01-00
    expect(sheet.getCell(header + 5, 7).value).toBeNull();
    expect(sheet.getCell(header + 5, 9).value).toBeNull();
  });

  it('stores dates as real Excel dates in Vietnam wall time, formatted dd/mm/yyyy hh:mm', () => {
    const received = sheet.getCell(header + 1, 7);
    expect(received.value).toBeInstanceOf(Date);
    // 02:15 UTC is 09:15 in Asia/Ho_Chi_Minh; the workbook holds the wall time itself
    expect((received.value as Date).toISOString()).toBe('2026-11-24T09:15:00.000Z');
    expect(received.numFmt).toBe('dd/mm/yyyy hh:mm');
    expect((sheet.getCell(header + 1, 8).value as Date).toISOString()).toBe('2026-11-27T16:30:00.000Z');
    // 08:05 UTC on the 26th is 15:05 the same day
    expect((sheet.getCell(header + 1, 9).value as Date).toISOString()).toBe('2026-11-26T15:05:00.000Z');
  });

  it('ends with the totals: number of dossiers, on time, late and overdue in progress', () => {
    const totals: Record<string, unknown> = {};
    for (let r = header + rows.length + 1; r <= sheet.rowCount; r++) {
      const label = sheet.getCell(r, 1).value;
      if (typeof label === 'string') totals[label] = sheet.getCell(r, 4).value;
    }
    expect(totals).toEqual({
      'Tổng số hồ sơ': 5,
      'Đúng hạn (kể cả trước hạn)': 2,
      'Trễ hạn': 1,
      'Đang giải quyết, quá hạn': 1,
    });
    expect(registerTotals(rows)).toEqual({ total: 5, onTime: 2, late: 1, pendingOverdue: 1 });
  });

  it('writes an empty list with a header, zero totals and an open period', async () => {
    const empty = await load(
      await registerWorkbook([], { ...meta, title: 'Danh sách hồ sơ quá hạn', periodFrom: null, periodTo: null, filters: [] }),
    );
    const h = headerRowOf(empty);
    expect(empty.getCell(2, 1).value).toBe('DANH SÁCH HỒ SƠ QUÁ HẠN');
    expect(empty.getCell(3, 1).value).toBe('Toàn bộ thời gian');
    expect(empty.getCell(4, 1).value).toBe('Ngày lập: 01/12/2026 08:30');
    expect(textsOf(empty, h)).toEqual(HEADERS);
    expect(empty.getCell(h + 2, 1).value).toBe('Tổng số hồ sơ');
    expect(empty.getCell(h + 2, 4).value).toBe(0);
    const open = await load(await registerWorkbook([], { ...meta, periodFrom: '2026-11-01', periodTo: null }));
    expect(open.getCell(3, 1).value).toBe('Từ ngày 01/11/2026');
  });

  it('exports 2,000 rows, every one in place, with the totals', async () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      row(i, {
        receivedAt: new Date(Date.UTC(2026, 10, 1, 1, 0) + i * 60_000),
        timeliness: (['early', 'on_time', 'late', 'pending'] as const)[i % 4],
      }),
    );
    // How fast is measured in bench/, never asserted here.
    const bytes = await registerWorkbook(many, meta);
    const big = await load(bytes);
    const h = headerRowOf(big);
    expect(big.getCell(h + 2000, 1).value).toBe(2000);
    expect(big.getCell(h + 2000, 2).value).toBe('H66.201-261124-2000');
    // the 2,000th dossier came in 1,999 minutes after 08:00 Vietnam time on 1 November: 17:19 on 2 November
    expect((big.getCell(h + 2000, 7).value as Date).toISOString()).toBe('2026-11-02T17:19:00.000Z');
    expect(big.getCell(h + 2002, 4).value).toBe(2000);
    expect(big.getCell(h + 2003, 4).value).toBe(1000);
  });
});
