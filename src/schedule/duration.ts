import { addDays, isLocalDate, LocalDate } from './local-date';

/**
 * A calendar duration in ISO 8601 of whole years, months, weeks and days (`P6M`, `P1Y2M3W4D`, `-P1W`).
 * Deadlines are dates, so a time part (PT12H) means nothing here and is refused, as are fractions, a plus
 * sign and the empty P. Each number is at most four digits, so nothing a client writes costs more than a few
 * additions. Parsed here rather than by a library: the grammar is one line and the bounds are ours.
 *
 * One grammar, two uses, each with its own bounds:
 * - `'offset'`: a task counted from a recipient's stay (relativeOffset): signed (`-P1W` is a week before),
 *   weeks alone as ISO 8601 has them, zero allowed, and at most about a year either way: a longer offset is
 *   a recurring duty, not one tied to moving in or out.
 * - `'repeat'`: recurrence counted from the last time (repeatAfterCompletion): forward only, longer than
 *   nothing, at most MAX_DURATION_YEARS in all.
 */
export interface Duration {
  sign: 1 | -1;
  years: number;
  months: number;
  weeks: number;
  days: number;
}

export type DurationUse = 'offset' | 'repeat';

export const MAX_DURATION_YEARS = 10;
const MAX_OFFSET_MONTHS = 12;
const MAX_OFFSET_DAYS = 366;

export class DurationError extends Error {}

const DURATION = /^(-)?P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,4})D)?$/;

export function parseDuration(text: string, use: DurationUse): Duration {
  const example = use === 'offset' ? 'such as P4W, P1M, P14D or -P1W' : 'such as P6M (6 months), P1Y or P2W';
  if (typeof text !== 'string' || text.length > 40) throw new DurationError(`must be a duration ${example}`);
  const m = DURATION.exec(text);
  if (!m || /^-?P$/.test(text)) throw new DurationError(`must be a duration ${example}: years, months, weeks and days`);
  const sign: 1 | -1 = m[1] ? -1 : 1;
  const [years, months, weeks, days] = m.slice(2).map((n) => Number(n ?? 0));
  if (use === 'offset') {
    if (weeks && (years || months || days)) throw new DurationError(`must be a duration ${example}: weeks stand alone (P4W), otherwise years, months and days`);
    const allMonths = years * 12 + months;
    const allDays = weeks * 7 + days;
    if (allMonths > MAX_OFFSET_MONTHS || allDays > MAX_OFFSET_DAYS || (allMonths > 0 && allDays > 31)) {
      throw new DurationError('must be at most one year (P1Y, P12M, P52W or P366D)');
    }
    return { sign, years, months, weeks, days };
  }
  if (sign < 0) throw new DurationError('must count forward: a duration such as P6M, never negative');
  if (years + months + weeks + days === 0) throw new DurationError('must be longer than nothing, such as P1M');
  // Months and days are not commensurable; a generous bound on each is enough to keep evaluation bounded.
  if (years * 12 + months > MAX_DURATION_YEARS * 12 || weeks * 7 + days > MAX_DURATION_YEARS * 366 || years * 366 + months * 30.5 + weeks * 7 + days > MAX_DURATION_YEARS * 366) {
    throw new DurationError(`must be at most ${MAX_DURATION_YEARS} years (P${MAX_DURATION_YEARS}Y)`);
  }
  return { sign, years, months, weeks, days };
}

/**
 * `date` moved by the duration (backwards when negative): years and months first, keeping the day of the
 * month where it exists (31 August + P6M is 28 or 29 February, as a person counting months would say, and as
 * in java.time and Temporal), then weeks and days.
 */
export function addDuration(date: LocalDate, duration: Duration): LocalDate {
  if (!isLocalDate(date)) throw new DurationError(`not a date: ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  const totalMonths = (m - 1) + duration.sign * (duration.months + duration.years * 12);
  const year = y + Math.floor(totalMonths / 12);
  const month = (((totalMonths % 12) + 12) % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const moved = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
  return addDays(moved, duration.sign * (duration.weeks * 7 + duration.days));
}

/** A duration in Norwegian words, for the pages: "6 måneder", "1 år og 2 uker" (without its sign). */
export function describeDuration(d: Duration): string {
  const parts = [
    d.years ? `${d.years} år` : '',
    d.months ? `${d.months} ${d.months === 1 ? 'måned' : 'måneder'}` : '',
    d.weeks ? `${d.weeks} ${d.weeks === 1 ? 'uke' : 'uker'}` : '',
    d.days ? `${d.days} ${d.days === 1 ? 'dag' : 'dager'}` : '',
  ].filter(Boolean);
  if (!parts.length) return '0 dager';
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} og ${parts[parts.length - 1]}` : parts[0];
}
