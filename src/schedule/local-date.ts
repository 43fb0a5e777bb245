/**
 * A local calendar date, 'YYYY-MM-DD', in the municipality's time zone. Deadlines are dates, not instants:
 * "frist 1. mars" is 1 March in Oslo whatever the server's zone. Arithmetic is done on UTC midnights,
 * which have no DST, so it never depends on the host's TZ.
 */
export type LocalDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function toUtcMidnight(date: LocalDate): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function fromUtcMidnight(date: Date): LocalDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = toUtcMidnight(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtcMidnight(d);
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  return toUtcMidnight(date).getUTCDay() || 7;
}

// Every request asks for today's date, and formatting it is a visible part of a request's CPU: each zone's last
// answer is kept for its second (no zone's offset has a fraction of a second, so a date never changes inside one).
const lastDates = new Map<string, { second: number; date: LocalDate }>();

/** The calendar date at `instant` in `timeZone` (e.g. Europe/Oslo), DST included. */
export function localDateAt(instant: Date, timeZone: string): LocalDate {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastDates.get(timeZone);
  if (last?.second === second) return last.date;
  const parts = dateFormatIn(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  lastDates.set(timeZone, { second, date });
  return date;
}

// Making an Intl.DateTimeFormat costs far more than using one (it showed in the sign-off benchmark).
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormatIn(timeZone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(timeZone);
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** First and last day of a month given as 'YYYY-MM'. */
export function monthBounds(month: string): { first: LocalDate; last: LocalDate } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0));
  return { first: `${month}-01`, last: fromUtcMidnight(last) };
}
