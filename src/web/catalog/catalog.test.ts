/**
 * The catalogue's wording: legal time from working hours, fee summaries, facet options.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import vi from '../i18n/vi.json';
import { facetOptions, feeAmount, feeSummary, onlineLevelLabel, onlineLevelText, processingTime } from './catalog';

let t: TFunction;
let tEn: TFunction;

beforeAll(async () => {
  const i = i18next.createInstance();
  await i.init({
    lng: 'vi',
    resources: { vi: { translation: vi }, en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  t = i.getFixedT('vi');
  tEn = i.getFixedT('en');
});

describe('legal processing time', () => {
  it('shows working hours as working days (8 hours a day)', () => {
    expect(processingTime({ processingHours: 24, processingDays: 3 }, t)).toBe('3 ngày làm việc');
    expect(processingTime({ processingHours: 8 }, t)).toBe('1 ngày làm việc');
    expect(processingTime({ processingHours: 12 }, t)).toBe('1,5 ngày làm việc');
    expect(processingTime({ processingHours: 12 }, tEn, 'en')).toBe('1.5 working days');
    expect(processingTime({ processingHours: 8 }, tEn, 'en')).toBe('1 working day');
  });

  it('keeps short times in hours', () => {
    expect(processingTime({ processingHours: 4 }, t)).toBe('4 giờ làm việc');
  });

  it('falls back to days when only days are known, and to null when nothing is', () => {
    expect(processingTime({ processingHours: null, processingDays: 5 }, t)).toBe('5 ngày làm việc');
    expect(processingTime({ processingHours: null, processingDays: null }, t)).toBeNull();
  });
});

describe('fees', () => {
  it('summarises the total: free, an amount in đồng, or set by the rules', () => {
    expect(feeSummary(0, t)).toBe('Miễn phí');
    expect(feeSummary(50000, t)).toBe('50.000 đ');
    expect(feeSummary(1234567, t)).toBe('1.234.567 đ');
    expect(feeSummary(null, t)).toBe('Theo quy định');
    expect(feeAmount(8000, t)).toBe('8.000 đ');
    expect(feeAmount(null, tEn)).toBe('As regulated');
  });
});

describe('online service level', () => {
  it('has a label and a plain explanation for every level', () => {
    for (const l of ['toan_trinh', 'mot_phan', 'thong_tin']) {
      expect(onlineLevelLabel(t, l)).not.toBe(l);
      expect(onlineLevelText(t, l).length).toBeGreaterThan(40);
    }
    expect(onlineLevelLabel(t, 'toan_trinh')).toBe('Trực tuyến toàn trình');
  });
});

describe('facet options', () => {
  it('labels each value with its count and keeps the current choice listed', () => {
    expect(facetOptions([{ value: 'Hộ tịch', count: 16 }], '')).toEqual([{ value: 'Hộ tịch', label: 'Hộ tịch (16)' }]);
    expect(facetOptions([{ value: 'a', label: 'Sở Tư pháp', count: 2 }], 'b').map((o) => o.value)).toEqual(['b', 'a']);
    expect(facetOptions([{ value: 'a', label: 'Sở Tư pháp', count: 2 }], 'a')).toEqual([{ value: 'a', label: 'Sở Tư pháp (2)' }]);
    expect(facetOptions(undefined, '')).toEqual([]);
  });
});
