/**
 * Demo: a few papers in congdan's store (CCCD, birth certificate), so that the demo shows "submit once".
 * Runs once: it does nothing when congdan's store has any document.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Platform } from '../../platform';
import { sql } from '../../platform/db/database';
import { edataRepo } from './edata.repo';

/** A one-page stand-in for a scanned paper (ASCII only: the standard font has no Vietnamese). */
async function scan(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([420, 595]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((text, i) => {
    page.drawText(text, { x: 40, y: 540 - i * 20, size: 12, font });
  });
  return Buffer.from(await doc.save());
}

export async function seedDemoEdata(platform: Platform): Promise<void> {
  const { db, files } = platform;
  const [owner] = await db.rows<{ id: string; label: string }>(sql`select id, username as label from accounts where username = 'congdan'`);
  if (!owner) return;
  const [{ n } = { n: 0 }] = await db.rows<{ n: number }>(
    sql`select count(*)::int as n from edata_documents where owner_account_id = ${owner.id}`,
  );
  if (n > 0) return;
  const ctx = { actor: { kind: 'citizen' as const, accountId: owner.id, label: owner.label, grants: [] }, ip: null, requestId: null };
  const papers = [
    {
      type: 'cccd',
      title: 'Thẻ căn cước công dân',
      number: '066186000123',
      issuer: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
      issuedOn: '2021-04-15',
      validUntil: '2031-04-15',
      lines: ['Ban quet minh hoa (demo)', 'CAN CUOC CONG DAN', 'Nguyen Thi Hong'],
    },
    {
      type: 'giay_khai_sinh',
      title: 'Giấy khai sinh',
      number: '125/2018',
      issuer: 'UBND phường Tân Lợi, TP Buôn Ma Thuột',
      issuedOn: '2018-03-02',
      validUntil: null,
      lines: ['Ban quet minh hoa (demo)', 'GIAY KHAI SINH', 'Nguyen Thi Hong'],
    },
    {
      type: 'giay_kham_suc_khoe',
      title: 'Giấy khám sức khỏe',
      number: 'KSK-2024-0815',
      issuer: 'Bệnh viện Đa khoa vùng Tây Nguyên',
      issuedOn: '2024-08-15',
      validUntil: '2025-02-15',
      lines: ['Ban quet minh hoa (demo)', 'GIAY KHAM SUC KHOE'],
    },
  ];
  const repo = edataRepo(db);
  for (const p of papers) {
    const file = await files.upload(ctx, { name: `${p.type}.pdf`, bytes: await scan(p.lines) });
    await db.orm.transaction(async (tx) => {
      await repo.insert(tx, {
        owner: { kind: 'citizen', accountId: owner.id },
        docType: p.type,
        title: p.title,
        number: p.number,
        issuer: p.issuer,
        issuedOn: p.issuedOn,
        validUntil: p.validUntil,
        fileId: file.id,
        source: 'upload',
        dossierId: null,
        dossierCode: null,
        createdBy: owner.id,
      });
    });
  }
}
