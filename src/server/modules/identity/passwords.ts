/**
 * Password hashing (argon2id, OWASP parameters) and the password policy.
 */
import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../../platform/http/problem';

const params = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, params);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal usernames. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy-password-for-timing');
  return decoy;
}

const COMMON = new Set(['12345678', '123456789', '1234567890', 'password', 'matkhau123', 'abc12345', 'qwerty123', '11111111', '00000000']);

/** Field errors for a new password; empty when it is acceptable. */
export function checkPasswordPolicy(password: string, username: string, field = 'body/newPassword'): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < 10) errors.push({ field, message: 'Mật khẩu phải có ít nhất 10 ký tự' });
  if (password.length > 128) errors.push({ field, message: 'Mật khẩu không được dài quá 128 ký tự' });
  if (!/[a-zA-Z\u00C0-\u1EF9]/.test(password) || !/\d/.test(password)) {
    errors.push({ field, message: 'Mật khẩu phải có cả chữ và số' });
  }
  if (password.toLowerCase().includes(username.toLowerCase()) || COMMON.has(password.toLowerCase())) {
    errors.push({ field, message: 'Mật khẩu quá dễ đoán (trùng tên đăng nhập hoặc mật khẩu phổ biến)' });
  }
  return errors;
}
