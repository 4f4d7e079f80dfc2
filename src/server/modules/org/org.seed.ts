/**
 * Demo organisation of Đắk Lắk (66). Idempotent: records have name-based ids and are only added
 * when missing, so a second run changes nothing.
 *
 * - Units: the province and its 102 communes (units-2025.csv, QĐ 19/2025), and the province's whole
 *   pre-reform history from units-2025-mapping.csv (former Tỉnh Phú Yên 54, the 24 former districts,
 *   the former communes) as closed units with successor links and earlier names.
 * - Agencies: UBND tỉnh, Văn phòng UBND tỉnh, the departments (sở) with their phòng, the provincial
 *   public administration service centre, and the People's Committees of several communes.
 * - Staff and role assignments for the demo accounts (password `demo`).
 */
import fs from 'node:fs';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { systemContext } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { Problem } from '../../platform/http/problem';
import { createAccount } from '../identity';
import { stableUuid } from './org.codes';
import { type OrgRepo, orgRepo } from './org.repo';
import { unitsService } from './org.units.service';

/**
 * Level-1 agency code (QĐ 20/2020/QĐ-TTg, Phụ lục I) used for the demo People's Committee of Đắk Lắk.
 * DEMO VALUE: no official list of level-1 codes for the 34 post-2025 provinces was available
 * (/work/shared data README, section 5), so this is a placeholder in the right format. A real
 * deployment replaces its agencies through POST /api/v1/agencies/import with the official codes.
 */
export const DEMO_PROVINCE_AGENCY_CODE = 'H66';
export const DEMO_PROVINCE_CODE = '66';

const dataFile = (name: string) => new URL(`./data/${name}`, import.meta.url);

interface SeedAgency {
  code: string;
  name: string;
  shortName?: string;
  kind: string;
  parent: string | null;
  unit: string;
  departments: [string, string][];
}

const L1 = DEMO_PROVINCE_AGENCY_CODE;
const sub = (n: string) => `${L1}.${n}`;
const officeDept: [string, string] = ['VP', 'Văn phòng Sở'];

/** Agencies, parents first. */
export const demoAgencies: SeedAgency[] = [
  { code: L1, name: 'Ủy ban nhân dân tỉnh Đắk Lắk', shortName: 'UBND tỉnh', kind: 'ubnd_tinh', parent: null, unit: '66', departments: [] },
  {
    code: sub('001'),
    name: 'Văn phòng Ủy ban nhân dân tỉnh Đắk Lắk',
    shortName: 'VP UBND tỉnh',
    kind: 'van_phong',
    parent: L1,
    unit: '66',
    departments: [
      ['HCTC', 'Phòng Hành chính - Tổ chức'],
      ['KSTT', 'Phòng Kiểm soát thủ tục hành chính'],
      ['TH', 'Phòng Tổng hợp'],
    ],
  },
  {
    code: sub('002'),
    name: 'Sở Nội vụ',
    shortName: 'SNV',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [
      officeDept,
      ['TCBC', 'Phòng Tổ chức, biên chế và tổ chức phi chính phủ'],
      ['CCVC', 'Phòng Công chức, viên chức'],
      ['LDVL', 'Phòng Lao động - Việc làm'],
    ],
  },
  {
    code: sub('003'),
    name: 'Sở Tư pháp',
    shortName: 'STP',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [
      officeDept,
      ['HCTP', 'Phòng Hành chính tư pháp'],
      ['BTTP', 'Phòng Bổ trợ tư pháp'],
      ['XDKTVB', 'Phòng Xây dựng và kiểm tra văn bản'],
    ],
  },
  {
    code: sub('004'),
    name: 'Sở Tài chính',
    shortName: 'STC',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [
      officeDept,
      ['QLNS', 'Phòng Quản lý ngân sách'],
      ['DKKD', 'Phòng Đăng ký kinh doanh'],
      ['TCDT', 'Phòng Tài chính đầu tư'],
    ],
  },
  {
    code: sub('005'),
    name: 'Sở Công Thương',
    shortName: 'SCT',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [officeDept, ['QLTM', 'Phòng Quản lý thương mại'], ['QLCN', 'Phòng Quản lý công nghiệp']],
  },
  {
    code: sub('006'),
    name: 'Sở Nông nghiệp và Môi trường',
    shortName: 'SNNMT',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [
      officeDept,
      ['QLDD', 'Phòng Quản lý đất đai'],
      ['MT', 'Phòng Môi trường'],
      ['TTBVTV', 'Phòng Trồng trọt và Bảo vệ thực vật'],
    ],
  },
  {
    code: sub('007'),
    name: 'Sở Xây dựng',
    shortName: 'SXD',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [
      officeDept,
      ['QLXD', 'Phòng Quản lý xây dựng'],
      ['QHKT', 'Phòng Quy hoạch - Kiến trúc'],
      ['QLVT', 'Phòng Quản lý vận tải, phương tiện và người lái'],
    ],
  },
  {
    code: sub('008'),
    name: 'Sở Khoa học và Công nghệ',
    shortName: 'SKHCN',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [officeDept, ['CDS', 'Phòng Chuyển đổi số'], ['BCVT', 'Phòng Bưu chính, viễn thông']],
  },
  {
    code: sub('009'),
    name: 'Sở Giáo dục và Đào tạo',
    shortName: 'SGDĐT',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [officeDept, ['GDPT', 'Phòng Giáo dục phổ thông'], ['QLCL', 'Phòng Quản lý chất lượng']],
  },
  {
    code: sub('010'),
    name: 'Sở Y tế',
    shortName: 'SYT',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [officeDept, ['NVY', 'Phòng Nghiệp vụ y'], ['NVD', 'Phòng Nghiệp vụ dược']],
  },
  {
    code: sub('011'),
    name: 'Sở Văn hóa, Thể thao và Du lịch',
    shortName: 'SVHTTDL',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [officeDept, ['QLVH', 'Phòng Quản lý văn hóa'], ['QLDL', 'Phòng Quản lý du lịch']],
  },
  {
    code: sub('012'),
    name: 'Sở Dân tộc và Tôn giáo',
    shortName: 'SDTTG',
    kind: 'so_nganh',
    parent: L1,
    unit: '66',
    departments: [officeDept, ['CSDT', 'Phòng Chính sách dân tộc'], ['TG', 'Phòng Tôn giáo']],
  },
  {
    code: sub('020'),
    name: 'Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk',
    shortName: 'TTPVHCC tỉnh',
    kind: 'trung_tam_pvhcc',
    parent: L1,
    unit: '66',
    departments: [
      ['TNTKQ', 'Phòng Tiếp nhận và Trả kết quả'],
      ['HCTH', 'Phòng Hành chính - Tổng hợp'],
      ['GSKT', 'Phòng Giám sát, kiểm tra'],
    ],
  },
  ...(
    [
      ['201', '24133', 'Phường Buôn Ma Thuột', true],
      ['202', '24121', 'Phường Tân Lập', true],
      ['203', '22015', 'Phường Tuy Hòa', true],
      ['204', '24373', 'Xã Ea Kar', false],
      ['205', '24280', "Xã Cư M'gar", false],
      ['206', '24184', "Xã Ea H'Leo", false],
    ] as const
  ).map(
    ([n, unit, name, ward]): SeedAgency => ({
      code: sub(n),
      name: `Ủy ban nhân dân ${name.replace(/^(Phường|Xã) /, (w) => w.toLowerCase())}`,
      shortName: `UBND ${name.replace(/^(Phường|Xã) /, (w) => w.toLowerCase())}`,
      kind: 'ubnd_xa',
      parent: L1,
      unit,
      departments: [
        ['VP', 'Văn phòng HĐND và UBND'],
        ward ? ['KTHTDT', 'Phòng Kinh tế, Hạ tầng và Đô thị'] : ['KT', 'Phòng Kinh tế'],
        ['VHXH', 'Phòng Văn hóa - Xã hội'],
        ['PVHCC', 'Trung tâm Phục vụ hành chính công'],
      ],
    }),
  ),
];

interface SeedStaff {
  username: string;
  name: string;
  email: string;
  agency: string;
  department?: string;
  position: string;
  roles: { role: string; scope: 'province' | 'agency' | 'department' }[];
}

/** Demo staff; every password is `demo`. */
export const demoStaff: SeedStaff[] = [
  {
    username: 'admin',
    name: 'Trần Quốc Bảo',
    email: 'admin@example.vn',
    agency: sub('008'),
    department: 'CDS',
    position: 'quan_tri_he_thong',
    roles: [{ role: 'admin', scope: 'province' }],
  },
  {
    username: 'motcua',
    name: 'Nguyễn Thị Lan',
    email: 'motcua@example.vn',
    agency: sub('020'),
    department: 'TNTKQ',
    position: 'can_bo_tiep_nhan',
    roles: [{ role: 'motcua', scope: 'agency' }],
  },
  {
    username: 'chuyenvien',
    name: 'Phạm Văn Hùng',
    email: 'chuyenvien@example.vn',
    agency: sub('003'),
    department: 'HCTP',
    position: 'chuyen_vien',
    roles: [{ role: 'chuyenvien', scope: 'department' }],
  },
  {
    username: 'lanhdao',
    name: 'Y Khoa Niê',
    email: 'lanhdao@example.vn',
    agency: sub('003'),
    position: 'giam_doc',
    roles: [{ role: 'lanhdao', scope: 'agency' }],
  },
  {
    username: 'vanthu',
    name: 'Lê Thị Mai',
    email: 'vanthu@example.vn',
    agency: sub('003'),
    department: 'VP',
    position: 'van_thu',
    roles: [{ role: 'vanthu', scope: 'agency' }],
  },
  {
    username: 'quantri.stp',
    name: 'Hoàng Minh Tuấn',
    email: 'quantri.stp@example.vn',
    agency: sub('003'),
    department: 'VP',
    position: 'chuyen_vien',
    roles: [{ role: 'quantri_coquan', scope: 'agency' }],
  },
  {
    username: 'truongphong.hctp',
    name: 'Đỗ Thị Thu Hà',
    email: 'truongphong.hctp@example.vn',
    agency: sub('003'),
    department: 'HCTP',
    position: 'truong_phong',
    roles: [{ role: 'lanhdao', scope: 'department' }],
  },
  {
    username: 'phogiamdoc.stp',
    name: 'Trương Văn Lực',
    email: 'phogiamdoc.stp@example.vn',
    agency: sub('003'),
    position: 'pho_giam_doc',
    roles: [{ role: 'lanhdao', scope: 'agency' }],
  },
  {
    username: 'chuyenvien.sxd',
    name: 'Võ Văn Nam',
    email: 'chuyenvien.sxd@example.vn',
    agency: sub('007'),
    department: 'QLXD',
    position: 'chuyen_vien',
    roles: [{ role: 'chuyenvien', scope: 'department' }],
  },
  {
    username: 'quantri.sxd',
    name: 'Bùi Thị Hạnh',
    email: 'quantri.sxd@example.vn',
    agency: sub('007'),
    department: 'VP',
    position: 'chuyen_vien',
    roles: [{ role: 'quantri_coquan', scope: 'agency' }],
  },
  {
    username: 'motcua.bmt',
    name: "H'Hen Niê",
    email: 'motcua.bmt@example.vn',
    agency: sub('201'),
    department: 'PVHCC',
    position: 'can_bo_tiep_nhan',
    roles: [{ role: 'motcua', scope: 'agency' }],
  },
  {
    username: 'lanhdao.bmt',
    name: 'Nguyễn Văn Thành',
    email: 'lanhdao.bmt@example.vn',
    agency: sub('201'),
    position: 'chu_tich',
    roles: [{ role: 'lanhdao', scope: 'agency' }],
  },
  {
    username: 'chuyenvien.bmt',
    name: 'Lê Thị Hồng',
    email: 'chuyenvien.bmt@example.vn',
    agency: sub('201'),
    department: 'VHXH',
    position: 'chuyen_vien',
    roles: [{ role: 'chuyenvien', scope: 'department' }],
  },
  {
    username: 'lanhdao.snv',
    name: 'Hoàng Văn Quang',
    email: 'lanhdao.snv@example.vn',
    agency: sub('002'),
    position: 'giam_doc',
    roles: [{ role: 'lanhdao', scope: 'agency' }],
  },
  {
    username: 'chuyenvien.snv',
    name: 'Đinh Thị Thảo',
    email: 'chuyenvien.snv@example.vn',
    agency: sub('002'),
    department: 'LDVL',
    position: 'chuyen_vien',
    roles: [{ role: 'chuyenvien', scope: 'department' }],
  },
  {
    username: 'chuyenvien.eakar',
    name: 'Ksor Thị Bích',
    email: 'chuyenvien.eakar@example.vn',
    agency: sub('204'),
    department: 'VHXH',
    position: 'chuyen_vien',
    roles: [{ role: 'chuyenvien', scope: 'department' }],
  },
];

export const agencyIdFor = (code: string) => stableUuid(`agency:${code}`);
export const departmentIdFor = (agencyCode: string, deptCode: string) => stableUuid(`department:${agencyCode}:${deptCode}`);
export const staffIdFor = (username: string) => stableUuid(`staff:${username}`);

/** Rows of units-2025.csv for one province, with the header. */
function provinceRows(file: string, column: number, province: string): string {
  const lines = fs.readFileSync(dataFile(file), 'utf8').split('\n');
  const keep = lines.slice(1).filter((l) => l.split(',')[column] === province);
  return [lines[0], ...keep].join('\n');
}

export async function seedDemoOrg(db: Database, config: Config): Promise<void> {
  void config;
  const ctx = systemContext('seed');
  const repo = orgRepo(db);
  const units = unitsService(db, repo);
  await units.importUnits(ctx, provinceRows('units-2025.csv', 0, DEMO_PROVINCE_CODE), {});
  await units.importUnits(ctx, fs.readFileSync(dataFile('units-2025-mapping-66.csv'), 'utf8'), {});

  await db.orm.transaction(async (tx) => {
    const added = { agencies: 0, departments: 0, staff: 0 };
    for (const a of demoAgencies) added.agencies += (await seedAgency(repo, tx, a)) ? 1 : 0;
    for (const a of demoAgencies) {
      const agency = await repo.agencyById(agencyIdFor(a.code), tx);
      if (!agency) continue;
      for (const [code, name] of a.departments) {
        const id = departmentIdFor(a.code, code);
        if (await repo.departmentById(id, tx)) continue;
        await repo.insertDepartment(tx, { id, agencyId: agency.id, code, name, path: `${agency.path}/d:${id}` });
        added.departments++;
      }
    }
    for (const s of demoStaff) added.staff += (await seedStaff(repo, tx, s)) ? 1 : 0;
    if (added.agencies + added.departments + added.staff > 0) {
      await recordAudit(tx, ctx, { action: 'org.seed', targetType: 'agency', targetId: agencyIdFor(L1), details: added });
    }
  });
}

async function seedAgency(repo: OrgRepo, tx: Orm, a: SeedAgency): Promise<boolean> {
  const id = agencyIdFor(a.code);
  if (await repo.agencyById(id, tx)) return false;
  const parent = a.parent ? await repo.agencyById(agencyIdFor(a.parent), tx) : undefined;
  if (a.parent && !parent) throw new Error(`seed: thiếu cơ quan cấp trên ${a.parent}`);
  await repo.insertAgency(tx, {
    id,
    code: a.code,
    name: a.name,
    shortName: a.shortName ?? null,
    kind: a.kind,
    parentId: parent?.id ?? null,
    adminUnitCode: a.unit,
    path: `${parent ? parent.path : ''}/${id}`,
  });
  return true;
}

async function seedStaff(repo: OrgRepo, tx: Orm, s: SeedStaff): Promise<boolean> {
  const id = staffIdFor(s.username);
  if (await repo.staffIdExists(id, tx)) return false;
  let account: { id: string };
  try {
    account = await createAccount(
      tx,
      { username: s.username, displayName: s.name, kind: 'staff', password: 'demo', email: s.email },
      { skipPolicy: true },
    );
  } catch (e) {
    // The name is taken by an account this seed did not create (e.g. made with admin:create):
    // leave that account alone rather than attach a demo job to it.
    if (e instanceof Problem && e.code === 'username_taken') return false;
    throw e;
  }
  const agencyId = agencyIdFor(s.agency);
  const departmentId = s.department ? departmentIdFor(s.agency, s.department) : null;
  await repo.insertStaff(tx, { id, accountId: account.id, fullName: s.name, agencyId, departmentId, positionCode: s.position });
  for (const r of s.roles) {
    await repo.insertAssignment(tx, {
      accountId: account.id,
      roleCode: r.role,
      scopeAgencyId: r.scope === 'province' ? null : agencyId,
      scopeDepartmentId: r.scope === 'department' ? departmentId : null,
      createdBy: null,
    });
  }
  return true;
}
