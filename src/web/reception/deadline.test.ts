import { describe, expect, it } from 'vitest';
import { deadlineOf, spanOf, vnDay, waitingOf, weekdayRule, workingDayFn, workingMsBetween } from './deadline';

const H = 3_600_000;
/** An instant written in Việt Nam local time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe('working time between two instants (office windows of working days, Asia/Ho_Chi_Minh)', () => {
  it('counts only the office windows and skips the lunch break', () => {
    // Monday 24/11/2025 08:00 → 14:30: 3.5 h in the morning window, 1 h after lunch.
    expect(workingMsBetween(vn('2025-11-24T08:00:00'), vn('2025-11-24T14:30:00'))).toBe(4.5 * H);
    // A whole working day is 8 hours.
    expect(workingMsBetween(vn('2025-11-24T00:00:00'), vn('2025-11-25T00:00:00'))).toBe(8 * H);
  });

  it('skips weekends: Friday 16:00 → Monday 08:00 is 2 working hours', () => {
    expect(workingMsBetween(vn('2025-11-28T16:00:00'), vn('2025-12-01T08:00:00'))).toBe(2 * H);
  });

  it('uses the province calendar where it is known (holiday on a weekday, make-up Saturday)', () => {
    const cal = workingDayFn([
      { date: '2025-09-01', working: false }, // Monday off (National Day bridge)
      { date: '2025-08-30', working: true }, // Saturday worked instead
    ]);
    expect(workingMsBetween(vn('2025-08-30T00:00:00'), vn('2025-09-02T00:00:00'), cal)).toBe(8 * H);
    expect(workingMsBetween(vn('2025-08-30T00:00:00'), vn('2025-09-02T00:00:00'))).toBe(8 * H); // Sat off, Mon on by default
    expect(cal('2025-09-03')).toBe(true); // outside the loaded range → Monday–Friday rule
  });

  it('is zero when the end is not after the start, and does not depend on the machine time zone', () => {
    expect(workingMsBetween(vn('2025-11-24T10:00:00'), vn('2025-11-24T09:00:00'))).toBe(0);
    expect(workingMsBetween(new Date('2025-11-24T01:00:00Z'), new Date('2025-11-24T02:00:00Z'))).toBe(H); // 08:00–09:00 in VN
    expect(vnDay(new Date('2025-11-23T17:30:00Z'))).toBe('2025-11-24');
    expect(weekdayRule('2025-11-23')).toBe(false);
  });
});

describe('deadline band (time left before dueAt)', () => {
  const due = vn('2025-11-26T17:00:00'); // Wednesday at closing time

  it('is ok with a working day or more left, and says how much', () => {
    const d = deadlineOf(due, vn('2025-11-25T17:00:00'));
    expect(d?.band).toBe('ok');
    expect(d?.span).toMatchObject({ days: 1, hours: 0, minutes: 0 });
    expect(deadlineOf(due, vn('2025-11-24T10:00:00'))?.span).toMatchObject({ days: 2, hours: 5 }); // Mon 1.5 + 3.5 h, Tue 8 h, Wed 8 h;
  });

  it('is soon with less than one working day left, even across a night', () => {
    expect(deadlineOf(due, vn('2025-11-25T17:30:00'))?.band).toBe('ok'); // the night does not count: still 8 h
    const d = deadlineOf(due, vn('2025-11-26T07:00:01'));
    expect(d?.band).toBe('soon');
    const evening = deadlineOf(vn('2025-11-27T08:00:00'), vn('2025-11-26T16:00:00'));
    expect(evening).toMatchObject({ band: 'soon', span: { days: 0, hours: 2, minutes: 0 } });
  });

  it('is overdue at and after the due instant, with the working time past it', () => {
    expect(deadlineOf(due, due)?.band).toBe('overdue');
    expect(deadlineOf(due, vn('2025-11-28T09:30:00'))).toMatchObject({ band: 'overdue', span: { days: 1, hours: 2, minutes: 30 } });
  });

  it('gives nothing for an unreadable date', () => {
    expect(deadlineOf('not a date', new Date())).toBeNull();
  });
});

describe('waiting band (time since submission, not yet received)', () => {
  const submitted = vn('2025-11-24T08:00:00');
  it('is fresh under half a working day, waiting under one, long from one working day', () => {
    expect(waitingOf(submitted, vn('2025-11-24T11:00:00'))?.band).toBe('fresh');
    expect(waitingOf(submitted, vn('2025-11-24T14:00:00'))?.band).toBe('waiting');
    expect(waitingOf(submitted, vn('2025-11-25T08:00:00'))).toMatchObject({ band: 'long', span: { days: 1, hours: 0 } });
  });

  it('does not count a weekend as waiting', () => {
    expect(waitingOf(vn('2025-11-28T16:30:00'), vn('2025-12-01T07:30:00'))).toMatchObject({
      band: 'fresh',
      span: { hours: 1, minutes: 0 },
    });
  });

  it('splits a span into working days, hours and minutes', () => {
    expect(spanOf(17.5 * H)).toMatchObject({ days: 2, hours: 1, minutes: 30, totalHours: 17.5 });
    expect(spanOf(-5)).toMatchObject({ days: 0, hours: 0, minutes: 0 });
  });
});
