import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClockStateError,
  clockDueDate,
  clockRemainingHours,
  clockUsedHours,
  pauseClock,
  restartClock,
  resumeClock,
  startClock,
} from './calendar.clock';
import { calendarData, isWorkingDay } from './calendar.days';
import {
  addWorkingDays,
  addWorkingHours,
  forwardingDeadline,
  nextWorkingMoment,
  remainingWorkingHours,
  workingHoursBetween,
} from './calendar.hours';
import { decisions2026 } from './testing';
import { formatVn, localMsOfDay, toLocalIso } from './time';

const cal = calendarData({ decisions: decisions2026 });
/** An instant given in Việt Nam time. */
const vn = (local: string) => new Date(`${local}+07:00`);
const show = (d: Date) => toLocalIso(d).slice(0, 16);

describe('due dates', () => {
  it('counts Friday 16:00 + 8 working hours to Monday 16:00', () => {
    expect(show(addWorkingHours(cal, vn('2026-03-06T16:00:00'), 8))).toBe('2026-03-09T16:00');
    expect(show(addWorkingDays(cal, vn('2026-03-06T16:00:00'), 1))).toBe('2026-03-09T16:00');
  });

  it('counts from 13:30 when received in the lunch break, from 07:00 when received early', () => {
    expect(show(addWorkingHours(cal, vn('2026-03-10T12:00:00'), 1))).toBe('2026-03-10T14:30');
    expect(show(addWorkingHours(cal, vn('2026-03-10T06:15:00'), 2))).toBe('2026-03-10T09:00');
    expect(show(nextWorkingMoment(cal, vn('2026-03-10T12:00:00')))).toBe('2026-03-10T13:30');
  });

  it('counts from the next working morning when received after 17:00 or on a day off', () => {
    expect(show(addWorkingHours(cal, vn('2026-03-10T18:30:00'), 4))).toBe('2026-03-11T11:00');
    expect(show(nextWorkingMoment(cal, vn('2026-03-10T17:00:00')))).toBe('2026-03-11T07:00');
    expect(show(nextWorkingMoment(cal, vn('2026-03-07T10:00:00')))).toBe('2026-03-09T07:00');
  });

  it('skips the lunch break inside the count: 10:00 + 3 h = 15:00', () => {
    expect(show(addWorkingHours(cal, vn('2026-03-10T10:00:00'), 3))).toBe('2026-03-10T15:00');
  });

  it('ends a count that uses a whole window at the window close (07:00 + 8 h = 17:00 the same day)', () => {
    expect(show(addWorkingHours(cal, vn('2026-03-10T07:00:00'), 8))).toBe('2026-03-10T17:00');
    expect(show(addWorkingHours(cal, vn('2026-03-10T07:00:00'), 4.5))).toBe('2026-03-10T11:30');
  });

  it('skips the Tết week: Friday 13/02/2026 16:00 + 8 h = Monday 23/02/2026 16:00', () => {
    expect(show(addWorkingHours(cal, vn('2026-02-13T16:00:00'), 8))).toBe('2026-02-23T16:00');
  });

  it('works on the make-up Saturday 22/08/2026 and not on Monday 31/08/2026', () => {
    expect(show(addWorkingHours(cal, vn('2026-08-21T16:00:00'), 2))).toBe('2026-08-22T08:00');
    expect(show(addWorkingHours(cal, vn('2026-08-28T16:00:00'), 2))).toBe('2026-09-03T08:00');
  });

  it('counts 15 working days for a dossier received on 20/04/2026 across Giỗ Tổ and 30/4–1/5', () => {
    // Working days after Monday 20/04 10:00: 21, 22, 23, 24, 28, 29, 04/5, 05, 06, 07, 08, 11, 12, 13, 14/5.
    expect(show(addWorkingDays(cal, vn('2026-04-20T10:00:00'), 15))).toBe('2026-05-14T10:00');
  });

  it('counts backwards with negative hours (one working day before a due date)', () => {
    expect(show(addWorkingHours(cal, vn('2026-03-09T16:00:00'), -8))).toBe('2026-03-06T16:00');
    expect(show(addWorkingDays(cal, vn('2026-02-23T09:00:00'), -1))).toBe('2026-02-13T09:00');
  });

  it('measures working hours between two instants, negative when reversed', () => {
    expect(workingHoursBetween(cal, vn('2026-03-06T16:00:00'), vn('2026-03-09T16:00:00'))).toBe(8);
    expect(workingHoursBetween(cal, vn('2026-03-10T11:00:00'), vn('2026-03-10T14:00:00'))).toBe(1);
    expect(workingHoursBetween(cal, vn('2026-03-09T16:00:00'), vn('2026-03-06T16:00:00'))).toBe(-8);
    expect(remainingWorkingHours(cal, vn('2026-03-10T08:00:00'), vn('2026-03-10T10:00:00'))).toBe(2);
    expect(remainingWorkingHours(cal, vn('2026-03-11T08:00:00'), vn('2026-03-10T16:00:00'))).toBe(-2);
  });

  it('honours configured office hours', () => {
    const custom = calendarData({
      officeHours: [
        { start: 7 * 60 + 30, end: 11 * 60 + 30 },
        { start: 13 * 60, end: 17 * 60 },
      ],
    });
    expect(show(addWorkingHours(custom, vn('2026-03-10T07:00:00'), 5))).toBe('2026-03-10T14:00');
  });

  it('does not depend on the machine time zone', () => {
    const before = process.env.TZ;
    const results = () => [
      show(addWorkingHours(cal, vn('2026-02-13T16:00:00'), 8)),
      show(forwardingDeadline(cal, vn('2026-03-06T15:30:00'))),
      String(isWorkingDay(cal, vn('2026-08-30T23:30:00'))),
      formatVn(vn('2026-02-23T16:00:00')),
    ];
    try {
      process.env.TZ = 'UTC';
      const utc = results();
      process.env.TZ = 'America/Los_Angeles';
      expect(results()).toEqual(utc);
      process.env.TZ = 'Pacific/Kiritimati';
      expect(results()).toEqual(utc);
      expect(utc[3]).toBe('16 giờ 00 phút, ngày 23/02/2026');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe('the 15:00 rule', () => {
  it('forwards the same working day when received before 15:00', () => {
    expect(show(forwardingDeadline(cal, vn('2026-03-10T14:59:00')))).toBe('2026-03-10T17:00');
    expect(show(forwardingDeadline(cal, vn('2026-03-10T06:00:00')))).toBe('2026-03-10T17:00');
  });

  it('forwards the next working day when received from 15:00 on, or on a day off', () => {
    expect(show(forwardingDeadline(cal, vn('2026-03-10T15:00:00')))).toBe('2026-03-11T17:00');
    expect(show(forwardingDeadline(cal, vn('2026-03-06T16:00:00')))).toBe('2026-03-09T17:00');
    expect(show(forwardingDeadline(cal, vn('2026-03-07T09:00:00')))).toBe('2026-03-09T17:00');
    expect(show(forwardingDeadline(cal, vn('2026-02-13T15:30:00')))).toBe('2026-02-23T17:00');
  });

  it('uses the configured cut-off and next-day allowance', () => {
    const strict = calendarData({ forwardingCutoff: 16 * 60, forwardingNextDayHours: 1 });
    expect(show(forwardingDeadline(strict, vn('2026-03-10T15:30:00')))).toBe('2026-03-10T17:00');
    expect(show(forwardingDeadline(strict, vn('2026-03-10T16:00:00')))).toBe('2026-03-11T08:00');
  });
});

describe('pauses and restarts', () => {
  it('stops counting while waiting for the applicant and resumes with the time left', () => {
    let clock = startClock(16, vn('2026-03-09T08:00:00'));
    // Monday 08:00–17:00 gives 7 h, Tuesday 8 h, the last hour is Wednesday 07:00–08:00.
    expect(show(clockDueDate(cal, clock)!)).toBe('2026-03-11T08:00');
    clock = pauseClock(cal, clock, vn('2026-03-09T10:00:00'));
    expect(clockDueDate(cal, clock)).toBeNull();
    expect(clockUsedHours(cal, clock, vn('2026-03-11T10:00:00'))).toBe(2);
    clock = resumeClock(clock, vn('2026-03-12T09:00:00'));
    // 14 h left: Thursday 09:00–17:00 gives 6, Friday gives the last 8.
    expect(show(clockDueDate(cal, clock)!)).toBe('2026-03-13T17:00');
    expect(clockRemainingHours(cal, clock, vn('2026-03-12T14:00:00'))).toBe(11);
    expect(clockRemainingHours(cal, clock, vn('2026-03-16T08:00:00'))).toBe(-1);
  });

  it('restarts the legal time from zero when the complete dossier comes back (NĐ 61 Art. 19)', () => {
    let clock = startClock(8, vn('2026-03-09T08:00:00'));
    clock = pauseClock(cal, clock, vn('2026-03-09T15:00:00'));
    clock = restartClock(clock, vn('2026-03-11T09:30:00'));
    expect(clock.restarts).toBe(1);
    expect(clock.usedMs).toBe(0);
    expect(show(clockDueDate(cal, clock)!)).toBe('2026-03-12T09:30');
  });

  it('is plain JSON that survives storage', () => {
    const clock = pauseClock(cal, startClock(4, vn('2026-03-09T08:00:00')), vn('2026-03-09T09:00:00'));
    const stored = JSON.parse(JSON.stringify(clock));
    expect(show(clockDueDate(cal, resumeClock(stored, vn('2026-03-10T07:00:00')))!)).toBe('2026-03-10T10:00');
  });

  it('refuses impossible transitions', () => {
    const running = startClock(8, vn('2026-03-09T08:00:00'));
    expect(() => resumeClock(running, vn('2026-03-09T09:00:00'))).toThrow(ClockStateError);
    const paused = pauseClock(cal, running, vn('2026-03-09T09:00:00'));
    expect(() => pauseClock(cal, paused, vn('2026-03-09T10:00:00'))).toThrow(ClockStateError);
    expect(() => resumeClock(paused, vn('2026-03-09T08:30:00'))).toThrow(ClockStateError);
    expect(() => pauseClock(cal, running, vn('2026-03-08T08:00:00'))).toThrow(ClockStateError);
  });
});

describe('properties', () => {
  const from = vn('2025-01-01T00:00:00').getTime();
  const to = vn('2027-12-31T23:59:00').getTime();
  // Minutes, so that sums of hours stay exact.
  const instant = fc.integer({ min: from / 60_000, max: to / 60_000 }).map((m) => new Date(m * 60_000));
  const hours = fc.integer({ min: 1, max: 300 * 60 }).map((m) => m / 60);
  const inOffice = (d: Date) => {
    const ms = localMsOfDay(d);
    return isWorkingDay(cal, d) && cal.officeHours.some((w) => ms >= w.start * 60_000 && ms <= w.end * 60_000);
  };

  it('puts every due date inside office hours on a working day', () => {
    fc.assert(
      fc.property(instant, hours, (s, h) => inOffice(addWorkingHours(cal, s, h))),
      { numRuns: 400 },
    );
  });

  it('adds h1 then h2 the same as h1 + h2', () => {
    fc.assert(
      fc.property(instant, hours, hours, (s, h1, h2) => {
        return addWorkingHours(cal, addWorkingHours(cal, s, h1), h2).getTime() === addWorkingHours(cal, s, h1 + h2).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it('measures back exactly the hours it added', () => {
    fc.assert(
      fc.property(instant, hours, (s, h) => {
        const start = nextWorkingMoment(cal, s);
        return (
          Math.abs(workingHoursBetween(cal, start, addWorkingHours(cal, start, h)) - h) < 1e-9 &&
          Math.abs(workingHoursBetween(cal, s, addWorkingHours(cal, s, h)) - h) < 1e-9
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic in hours', () => {
    fc.assert(
      fc.property(instant, hours, hours, (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return addWorkingHours(cal, s, lo).getTime() <= addWorkingHours(cal, s, hi).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it('counts backwards to where counting starts: add(add(s, h), −h) = nextWorkingMoment(s)', () => {
    fc.assert(
      fc.property(instant, hours, (s, h) => {
        return addWorkingHours(cal, addWorkingHours(cal, s, h), -h).getTime() === nextWorkingMoment(cal, s).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps due dates of a paused-and-resumed clock equal to adding the hours left', () => {
    fc.assert(
      fc.property(
        instant,
        hours,
        fc.integer({ min: 1, max: 60 * 60 }),
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        (s, h, runMin, waitMin) => {
          const pauseAt = new Date(s.getTime() + runMin * 60_000);
          const resumeAt = new Date(pauseAt.getTime() + waitMin * 60_000);
          const paused = pauseClock(cal, startClock(h, s), pauseAt);
          const left = h - clockUsedHours(cal, paused, pauseAt);
          const due = clockDueDate(cal, resumeClock(paused, resumeAt))!;
          return due.getTime() === addWorkingHours(cal, resumeAt, left).getTime();
        },
      ),
      { numRuns: 200 },
    );
  });
});
