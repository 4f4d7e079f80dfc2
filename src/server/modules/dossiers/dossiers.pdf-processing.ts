/**
 * Documents of dossier processing as PDF, on the same flowing layout as the reception forms (`dossiers.pdf.ts`):
 * Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả and the Thông báo dừng giải quyết hồ sơ (A5, TT 01/2018/TT-VPCP and
 * TT 03/2025/TT-VPCP), Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ (A4, a ruled table continued over pages) and
 * the e-result document made from the platform's template (A4, NĐ 30/2020 presentation) with an empty box left for the
 * visible PAdES signature.
 */
import {
  A5_FORM,
  type Cell,
  clean,
  type FormAgency,
  type FormApplicant,
  FormLayout,
  idField,
  MM,
  numberLine,
  type PageGeometry,
  type Run,
  type SignatureBox,
  type TableColumn,
  timeWords,
  upper,
} from './dossiers.pdf';

/** Mẫu 04 — PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ (A5, like Mẫu 01–03). */
export interface ApologyData {
  /** The resolving agency (cơ quan giải quyết), printed in the header. */
  agency: FormAgency;
  /** Printed "Số: <number>/PXL" (a bare sequence) or as given when it contains '/'. */
  number: string;
  code: string;
  trackingUrl: string;
  applicant: FormApplicant;
  procedureName: string;
  receivedAt: Date;
  originalDueAt: Date;
  newDueAt: Date;
  /** Lý do chậm. */
  reason: string;
  /** e.g. "THỦ TRƯỞNG CƠ QUAN" / "GIÁM ĐỐC"; a line break starts a new line ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"). */
  signerTitle: string;
  signerName: string;
  issuedAt: Date;
  /** Place name of the date line, e.g. "Đắk Lắk". */
  place: string;
}

/** THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ (TT 03/2025 adds it as a form; A5). */
export interface StopNoticeData {
  agency: FormAgency;
  number: string;
  code: string;
  trackingUrl: string;
  applicant: FormApplicant;
  procedureName: string;
  receivedAt: Date | null;
  reason: string;
  signerTitle: string;
  signerName: string;
  issuedAt: Date;
  place: string;
}

/** One hand-over of the dossier between units (one row of Mẫu 05). */
export interface ControlSlipRow {
  /** Giao: đơn vị. */
  fromUnit: string;
  /** Người giao. */
  fromPerson: string;
  /** Nhận: đơn vị. */
  toUnit: string;
  /** Người nhận (null → left blank to sign). */
  toPerson: string | null;
  /** Thời gian giao, nhận. */
  at: Date;
  /** Trước hạn / Đúng hạn / Quá hạn; null → blank. */
  status: 'early' | 'on_time' | 'late' | null;
  note: string | null;
}

/** Mẫu 05 — PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ (A4 portrait, a table that continues on new pages). */
export interface ControlSlipData {
  /** Header: the one-stop desk (Bộ phận tiếp nhận và trả kết quả). */
  desk: FormAgency;
  /** "Số: …/PKS". */
  number: string;
  code: string;
  trackingUrl: string;
  /** Cơ quan chủ trì giải quyết. */
  leadAgencyName: string;
  /** Cơ quan phối hợp (may be empty). */
  coAgencyNames: string[];
  procedureName: string;
  applicantName: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  /** In time order; none prints "Chưa có lần giao nhận nào". */
  rows: ControlSlipRow[];
  issuedAt: Date;
}

/**
 * An e-result document made from the platform's template (A4): Quốc hiệu + tiêu ngữ, agency header, number, title
 * (e.g. "GIẤY XÁC NHẬN"), body paragraphs, the dossier code and a QR to the public verification page, and an EMPTY
 * signature box at the bottom right where the PAdES visible signature will be drawn.
 */
export interface ResultDocumentData {
  agency: FormAgency;
  number: string;
  title: string;
  procedureName: string;
  code: string;
  applicant: FormApplicant;
  /** The decision text written by the specialist (1..50 paragraphs, each up to 5,000 chars). */
  paragraphs: string[];
  verifyUrl: string;
  signerTitle: string;
  signerName: string;
  issuedAt: Date;
  place: string;
}

export interface ResultDocument {
  pdf: Uint8Array;
  /** 0-based page index (the last page) and [x, y, width, height] in points (origin bottom-left); holds no text. */
  signatureBox: SignatureBox;
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry of the A4 documents

const A4 = { width: 210 * MM, height: 297 * MM };

/** Mẫu 05: a wide table wants narrow margins; type a little larger than the A5 slips. */
const A4_SLIP: PageGeometry = {
  ...A4,
  margin: { top: 15 * MM, bottom: 15 * MM, left: 20 * MM, right: 15 * MM },
  size: { header: 10, body: 10.5, title: 13, code: 12, small: 8.5 },
  qrSize: 25 * MM,
  signatureSpace: 50,
};
const SLIP_TABLE_SIZE = 9;

/** NĐ 30/2020 presentation: margins top/bottom 20 mm, left 30 mm, right 15 mm; body 13 pt; header 12–13 pt. */
const A4_DOCUMENT: PageGeometry = {
  ...A4,
  margin: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
  size: { header: 12, body: 13, title: 14, code: 12, small: 9.5 },
  qrSize: 25 * MM,
  signatureSpace: 60,
};
/** First-line indent of body paragraphs (1 cm) and the space after each (≥ 6 pt). */
const BODY_INDENT = 10 * MM;
const PARAGRAPH_SPACING = 6;
/** Room for the signer's signature image and the agency seal overlapping it (NĐ 30/2020, Phụ lục I, II.7–8). */
const SIGNATURE_BOX = { width: 70 * MM, height: 32 * MM };

const TIMELINESS: Record<NonNullable<ControlSlipRow['status']>, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
};

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

/** A signer's title may carry line breaks ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"); every line is printed upper case. */
function signerTitleLines(title: string): string {
  return title
    .split(/\r?\n/)
    .map((line) => upper(clean(line)))
    .filter(Boolean)
    .join('\n');
}

function applicantLine(form: FormLayout, applicant: FormApplicant): void {
  form.paragraph([{ text: 'Kính gửi:' }, { text: applicant.name, style: 'bold' }]);
  idField(form, applicant);
  if (applicant.address) form.field('Địa chỉ:', applicant.address);
}

// ---------------------------------------------------------------------------------------------------------------
// Mẫu 04 and the stop notice (A5)

const APOLOGY_TITLE = 'Phiếu xin lỗi và hẹn lại ngày trả kết quả';
const STOP_TITLE = 'Thông báo dừng giải quyết hồ sơ';

/** Mẫu 04: the resolving agency apologises for a late dossier and sets the new return time (allowed once). */
export async function renderApology(d: ApologyData): Promise<Uint8Array> {
  const form = await FormLayout.create(
    { title: `${APOLOGY_TITLE} ${d.code}`, author: d.agency.name, subject: 'Mẫu 04', createdAt: d.issuedAt },
    A5_FORM,
  );
  const agency = clean(d.agency.name);
  form.header({ agency: d.agency, numberLine: numberLine(d.number, 'PXL'), place: d.place, date: d.issuedAt });
  form.title(upper(APOLOGY_TITLE));
  form.codeLine(d.code);
  applicantLine(form, d.applicant);
  form.gap(4);
  form.paragraph(
    [
      { text: `Vào lúc ${timeWords(d.receivedAt)}, ${agency} tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính` },
      { text: d.procedureName, style: 'bold' },
      { text: 'của Ông/Bà/Tổ chức, mã hồ sơ' },
      { text: d.code, style: 'bold' },
      { text: `, hẹn trả kết quả vào lúc ${timeWords(d.originalDueAt)}.`, glue: true },
    ],
    { align: 'justify' },
  );
  form.paragraph([{ text: `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức.` }], {
    align: 'justify',
  });
  form.field('Lý do chậm:', d.reason);
  form.paragraph([{ text: 'Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà/Tổ chức.' }], { align: 'justify' });
  form.paragraph(
    [
      { text: `${agency} xin lỗi Ông/Bà/Tổ chức và hẹn lại thời gian trả kết quả giải quyết hồ sơ vào lúc` },
      { text: `${timeWords(d.newDueAt)}.`, style: 'bold' },
    ],
    { align: 'justify' },
  );
  form.paragraph([{ text: 'Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này./.' }], { align: 'justify' });
  await form.qr(d.trackingUrl, d.code);
  form.signatures([{ title: signerTitleLines(d.signerTitle), name: d.signerName }]);
  return form.finish();
}

/** Thông báo dừng giải quyết hồ sơ: the agency stops processing a dossier and says why. */
export async function renderStopNotice(d: StopNoticeData): Promise<Uint8Array> {
  const form = await FormLayout.create(
    { title: `${STOP_TITLE} ${d.code}`, author: d.agency.name, subject: 'Thông báo dừng giải quyết hồ sơ', createdAt: d.issuedAt },
    A5_FORM,
  );
  const agency = clean(d.agency.name);
  form.header({ agency: d.agency, numberLine: numberLine(d.number, 'TB'), place: d.place, date: d.issuedAt });
  form.title(upper(STOP_TITLE));
  form.codeLine(d.code);
  applicantLine(form, d.applicant);
  form.gap(4);
  const received: Run[] = d.receivedAt ? [{ text: `, tiếp nhận lúc ${timeWords(d.receivedAt)}`, glue: true }] : [];
  form.paragraph(
    [
      { text: `${agency} thông báo dừng giải quyết hồ sơ đề nghị giải quyết thủ tục hành chính` },
      { text: d.procedureName, style: 'bold' },
      { text: 'của Ông/Bà/Tổ chức, mã hồ sơ' },
      { text: d.code, style: 'bold' },
      ...received,
      { text: '.', glue: true },
    ],
    { align: 'justify' },
  );
  form.field('Lý do dừng giải quyết:', d.reason);
  form.paragraph(
    [
      {
        text: 'Trường hợp có vướng mắc, đề nghị Ông/Bà/Tổ chức liên hệ Bộ phận tiếp nhận và trả kết quả để được hướng dẫn./.',
      },
    ],
    { align: 'justify' },
  );
  await form.qr(d.trackingUrl, d.code);
  form.signatures([{ title: signerTitleLines(d.signerTitle), name: d.signerName }]);
  return form.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// Mẫu 05 (A4)

const CONTROL_TITLE = 'Phiếu kiểm soát quá trình giải quyết hồ sơ';

const CONTROL_COLUMNS: TableColumn[] = [
  { header: 'STT', share: 0.06, align: 'center' },
  { header: 'Giao: đơn vị, người giao', share: 0.22 },
  { header: 'Nhận: đơn vị, người nhận', share: 0.22 },
  { header: 'Thời gian giao, nhận (giờ, phút, ngày)', share: 0.18 },
  { header: 'Kết quả (trước hạn/ đúng hạn/ quá hạn)', share: 0.13, align: 'center' },
  { header: 'Ghi chú', share: 0.19 },
];

function controlRow(row: ControlSlipRow, i: number): Cell[] {
  return [
    [[{ text: String(i + 1) }]],
    [[{ text: row.fromUnit, style: 'bold' }], [{ text: 'Người giao:', style: 'italic' }, { text: row.fromPerson }]],
    [
      [{ text: row.toUnit, style: 'bold' }],
      // A blank receiver leaves a dotted line to sign on the paper copy.
      [{ text: 'Người nhận:', style: 'italic' }, { text: row.toPerson ?? '……………………' }],
    ],
    [[{ text: timeWords(row.at) }]],
    [[{ text: row.status ? TIMELINESS[row.status] : '' }]],
    [[{ text: row.note ?? '' }]],
  ];
}

/** Mẫu 05: the trail of hand-overs between the desk and the units, with the timeliness of each step. */
export async function renderControlSlip(d: ControlSlipData): Promise<Uint8Array> {
  const form = await FormLayout.create(
    { title: `${CONTROL_TITLE} ${d.code}`, author: d.desk.name, subject: 'Mẫu 05', createdAt: d.issuedAt },
    A4_SLIP,
  );
  form.header({ agency: d.desk, numberLine: numberLine(d.number, 'PKS'), place: '', date: d.issuedAt });
  form.title(upper(CONTROL_TITLE));
  form.codeLine(d.code);
  form.field('Cơ quan (bộ phận) chủ trì giải quyết:', d.leadAgencyName);
  if (d.coAgencyNames.length > 0) form.field('Cơ quan phối hợp giải quyết:', d.coAgencyNames.map(clean).join('; '));
  form.field('Tên thủ tục hành chính:', d.procedureName);
  form.field('Tổ chức, cá nhân:', d.applicantName);
  form.field('Thời gian nhận hồ sơ:', d.receivedAt ? timeWords(d.receivedAt) : '……');
  form.field('Thời gian hẹn trả kết quả:', d.dueAt ? timeWords(d.dueAt) : 'theo quy định');
  form.gap(8);
  form.table(CONTROL_COLUMNS, d.rows.map(controlRow), { size: SLIP_TABLE_SIZE });
  if (d.rows.length === 0) {
    form.gap(4);
    form.paragraph([{ text: 'Chưa có lần giao nhận nào.', style: 'italic' }], { align: 'center' });
  }
  await form.qr(d.trackingUrl, d.code);
  return form.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// E-result document (A4)

/** The result document, ready for the PAdES signature to be drawn in `signatureBox` on the last page. */
export async function renderResultDocument(d: ResultDocumentData): Promise<ResultDocument> {
  const form = await FormLayout.create(
    { title: `${clean(d.title)} ${d.code}`, author: d.agency.name, subject: d.procedureName, createdAt: d.issuedAt },
    A4_DOCUMENT,
  );
  form.header({ agency: d.agency, numberLine: `Số: ${clean(d.number)}`, place: d.place, date: d.issuedAt });
  form.title(upper(d.title));
  form.paragraph([{ text: `(Kết quả giải quyết thủ tục hành chính: ${clean(d.procedureName)})`, style: 'italic' }], {
    align: 'center',
  });
  form.gap(10);
  form.field('Tổ chức, cá nhân:', d.applicant.name);
  idField(form, d.applicant);
  if (d.applicant.address) form.field('Địa chỉ:', d.applicant.address);
  form.gap(PARAGRAPH_SPACING);
  for (const text of d.paragraphs) {
    form.paragraph([{ text }], { align: 'justify', firstIndent: BODY_INDENT });
    form.gap(PARAGRAPH_SPACING);
  }
  const signatureBox = await form.qrAndSignatureBox(
    {
      url: d.verifyUrl,
      code: `Mã hồ sơ: ${clean(d.code)}`,
      caption: 'Quét mã QR hoặc truy cập địa chỉ dưới đây để xác thực văn bản:',
    },
    { title: signerTitleLines(d.signerTitle), name: d.signerName },
    SIGNATURE_BOX,
  );
  return { pdf: await form.finish(), signatureBox };
}
