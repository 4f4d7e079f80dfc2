/**
 * Demo dossiers, so the reception desks and "my dossiers" are not empty on first start: made through
 * the real use cases (the same code paths, codes, PDFs and notifications as a real submission).
 * Runs once: it does nothing when any dossier exists.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Platform } from '../../platform';
import type { Actor, RequestContext } from '../../platform/auth/actor';
import { sql } from '../../platform/db/database';
import { demoAgencyId, grantsForAccount } from '../org';
import type { FormValues } from './dossiers.schemas';
import { dossiersService } from './dossiers.service';

const KHAI_SINH = '1.001193.000.00.00.H66';
const THO_CUNG = '1.010803.000.00.00.H66';

async function contextOf(platform: Platform, username: string): Promise<RequestContext> {
  const [row] = await platform.db.rows<{ id: string; kind: 'staff' | 'citizen' }>(
    sql`select id, kind from accounts where username = ${username}`,
  );
  if (!row) throw new Error(`seed: thiếu tài khoản demo ${username}`);
  const actor: Actor = { kind: row.kind, accountId: row.id, label: username, grants: await grantsForAccount(platform.db, row.id) };
  return { actor, ip: null, requestId: null };
}

/** A one-page stand-in for a scanned paper (ASCII only: the standard font has no Vietnamese). */
async function scan(title: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([420, 595]);
  page.drawText(`Ban quet minh hoa (demo): ${title}`, { x: 40, y: 540, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

export async function seedDemoDossiers(platform: Platform): Promise<void> {
  const [{ n } = { n: 0 }] = await platform.db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers`);
  if (n > 0) return;
  const dossiers = dossiersService(platform);
  const congdan = await contextOf(platform, 'congdan');
  const congdan2 = await contextOf(platform, 'congdan2');
  const motcua = await contextOf(platform, 'motcua');
  const motcuaBmt = await contextOf(platform, 'motcua.bmt');
  const files = async (ctx: RequestContext, keys: string[]) =>
    Promise.all(
      keys.map(async (componentKey) => ({
        componentKey,
        fileId: (await platform.files.upload(ctx, { name: `${componentKey}.pdf`, bytes: await scan(componentKey) })).id,
      })),
    );
  const applicant = (name: string, id: string, phone: string, email: string): FormValues => ({
    ho_ten: name,
    ngay_sinh: '1992-03-08',
    so_dinh_danh: id,
    so_dien_thoai: phone,
    email,
    dia_chi_don_vi: '24133',
    dia_chi: '25 Phan Bội Châu, tổ dân phố 6',
  });
  const hong = applicant('Nguyễn Thị Hồng', '066192004321', '0905123456', 'congdan@example.vn');
  const khaiSinh = (base: FormValues, child: string): FormValues => ({
    ...base,
    ho_ten_nguoi_duoc_khai_sinh: child,
    ngay_sinh_nguoi_duoc_khai_sinh: '2026-11-10',
    gioi_tinh: 'nu',
    noi_sinh: 'Bệnh viện Đa khoa vùng Tây Nguyên',
  });
  const thoCung = { ...hong, noi_dung_yeu_cau: 'Đề nghị giải quyết chế độ trợ cấp thờ cúng liệt sĩ Nguyễn Văn Thắng.' };

  // Waiting at the ward's desk (motcua.bmt).
  await dossiers.create(congdan, {
    procedureId: KHAI_SINH,
    agencyId: demoAgencyId('H66.201'),
    form: khaiSinh(hong, 'Trần Ngọc Hân'),
    files: await files(congdan, ['tp1', 'tp2', 'tp6']),
    resultDelivery: 'online',
    submit: true,
  });
  // Waiting at the provincial centre (motcua), and one already received there with its receipt.
  await dossiers.create(congdan, { procedureId: THO_CUNG, form: thoCung, files: await files(congdan, ['tp1', 'tp2']), submit: true });
  const received = await dossiers.create(congdan, {
    procedureId: THO_CUNG,
    form: { ...thoCung, noi_dung_yeu_cau: 'Đề nghị giải quyết chế độ trợ cấp thờ cúng liệt sĩ Lê Văn Hòa.' },
    files: await files(congdan, ['tp1', 'tp2']),
    submit: true,
  });
  await dossiers.receive(motcua, received.id, { version: received.version });
  // Another citizen's dossier waiting for a supplement.
  const yBlok = applicant('Y Blốk Niê', '066090007788', '0912345678', 'yblok@example.vn');
  const incomplete = await dossiers.create(congdan2, {
    procedureId: KHAI_SINH,
    agencyId: demoAgencyId('H66.201'),
    form: khaiSinh(yBlok, 'H’Linh Niê'),
    files: await files(congdan2, ['tp1', 'tp2', 'tp6']),
    submit: true,
  });
  await dossiers.requestSupplement(motcuaBmt, incomplete.id, {
    version: incomplete.version,
    items: [{ componentKey: 'tp2', text: 'Giấy chứng sinh bản chính (bản đã nộp không đọc được)' }],
    reason: 'Giấy tờ đã nộp không rõ nét',
  });
  // A draft to resume from "my dossiers".
  await dossiers.create(congdan, { procedureId: KHAI_SINH, agencyId: demoAgencyId('H66.201'), form: { ho_ten: 'Nguyễn Thị Hồng' } });
}
