import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDay, formatVnd } from './format';

describe('dates are shown in Asia/Ho_Chi_Minh, Vietnamese order', () => {
  it('converts UTC instants to Vietnam time (UTC+7)', () => {
    expect(formatDateTime('2025-06-30T17:05:00Z')).toBe('01/07/2025 00:05');
    expect(formatDateTime('2025-12-31T23:59:00+07:00')).toBe('31/12/2025 23:59');
    expect(formatDate('2025-06-30T16:59:00Z')).toBe('30/06/2025');
  });

  it('shows calendar days without shifting them', () => {
    expect(formatDay('2025-07-01')).toBe('01/07/2025');
  });

  it('returns an empty string for missing or invalid values', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
    expect(formatDay(undefined)).toBe('');
  });
});

describe('money is shown in đồng, grouped with dots', () => {
  it('formats whole đồng', () => {
    expect(formatVnd(0)).toBe('0 đ');
    expect(formatVnd(999)).toBe('999 đ');
    expect(formatVnd(50000)).toBe('50.000 đ');
    expect(formatVnd(1234567)).toBe('1.234.567 đ');
  });
});
