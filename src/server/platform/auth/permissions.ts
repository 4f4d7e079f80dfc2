/**
 * The permission catalogue. Roles (data, managed by admins) bundle these; grants scope them
 * to a part of the administrative tree. Add a permission here when a use case needs one.
 */
export const permissionCatalogue = {
  'org.units.read': 'Xem đơn vị hành chính',
  'org.units.manage': 'Quản lý đơn vị hành chính',
  'org.agencies.read': 'Xem cơ quan, đơn vị',
  'org.agencies.manage': 'Quản lý cơ quan, đơn vị, phòng ban',
  'org.staff.read': 'Xem cán bộ',
  'org.staff.manage': 'Quản lý cán bộ, chức vụ và phân quyền',
  'org.roles.manage': 'Quản lý vai trò',
  'audit.read': 'Xem nhật ký hệ thống',
  'notify.outbox.read': 'Xem hộp thư đi (thông báo đã gửi)',
  'notify.templates.manage': 'Quản lý mẫu thông báo',
  'files.upload': 'Tải tệp lên',
  'jobs.manage': 'Quản lý tác vụ nền',
  'catalog.manage': 'Quản lý danh mục thủ tục hành chính (thêm, công bố phiên bản, bãi bỏ, nhập/xuất)',
  'workflows.manage': 'Quản lý quy trình giải quyết thủ tục (soạn, công bố phiên bản)',
  'calendar.manage': 'Quản lý lịch nghỉ lễ, hoán đổi ngày làm việc hằng năm',
  'dossiers.receive': 'Tiếp nhận hồ sơ',
  'dossiers.process': 'Xử lý, thẩm định hồ sơ',
  'dossiers.approve': 'Phê duyệt hồ sơ',
  'documents.register': 'Vào sổ văn bản đến/đi',
  'ratings.read': 'Xem kết quả đánh giá mức độ hài lòng (theo cán bộ, cơ quan, quý)',
  'ratings.manage': 'Chọn mẫu phiếu đánh giá mức độ hài lòng của tỉnh',
  'feedback.handle': 'Xử lý phản ánh hiện trường của đơn vị (biên tập, tiếp nhận, giao, xử lý, gia hạn, chuyển lại)',
  'feedback.triage': 'Điều phối phản ánh hiện trường cấp tỉnh (chuyển đơn vị xử lý)',
  'feedback.manage': 'Quản lý lĩnh vực, thời hạn, ranh giới xã/phường, bộ phận điều phối phản ánh và khóa API Open311',
  'petitions.handle': 'Tiếp nhận, phân loại, chuyển, xử lý và công bố kết quả phản ánh, kiến nghị về quy định hành chính của cơ quan',
  'petitions.manage': 'Cấu hình thời hạn xử lý phản ánh, kiến nghị về quy định hành chính',
  'sso.clients.manage': 'Quản lý ứng dụng đăng nhập một lần (SSO): đăng ký, cấp lại khóa bí mật, khóa ký token',
} as const;

export type Permission = keyof typeof permissionCatalogue;

export const allPermissions = Object.keys(permissionCatalogue) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(permissionCatalogue, p);
}
