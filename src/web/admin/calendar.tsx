/**
 * The working calendar (Lịch làm việc): a year of 12 month grids with each day's kind (colour and a
 * letter, never colour alone; arrow keys move between days), the days entered from the yearly holiday
 * decision with forms to add, change and delete them, the office hours every deadline is computed with,
 * and a due-date calculator to check the effect of a change.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../api';
import { formatDateTime, formatDay, todayVn } from '../format';
import {
  Button,
  DataTable,
  Details,
  EmptyState,
  ErrorState,
  FormView,
  Loading,
  Notice,
  PageHeader,
  Section,
  SelectField,
  TextField,
  useForm,
} from '../ui';
import './calendar.css';
import {
  type CalendarDay,
  type CalendarSettings,
  countKinds,
  type DayInfo,
  type DayKind,
  type DaysList,
  type DecisionKind,
  type DecisionValues,
  type DueDateResult,
  type DueValues,
  dayKinds,
  decisionBody,
  decisionKinds,
  dueBody,
  formatNumber,
  MAX_WINDOWS,
  MAX_YEAR,
  MIN_YEAR,
  mondayIndex,
  type SettingsValues,
  settingsBody,
  settingsValues,
  stepDate,
  validateDecision,
  validateDue,
  validateSettings,
  type WorkingDaysList,
  weekdayOf,
  windowField,
  windowsTotal,
  yearGrid,
} from './calendarModel';
import { filterField } from './shared';

const DAYS = '/api/v1/calendar/days';
const WORKING = '/api/v1/calendar/working-days';
const SETTINGS = '/api/v1/calendar/settings';
const DUE = '/api/v1/calendar/due-date';

/** Kinds that carry a letter in the grid; ordinary working days and weekends are told by their column. */
const MARKED: ReadonlySet<DayKind> = new Set(['holiday', 'compensatory', 'day_off', 'make_up']);
/** Weekdays in the order of a Monday-first week (0 = Sunday). */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

const dayId = (iso: string) => `cal-day-${iso}`;
const yearOf = (iso: string) => Number(iso.slice(0, 4));
const clampYear = (y: number) => Math.min(MAX_YEAR, Math.max(MIN_YEAR, y));
const kindOfDecision = (k: DecisionKind): DayKind => (k === 'nghi' ? 'day_off' : 'make_up');

function monthName(lang: string, year: number, month: number): string {
  const s = new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 1));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The current time in Việt Nam as HH:MM (default of the calculator). */
function nowVn(): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(),
  );
}

type Editing = { mode: 'new'; date: string } | { mode: 'edit'; item: CalendarDay };

export function CalendarAdminPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const today = todayVn();
  const thisYear = yearOf(today);
  const year = clampYear(Number(params.get('year')) || thisYear);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<CalendarDay | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const days = useQuery({ queryKey: [DAYS, year], queryFn: () => api.get<DaysList>(DAYS, { year }) });
  const grid = useQuery({
    queryKey: [WORKING, year],
    queryFn: () => api.get<WorkingDaysList>(WORKING, { from: `${year}-01-01`, to: `${year}-12-31` }),
  });

  const setYear = (y: number) => {
    setParams(y === thisYear ? {} : { year: String(y) }, { replace: true });
    setSelected(null);
    setEditing(null);
    setDeleting(null);
  };
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: [DAYS] }), qc.invalidateQueries({ queryKey: [WORKING] })]).then(() => undefined);

  const entered = new Map((days.data?.items ?? []).map((d) => [d.date, d]));
  const startEdit = (e: Editing) => {
    setNotice(null);
    setDeleting(null);
    setEditing(e);
  };
  const startDelete = (d: CalendarDay) => {
    setNotice(null);
    setEditing(null);
    setDeleting(d);
  };

  return (
    <>
      <PageHeader
        title={t('calendarAdmin.section.title')}
        lead={t('calendarAdmin.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
      />
      <nav className="cal-toc" aria-label={t('calendarAdmin.onThisPage')}>
        <ul>
          <li>
            <a href="#calendar-year">{t('calendarAdmin.yearTitle', { year })}</a>
          </li>
          <li>
            <a href="#calendar-decisions">{t('calendarAdmin.decisions.title', { year })}</a>
          </li>
          <li>
            <a href="#calendar-settings">{t('calendarAdmin.settings.title')}</a>
          </li>
          <li>
            <a href="#calendar-due">{t('calendarAdmin.due.title')}</a>
          </li>
        </ul>
      </nav>
      <YearPicker year={year} thisYear={thisYear} onYear={setYear} />

      <Section title={t('calendarAdmin.yearTitle', { year })} id="calendar-year">
        {grid.isPending ? (
          <Loading />
        ) : grid.isError ? (
          <ErrorState error={grid.error} onRetry={() => void grid.refetch()} />
        ) : (
          <>
            <YearSummary days={grid.data.items} />
            <Legend />
            <YearGrid key={year} year={year} today={today} days={grid.data.items} selected={selected} onSelect={setSelected} />
            <DayDetails
              date={selected}
              info={grid.data.items.find((d) => d.date === selected) ?? null}
              entry={selected ? (entered.get(selected) ?? null) : null}
              entriesLoaded={days.isSuccess}
              onAdd={(date) => startEdit({ mode: 'new', date })}
              onEdit={(item) => startEdit({ mode: 'edit', item })}
              onDelete={startDelete}
            />
          </>
        )}
      </Section>

      <Section
        title={t('calendarAdmin.decisions.title', { year })}
        id="calendar-decisions"
        actions={
          <Button variant="secondary" onClick={() => startEdit({ mode: 'new', date: '' })}>
            {t('calendarAdmin.decisions.add')}
          </Button>
        }
      >
        <p className="muted">{t('calendarAdmin.decisions.lead')}</p>
        {notice && <Notice tone="success" live title={notice} />}
        {deleting && (
          <DeleteConfirm
            item={deleting}
            onCancel={() => setDeleting(null)}
            onDeleted={async () => {
              await refresh();
              setNotice(t('calendarAdmin.decisions.deleted', { date: formatDay(deleting.date) }));
              setDeleting(null);
            }}
          />
        )}
        {editing && (
          <DecisionForm
            key={editing.mode === 'edit' ? `edit-${editing.item.date}` : `new-${editing.date}`}
            editing={editing}
            onCancel={() => setEditing(null)}
            onSaved={async (date) => {
              await refresh();
              setEditing(null);
              setNotice(t('calendarAdmin.decisions.saved', { date: formatDay(date) }));
              setSelected(date);
              if (yearOf(date) !== year) setYear(yearOf(date));
            }}
          />
        )}
        {days.isPending ? (
          <Loading />
        ) : days.isError ? (
          <ErrorState error={days.error} onRetry={() => void days.refetch()} />
        ) : days.data.items.length === 0 ? (
          <EmptyState title={t('calendarAdmin.decisions.empty', { year })}>{t('calendarAdmin.decisions.emptyText')}</EmptyState>
        ) : (
          <DecisionTable items={days.data.items} onEdit={(item) => startEdit({ mode: 'edit', item })} onDelete={startDelete} />
        )}
      </Section>

      <Section title={t('calendarAdmin.settings.title')} id="calendar-settings">
        <SettingsPanel />
      </Section>

      <Section title={t('calendarAdmin.due.title')} id="calendar-due">
        <DueCalculator />
      </Section>
    </>
  );
}

function YearPicker({ year, thisYear, onYear }: { year: number; thisYear: number; onYear: (y: number) => void }) {
  const { t } = useTranslation();
  const from = clampYear(Math.min(year, thisYear - 5));
  const to = clampYear(Math.max(year, thisYear + 5));
  const options = Array.from({ length: to - from + 1 }, (_, i) => ({ value: String(from + i), label: String(from + i) }));
  return (
    <div className="cal-year-picker">
      <Button variant="secondary" disabled={year <= MIN_YEAR} onClick={() => onYear(year - 1)}>
        <span aria-hidden="true">‹ </span>
        {t('calendarAdmin.prevYear', { year: year - 1 })}
      </Button>
      <SelectField
        className="cal-year-select"
        label={t('calendarAdmin.year')}
        field={filterField('calendar-year')}
        value={String(year)}
        onValue={(v) => onYear(Number(v))}
        options={options}
      />
      <Button variant="secondary" disabled={year >= MAX_YEAR} onClick={() => onYear(year + 1)}>
        {t('calendarAdmin.nextYear', { year: year + 1 })}
        <span aria-hidden="true"> ›</span>
      </Button>
    </div>
  );
}

function YearSummary({ days }: { days: DayInfo[] }) {
  const { t } = useTranslation();
  const c = countKinds(days);
  return <p className="cal-summary">{t('calendarAdmin.summary', { working: c.workingDays, off: c.weekdaysOff, makeUp: c.make_up })}</p>;
}

/** A day's kind as it appears in the grid: the colour and, for special days, the letter. */
function KindSwatch({ kind }: { kind: DayKind }) {
  const { t } = useTranslation();
  return (
    <span className={`cal-swatch cal-kind-${kind}`} aria-hidden="true">
      {MARKED.has(kind) ? t(`calendarAdmin.kinds.${kind}.abbr`) : ''}
    </span>
  );
}

function KindLabel({ kind }: { kind: DayKind }) {
  const { t } = useTranslation();
  return (
    <span className="cal-kind-label">
      <KindSwatch kind={kind} />
      {t(`calendarAdmin.kinds.${kind}.label`)}
    </span>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <div className="cal-legend">
      <h3 className="cal-legend-title">{t('calendarAdmin.legend')}</h3>
      <ul>
        {dayKinds.map((k) => (
          <li key={k}>
            <KindLabel kind={k} />
            {MARKED.has(k) && <span className="visually-hidden"> ({t(`calendarAdmin.kinds.${k}.abbr`)})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A day button's name: the date with the day number as shown (so speech input can say it), the kind
 * with its letter, and the reason.
 */
function dayLabel(t: TFunction, lang: string, iso: string, info: DayInfo | null): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = t('calendarAdmin.dayName', {
    weekday: t(`calendarAdmin.weekdays.${weekdayOf(iso)}.long`),
    day: d,
    month: m,
    monthName: monthName(lang, y, m),
    year: y,
  });
  if (!info) return date;
  const mark = MARKED.has(info.kind) ? ` (${t(`calendarAdmin.kinds.${info.kind}.abbr`)})` : '';
  const reason = info.reason && info.kind !== 'weekend' ? ` — ${info.reason}` : '';
  return `${date}: ${t(`calendarAdmin.kinds.${info.kind}.label`)}${mark}${reason}`;
}

function YearGrid({
  year,
  today,
  days,
  selected,
  onSelect,
}: {
  year: number;
  today: string;
  days: DayInfo[];
  selected: string | null;
  onSelect: (date: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const months = useMemo(() => yearGrid(year, days), [year, days]);
  // Roving focus: one day is in the tab order; the arrow keys move it.
  const [active, setActive] = useState(() => selected ?? (yearOf(today) === year ? today : `${year}-01-01`));
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    document.getElementById(dayId(active))?.focus();
  }, [active]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const from = (e.target as HTMLElement).dataset.date;
    if (!from) return;
    const next = stepDate(from, e.key, year);
    if (next === null) return;
    e.preventDefault();
    moved.current = true;
    setActive(next);
  };
  return (
    <>
      <p className="field-hint" id="cal-grid-hint">
        {t('calendarAdmin.gridHint')}
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the key handler only moves focus between the day buttons inside */}
      <div className="cal-year" onKeyDown={onKeyDown}>
        {months.map((m) => (
          <table className="cal-month" key={m.month}>
            <caption>{monthName(i18n.language, year, m.month)}</caption>
            <thead>
              <tr>
                {WEEK.map((w) => (
                  <th scope="col" key={w} className={w === 0 || w === 6 ? 'cal-weekend-col' : undefined}>
                    <abbr title={t(`calendarAdmin.weekdays.${w}.long`)}>{t(`calendarAdmin.weekdays.${w}.short`)}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.weeks.map((week) => (
                <tr key={week.find((c) => c)?.date}>
                  {week.map((cell, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the column of the week is the cell's identity
                    <td key={i}>
                      {cell && (
                        <button
                          type="button"
                          id={dayId(cell.date)}
                          data-date={cell.date}
                          // The kind's letter is drawn by CSS: it is in the button's name already, after the kind it stands for.
                          data-mark={cell.info && MARKED.has(cell.info.kind) ? t(`calendarAdmin.kinds.${cell.info.kind}.abbr`) : undefined}
                          tabIndex={cell.date === active ? 0 : -1}
                          className={[
                            'cal-day',
                            `cal-kind-${cell.info?.kind ?? (mondayIndex(weekdayOf(cell.date)) >= 5 ? 'weekend' : 'working')}`,
                            cell.date === selected ? 'is-selected' : '',
                            cell.date === today ? 'is-today' : '',
                          ]
                            .filter(Boolean)
                            .join(' ')}
                          aria-label={`${dayLabel(t, i18n.language, cell.date, cell.info)}${cell.date === today ? ` (${t('calendarAdmin.today')})` : ''}`}
                          aria-describedby="cal-grid-hint"
                          aria-current={cell.date === today ? 'date' : undefined}
                          title={dayLabel(t, i18n.language, cell.date, cell.info)}
                          onClick={() => onSelect(cell.date)}
                          onFocus={() => setActive(cell.date)}
                        >
                          <span className="cal-num">{cell.day}</span>
                        </button>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </>
  );
}

function DayDetails({
  date,
  info,
  entry,
  entriesLoaded,
  onAdd,
  onEdit,
  onDelete,
}: {
  date: string | null;
  info: DayInfo | null;
  entry: CalendarDay | null;
  entriesLoaded: boolean;
  onAdd: (date: string) => void;
  onEdit: (item: CalendarDay) => void;
  onDelete: (item: CalendarDay) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="cal-details" aria-live="polite">
      {!date || !info ? (
        <p className="muted">{t('calendarAdmin.details.none')}</p>
      ) : (
        <>
          <h3>
            {t(`calendarAdmin.weekdays.${info.weekday}.long`)}, {formatDay(date)}
          </h3>
          <Details
            items={[
              [t('calendarAdmin.details.kind'), <KindLabel key="k" kind={info.kind} />],
              [t('calendarAdmin.details.reason'), info.kind === 'working' ? null : info.reason],
              [t('calendarAdmin.details.legalBasis'), info.legalBasis],
              [t('calendarAdmin.details.source'), entry ? t('calendarAdmin.details.entered') : t('calendarAdmin.details.byRule')],
            ]}
          />
          {entriesLoaded && (
            <div className="button-row">
              {entry ? (
                <>
                  <Button variant="secondary" onClick={() => onEdit(entry)}>
                    {t('calendarAdmin.details.edit')}
                  </Button>
                  <Button variant="danger" onClick={() => onDelete(entry)}>
                    {t('calendarAdmin.details.delete')}
                  </Button>
                </>
              ) : (
                <Button variant="secondary" onClick={() => onAdd(date)}>
                  {t('calendarAdmin.details.add')}
                </Button>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}

function DecisionTable({
  items,
  onEdit,
  onDelete,
}: {
  items: CalendarDay[];
  onEdit: (item: CalendarDay) => void;
  onDelete: (item: CalendarDay) => void;
}) {
  const { t } = useTranslation();
  return (
    <DataTable<CalendarDay>
      caption={t('calendarAdmin.decisions.caption')}
      rows={items}
      rowKey={(d) => d.date}
      columns={[
        {
          key: 'date',
          header: t('calendarAdmin.decisions.date'),
          primary: true,
          render: (d) => (
            <>
              <time dateTime={d.date}>{formatDay(d.date)}</time>
              <span className="cell-sub">{t(`calendarAdmin.weekdays.${weekdayOf(d.date)}.long`)}</span>
            </>
          ),
        },
        { key: 'kind', header: t('calendarAdmin.decisions.kind'), render: (d) => <KindLabel kind={kindOfDecision(d.kind)} /> },
        { key: 'name', header: t('calendarAdmin.decisions.name'), render: (d) => d.name },
        { key: 'basis', header: t('calendarAdmin.decisions.legalBasis'), render: (d) => d.legalBasis ?? '—' },
        {
          key: 'actions',
          header: t('common.actions'),
          render: (d) => (
            <span className="cal-row-actions">
              <Button variant="link" onClick={() => onEdit(d)}>
                {t('common.edit')}
                <span className="visually-hidden"> {formatDay(d.date)}</span>
              </Button>
              <Button variant="link" onClick={() => onDelete(d)}>
                {t('calendarAdmin.details.delete')}
                <span className="visually-hidden"> {formatDay(d.date)}</span>
              </Button>
            </span>
          ),
        },
      ]}
    />
  );
}

/** Moves focus to an element once it is shown (a form or question that just opened). */
function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

function DecisionForm({
  editing,
  onCancel,
  onSaved,
}: {
  editing: Editing;
  onCancel: () => void;
  onSaved: (date: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const item = editing.mode === 'edit' ? editing.item : null;
  const defaultKind = (date: string): DecisionKind =>
    /^\d{4}-\d{2}-\d{2}$/.test(date) && [0, 6].includes(weekdayOf(date)) ? 'lam_bu' : 'nghi';
  const form = useForm<DecisionValues>({
    initial: item
      ? { date: item.date, kind: item.kind, name: item.name, legalBasis: item.legalBasis ?? '' }
      : {
          date: editing.mode === 'new' ? editing.date : '',
          kind: defaultKind(editing.mode === 'new' ? editing.date : ''),
          name: '',
          legalBasis: '',
        },
    validate: (v) => validateDecision(v, t),
    onSubmit: async (v) => {
      const date = v.date.trim();
      if (item) await api.put(`${DAYS}/${encodeURIComponent(date)}`, decisionBody(v));
      else await api.post(DAYS, { date, ...decisionBody(v) });
      await onSaved(date);
    },
  });
  const v = form.values;
  return (
    <div className="panel cal-form">
      <h3 ref={heading} tabIndex={-1}>
        {item ? t('calendarAdmin.decisions.editTitle', { date: formatDay(item.date) }) : t('calendarAdmin.decisions.newTitle')}
      </h3>
      <FormView
        form={form}
        label={item ? t('calendarAdmin.decisions.editTitle', { date: formatDay(item.date) }) : t('calendarAdmin.decisions.newTitle')}
      >
        <div className="form-grid">
          <TextField
            type="date"
            label={t('calendarAdmin.decisions.date')}
            hint={item ? t('calendarAdmin.decisions.dateFixed') : undefined}
            required
            readOnly={!!item}
            min={`${MIN_YEAR}-01-01`}
            max={`${MAX_YEAR}-12-31`}
            field={form.field('date', t('calendarAdmin.decisions.date'))}
            value={v.date}
            onValue={(x) => form.set('date', x)}
          />
          <SelectField
            label={t('calendarAdmin.decisions.kind')}
            hint={t('calendarAdmin.decisions.kindHint')}
            required
            field={form.field('kind', t('calendarAdmin.decisions.kind'))}
            value={v.kind}
            onValue={(x) => form.set('kind', x as DecisionKind)}
            options={decisionKinds.map((k) => ({ value: k, label: t(`calendarAdmin.decisionKinds.${k}`) }))}
          />
          <TextField
            className="span-2"
            label={t('calendarAdmin.decisions.name')}
            hint={t('calendarAdmin.decisions.nameHint')}
            required
            maxLength={200}
            field={form.field('name', t('calendarAdmin.decisions.name'))}
            value={v.name}
            onValue={(x) => form.set('name', x)}
          />
          <TextField
            className="span-2"
            label={t('calendarAdmin.decisions.legalBasis')}
            hint={t('calendarAdmin.decisions.legalBasisHint')}
            maxLength={500}
            field={form.field('legalBasis', t('calendarAdmin.decisions.legalBasis'))}
            value={v.legalBasis}
            onValue={(x) => form.set('legalBasis', x)}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {item ? t('common.save') : t('calendarAdmin.decisions.create')}
          </Button>
          <Button variant="link" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </FormView>
    </div>
  );
}

function DeleteConfirm({ item, onCancel, onDeleted }: { item: CalendarDay; onCancel: () => void; onDeleted: () => Promise<void> }) {
  const { t } = useTranslation();
  const box = useFocusOnMount<HTMLFieldSetElement>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`${DAYS}/${encodeURIComponent(item.date)}`);
      await onDeleted();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <fieldset className="confirm-box cal-confirm" ref={box} tabIndex={-1}>
      <legend className="confirm-question">
        {t('calendarAdmin.decisions.deleteConfirm', { date: formatDay(item.date), name: item.name })}
      </legend>
      <p>{t('calendarAdmin.decisions.deleteText')}</p>
      {error !== null && <ErrorState error={error} />}
      <div className="button-row">
        <Button variant="danger" busy={busy} onClick={() => void remove()}>
          {t('calendarAdmin.decisions.deleteYes')}
        </Button>
        <Button variant="link" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </fieldset>
  );
}

function SettingsPanel() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: [SETTINGS], queryFn: () => api.get<CalendarSettings>(SETTINGS) });
  const [saved, setSaved] = useState(false);
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  const s = settings.data;
  return (
    <>
      <p className="muted">
        {t('calendarAdmin.settings.lead')}
        {s.updatedAt && <> {t('calendarAdmin.settings.updatedAt', { at: formatDateTime(s.updatedAt) })}</>}
      </p>
      {saved && <Notice tone="success" live title={t('calendarAdmin.settings.saved')} />}
      <SettingsForm key={s.updatedAt ?? 'default'} settings={s} onSaved={() => setSaved(true)} onEdit={() => setSaved(false)} />
    </>
  );
}

function SettingsForm({ settings, onSaved, onEdit }: { settings: CalendarSettings; onSaved: () => void; onEdit: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const lang = i18n.language;
  const form = useForm<SettingsValues>({
    initial: settingsValues(settings, lang),
    validate: (v) => validateSettings(v, t, lang),
    onSubmit: async (v) => {
      const saved = await api.put<CalendarSettings>(SETTINGS, settingsBody(v));
      qc.setQueryData([SETTINGS], saved);
      onSaved();
    },
  });
  const v = form.values;
  const setWindows = (windows: SettingsValues['windows']) => {
    onEdit();
    form.set('windows', windows);
  };
  const setTime = (i: number, part: 'start' | 'end', value: string) =>
    setWindows(v.windows.map((w, j) => (j === i ? { ...w, [part]: value } : w)));
  const total = windowsTotal(v.windows);
  const set = (name: 'hoursPerDay' | 'forwardingCutoff' | 'forwardingNextDayHours', value: string) => {
    onEdit();
    form.set(name, value);
  };
  return (
    <FormView form={form} label={t('calendarAdmin.settings.title')}>
      <fieldset className="fieldset cal-windows">
        <legend className="field-label">{t('calendarAdmin.settings.windows')}</legend>
        <p className="field-hint">{t('calendarAdmin.settings.windowsHint')}</p>
        {v.windows.map((w, i) => {
          const n = i + 1;
          const name = t('calendarAdmin.settings.window', { n });
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: windows are edited in place, their position is their identity
            <div className="cal-window" key={i}>
              <p className="cal-window-title">{name}</p>
              <div className="time-row">
                <TextField
                  label={t('calendarAdmin.settings.start')}
                  hint={t('calendarAdmin.settings.clockHint')}
                  required
                  inputMode="numeric"
                  maxLength={5}
                  autoComplete="off"
                  field={form.field(windowField(i, 'start'), `${name}: ${t('calendarAdmin.settings.start').toLowerCase()}`)}
                  value={w.start}
                  onValue={(x) => setTime(i, 'start', x)}
                />
                <TextField
                  label={t('calendarAdmin.settings.end')}
                  hint={t('calendarAdmin.settings.clockHint')}
                  required
                  inputMode="numeric"
                  maxLength={5}
                  autoComplete="off"
                  field={form.field(windowField(i, 'end'), `${name}: ${t('calendarAdmin.settings.end').toLowerCase()}`)}
                  value={w.end}
                  onValue={(x) => setTime(i, 'end', x)}
                />
                {v.windows.length > 1 && (
                  <Button variant="link" className="cal-window-remove" onClick={() => setWindows(v.windows.filter((_, j) => j !== i))}>
                    {t('calendarAdmin.settings.removeWindow', { n })}
                  </Button>
                )}
              </div>
            </div>
          );
        })}
        <div className="cal-windows-foot">
          {v.windows.length < MAX_WINDOWS && (
            <Button variant="secondary" onClick={() => setWindows([...v.windows, { start: '', end: '' }])}>
              {t('calendarAdmin.settings.addWindow')}
            </Button>
          )}
          <p className="cal-total" aria-live="polite">
            {total === null
              ? t('calendarAdmin.settings.totalUnknown')
              : t('calendarAdmin.settings.total', { total: formatNumber(Math.round(total * 100) / 100, lang) })}
          </p>
        </div>
      </fieldset>
      <div className="form-grid">
        <TextField
          label={t('calendarAdmin.settings.hoursPerDay')}
          hint={t('calendarAdmin.settings.hoursPerDayHint')}
          required
          inputMode="decimal"
          maxLength={5}
          field={form.field('hoursPerDay', t('calendarAdmin.settings.hoursPerDay'))}
          value={v.hoursPerDay}
          onValue={(x) => set('hoursPerDay', x)}
        />
        <TextField
          label={t('calendarAdmin.settings.forwardingCutoff')}
          hint={t('calendarAdmin.settings.forwardingCutoffHint')}
          required
          inputMode="numeric"
          maxLength={5}
          autoComplete="off"
          field={form.field('forwardingCutoff', t('calendarAdmin.settings.forwardingCutoff'))}
          value={v.forwardingCutoff}
          onValue={(x) => set('forwardingCutoff', x)}
        />
        <TextField
          label={t('calendarAdmin.settings.forwardingNextDayHours')}
          hint={t('calendarAdmin.settings.forwardingNextDayHoursHint')}
          required
          inputMode="decimal"
          maxLength={5}
          field={form.field('forwardingNextDayHours', t('calendarAdmin.settings.forwardingNextDayHours'))}
          value={v.forwardingNextDayHours}
          onValue={(x) => set('forwardingNextDayHours', x)}
        />
      </div>
      <div className="button-row">
        <Button type="submit" busy={form.submitting}>
          {t('calendarAdmin.settings.save')}
        </Button>
      </div>
    </FormView>
  );
}

/** The server names the instant `start` and the duration `hours`/`days`; the form asks for them as date, time and amount. */
function onFormFields(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors) return error;
  const rename: Record<string, string> = { 'body/start': 'body/date', 'body/hours': 'body/amount', 'body/days': 'body/amount' };
  return new ApiError({ ...error.problem, errors: error.problem.errors.map((e) => ({ ...e, field: rename[e.field] ?? e.field })) });
}

function DueCalculator() {
  const { t, i18n } = useTranslation();
  const [result, setResult] = useState<DueDateResult | null>(null);
  const form = useForm<DueValues>({
    initial: { date: todayVn(), time: nowVn(), amount: '1', unit: 'days' },
    validate: (v) => validateDue(v, t),
    onSubmit: async (v) => {
      setResult(null);
      try {
        setResult(await api.post<DueDateResult>(DUE, dueBody(v)));
      } catch (e) {
        throw onFormFields(e);
      }
    },
  });
  const v = form.values;
  return (
    <>
      <p className="muted">{t('calendarAdmin.due.lead')}</p>
      <FormView form={form} label={t('calendarAdmin.due.title')}>
        <div className="form-grid">
          <TextField
            type="date"
            label={t('calendarAdmin.due.date')}
            hint={t('calendarAdmin.due.dateHint')}
            required
            min={`${MIN_YEAR}-01-01`}
            max={`${MAX_YEAR}-12-31`}
            field={form.field('date', t('calendarAdmin.due.date'))}
            value={v.date}
            onValue={(x) => form.set('date', x)}
          />
          <TextField
            label={t('calendarAdmin.due.time')}
            hint={t('calendarAdmin.settings.clockHint')}
            required
            inputMode="numeric"
            maxLength={5}
            autoComplete="off"
            field={form.field('time', t('calendarAdmin.due.time'))}
            value={v.time}
            onValue={(x) => form.set('time', x)}
          />
          <TextField
            label={t('calendarAdmin.due.amount')}
            required
            inputMode="decimal"
            maxLength={8}
            field={form.field('amount', t('calendarAdmin.due.amount'))}
            value={v.amount}
            onValue={(x) => form.set('amount', x)}
          />
          <SelectField
            label={t('calendarAdmin.due.unit')}
            field={form.field('unit', t('calendarAdmin.due.unit'))}
            value={v.unit}
            onValue={(x) => form.set('unit', x as DueValues['unit'])}
            options={(['days', 'hours'] as const).map((u) => ({ value: u, label: t(`calendarAdmin.due.units.${u}`) }))}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('calendarAdmin.due.submit')}
          </Button>
        </div>
      </FormView>
      <div aria-live="polite">
        {result && (
          <div className="panel cal-due-result">
            <p className="cal-due-main">
              {t('calendarAdmin.due.result')}: <strong>{result.dueDateText}</strong>
            </p>
            <Details
              items={[
                [t('calendarAdmin.due.received'), formatDateTime(result.start)],
                [t('calendarAdmin.due.countFrom'), formatDateTime(result.countFrom)],
                [t('calendarAdmin.due.hours'), t('calendarAdmin.due.hoursValue', { hours: formatNumber(result.hours, i18n.language) })],
              ]}
            />
          </div>
        )}
      </div>
    </>
  );
}
