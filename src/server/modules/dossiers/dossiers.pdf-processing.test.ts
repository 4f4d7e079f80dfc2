import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawnQrs, qrMismatches, renderedQrMismatches } from '../../platform/pdf/testing';
import type { FormAgency, FormApplicant } from './dossiers.pdf';
import {
  type ApologyData,
  type ControlSlipData,
  type ControlSlipRow,
  type ResultDocumentData,
  renderApology,
  renderControlSlip,
  renderResultDocument,
  renderStopNotice,
  type StopNoticeData,
} from './dossiers.pdf-processing';

const MM = 72 / 25.4;
const A5 = { width: 148 * MM, height: 210 * MM };
const A4 = { width: 210 * MM, height: 297 * MM };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tinhso-pdf-processing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;
/** Runs poppler's pdftotext on the bytes; `args` go before the input file. */
async function pdftotext(bytes: Uint8Array, args: string[]): Promise<string> {
  const file = path.join(dir, `doc-${++fileCounter}.pdf`);
  await writeFile(file, bytes);
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/pdftotext', [...args, '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** Extracted text with whitespace runs collapsed; `-layout` keeps the body in reading order. */
async function textOf(bytes: Uint8Array, mode: 'layout' | 'reading' = 'layout'): Promise<string> {
  return (await pdftotext(bytes, mode === 'layout' ? ['-layout'] : [])).replace(/\s+/g, ' ');
}

/** Text of a vertical strip of every page (pdftotext crop at 72 dpi, so pixels are points): one table column. */
async function columnText(bytes: Uint8Array, xMin: number, xMax: number): Promise<string> {
  const crop = ['-x', String(Math.round(xMin)), '-y', '0', '-W', String(Math.round(xMax - xMin)), '-H', String(Math.round(A4.height))];
  return (await pdftotext(bytes, crop)).replace(/\s+/g, ' ');
}

/** Left and right edge (points) of a Mẫu 05 column: margins 20/15 mm, shares as in the form. */
function slipColumn(index: number): [number, number] {
  const shares = [0.06, 0.22, 0.22, 0.18, 0.13, 0.19];
  const width = 175 * MM;
  const start = shares.slice(0, index).reduce((a, b) => a + b, 0);
  return [20 * MM + start * width + 1, 20 * MM + (start + shares[index]!) * width - 1];
}

interface Box {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Word boxes (points, y from the top of the page, pages from 1) from `pdftotext -bbox`, optionally of one page only. */
async function wordBoxes(bytes: Uint8Array, onlyPage?: number): Promise<Box[]> {
  const range = onlyPage ? ['-f', String(onlyPage), '-l', String(onlyPage)] : [];
  const html = await pdftotext(bytes, ['-bbox', ...range]);
  const boxes: Box[] = [];
  let page = onlyPage ? onlyPage - 1 : 0;
  for (const m of html.matchAll(/<page [^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0].startsWith('<page')) page++;
    else boxes.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
  }
  return boxes;
}

interface Margins {
  left: number;
  right: number;
  bottom: number;
}

/** Every word inside the left, right and bottom margins (page numbers sit in the top margin). */
async function expectInsideMargins(bytes: Uint8Array, page: { width: number; height: number }, m: Margins): Promise<Box[]> {
  const boxes = await wordBoxes(bytes);
  expect(boxes.length).toBeGreaterThan(20);
  const outside = boxes.filter(
    (b) => b.xMin < m.left - 0.5 || b.xMax > page.width - m.right + 0.5 || b.yMin < 5 * MM || b.yMax > page.height - m.bottom + 0.5,
  );
  expect(outside).toEqual([]);
  return boxes;
}

function expectPageSize(doc: PDFDocument, size: { width: number; height: number }): void {
  for (const page of doc.getPages()) {
    expect(page.getWidth()).toBeCloseTo(size.width, 1);
    expect(page.getHeight()).toBeCloseTo(size.height, 1);
  }
}

const A5_MARGINS: Margins = { left: 15 * MM, right: 12 * MM, bottom: 14 * MM };
const SLIP_MARGINS: Margins = { left: 20 * MM, right: 15 * MM, bottom: 15 * MM };
const DOCUMENT_MARGINS: Margins = { left: 30 * MM, right: 15 * MM, bottom: 20 * MM };

const department: FormAgency = { name: 'Sở Xây dựng tỉnh Đắk Lắk', parentName: 'Ủy ban nhân dân tỉnh Đắk Lắk' };
const centre: FormAgency = { name: 'Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk', parentName: 'Ủy ban nhân dân tỉnh Đắk Lắk' };
const applicant: FormApplicant = {
  name: 'Nguyễn Thị Hồng Nhung',
  idNumber: '066190012345',
  address: '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk',
  phone: '0905123456',
  email: 'hongnhung@example.vn',
};
const CODE = 'H66.020-261124-0002';
const TRACKING = `https://dichvucong.daklak.gov.vn/tra-cuu/${CODE}`;
const PROCEDURE = 'Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II';

function apology(overrides: Partial<ApologyData> = {}): ApologyData {
  return {
    agency: department,
    number: '0003',
    code: CODE,
    trackingUrl: TRACKING,
    applicant,
    procedureName: PROCEDURE,
    receivedAt: new Date('2026-11-10T02:15:00Z'),
    originalDueAt: new Date('2026-11-27T09:30:00Z'),
    newDueAt: new Date('2026-12-02T03:00:00Z'),
    reason: 'Cần lấy ý kiến thẩm định của Sở Nông nghiệp và Môi trường về vị trí xây dựng công trình',
    signerTitle: 'GIÁM ĐỐC',
    signerName: 'Lê Văn Hùng',
    issuedAt: new Date('2026-11-26T03:00:00Z'),
    place: 'Đắk Lắk',
    ...overrides,
  };
}

function stopNotice(overrides: Partial<StopNoticeData> = {}): StopNoticeData {
  return {
    agency: department,
    number: '12',
    code: CODE,
    trackingUrl: TRACKING,
    applicant: { ...applicant, name: "H'Linh Niê" },
    procedureName: PROCEDURE,
    receivedAt: new Date('2026-11-10T02:15:00Z'),
    reason: 'Tổ chức, cá nhân có văn bản đề nghị dừng giải quyết hồ sơ',
    signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
    signerName: 'Trần Văn Bình',
    issuedAt: new Date('2026-11-28T08:00:00Z'),
    place: 'Đắk Lắk',
    ...overrides,
  };
}

function slipRow(i: number, overrides: Partial<ControlSlipRow> = {}): ControlSlipRow {
  return {
    fromUnit: 'Bộ phận tiếp nhận và trả kết quả',
    fromPerson: 'Y Bhăm Êban',
    toUnit: 'Phòng Quản lý xây dựng',
    toPerson: 'Phạm Thị Thu Hà',
    at: new Date(Date.UTC(2026, 10, 10, 2, 15) + i * 3_600_000),
    status: 'on_time',
    note: null,
    ...overrides,
  };
}

function controlSlip(overrides: Partial<ControlSlipData> = {}): ControlSlipData {
  return {
    desk: centre,
    number: '0005',
    code: CODE,
    trackingUrl: TRACKING,
    leadAgencyName: 'Sở Xây dựng tỉnh Đắk Lắk',
    coAgencyNames: ['Sở Nông nghiệp và Môi trường', 'Công an tỉnh Đắk Lắk'],
    procedureName: PROCEDURE,
    applicantName: applicant.name,
    receivedAt: new Date('2026-11-10T02:15:00Z'),
    dueAt: new Date('2026-11-27T09:30:00Z'),
    rows: [
      slipRow(0, { status: 'early', note: 'Chuyển thẩm định' }),
      slipRow(1, {
        fromUnit: 'Phòng Quản lý xây dựng',
        fromPerson: 'Phạm Thị Thu Hà',
        toUnit: 'Lãnh đạo Sở Xây dựng',
        toPerson: 'Lê Văn Hùng',
        status: 'on_time',
      }),
      slipRow(2, {
        fromUnit: 'Lãnh đạo Sở Xây dựng',
        fromPerson: 'Lê Văn Hùng',
        toUnit: 'Bộ phận tiếp nhận và trả kết quả',
        toPerson: null,
        status: 'late',
      }),
      slipRow(3, { status: null }),
    ],
    issuedAt: new Date('2026-11-28T08:00:00Z'),
    ...overrides,
  };
}

function resultDocument(overrides: Partial<ResultDocumentData> = {}): ResultDocumentData {
  return {
    agency: department,
    number: '125/GP-SXD',
    title: 'Giấy phép xây dựng',
    procedureName: PROCEDURE,
    code: CODE,
    applicant,
    paragraphs: [
      'Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014; Luật sửa đổi, bổ sung một số điều của Luật Xây dựng ngày 17 tháng 6 năm 2020;',
      'Cấp cho chủ đầu tư được phép xây dựng công trình nhà ở riêng lẻ tại 12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk.',
      'Giấy phép này có hiệu lực kể từ ngày ký./.',
    ],
    verifyUrl: 'https://dichvucong.daklak.gov.vn/xac-thuc/01JDX5QK7Z',
    signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
    signerName: 'Lê Văn Hùng',
    issuedAt: new Date('2026-11-26T03:00:00Z'),
    place: 'Đắk Lắk',
    ...overrides,
  };
}

/** A long Vietnamese text of about `chars` characters (words of varied length, no line breaks). */
function longText(chars: number, seed = 'đoạn'): string {
  const words = ['Ủy ban nhân dân', 'tỉnh Đắk Lắk', 'quyết định', 'cấp phép', 'xây dựng', 'công trình', seed, 'theo quy định'];
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${words[i % words.length]} `;
  return `${text.slice(0, chars - 4).trim()} HẾT`;
}

describe('Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả', () => {
  let bytes: Uint8Array;
  let text: string;
  beforeAll(async () => {
    bytes = await renderApology(apology());
    text = await textOf(bytes);
  });

  it('prints header, title, number, code and the applicant', async () => {
    const reading = await textOf(bytes, 'reading');
    expect(reading).toContain('ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK SỞ XÂY DỰNG TỈNH ĐẮK LẮK');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Số: 0003/PXL');
    expect(text).toContain('Đắk Lắk, ngày 26 tháng 11 năm 2026');
    expect(text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(text).toContain(`Mã hồ sơ: ${CODE}`);
    expect(text).toContain('Kính gửi: Nguyễn Thị Hồng Nhung');
    expect(text).toContain('Số định danh cá nhân/tổ chức: 066190012345');
    expect(text).toContain(PROCEDURE);
  });

  it('prints the reception, the original and the new appointment in Vietnam time, and the reason', () => {
    expect(text).toContain('Vào lúc 09 giờ 15 phút, ngày 10 tháng 11 năm 2026, Sở Xây dựng tỉnh Đắk Lắk tiếp nhận hồ sơ');
    expect(text).toContain('hẹn trả kết quả vào lúc 16 giờ 30 phút, ngày 27 tháng 11 năm 2026.');
    expect(text).toContain(
      'xin lỗi Ông/Bà/Tổ chức và hẹn lại thời gian trả kết quả giải quyết hồ sơ vào lúc 10 giờ 00 phút, ngày 02 tháng 12 năm 2026.',
    );
    expect(text).toContain(`Lý do chậm: ${apology().reason}`);
    expect(text).toContain('Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này./.');
    expect(text).toContain('GIÁM ĐỐC');
    expect(text).toContain('Lê Văn Hùng');
    expect(text).toContain(TRACKING);
  });

  it('is one A5 page with metadata; a full number is printed as given', async () => {
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expectPageSize(doc, A5);
    expect(doc.getTitle()).toBe(`Phiếu xin lỗi và hẹn lại ngày trả kết quả ${CODE}`);
    expect(doc.getAuthor()).toBe('Sở Xây dựng tỉnh Đắk Lắk');
    expect(doc.getSubject()).toBe('Mẫu 04');
    expect(await textOf(await renderApology(apology({ number: '17/PXL-SXD' })))).toContain('Số: 17/PXL-SXD');
  });

  it('wraps a long reason inside the margins onto a second page', async () => {
    const long = await renderApology(apology({ reason: longText(3000) }));
    expect((await PDFDocument.load(long)).getPageCount()).toBeGreaterThan(1);
    await expectInsideMargins(long, A5, A5_MARGINS);
    const t = await textOf(long);
    expect(t).toContain('HẾT');
    expect(t).toContain('10 giờ 00 phút, ngày 02 tháng 12 năm 2026');
    expect(t).toContain('Lê Văn Hùng');
  });
});

describe('Thông báo dừng giải quyết hồ sơ', () => {
  it('prints title, number, applicant, reception time, reason and a two-line signer title', async () => {
    const bytes = await renderStopNotice(stopNotice());
    const text = await textOf(bytes);
    expect(text).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Số: 12/TB');
    expect(text).toContain('Đắk Lắk, ngày 28 tháng 11 năm 2026');
    expect(text).toContain("Kính gửi: H'Linh Niê");
    expect(text).toContain(`Mã hồ sơ: ${CODE}`);
    expect(text).toContain('thông báo dừng giải quyết hồ sơ');
    expect(text).toContain('tiếp nhận lúc 09 giờ 15 phút, ngày 10 tháng 11 năm 2026.');
    expect(text).toContain('Lý do dừng giải quyết: Tổ chức, cá nhân có văn bản đề nghị dừng giải quyết hồ sơ');
    const boxes = await wordBoxes(bytes);
    const kt = boxes.find((b) => b.text === 'KT.')!;
    const deputy = boxes.find((b) => b.text === 'PHÓ')!;
    expect(deputy.yMin).toBeGreaterThan(kt.yMax - 1); // the second title line is below the first
    expect(text).toContain('Trần Văn Bình');
    const doc = await PDFDocument.load(bytes);
    expectPageSize(doc, A5);
    expect(doc.getTitle()).toBe(`Thông báo dừng giải quyết hồ sơ ${CODE}`);
  });

  it('leaves out the reception time when the dossier was never received', async () => {
    const text = await textOf(await renderStopNotice(stopNotice({ receivedAt: null })));
    expect(text).not.toContain('tiếp nhận lúc');
    expect(text).toContain(`mã hồ sơ ${CODE}.`);
  });
});

describe('Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ', () => {
  let bytes: Uint8Array;
  let text: string;
  beforeAll(async () => {
    bytes = await renderControlSlip(controlSlip());
    text = await textOf(bytes, 'reading');
  });

  it('prints the desk header, title, number, code and the dossier data', async () => {
    const layout = await textOf(bytes);
    expect(text).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH ĐẮK LẮK');
    expect(layout).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(layout).toContain('Số: 0005/PKS');
    expect(layout).toContain('Ngày 28 tháng 11 năm 2026');
    expect(layout).toContain(`Mã hồ sơ: ${CODE}`);
    expect(layout).toContain('Cơ quan (bộ phận) chủ trì giải quyết: Sở Xây dựng tỉnh Đắk Lắk');
    expect(layout).toContain('Cơ quan phối hợp giải quyết: Sở Nông nghiệp và Môi trường; Công an tỉnh Đắk Lắk');
    expect(layout).toContain(`Tên thủ tục hành chính: ${PROCEDURE}`);
    expect(layout).toContain('Tổ chức, cá nhân: Nguyễn Thị Hồng Nhung');
    expect(layout).toContain('Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 10 tháng 11 năm 2026');
    expect(layout).toContain('Thời gian hẹn trả kết quả: 16 giờ 30 phút, ngày 27 tháng 11 năm 2026');
  });

  it('prints one row per hand-over with units, people, time and the timeliness words', async () => {
    const column = async (i: number) => columnText(bytes, ...slipColumn(i));
    expect(await column(1)).toContain(
      'Giao: đơn vị, người giao Bộ phận tiếp nhận và trả kết quả Người giao: Y Bhăm Êban Phòng Quản lý xây dựng Người giao: Phạm Thị Thu Hà Lãnh đạo Sở Xây dựng Người giao: Lê Văn Hùng',
    );
    // a receiver not known yet leaves a line to sign on
    expect(await column(2)).toContain(
      'Phòng Quản lý xây dựng Người nhận: Phạm Thị Thu Hà Lãnh đạo Sở Xây dựng Người nhận: Lê Văn Hùng Bộ phận tiếp nhận và trả kết quả Người nhận: ……………………',
    );
    // hand-overs one hour apart from 09:15 Vietnam time
    expect(await column(3)).toContain(
      [9, 10, 11, 12].map((h) => `${h < 10 ? '0' : ''}${h} giờ 15 phút, ngày 10 tháng 11 năm 2026`).join(' '),
    );
    // the fourth row has no status: its cell stays blank
    expect(await column(4)).toMatch(/quá hạn\) Trước hạn Đúng hạn Quá hạn (?!Trước|Đúng|Quá)/);
    expect(await column(5)).toContain('Ghi chú Chuyển thẩm định');
    expect(text).not.toContain('Chưa có lần giao nhận nào');
  });

  it('puts each status in the row of its hand-over', async () => {
    const boxes = await wordBoxes(bytes);
    const rowTop = (n: string) => boxes.find((b) => b.text === n && b.xMin < 30 * MM)!.yMin;
    const statusTop = (word: string) => boxes.find((b) => b.text === word)!.yMin;
    expect(statusTop('Trước')).toBeCloseTo(rowTop('1'), 0);
    expect(statusTop('Quá')).toBeCloseTo(rowTop('3'), 0);
  });

  it('is A4 portrait with metadata', async () => {
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expectPageSize(doc, A4);
    expect(doc.getSubject()).toBe('Mẫu 05');
    expect(doc.getTitle()).toBe(`Phiếu kiểm soát quá trình giải quyết hồ sơ ${CODE}`);
  });

  it('says so when there was no hand-over yet', async () => {
    const t = await textOf(await renderControlSlip(controlSlip({ rows: [], coAgencyNames: [], receivedAt: null, dueAt: null })));
    expect(t).toContain('Chưa có lần giao nhận nào');
    expect(t).not.toContain('Cơ quan phối hợp');
    expect(t).toContain('Thời gian hẹn trả kết quả: theo quy định');
  });

  it('continues 200 rows over new pages with the header row repeated, inside the margins', async () => {
    const statuses = ['early', 'on_time', 'late', null] as const;
    const rows = Array.from({ length: 200 }, (_, i) => slipRow(i, { status: statuses[i % 4]!, note: `Lần ${i + 1}` }));
    const long = await renderControlSlip(controlSlip({ rows }));
    const doc = await PDFDocument.load(long);
    const pages = doc.getPageCount();
    expect(pages).toBeGreaterThan(5);
    expectPageSize(doc, A4);
    const boxes = await expectInsideMargins(long, A4, SLIP_MARGINS);
    // the STT column holds 1..200 in order, and every page starts its table with the header row
    const numbers = boxes.filter((b) => b.xMin < 30 * MM && /^\d+$/.test(b.text) && b.yMin > 20 * MM).map((b) => Number(b.text));
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(boxes.filter((b) => b.text === 'STT').map((b) => b.page)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    const t = await textOf(long, 'reading');
    expect(t).toContain('Lần 200');
    expect(t.match(/Quá hạn/g)).toHaveLength(50);
    expect(t.match(/Trước hạn/g)).toHaveLength(50);
  });

  it('splits a row longer than a page across pages without leaving the margins', async () => {
    const long = await renderControlSlip(controlSlip({ rows: [slipRow(0, { note: longText(5000, 'ghichú') })] }));
    expect((await PDFDocument.load(long)).getPageCount()).toBeGreaterThan(1);
    await expectInsideMargins(long, A4, SLIP_MARGINS);
    expect(await textOf(long, 'reading')).toContain('HẾT');
  });
});

describe('E-result document', () => {
  type Rendered = Awaited<ReturnType<typeof renderResultDocument>>;
  let rendered: Rendered;
  let text: string;
  beforeAll(async () => {
    rendered = await renderResultDocument(resultDocument());
    text = await textOf(rendered.pdf);
  });

  /** The box in pdftotext coordinates (y from the top). */
  function boxFromTop(r: Rendered, pageHeight: number) {
    const [x, y, w, h] = r.signatureBox.rect;
    return { page: r.signatureBox.page + 1, xMin: x, xMax: x + w, yMin: pageHeight - (y + h), yMax: pageHeight - y };
  }

  async function expectEmptyBoxOnLastPage(r: Rendered): Promise<void> {
    const doc = await PDFDocument.load(r.pdf);
    expect(r.signatureBox.page).toBe(doc.getPageCount() - 1);
    const [x, y, w, h] = r.signatureBox.rect;
    expect(w).toBeGreaterThan(50 * MM);
    expect(h).toBeGreaterThan(20 * MM);
    // inside the printable area of the page, on the right half
    expect(x).toBeGreaterThanOrEqual(A4.width / 2 - 1);
    expect(x + w).toBeLessThanOrEqual(A4.width - DOCUMENT_MARGINS.right + 0.5);
    expect(y).toBeGreaterThanOrEqual(DOCUMENT_MARGINS.bottom - 0.5);
    expect(y + h).toBeLessThanOrEqual(A4.height - 20 * MM);
    const box = boxFromTop(r, A4.height);
    const words = await wordBoxes(r.pdf, box.page);
    expect(words.length).toBeGreaterThan(5);
    const inside = words.filter(
      (b) => b.page === box.page && b.xMax > box.xMin && b.xMin < box.xMax && b.yMax > box.yMin && b.yMin < box.yMax,
    );
    expect(inside).toEqual([]);
    // the signer's title is above the box and the name below it (NĐ 30/2020: signature between title and name)
    const name = words.filter((b) => b.page === box.page && b.text === 'Hùng').at(-1)!;
    expect(name.yMin).toBeGreaterThanOrEqual(box.yMax);
    const title = words.filter((b) => b.page === box.page && b.text === 'KT.').at(-1)!;
    expect(title.yMax).toBeLessThanOrEqual(box.yMin);
  }

  it('prints Quốc hiệu, agency, number, title, applicant, body, code and the verification address', async () => {
    const agencyColumn = await pdftotext(rendered.pdf, [
      '-x',
      '0',
      '-y',
      '0',
      '-W',
      String(Math.round(30 * MM + 0.44 * 165 * MM)),
      '-H',
      '200',
    ]);
    expect(agencyColumn.replace(/\s+/g, ' ')).toContain('ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK SỞ XÂY DỰNG TỈNH ĐẮK LẮK Số: 125/GP-SXD');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('Số: 125/GP-SXD');
    expect(text).toContain('Đắk Lắk, ngày 26 tháng 11 năm 2026');
    expect(text).toContain('GIẤY PHÉP XÂY DỰNG');
    expect(text).toContain(`Kết quả giải quyết thủ tục hành chính: ${PROCEDURE}`);
    expect(text).toContain('Tổ chức, cá nhân: Nguyễn Thị Hồng Nhung');
    expect(text).toContain('066190012345');
    for (const p of resultDocument().paragraphs) expect(text).toContain(p);
    const reading = await textOf(rendered.pdf, 'reading');
    expect(reading).toContain(`Mã hồ sơ: ${CODE} Quét mã QR hoặc truy cập địa chỉ dưới đây để xác thực văn bản:`);
    expect(reading.replace(/ /g, '')).toContain('https://dichvucong.daklak.gov.vn/xac-thuc/01JDX5QK7Z');
    expect(text).toContain('KT. GIÁM ĐỐC');
    expect(text).toContain('PHÓ GIÁM ĐỐC');
    expect(text).toContain('Lê Văn Hùng');
  });

  it('draws the QR code of the verification address left of the signature block (vector, on the last page)', async () => {
    const doc = await PDFDocument.load(rendered.pdf);
    const qrs = drawnQrs(doc);
    expect(qrs).toHaveLength(1);
    const qr = qrs[0]!;
    expect(qr.page).toBe(rendered.signatureBox.page);
    expect(qr.size).toBeCloseTo(25 * MM, 3);
    expect(qr.x).toBeCloseTo(30 * MM, 3);
    expect(qr.x + qr.size).toBeLessThan(rendered.signatureBox.rect[0]);
    expect(qrMismatches(qr, resultDocument().verifyUrl)).toBe(0);
    expect(renderedQrMismatches(rendered.pdf, qr, resultDocument().verifyUrl, A4.height)).toBe(0);
  });

  it('is A4 with metadata', async () => {
    const doc = await PDFDocument.load(rendered.pdf);
    expect(doc.getPageCount()).toBe(1);
    expectPageSize(doc, A4);
    expect(doc.getTitle()).toBe(`Giấy phép xây dựng ${CODE}`);
    expect(doc.getAuthor()).toBe('Sở Xây dựng tỉnh Đắk Lắk');
  });

  it('leaves an empty signature box between the signer title and name, inside the page', async () => {
    await expectEmptyBoxOnLastPage(rendered);
  });

  it('wraps a 5,000-character paragraph inside the margins and continues it on new pages', async () => {
    const r = await renderResultDocument(resultDocument({ paragraphs: ['Mở đầu.', longText(5000, 'quyếtđịnh'), 'Kết thúc./.'] }));
    const doc = await PDFDocument.load(r.pdf);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    await expectInsideMargins(r.pdf, A4, DOCUMENT_MARGINS);
    const t = await textOf(r.pdf);
    expect(t).toContain('HẾT Kết thúc./.');
    await expectEmptyBoxOnLastPage(r);
  });

  it('takes 50 paragraphs of 5,000 characters and puts the box on the last page', async () => {
    const paragraphs = Array.from({ length: 50 }, (_, i) => `Điều ${i + 1}. ${longText(5000)}`);
    const r = await renderResultDocument(resultDocument({ paragraphs }));
    const doc = await PDFDocument.load(r.pdf);
    expect(doc.getPageCount()).toBeGreaterThan(20);
    expect(r.signatureBox.page).toBe(doc.getPageCount() - 1);
    await expectEmptyBoxOnLastPage(r);
    const lastPages = await pdftotext(r.pdf, ['-f', String(doc.getPageCount() - 3)]);
    expect(lastPages).toContain('Điều 50.');
  }, 60_000);
});
