import { addDays, fromUtcMidnight, LocalDate, toUtcMidnight } from './local-date';

/**
 * A calendar duration in ISO 8601 (`P4W`, `P1M`, `-P1W`, `P1Y2M10D`), as a task relative to a recipient's
 * stay counts it. Only whole years, months, weeks and days (no times: deadlines are dates), weeks alone as
 * ISO 8601 has them, and at most about a year either way: a longer offset is a recurring duty, not one tied
 * to moving in or out. Parsed here rather than by a library: the grammar is one line and the bound is ours.
 */
export interface CalendarDuration {
  sign: 1 | -1;
  months: number;
  days: number;
}

export class DurationError extends Error {}

const YMD = /^(-)?P(?!$)(?:(\d{1,2})Y)?(?:(\d{1,2})M)?(?:(\d{1,3})D)?$/;
const WEEKS = /^(-)?P(\d{1,2})W$/;
const MAX_MONTHS = 12;
const MAX_DAYS = 366;

export function parseDuration(text: string): CalendarDuration {
  const weeks = WEEKS.exec(text);
  const ymd = weeks ? null : YMD.exec(text);
  if (!weeks && !ymd) throw new DurationError('must be an ISO 8601 duration such as P4W, P1M, P14D or -P1W');
  const sign = (weeks ?? ymd)![1] ? -1 : 1;
  const months = ymd ? Number(ymd[2] ?? 0) * 12 + Number(ymd[3] ?? 0) : 0;
  const days = weeks ? Number(weeks[2]) * 7 : Number(ymd![4] ?? 0);
  if (months > MAX_MONTHS || days > MAX_DAYS || (months > 0 && days > 31)) throw new DurationError('must be at most one year (P1Y, P12M, P52W or P366D)');
  return { sign, months, days };
}

/**
 * `date` moved by the duration: months first, clamped to the month's last day (31 January + P1M is
 * 28 or 29 February, as in java.time and Temporal), then days.
 */
export function addDuration(date: LocalDate, duration: CalendarDuration): LocalDate {
  const d = toUtcMidnight(date);
  if (duration.months) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + duration.sign * duration.months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  }
  return addDays(fromUtcMidnight(d), duration.sign * duration.days);
}
