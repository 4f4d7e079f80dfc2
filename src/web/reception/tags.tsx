/**
 * Small pieces the queue and the dossier page share: state and channel tags, the deadline and waiting
 * bands (colour and words), a clock that ticks each minute, and the province's working days.
 */
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, isoOf } from '../format';
import { Tag } from '../ui';
import { type DossierState, useWorkingDays } from './api';
import { bandTone, deadlineOf, type WorkingDayFn, type WorkingSpan, waitingOf, workingDayFn } from './deadline';

const stateTone: Record<DossierState, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  draft: 'neutral',
  submitted: 'info',
  supplement_requested: 'warning',
  received: 'success',
  refused: 'danger',
  withdrawn: 'neutral',
  stopped: 'danger',
  completed: 'success',
};

export const stateLabel = (t: TFunction, s: string) => t(`reception.states.${s}`, { defaultValue: s });
export const channelLabel = (t: TFunction, c: number | string) => t(`reception.channels.${c}`, { defaultValue: String(c) });

export function StateTag({ state }: { state: DossierState }) {
  const { t } = useTranslation();
  return <Tag tone={stateTone[state] ?? 'neutral'}>{stateLabel(t, state)}</Tag>;
}

export function ChannelTag({ channel }: { channel: number }) {
  const { t } = useTranslation();
  return <Tag tone={channel === 2 ? 'info' : 'neutral'}>{channelLabel(t, channel)}</Tag>;
}

/** Re-renders every minute so bands move on their own in a queue left open all day. */
export function useNow(everyMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}

export function useIsWorkingDay(): WorkingDayFn {
  const days = useWorkingDays();
  return useMemo(() => workingDayFn(days.data?.items), [days.data]);
}

/** "2 ngày 3 giờ", "3 giờ 15 phút", "20 phút" (working time). */
export function spanText(t: TFunction, s: WorkingSpan): string {
  if (s.days > 0)
    return s.hours > 0 ? t('reception.span.daysHours', { days: s.days, hours: s.hours }) : t('reception.span.days', { count: s.days });
  if (s.hours > 0)
    return s.minutes > 0
      ? t('reception.span.hoursMinutes', { hours: s.hours, minutes: s.minutes })
      : t('reception.span.hours', { count: s.hours });
  return s.minutes > 0 ? t('reception.span.minutes', { count: s.minutes }) : t('reception.span.underMinute');
}

/** Due date with its band: "Quá hạn 1 ngày 2 giờ", "Còn 3 giờ (dưới 1 ngày làm việc)", "Còn 2 ngày". */
export function DeadlineTag({ dueAt, now, isWorking }: { dueAt: string; now: Date; isWorking: WorkingDayFn }) {
  const { t } = useTranslation();
  const d = deadlineOf(dueAt, now, isWorking);
  if (!d) return null;
  const span = spanText(t, d.span);
  return <Tag tone={bandTone[d.band]}>{t(`reception.band.${d.band}`, { span })}</Tag>;
}

export function WaitTag({ since, now, isWorking }: { since: string; now: Date; isWorking: WorkingDayFn }) {
  const { t } = useTranslation();
  const w = waitingOf(since, now, isWorking);
  if (!w) return null;
  return <Tag tone={bandTone[w.band]}>{t(`reception.wait.${w.band}`, { span: spanText(t, w.span) })}</Tag>;
}

/** The due date, then its band on the next line. */
export function DueCell({ dueAt, now, isWorking }: { dueAt: string; now: Date; isWorking: WorkingDayFn }) {
  return (
    <span className="due-cell">
      <time dateTime={isoOf(dueAt)}>{formatDateTime(dueAt)}</time>
      <DeadlineTag dueAt={dueAt} now={now} isWorking={isWorking} />
    </span>
  );
}

/** A due date whose clock is paused while the applicant completes the dossier. */
export function PausedDue({ dueAt }: { dueAt: string }) {
  const { t } = useTranslation();
  return (
    <span className="due-cell">
      <time dateTime={isoOf(dueAt)}>{formatDateTime(dueAt)}</time>
      <Tag tone="neutral">{t('reception.band.paused')}</Tag>
    </span>
  );
}
