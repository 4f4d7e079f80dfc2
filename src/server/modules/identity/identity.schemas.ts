import { Type } from '@sinclair/typebox';

export const Me = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    displayName: Type.String(),
    kind: Type.Union([Type.Literal('staff'), Type.Literal('citizen')]),
    roles: Type.Array(Type.String(), { description: 'Mã vai trò' }),
    permissions: Type.Array(Type.String(), { description: 'Quyền hiệu lực (hợp của các vai trò)' }),
    agency: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
    totpEnabled: Type.Boolean(),
    assuranceLevel: Type.Union([Type.Literal(1), Type.Literal(2)], {
      description: 'Mức bảo đảm định danh: 1 tài khoản tự khai, 2 đã xác thực qua VNeID',
    }),
    idNumberMasked: Type.Union([Type.String(), Type.Null()], { description: 'Số định danh cá nhân đã che, ví dụ ********1234' }),
  },
  { $id: 'Me', description: 'Tài khoản đang đăng nhập' },
);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, description: 'Tên đăng nhập' }),
    password: Type.String({ minLength: 1, maxLength: 256, description: 'Mật khẩu' }),
  },
  { additionalProperties: false },
);

export const LoginResult = Type.Union([
  Type.Object({ stage: Type.Literal('done'), me: Type.Ref('Me') }),
  Type.Object({ stage: Type.Literal('totp') }, { description: 'Cần nhập mã xác thực hai lớp (TOTP)' }),
  Type.Object({ stage: Type.Literal('totp_enroll'), me: Type.Ref('Me') }, { description: 'Cán bộ phải cài đặt xác thực hai lớp' }),
]);

export const TotpCode = Type.Object(
  { code: Type.String({ pattern: '^\\s*\\d{6}\\s*$', description: 'Mã 6 chữ số từ ứng dụng xác thực' }) },
  { additionalProperties: false },
);

export const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256, description: '≥ 10 ký tự, có chữ và số' }),
  },
  { additionalProperties: false },
);

export const TotpEnrolment = Type.Object({
  secret: Type.String({ description: 'Mã bí mật (base32) để nhập tay' }),
  otpauthUrl: Type.String(),
  qrSvg: Type.String({ description: 'Mã QR dạng SVG' }),
});

export const SessionItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});

export const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
