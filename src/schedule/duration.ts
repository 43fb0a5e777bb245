import { addDays, isLocalDate, LocalDate } from './local-date';

/**
 * "Recurrence counted from the last time" (repeatAfterCompletion): an ISO 8601 duration of whole years,
 * months, weeks and days, such as P6M, P1Y or P2W. Deadlines are dates, so a time part (PT12H) means
 * nothing here and is refused, as are signs, fractions and the empty P. Bounded: at most MAX_DURATION_YEARS
 * in all, and each number at most four digits, so nothing a client writes costs more than a few additions.
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

export const MAX_DURATION_YEARS = 10;

export class DurationError extends Error {}

const DURATION = /^P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,4})D)?$/;

export function parseDuration(text: string): Duration {
  if (typeof text !== 'string' || text.length > 40) throw new DurationError('must be a duration such as P6M (6 months), P1Y or P2W');
  const m = DURATION.exec(text);
  if (!m || text === 'P') {
    throw new DurationError(
      text.startsWith('-') ? 'must count forward: a duration such as P6M, never negative' : 'must be a duration such as P6M (6 months), P1Y or P2W: years, months, weeks and days',
    );
  }
  const [years, months, weeks, days] = m.slice(1).map((n) => Number(n ?? 0));
  if (years + months + weeks + days === 0) throw new DurationError('must be longer than nothing, such as P1M');
  // Months and days are not commensurable; a generous bound on each is enough to keep evaluation bounded.
  if (years * 12 + months > MAX_DURATION_YEARS * 12 || weeks * 7 + days > MAX_DURATION_YEARS * 366 || years * 366 + months * 30.5 + weeks * 7 + days > MAX_DURATION_YEARS * 366) {
    throw new DurationError(`must be at most ${MAX_DURATION_YEARS} years (P${MAX_DURATION_YEARS}Y)`);
  }
  return { years, months, weeks, days };
}

/**
 * The date `duration` after `date`: years and months first, keeping the day of the month where it exists
 * (31 August + P6M is 28 or 29 February, as a person counting months would say), then weeks and days.
 */
export function addDuration(date: LocalDate, duration: Duration): LocalDate {
  if (!isLocalDate(date)) throw new DurationError(`not a date: ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  const totalMonths = (m - 1) + duration.months + duration.years * 12;
  const year = y + Math.floor(totalMonths / 12);
  const month = (totalMonths % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const moved = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
  return addDays(moved, duration.weeks * 7 + duration.days);
}

/** A duration in Norwegian words, for the pages: "6 måneder", "1 år og 2 uker". */
export function describeDuration(d: Duration): string {
  const parts = [
    d.years ? `${d.years} år` : '',
    d.months ? `${d.months} ${d.months === 1 ? 'måned' : 'måneder'}` : '',
    d.weeks ? `${d.weeks} ${d.weeks === 1 ? 'uke' : 'uker'}` : '',
    d.days ? `${d.days} ${d.days === 1 ? 'dag' : 'dager'}` : '',
  ].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} og ${parts[parts.length - 1]}` : parts[0];
}
