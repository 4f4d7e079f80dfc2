/**
 * All SQL of the calendar block.
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { type Database, type Orm, sql } from '../db/database';
import { type CalendarDayRow, calendarSettings, calendarDays as d, type NewCalendarDayRow } from './calendar.tables';

export interface SettingsRow {
  office_hours: string;
  hours_per_day: string;
  forwarding_cutoff: string;
  forwarding_next_day_hours: string;
  updated_at: Date | string;
}

/** New values of the settings row, as stored (office hours as 'HH:MM' windows). */
export interface SettingsWrite {
  officeHours: { start: string; end: string }[];
  hoursPerDay: number;
  forwardingCutoff: string;
  forwardingNextDayHours: number;
  updatedBy: string | null;
}

/**
 * Columns as read back: the date as 'YYYY-MM-DD' text, whatever the driver's date parsing (node-postgres
 * would turn a `date` into a Date at the machine's local midnight).
 */
const fields = {
  date: sql<string>`to_char(${d.date}, 'YYYY-MM-DD')`.as('date'),
  kind: d.kind,
  name: d.name,
  legalBasis: d.legalBasis,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
};

export function calendarRepo(db: Database) {
  return {
    allDays(tx?: Orm): Promise<CalendarDayRow[]> {
      return (tx ?? db.orm).select(fields).from(d).orderBy(asc(d.date));
    },

    daysOfYear(year: number, tx?: Orm): Promise<CalendarDayRow[]> {
      return (tx ?? db.orm)
        .select(fields)
        .from(d)
        .where(and(gte(d.date, `${year}-01-01`), lte(d.date, `${year}-12-31`)))
        .orderBy(asc(d.date));
    },

    async findDay(date: string, tx?: Orm): Promise<CalendarDayRow | undefined> {
      const [row] = await (tx ?? db.orm).select(fields).from(d).where(eq(d.date, date));
      return row;
    },

    /** Inserts the day, or returns undefined when the date already has an entry. */
    async insertDay(row: NewCalendarDayRow, tx: Orm): Promise<CalendarDayRow | undefined> {
      const [saved] = await tx.insert(d).values(row).onConflictDoNothing({ target: d.date }).returning(fields);
      return saved;
    },

    async updateDay(
      date: string,
      patch: Pick<NewCalendarDayRow, 'kind' | 'name' | 'legalBasis'>,
      tx: Orm,
    ): Promise<CalendarDayRow | undefined> {
      const [saved] = await tx.update(d).set(patch).where(eq(d.date, date)).returning(fields);
      return saved;
    },

    async deleteDay(date: string, tx: Orm): Promise<CalendarDayRow | undefined> {
      const [gone] = await tx.delete(d).where(eq(d.date, date)).returning(fields);
      return gone;
    },

    /** The settings row; `lock` (inside a transaction) holds it until the commit, for a read-then-write. */
    async settings(tx?: Orm, lock = false): Promise<SettingsRow | undefined> {
      const [row] = await db.rows<SettingsRow>(
        sql`select office_hours::text as office_hours, hours_per_day::text as hours_per_day, forwarding_cutoff,
                   forwarding_next_day_hours::text as forwarding_next_day_hours, updated_at
            from calendar_settings where id ${lock ? sql`for update` : sql``}`,
        tx,
      );
      return row;
    },

    /** Replaces the one settings row (creating it if a database lost it). */
    async saveSettings(w: SettingsWrite, tx: Orm): Promise<void> {
      const values = {
        officeHours: w.officeHours,
        hoursPerDay: String(w.hoursPerDay),
        forwardingCutoff: w.forwardingCutoff,
        forwardingNextDayHours: String(w.forwardingNextDayHours),
        updatedAt: new Date(),
        updatedBy: w.updatedBy,
      };
      await tx
        .insert(calendarSettings)
        .values({ id: true, ...values })
        .onConflictDoUpdate({ target: calendarSettings.id, set: values });
    },
  };
}

export type CalendarRepo = ReturnType<typeof calendarRepo>;
