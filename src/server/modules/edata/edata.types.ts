/**
 * The catalogue of document types in the e-data store, and how they match the document types the
 * procedure catalogue puts on its components (catalog.seed.ts `heldDocumentType`).
 */

export const docTypes = [
  { code: 'cccd', name: 'Căn cước / Căn cước công dân', matches: ['can_cuoc', 'cccd'] },
  { code: 'giay_khai_sinh', name: 'Giấy khai sinh', matches: ['giay_khai_sinh'] },
  { code: 'giay_chung_nhan_ket_hon', name: 'Giấy chứng nhận kết hôn', matches: ['giay_chung_nhan_ket_hon'] },
  { code: 'gcn_quyen_su_dung_dat', name: 'Giấy chứng nhận quyền sử dụng đất', matches: ['gcn_quyen_su_dung_dat'] },
  { code: 'giay_phep_xay_dung', name: 'Giấy phép xây dựng', matches: ['giay_phep_xay_dung'] },
  {
    code: 'giay_chung_nhan_dkkd',
    name: 'Giấy chứng nhận đăng ký kinh doanh',
    matches: ['giay_chung_nhan_dkkd', 'gcn_dang_ky_ho_kinh_doanh'],
  },
  { code: 'bang_cap', name: 'Văn bằng, chứng chỉ', matches: ['bang_cap'] },
  { code: 'giay_kham_suc_khoe', name: 'Giấy khám sức khỏe', matches: ['giay_kham_suc_khoe'] },
  { code: 'ket_qua_tthc', name: 'Kết quả giải quyết thủ tục hành chính', matches: ['ket_qua_tthc'] },
  { code: 'khac', name: 'Giấy tờ khác', matches: [] as string[] },
] as const;

export type DocType = (typeof docTypes)[number]['code'];
export const docTypeCodes = docTypes.map((t) => t.code) as DocType[];
export const docTypeName = (code: string): string => docTypes.find((t) => t.code === code)?.name ?? code;

export type DocSource = 'upload' | 'result' | 'counter';
export const accessActions = ['view', 'download', 'reuse', 'share_created', 'share_opened', 'share_revoked', 'deleted'] as const;
export type AccessAction = (typeof accessActions)[number];

/** Whose store: the same shape as the parties module's Principal. */
export type Principal = { kind: 'citizen'; accountId: string } | { kind: 'business'; businessId: string };

/**
 * Who may act for a principal (the parties module's partiesAccess(db).canActFor). Until that module is
 * wired in, only the principal himself (owner-only).
 */
export interface ActingRule {
  canActFor(actorAccountId: string, principal: Principal, procedureCode: string | null, at?: Date): Promise<boolean>;
}

export const ownerOnly: ActingRule = {
  async canActFor(actorAccountId, principal) {
    return principal.kind === 'citizen' && principal.accountId === actorAccountId;
  },
};

/** Share links live from one hour to thirty days. */
export const SHARE_MIN_HOURS = 1;
export const SHARE_MAX_HOURS = 30 * 24;
