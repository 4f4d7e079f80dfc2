import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawnQrs, qrMismatches, renderedQrMismatches } from '../../platform/pdf/testing';
import {
  type FormAgency,
  type FormApplicant,
  type ReceiptData,
  type RefusalData,
  renderReceipt,
  renderRefusal,
  renderSupplementRequest,
  type SupplementRequestData,
} from './dossiers.pdf';

const MM = 72 / 25.4;
const A5 = { width: 148 * MM, height: 210 * MM };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tinhso-pdf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;
/** Runs poppler's pdftotext on the bytes; `args` go before the input file. */
async function pdftotext(bytes: Uint8Array, args: string[]): Promise<string> {
  const file = path.join(dir, `form-${++fileCounter}.pdf`);
  await writeFile(file, bytes);
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/pdftotext', [...args, '-enc', 'UTF-8', file, '-'], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/**
 * Extracted text with all whitespace runs (line breaks, column gaps) collapsed to one space. `-layout` keeps the body
 * in reading order; the header's two columns (both wrapped) read whole only in the default reading mode.
 */
async function textOf(bytes: Uint8Array, mode: 'layout' | 'reading' = 'layout'): Promise<string> {
  return (await pdftotext(bytes, mode === 'layout' ? ['-layout'] : [])).replace(/\s+/g, ' ');
}

interface Box {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Word boxes (points, y from the top of the page) from `pdftotext -bbox`. */
async function wordBoxes(bytes: Uint8Array): Promise<Box[]> {
  const html = await pdftotext(bytes, ['-bbox']);
  const boxes: Box[] = [];
  let page = 0;
  for (const m of html.matchAll(/<page [^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0].startsWith('<page')) page++;
    else boxes.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
  }
  return boxes;
}

/** Image XObjects referenced from the pages' resources. */
function pageImages(doc: PDFDocument): PDFRawStream[] {
  return doc.getPages().flatMap((page) => {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    if (!xobjects) return [];
    return xobjects
      .values()
      .map((ref) => doc.context.lookup(ref))
      .filter((obj): obj is PDFRawStream => obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
  });
}

/**
 * Checks that the document draws exactly one QR code, the symbol of `text` (same encoder, level M, a one-module quiet
 * zone in the 25 mm square), both as written in the content stream and as poppler renders the page.
 */
function expectQrOf(doc: PDFDocument, bytes: Uint8Array, text: string): void {
  expect(pageImages(doc)).toHaveLength(0);
  const qrs = drawnQrs(doc);
  expect(qrs).toHaveLength(1);
  const qr = qrs[0]!;
  expect(qr.size).toBeCloseTo(25 * MM, 3);
  expect(qr.x).toBeCloseTo(15 * MM, 3);
  expect(qrMismatches(qr, text)).toBe(0);
  expect(renderedQrMismatches(bytes, qr, text, A5.height)).toBe(0);
}

function expectA5(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const { width, height } = page.getSize();
    expect(width).toBeCloseTo(A5.width, 1);
    expect(height).toBeCloseTo(A5.height, 1);
  }
}

/** Every word inside the page margins (left 15 mm, right 12 mm, bottom 14 mm; page numbers sit in the top margin). */
async function expectInsideMargins(bytes: Uint8Array): Promise<void> {
  const boxes = await wordBoxes(bytes);
  expect(boxes.length).toBeGreaterThan(20);
  const outside = boxes.filter(
    (b) => b.xMin < 15 * MM - 0.5 || b.xMax > A5.width - 12 * MM + 0.5 || b.yMin < 5 * MM || b.yMax > A5.height - 14 * MM + 0.5,
  );
  expect(outside).toEqual([]);
}

const ward: FormAgency = { name: 'Ủy ban nhân dân phường Buôn Ma Thuột', parentName: 'Ủy ban nhân dân tỉnh Đắk Lắk' };
const centre: FormAgency = { name: 'Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk', parentName: 'Ủy ban nhân dân tỉnh Đắk Lắk' };
const applicant: FormApplicant = {
  name: 'Nguyễn Thị Hồng Nhung',
  idNumber: '066190012345',
  address: '12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk',
  phone: '0905123456',
  email: 'hongnhung@example.vn',
};

function receipt(overrides: Partial<ReceiptData> = {}): ReceiptData {
  return {
    desk: ward,
    number: '0001',
    code: 'H66.201-261124-0001',
    trackingUrl: 'https://dichvucong.daklak.gov.vn/tra-cuu/H66.201-261124-0001',
    applicant,
    procedureName: 'Đăng ký khai sinh',
    components: [
      { name: 'Tờ khai đăng ký khai sinh theo mẫu', copies: 1, original: true },
      { name: 'Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp', copies: 1, original: true },
      { name: 'Giấy tờ tùy thân của người đi đăng ký khai sinh', copies: 1, original: false },
    ],
    processingDays: 3,
    receivedAt: new Date('2026-11-24T02:15:00Z'),
    dueAt: new Date('2026-11-27T09:30:00Z'),
    resultDelivery: 'counter',
    officerName: 'Y Bhăm Êban',
    place: 'Đắk Lắk',
    ...overrides,
  };
}

function supplement(overrides: Partial<SupplementRequestData> = {}): SupplementRequestData {
  return {
    desk: centre,
    code: 'H66.020-261124-0002',
    trackingUrl: 'https://dichvucong.daklak.gov.vn/tra-cuu/H66.020-261124-0002',
    applicant: { ...applicant, name: "H'Linh Niê" },
    procedureName: 'Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II',
    items: [
      { text: 'Bản vẽ thiết kế xây dựng có chữ ký của chủ đầu tư và đơn vị tư vấn' },
      { text: 'Bản sao giấy tờ chứng minh quyền sử dụng đất' },
      { text: 'Văn bản thẩm duyệt thiết kế về phòng cháy và chữa cháy' },
    ],
    reason: 'Hồ sơ còn thiếu thành phần theo quy định của thủ tục',
    officerName: 'Trần Văn Bình',
    contactPhone: '02623812345',
    issuedAt: new Date('2026-11-25T03:40:00Z'),
    place: 'Đắk Lắk',
    ...overrides,
  };
}

function refusal(overrides: Partial<RefusalData> = {}): RefusalData {
  return {
    desk: ward,
    code: null,
    trackingUrl: null,
    applicant: { ...applicant, name: 'Lê Văn Đức' },
    procedureName: 'Đăng ký khai sinh',
    reasons: [
      'Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường',
      'Người yêu cầu không có quyền yêu cầu đăng ký khai sinh cho trẻ',
    ],
    officerName: 'Phạm Thị Thu Hà',
    issuedAt: new Date('2026-02-05T01:00:00Z'),
    place: 'Đắk Lắk',
    ...overrides,
  };
}

describe('Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả', () => {
  let bytes: Uint8Array;
  let text: string;
  let reading: string;
  beforeAll(async () => {
    bytes = await renderReceipt(receipt());
    text = await textOf(bytes);
    reading = await textOf(bytes, 'reading');
  });

  it('prints the header, title, code and applicant with Vietnamese diacritics', () => {
    expect(reading).toContain('ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK ỦY BAN NHÂN DÂN PHƯỜNG BUÔN MA THUỘT');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('Số: 0001/TN');
    expect(text).toContain('Đắk Lắk, ngày 24 tháng 11 năm 2026');
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain('Mã hồ sơ: H66.201-261124-0001');
    expect(text).toContain('Nguyễn Thị Hồng Nhung');
    expect(text).toContain('066190012345');
    expect(text).toContain('Nội dung yêu cầu giải quyết: Đăng ký khai sinh');
    expect(text).toContain('Số điện thoại: 0905123456; Email: hongnhung@example.vn');
  });

  it('prints the components, the legal time and the times in Vietnam time', () => {
    expect(text).toContain('1. Tờ khai đăng ký khai sinh theo mẫu (bản chính, số lượng: 01)');
    expect(text).toContain('3. Giấy tờ tùy thân của người đi đăng ký khai sinh (bản sao, số lượng: 01)');
    expect(text).toContain('Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc');
    // 02:15 UTC is 09:15 in Asia/Ho_Chi_Minh
    expect(text).toContain('Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 24 tháng 11 năm 2026');
    expect(text).toContain('Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 27 tháng 11 năm 2026');
    expect(text).toContain('Đăng ký nhận kết quả tại: Bộ phận Một cửa - Ủy ban nhân dân phường Buôn Ma Thuột');
  });

  it('has the signature blocks with the officer name', () => {
    expect(text).toMatch(/NGƯỜI NỘP HỒ SƠ\s+NGƯỜI TIẾP NHẬN/);
    expect(text).toContain('Y Bhăm Êban');
  });

  it('is a single A5 page with metadata', async () => {
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expectA5(doc);
    expect(doc.getTitle()).toBe('Giấy tiếp nhận hồ sơ và hẹn trả kết quả H66.201-261124-0001');
    expect(doc.getAuthor()).toBe('Ủy ban nhân dân phường Buôn Ma Thuột');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-24T02:15:00.000Z');
    const lang = doc.catalog.get(PDFName.of('Lang'));
    expect(lang instanceof PDFString ? lang.decodeText() : String(lang)).toBe('vi-VN');
  });

  it('draws the QR code of the tracking address (vector modules, no image)', async () => {
    expectQrOf(await PDFDocument.load(bytes), bytes, receipt().trackingUrl);
  });

  it('draws the QR code of the address it is given', async () => {
    const other = 'https://dichvucong.daklak.gov.vn/tra-cuu/H66.201-261124-0042';
    const doc = await PDFDocument.load(await renderReceipt(receipt({ trackingUrl: other })));
    const [qr] = drawnQrs(doc);
    expect(qrMismatches(qr!, other)).toBe(0);
    expect(qrMismatches(qr!, receipt().trackingUrl)).toBeGreaterThan(0);
  });

  it('embeds the fonts as subsets (Vietnamese text without the whole font files)', async () => {
    const doc = await PDFDocument.load(bytes);
    const fonts = doc.context
      .enumerateIndirectObjects()
      .map(([, obj]) => obj)
      .filter((obj): obj is PDFDict => obj instanceof PDFDict && obj.get(PDFName.of('Subtype')) === PDFName.of('Type0'));
    expect(fonts.length).toBe(3);
    // The DejaVu Serif Condensed files are ~300 kB each; three subsets stay far below one of them.
    expect(bytes.length).toBeLessThan(120_000);
  });

  it('prints "theo quy định" when there is no legal time or due date, and other delivery channels', async () => {
    const t = await textOf(await renderReceipt(receipt({ processingDays: null, dueAt: null, resultDelivery: 'post' })));
    expect(t).toContain('Thời gian giải quyết hồ sơ theo quy định: theo quy định');
    expect(t).toContain('Thời gian trả kết quả giải quyết hồ sơ: theo quy định');
    expect(t).toContain('Qua dịch vụ bưu chính công ích, đến địa chỉ: 12 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk');
    const online = await textOf(await renderReceipt(receipt({ resultDelivery: 'online', number: '0007/TN-BPMC' })));
    expect(online).toContain('Trực tuyến');
    expect(online).toContain('Số: 0007/TN-BPMC');
  });

  it('flows 40 components onto more pages, keeps every word inside the margins and the QR code intact', async () => {
    const components = Array.from({ length: 40 }, (_, i) => ({
      name: `Giấy tờ thứ ${i + 1}: bản sao Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất`,
      copies: 1,
      original: i % 2 === 0,
    }));
    const long = await renderReceipt(receipt({ components }));
    const doc = await PDFDocument.load(long);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    expectA5(doc);
    const t = await textOf(long);
    expect(t).toContain('40. Giấy tờ thứ 40: bản sao Giấy chứng nhận quyền sử dụng đất');
    expect(t).toContain('16 giờ 30 phút, ngày 27 tháng 11 năm 2026');
    expect(t).toContain('Y Bhăm Êban');
    expectQrOf(doc, long, receipt().trackingUrl);
    await expectInsideMargins(long);
  });

  it('wraps long names and unbreakable strings inside the margins', async () => {
    const long = await renderReceipt(
      receipt({
        desk: {
          name: 'Bộ phận tiếp nhận và trả kết quả thuộc Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk',
          parentName: 'Văn phòng Ủy ban nhân dân tỉnh Đắk Lắk',
        },
        applicant: { ...applicant, email: 'mot-dia-chi-thu-dien-tu-rat-rat-dai-khong-co-khoang-trang@truonghoc.daklak.edu.vn' },
        procedureName:
          'Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu cho hộ gia đình, cá nhân đang sử dụng đất',
        trackingUrl: `https://dichvucong.daklak.gov.vn/tra-cuu/${'H66.201-261124-0001'.repeat(4)}`,
      }),
    );
    await expectInsideMargins(long);
    const t = await textOf(long);
    expect(await textOf(long, 'reading')).toContain(
      'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ THUỘC TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH ĐẮK LẮK',
    );
    expect(t).toContain('cho hộ gia đình, cá nhân đang sử dụng đất');
  });

  it('normalises decomposed diacritics to precomposed letters', async () => {
    const t = await textOf(await renderReceipt(receipt({ applicant: { ...applicant, name: 'Nguyễn Thị Hồng Nhung'.normalize('NFD') } })));
    expect(t).toContain('Nguyễn Thị Hồng Nhung');
  });
});

describe('Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', () => {
  let bytes: Uint8Array;
  let text: string;
  beforeAll(async () => {
    bytes = await renderSupplementRequest(supplement());
    text = await textOf(bytes);
  });

  it('prints title, code, applicant, every item, the reason and the contact', async () => {
    expect(await textOf(bytes, 'reading')).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH ĐẮK LẮK');
    expect(text).toContain('Số: ……/PBS');
    expect(text).toContain('Đắk Lắk, ngày 25 tháng 11 năm 2026');
    expect(text).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(text).toContain('Mã hồ sơ: H66.020-261124-0002');
    expect(text).toContain("Hồ sơ của: H'Linh Niê");
    expect(text).toContain('Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II');
    supplement().items.forEach((item, i) => {
      expect(text).toContain(`${i + 1}. ${item.text}`);
    });
    expect(text).toContain('Lý do: Hồ sơ còn thiếu thành phần theo quy định của thủ tục');
    expect(text).toContain('liên hệ với Trần Văn Bình số điện thoại 02623812345 để được hướng dẫn./.');
    expect(text).toContain('NGƯỜI HƯỚNG DẪN');
  });

  it('is A5 with metadata and the QR code of the tracking address', async () => {
    const doc = await PDFDocument.load(bytes);
    expectA5(doc);
    expect(doc.getTitle()).toBe('Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ H66.020-261124-0002');
    expect(doc.getAuthor()).toBe('Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk');
    expectQrOf(doc, bytes, supplement().trackingUrl);
  });

  it('flows many items onto more pages and keeps the last one', async () => {
    const items = Array.from({ length: 45 }, (_, i) => ({
      text: `Bổ sung giấy tờ số ${i + 1}: bản sao có chứng thực văn bản ủy quyền của chủ đầu tư`,
    }));
    const long = await renderSupplementRequest(supplement({ items, contactPhone: null }));
    expect((await PDFDocument.load(long)).getPageCount()).toBeGreaterThan(1);
    const t = await textOf(long);
    expect(t).toContain('45. Bổ sung giấy tờ số 45');
    expect(t).toContain('liên hệ với Trần Văn Bình để được hướng dẫn./.');
    await expectInsideMargins(long);
  });
});

describe('Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ', () => {
  it('prints title, applicant and every reason; without a code there is no code line and no QR code', async () => {
    const bytes = await renderRefusal(refusal());
    const text = await textOf(bytes);
    expect(text).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Số: ……/PTC');
    // days below 10 and months 1–2 take a leading zero
    expect(text).toContain('Đắk Lắk, ngày 05 tháng 02 năm 2026');
    expect(text).toContain('tiếp nhận hồ sơ của: Lê Văn Đức');
    for (const [i, reason] of refusal().reasons.entries()) expect(text).toContain(`${i + 1}. ${reason}`);
    expect(text).toContain('NGƯỜI TIẾP NHẬN');
    expect(text).toContain('Phạm Thị Thu Hà');
    expect(text).not.toContain('Mã hồ sơ');
    const doc = await PDFDocument.load(bytes);
    expectA5(doc);
    expect(doc.getTitle()).toBe('Phiếu từ chối tiếp nhận giải quyết hồ sơ');
    expect(pageImages(doc)).toHaveLength(0);
    expect(drawnQrs(doc)).toHaveLength(0);
  });

  it('prints the code and its QR code when the dossier has one', async () => {
    const url = 'https://dichvucong.daklak.gov.vn/tra-cuu/H66.201-261124-0003';
    const bytes = await renderRefusal(refusal({ code: 'H66.201-261124-0003', trackingUrl: url }));
    expect(await textOf(bytes)).toContain('Mã hồ sơ: H66.201-261124-0003');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe('Phiếu từ chối tiếp nhận giải quyết hồ sơ H66.201-261124-0003');
    expectQrOf(doc, bytes, url);
  });
});

describe('concurrent rendering', () => {
  it('renders forms in parallel (fonts are read once and shared)', async () => {
    const all = await Promise.all([renderReceipt(receipt()), renderSupplementRequest(supplement()), renderRefusal(refusal())]);
    for (const bytes of all) expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  });
});
