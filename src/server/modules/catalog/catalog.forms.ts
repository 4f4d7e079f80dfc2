/**
 * Application forms (tờ khai điện tử) for the procedures of the catalogue: the applicant's details
 * every dossier needs (as on Mẫu 01 Giấy tiếp nhận: name, ID number, address, phone, email), plus a
 * few fields specific to the most used procedures. Anything else gets a generic request field.
 */
import type { FormField, FormSchema } from './catalog.schemas';

const f = (key: string, label: string, type: FormField['type'], required: boolean, extra: Partial<FormField> = {}): FormField => ({
  key,
  label,
  type,
  required,
  ...extra,
});
const opts = (...pairs: [string, string][]) => pairs.map(([value, label]) => ({ value, label }));

/** Who is applying: asked by every procedure. */
export const applicantFields: FormField[] = [
  f('ho_ten', 'Họ, chữ đệm và tên người yêu cầu', 'text', true, { maxLength: 100 }),
  f('ngay_sinh', 'Ngày, tháng, năm sinh', 'date', true),
  f('so_dinh_danh', 'Số định danh cá nhân', 'id_number', true, { help: 'Số trên thẻ căn cước (12 chữ số)' }),
  f('so_dien_thoai', 'Số điện thoại', 'phone', true),
  f('email', 'Thư điện tử', 'email', false),
  f('dia_chi_don_vi', 'Xã, phường nơi cư trú', 'unit', true),
  f('dia_chi', 'Số nhà, đường, thôn, tổ dân phố', 'text', true, { maxLength: 200 }),
];

const genericFields: FormField[] = [
  f('noi_dung_yeu_cau', 'Nội dung đề nghị', 'textarea', true, { maxLength: 2000, help: 'Nêu rõ việc cần giải quyết' }),
];

const birthFields: FormField[] = [
  f('ho_ten_nguoi_duoc_khai_sinh', 'Họ, chữ đệm và tên người được đăng ký khai sinh', 'text', true, { maxLength: 100 }),
  f('ngay_sinh_nguoi_duoc_khai_sinh', 'Ngày, tháng, năm sinh', 'date', true),
  f('gioi_tinh', 'Giới tính', 'select', true, { options: opts(['nam', 'Nam'], ['nu', 'Nữ']) }),
  f('noi_sinh', 'Nơi sinh', 'text', true, { maxLength: 200, help: 'Tên cơ sở y tế, hoặc xã, tỉnh nơi sinh' }),
];

const marriageFields: FormField[] = [
  f('ho_ten_ben_kia', 'Họ, chữ đệm và tên bên nam/nữ còn lại', 'text', true, { maxLength: 100 }),
  f('so_dinh_danh_ben_kia', 'Số định danh cá nhân của bên còn lại', 'id_number', true),
  f('tinh_trang_hon_nhan', 'Tình trạng hôn nhân trước đây của người yêu cầu', 'select', true, {
    options: opts(['chua_ket_hon', 'Chưa kết hôn'], ['da_ly_hon', 'Đã ly hôn'], ['vo_chong_da_mat', 'Vợ/chồng đã mất']),
  }),
  f('so_ban_an_ly_hon', 'Số bản án, quyết định ly hôn đã có hiệu lực', 'text', false, {
    maxLength: 100,
    requiredIf: { field: 'tinh_trang_hon_nhan', equals: 'da_ly_hon' },
  }),
];

const deathFields: FormField[] = [
  f('ho_ten_nguoi_mat', 'Họ, chữ đệm và tên người đã mất', 'text', true, { maxLength: 100 }),
  f('so_dinh_danh_nguoi_mat', 'Số định danh cá nhân của người đã mất', 'id_number', false),
  f('ngay_mat', 'Ngày mất', 'date', true),
  f('noi_mat', 'Nơi mất', 'text', true, { maxLength: 200 }),
];

const buildingFields: FormField[] = [
  f('loai_cong_trinh', 'Loại công trình', 'select', true, {
    options: opts(['nha_o_rieng_le', 'Nhà ở riêng lẻ'], ['cap_iii', 'Công trình cấp III'], ['cap_iv', 'Công trình cấp IV']),
  }),
  f('dia_diem_xay_dung', 'Địa điểm xây dựng (số thửa, tờ bản đồ, địa chỉ)', 'text', true, { maxLength: 300 }),
  f('dien_tich_xay_dung', 'Diện tích xây dựng (m²)', 'number', true, { min: 1, max: 100000 }),
  f('so_tang', 'Số tầng', 'number', true, { min: 1, max: 50 }),
];

const maritalStatusFields: FormField[] = [
  f('muc_dich_su_dung', 'Mục đích sử dụng giấy xác nhận', 'textarea', true, { maxLength: 500, help: 'Ví dụ: để đăng ký kết hôn' }),
];

const householdBusinessFields: FormField[] = [
  f('ten_ho_kinh_doanh', 'Tên hộ kinh doanh', 'text', true, { maxLength: 200 }),
  f('nganh_nghe', 'Ngành, nghề kinh doanh', 'textarea', true, { maxLength: 1000 }),
  f('von_kinh_doanh', 'Vốn kinh doanh (đồng)', 'number', true, { min: 0 }),
];

const certifiedCopyFields: FormField[] = [
  f('ten_giay_to', 'Tên giấy tờ cần chứng thực', 'text', true, { maxLength: 300 }),
  f('so_ban_sao', 'Số bản sao', 'number', true, { min: 1, max: 100 }),
];

/** Procedure-specific fields, chosen by the words of the procedure's name (first match wins). */
const specific: [RegExp, FormField[]][] = [
  [/bản sao trích lục|bản sao giấy khai sinh/iu, genericFields],
  [/khai sinh/iu, birthFields],
  [/kết hôn/iu, marriageFields],
  [/khai tử/iu, deathFields],
  [/giấy phép xây dựng/iu, buildingFields],
  [/tình trạng hôn nhân/iu, maritalStatusFields],
  [/thành lập hộ kinh doanh/iu, householdBusinessFields],
  [/chứng thực bản sao/iu, certifiedCopyFields],
];

/** The application form of a procedure, from its name. */
export function formFor(name: string): FormSchema {
  const extra = specific.find(([re]) => re.test(name))?.[1] ?? genericFields;
  return {
    fields: [...applicantFields, ...extra].map((x) => ({ ...x, ...(x.options ? { options: x.options.map((o) => ({ ...o })) } : {}) })),
  };
}

/** The form given to a procedure created without one. */
export function genericForm(): FormSchema {
  return { fields: [...applicantFields, ...genericFields].map((x) => ({ ...x })) };
}
