/**
 * Pure rules of petitions: the TT 01/2018 indicator-8 points, the states, the public summary without personal data.
 */
import { describe, expect, it } from 'vitest';
import { allowedFrom, categories, indicator8, isAllowed, nextState, redact, summarize } from './petitions.rules';

describe('indicator 8 (TT 01/2018)', () => {
  it('none or 100 % on time = 2; ≥ 90 % = 1; below 90 % = 0; any protracted = 0', () => {
    expect(indicator8(0, 0, 0)).toBe(2);
    expect(indicator8(10, 10, 0)).toBe(2);
    expect(indicator8(9, 10, 0)).toBe(1);
    expect(indicator8(89, 100, 0)).toBe(0);
    expect(indicator8(10, 10, 1)).toBe(0);
    expect(indicator8(9, 10, 1)).toBe(0);
  });
});

describe('states', () => {
  it('classify only from received; forward from received or accepted; answer only while handling; close only when answered', () => {
    expect(isAllowed('classify', 'received')).toBe(true);
    expect(isAllowed('classify', 'accepted')).toBe(false);
    expect(isAllowed('forward', 'accepted')).toBe(true);
    expect(isAllowed('answer', 'received')).toBe(false);
    expect(isAllowed('close', 'in_progress')).toBe(false);
    expect(nextState('classify', 'received', 'rejected')).toBe('rejected');
    expect(nextState('classify', 'received', 'in_competence')).toBe('accepted');
    expect(nextState('note', 'in_progress')).toBe('in_progress');
    expect(Object.values(allowedFrom).flat()).not.toContain('closed');
  });

  it('has the eight content categories of Art. 5', () => {
    expect(Object.keys(categories).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('public summary', () => {
  it('removes e-mails, phone and ID numbers and the petitioner’s name', () => {
    const text = 'Tôi là Lê Văn Tám, CCCD 066090001234, gọi 0905.123.456 hoặc +84 905 123 456, thư tam@example.vn: quy định X bất hợp lý.';
    const out = redact(text, ['Lê Văn Tám']);
    for (const s of ['Lê Văn Tám', '066090001234', '0905.123.456', '905 123 456', 'tam@example.vn']) expect(out).not.toContain(s);
    expect(out).toContain('quy định X bất hợp lý');
  });

  it('cuts long content at a word boundary', () => {
    const s = summarize('chữ '.repeat(200), [], 50);
    expect(s.length).toBeLessThanOrEqual(51);
    expect(s.endsWith('…')).toBe(true);
  });
});
