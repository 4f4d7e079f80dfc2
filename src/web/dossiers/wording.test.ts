/** Wording helpers of the dossier pages. */
import { describe, expect, it } from 'vitest';
import { filterByName, fold, formatSize, normaliseCode, publicStatusTone, stateTone } from './wording';

describe('wording', () => {
  it('matches names without accents', () => {
    expect(fold('  Phường Buôn Ma Thuột ')).toBe('phuong buon ma thuot');
    expect(fold('Đắk Lắk')).toBe('dak lak');
    const agencies = [{ name: 'UBND phường Buôn Ma Thuột' }, { name: 'UBND xã Hòa Phú' }, { name: 'UBND xã Buôn Đôn' }];
    expect(filterByName(agencies, 'buon').map((a) => a.name)).toEqual(['UBND phường Buôn Ma Thuột', 'UBND xã Buôn Đôn']);
    expect(filterByName(agencies, 'xa hoa')).toEqual([{ name: 'UBND xã Hòa Phú' }]);
    expect(filterByName(agencies, '')).toHaveLength(3);
  });

  it('writes sizes the Vietnamese way', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1,5 KB');
    expect(formatSize(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatSize(1536, 'en')).toBe('1.5 KB');
  });

  it('colours states', () => {
    expect(stateTone('supplement_requested')).toBe('warning');
    expect(stateTone('refused')).toBe('danger');
    expect(stateTone('draft')).toBe('neutral');
    expect(publicStatusTone(2)).toBe('success');
    expect(publicStatusTone(3)).toBe('danger');
    expect(publicStatusTone(5)).toBe('warning');
    expect(publicStatusTone(1)).toBe('info');
  });

  it('normalises a typed dossier code', () => {
    expect(normaliseCode(' h66.201-250701-0001 ')).toBe('H66.201-250701-0001');
  });
});
