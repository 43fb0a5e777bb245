import { Frequency, Options, RRule, Weekday } from 'rrule';
import { addDays, fromUtcMidnight, isLocalDate, LocalDate, toUtcMidnight } from './local-date';
import { DeadlineShift, shiftToWorkingDay } from './holidays';

/** Why a recurrence rule was refused, in words for the administrator who wrote it, and which field is wrong. */
export class RecurrenceError extends Error {
  constructor(message: string, readonly field: 'rrule' | 'startsOn' = 'rrule') {
    super(message);
  }
}

export interface Schedule {
  /** RFC 5545 RRULE (with or without the `RRULE:` prefix), optionally preceded by a `DTSTART` line. */
  rrule: string;
  /** The rule's first possible date (its DTSTART), which anchors INTERVAL: "every 4 years from 2027". */
  startsOn: LocalDate;
  shift: DeadlineShift;
}

export interface ScheduledDeadline {
  /** The date the rule yields. */
  scheduledOn: LocalDate;
  /** That date moved to a working day if the schedule says so. */
  deadline: LocalDate;
}

/** A rule that has been checked, ready to be evaluated one year at a time in bounded work. */
export interface Recurrence {
  /** rrule's options with its implicit defaults written out, so that a copy with another DTSTART means the same. */
  options: Partial<Options> & { freq: Frequency; interval: number; dtstart: Date };
}

/** Deadlines are planned for these years only: a rule, its start and its end must lie within them. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2200;
/** A rule must yield a date within this many years of its start (and may not repeat less often). */
export const HORIZON_YEARS = 10;
const MAX_INTERVAL: Record<number, { max: number; unit: string }> = {
  [Frequency.YEARLY]: { max: HORIZON_YEARS, unit: 'years' },
  [Frequency.MONTHLY]: { max: HORIZON_YEARS * 12, unit: 'months' },
  [Frequency.WEEKLY]: { max: HORIZON_YEARS * 52, unit: 'weeks' },
  [Frequency.DAILY]: { max: HORIZON_YEARS * 365, unit: 'days' },
};
const MAX_COUNT = 1000;
const TIME_PARTS = ['byhour', 'byminute', 'bysecond'] as const;

/**
 * Parses a rule for deadlines. Deadlines are dates, so the rule is evaluated in floating time: DTSTART
 * is a UTC midnight and no TZID is given to rrule. rrule's time-zone support depends on the host's own
 * zone and has DST bugs (jakubroztocil/rrule #359, #390, #611, #658); with UTC midnights and no TZID every
 * date it yields is exactly the calendar date meant, on any server. The municipality's zone is applied
 * afterwards, when a date is compared with "today" there.
 *
 * Everything that bounds the work of evaluating it is checked here: INTERVAL from 1 up (rrule loops for
 * ever on 0 or less), years within FIRST_YEAR–LAST_YEAR, COUNT at most MAX_COUNT.
 */
export function parseRecurrence(text: string, startsOn: LocalDate): Recurrence {
  let start = startsOn;
  let ruleLine: string | undefined;
  for (const raw of text.trim().split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const upper = line.toUpperCase();
    if (upper.startsWith('DTSTART')) {
      // DTSTART:20270101, DTSTART;VALUE=DATE:20270101, DTSTART;TZID=Europe/Oslo:20270101T090000 — only the date counts.
      const m = /:(\d{4})(\d{2})(\d{2})/.exec(line);
      if (!m || !isLocalDate(`${m[1]}-${m[2]}-${m[3]}`)) throw new RecurrenceError('DTSTART must hold a date such as 20270101');
      start = `${m[1]}-${m[2]}-${m[3]}`;
    } else if (upper.startsWith('RRULE:') || upper.startsWith('FREQ=') || /^[A-Z]+=/.test(upper)) {
      if (ruleLine) throw new RecurrenceError('give one RRULE only');
      ruleLine = line.replace(/^RRULE:/i, '');
    } else {
      throw new RecurrenceError(`only DTSTART and RRULE lines are understood, not "${line.slice(0, 40)}"`);
    }
  }
  if (!ruleLine) throw new RecurrenceError('the rule is empty: it needs at least FREQ, e.g. FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1');
  const startYear = Number(start.slice(0, 4));
  if (!isLocalDate(start) || startYear < FIRST_YEAR || startYear > LAST_YEAR) {
    // The start comes from the rule's own DTSTART line or else from the startsOn field.
    throw new RecurrenceError(`the rule must start in a year from ${FIRST_YEAR} to ${LAST_YEAR}`, start === startsOn ? 'startsOn' : 'rrule');
  }

  let options: Partial<Options>;
  try {
    options = RRule.parseString(ruleLine.toUpperCase());
  } catch (error) {
    throw new RecurrenceError(`the rule does not parse: ${(error as Error).message}`);
  }
  const freq = options.freq;
  if (freq === undefined || freq === null) throw new RecurrenceError('the rule needs FREQ (YEARLY, MONTHLY, WEEKLY or DAILY)');
  if (freq > Frequency.DAILY) throw new RecurrenceError('deadlines are dates: the rule must repeat daily or less often');
  for (const part of TIME_PARTS) {
    if (options[part] !== undefined && options[part] !== null) throw new RecurrenceError('deadlines are dates: BYHOUR, BYMINUTE and BYSECOND are not allowed');
  }
  const interval = options.interval ?? 1;
  const { max, unit } = MAX_INTERVAL[options.byeaster !== undefined && options.byeaster !== null ? Frequency.YEARLY : freq];
  if (!Number.isInteger(interval) || interval < 1 || interval > max) {
    throw new RecurrenceError(`INTERVAL must be a whole number from 1 to ${max} (every 1 to ${max} ${unit})`);
  }
  if (options.count !== undefined && options.count !== null && (!Number.isInteger(options.count) || options.count < 1 || options.count > MAX_COUNT)) {
    throw new RecurrenceError(`COUNT must be a whole number from 1 to ${MAX_COUNT}`);
  }
  checkRange(options.bymonth, 1, 12, 'BYMONTH', 'a month from 1 to 12');
  checkRange(options.bymonthday, -31, 31, 'BYMONTHDAY', 'a day from 1 to 31, or -1 for the last');
  checkRange(options.byweekno, -53, 53, 'BYWEEKNO', 'an ISO week from 1 to 53');
  checkRange(options.byyearday, -366, 366, 'BYYEARDAY', 'a day of the year from 1 to 366');
  checkRange(options.bysetpos, -366, 366, 'BYSETPOS', 'a position such as 1 or -1');
  checkRange(options.byeaster, -366, 366, 'BYEASTER', 'a number of days from Easter Sunday, from -366 to 366', true);
  const nths = weekdays(options.byweekday).map((w) => w.n).filter((n) => n !== undefined && n !== null);
  checkRange(nths as number[], -53, 53, 'BYDAY', 'a weekday such as MO, or one numbered from 1 to 53 (-1 for the last) such as 1MO');
  if (options.tzid) throw new RecurrenceError('leave out TZID: deadlines are dates in the municipality\'s time zone');
  if (options.until) {
    if (options.until < toUtcMidnight(start)) throw new RecurrenceError('the rule ends (UNTIL) before it starts');
    if (options.until.getUTCFullYear() > LAST_YEAR) options.until = new Date(Date.UTC(LAST_YEAR, 11, 31));
  }

  const dtstart = toUtcMidnight(start);
  // Week numbers (BYWEEKNO) are ISO weeks starting on Monday unless the rule says otherwise.
  const full = { wkst: RRule.MO, ...options, freq, interval, dtstart, tzid: null };
  try {
    new RRule(full); // rrule's own checks, e.g. of weekday names
  } catch (error) {
    throw new RecurrenceError(`the rule is not valid: ${(error as Error).message}`);
  }
  return { options: withDefaultsWritten(full) };
}

function checkRange(value: number | number[] | null | undefined, min: number, max: number, name: string, expected: string, zeroAllowed = false): void {
  const values = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (values.some((v) => !Number.isInteger(v) || (v === 0 && !zeroAllowed) || v < min || v > max)) throw new RecurrenceError(`${name} must be ${expected}`);
}

function weekdays(value: Options['byweekday'] | undefined): Weekday[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((w) => (typeof w === 'number' ? new Weekday(w) : typeof w === 'string' ? Weekday.fromStr(w) : w));
}

const present = (value: unknown) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);

/**
 * rrule fills in what a rule leaves out from its DTSTART (FREQ=YEARLY alone means "every year on the
 * start's day"). The evaluator below runs copies of the rule with other DTSTARTs, so those defaults are
 * written out first, exactly as rrule's parseOptions would make them.
 */
function withDefaultsWritten(options: Recurrence['options']): Recurrence['options'] {
  if (['byweekno', 'byyearday', 'bymonthday', 'byweekday', 'byeaster'].some((key) => present(options[key as keyof Options]))) return options;
  const d = options.dtstart;
  switch (options.freq) {
    case Frequency.YEARLY:
      return { ...options, bymonth: present(options.bymonth) ? options.bymonth : d.getUTCMonth() + 1, bymonthday: d.getUTCDate() };
    case Frequency.MONTHLY:
      return { ...options, bymonthday: d.getUTCDate() };
    case Frequency.WEEKLY:
      return { ...options, byweekday: [new Weekday((d.getUTCDay() + 6) % 7)] };
    default:
      return options;
  }
}

/*
 * Bounded evaluation. rrule walks a rule period by period (a year, month, week or day at a time) and
 * stops only when it has found a date past the end asked for, or reached the year 9999: a rule that
 * yields nothing, such as FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, walks millions of periods and holds the
 * event loop for many seconds (and INTERVAL=-1 walks backwards for ever). So rrule is never asked for a
 * range here. Instead each period is evaluated on its own by a copy of the rule whose DTSTART is that
 * period's start and whose INTERVAL leaps past the year 9999, so rrule stops after one period:
 *  - YEARLY and MONTHLY rules: one copy per period of the year asked for (at most 13);
 *  - WEEKLY and DAILY rules: the days that pass the rule's BY-filters are the same whatever the period,
 *    so one YEARLY copy per calendar year finds them, and the periods (INTERVAL, the first partial week,
 *    BYSETPOS) are applied here.
 * A year therefore costs a bounded number of small rrule runs; with COUNT the years from the start are
 * counted too (at most LAST_YEAR − FIRST_YEAR of them).
 */
const LEAP = { [Frequency.YEARLY]: 10_000, [Frequency.MONTHLY]: 120_000 } as const;
const DAY_MS = 86_400_000;

/** The dates a rule yields within one calendar year, ascending. */
export function datesInYear(rule: Recurrence, year: number): LocalDate[] {
  const { options } = rule;
  if (year < options.dtstart.getUTCFullYear() || year > LAST_YEAR) return [];
  if (!options.count) return yearDates(rule, year);
  // COUNT counts from the start: the years before must be counted to know what is left.
  let left = options.count;
  for (let y = options.dtstart.getUTCFullYear(); y <= year && left > 0; y++) {
    const dates = yearDates(rule, y).slice(0, left);
    if (y === year) return dates;
    left -= dates.length;
  }
  return [];
}

/** The first date the rule yields within HORIZON_YEARS of its start, if any. */
export function firstDate(rule: Recurrence): LocalDate | undefined {
  const from = fromUtcMidnight(rule.options.dtstart);
  const first = Number(from.slice(0, 4));
  for (let year = first; year <= Math.min(first + HORIZON_YEARS, LAST_YEAR); year++) {
    const date = datesInYear(rule, year).find((d) => d >= from);
    if (date) return date;
  }
  return undefined;
}

/** The year's dates, ignoring COUNT. */
function yearDates(rule: Recurrence, year: number): LocalDate[] {
  const { options } = rule;
  const until = options.until ? fromUtcMidnight(options.until) : undefined;
  const dates = options.freq === Frequency.YEARLY || options.freq === Frequency.MONTHLY || present(options.byeaster) ? periodsOfYear(options, year) : daysOfYear(options, year);
  // Each date once, as in RFC 5545's recurrence set: a rule that names one position twice (BYSETPOS=-1,-1) made
  // rrule, and the days' own selection, yield its date twice, and a unit's materialising then failed as a whole.
  const distinct = [...new Set(dates)];
  return until ? distinct.filter((d) => d <= until) : distinct;
}

/** YEARLY and MONTHLY rules: each period of the year that INTERVAL reaches, by a one-period copy of the rule. */
function periodsOfYear(options: Recurrence['options'], year: number): LocalDate[] {
  const start = options.dtstart;
  const monthly = options.freq === Frequency.MONTHLY && !present(options.byeaster);
  const perYear = monthly ? 12 : 1;
  const firstIndex = start.getUTCFullYear() * perYear + (monthly ? start.getUTCMonth() : 0);
  const dates: LocalDate[] = [];
  for (let i = 0; i < perYear; i++) {
    const index = year * perYear + i;
    const steps = index - firstIndex;
    if (steps < 0 || steps % options.interval !== 0) continue;
    const periodStart = steps === 0 ? start : new Date(Date.UTC(year, monthly ? i : 0, 1));
    const copy = new RRule({ ...options, dtstart: periodStart, interval: LEAP[monthly ? Frequency.MONTHLY : Frequency.YEARLY], count: null, until: null });
    dates.push(...copy.all().map(fromUtcMidnight));
  }
  return dates;
}

/** WEEKLY and DAILY rules: the days passing the filters, grouped into the periods INTERVAL reaches. */
function daysOfYear(options: Recurrence['options'], year: number): LocalDate[] {
  const weekly = options.freq === Frequency.WEEKLY;
  const start = options.dtstart.getTime();
  const wkst = typeof options.wkst === 'number' ? options.wkst : (options.wkst ?? RRule.MO).weekday;
  const weekStart = (t: number) => t - ((new Date(t).getUTCDay() + 6 - wkst + 7) % 7) * DAY_MS;
  const periodOf = (t: number) => (weekly ? Math.round((weekStart(t) - weekStart(start)) / (7 * DAY_MS)) : Math.round((t - start) / DAY_MS));

  // A week may begin in the year before or end in the year after, and BYSETPOS counts within the whole week.
  const candidates = weekly ? [...filteredDays(options, year - 1), ...filteredDays(options, year), ...filteredDays(options, year + 1)] : filteredDays(options, year);
  const periods = new Map<number, number[]>();
  for (const t of candidates) {
    const period = periodOf(t);
    if (t < start || period % options.interval !== 0) continue; // the first period begins at DTSTART itself
    periods.set(period, [...(periods.get(period) ?? []), t]);
  }
  const dates: LocalDate[] = [];
  for (const days of periods.values()) {
    for (const t of selectPositions(days, options.bysetpos)) {
      const date = fromUtcMidnight(new Date(t));
      if (date.startsWith(`${year}-`)) dates.push(date);
    }
  }
  return dates.sort();
}

/** The days of a calendar year that pass the rule's BY-filters (BYMONTH, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYDAY). */
function filteredDays(options: Recurrence['options'], year: number): number[] {
  if (year < FIRST_YEAR - 1 || year > LAST_YEAR + 1) return [];
  // For a daily or weekly rule BYDAY names plain weekdays (rrule drops "1MO"-style numbers there).
  const byweekday = weekdays(options.byweekday).map((w) => w.weekday);
  const filters = {
    bymonth: options.bymonth,
    bymonthday: options.bymonthday,
    byyearday: options.byyearday,
    byweekno: options.byweekno,
    byweekday: byweekday.length ? byweekday : null,
  };
  // Without a day filter a yearly rule would mean "the start's day"; every day of the year is meant here.
  const anyDayFilter = present(filters.bymonthday) || present(filters.byyearday) || present(filters.byweekno) || present(filters.byweekday);
  const copy = new RRule({
    freq: Frequency.YEARLY,
    wkst: options.wkst,
    dtstart: new Date(Date.UTC(year, 0, 1)),
    interval: LEAP[Frequency.YEARLY],
    ...filters,
    ...(anyDayFilter ? {} : { bymonthday: Array.from({ length: 31 }, (_, i) => i + 1) }),
  });
  return copy.all().map((d) => d.getTime());
}

/** BYSETPOS within one period (RFC 5545: 1 is the first, -1 the last; a position beyond the period's days picks nothing). */
function selectPositions(days: number[], bysetpos: Options['bysetpos'] | undefined): number[] {
  if (!present(bysetpos)) return days;
  const sorted = [...days].sort((a, b) => a - b);
  const picked = new Set<number>();
  for (const pos of Array.isArray(bysetpos) ? bysetpos : [bysetpos!]) {
    const index = pos > 0 ? pos - 1 : sorted.length + pos;
    if (index >= 0 && index < sorted.length) picked.add(sorted[index]);
  }
  return [...picked];
}

/** The deadlines of a schedule whose rule yields a date in `year` (deadlines may move across New Year). */
export function deadlinesInYear(schedule: Schedule, year: number): ScheduledDeadline[] {
  const rule = parseRecurrence(schedule.rrule, schedule.startsOn);
  return datesInYear(rule, year).map((scheduledOn) => ({ scheduledOn, deadline: shiftToWorkingDay(scheduledOn, schedule.shift) }));
}

/** The day a task opens: `opensDaysBefore` days before its deadline. */
export function opensOn(deadline: LocalDate, opensDaysBefore: number): LocalDate {
  return addDays(deadline, -opensDaysBefore);
}
