/**
 * Test fixtures of the calendar block.
 */
import type { CalendarDecision } from './calendar.days';

export const TB_9441 = 'Thông báo 9441/TB-BNV ngày 16/10/2025';

/** The 2026 decision as seeded by migrations/0400_calendar.sql. */
export const decisions2026: CalendarDecision[] = [
  ...['16', '17', '18', '19', '20'].map((d) => ({
    date: `2026-02-${d}`,
    kind: 'nghi' as const,
    name: 'Tết Nguyên đán Bính Ngọ',
    legalBasis: TB_9441,
  })),
  { date: '2026-08-22', kind: 'lam_bu', name: 'Làm bù cho ngày nghỉ thứ Hai 31/8/2026', legalBasis: TB_9441 },
  { date: '2026-08-31', kind: 'nghi', name: 'Nghỉ Quốc khánh (hoán đổi)', legalBasis: TB_9441 },
  { date: '2026-09-01', kind: 'nghi', name: 'Quốc khánh', legalBasis: TB_9441 },
  { date: '2026-09-02', kind: 'nghi', name: 'Quốc khánh', legalBasis: TB_9441 },
];
