import { Frequency, Options, RRule } from 'rrule';
import { addDays, fromUtcMidnight, isLocalDate, LocalDate, toUtcMidnight } from './local-date';
import { DeadlineShift, shiftToWorkingDay } from './holidays';

/** Why a recurrence rule was refused, in words for the administrator who wrote it. */
export class RecurrenceError extends Error {}

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

const TIME_PARTS = ['byhour', 'byminute', 'bysecond'] as const;

/**
 * Parses a rule for deadlines. Deadlines are dates, so the rule is evaluated in floating time: DTSTART
 * is a UTC midnight and no TZID is given to rrule. rrule's time-zone support depends on the host's own
 * zone and has DST bugs (jakubroztocil/rrule #359, #390, #611, #658); with UTC midnights and no TZID every
 * date it yields is exactly the calendar date meant, on any server. The municipality's zone is applied
 * afterwards, when a date is compared with "today" there.
 */
export function parseRecurrence(text: string, startsOn: LocalDate): RRule {
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

  let options: Partial<Options>;
  try {
    options = RRule.parseString(ruleLine.toUpperCase());
  } catch (error) {
    throw new RecurrenceError(`the rule does not parse: ${(error as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new RecurrenceError('the rule needs FREQ (YEARLY, MONTHLY, WEEKLY or DAILY)');
  if (options.freq > Frequency.DAILY) throw new RecurrenceError('deadlines are dates: the rule must repeat daily or less often');
  for (const part of TIME_PARTS) {
    if (options[part] !== undefined && options[part] !== null) throw new RecurrenceError('deadlines are dates: BYHOUR, BYMINUTE and BYSECOND are not allowed');
  }
  checkRange(options.bymonth, 1, 12, 'BYMONTH', 'a month from 1 to 12');
  checkRange(options.bymonthday, -31, 31, 'BYMONTHDAY', 'a day from 1 to 31, or -1 for the last');
  checkRange(options.byweekno, -53, 53, 'BYWEEKNO', 'an ISO week from 1 to 53');
  checkRange(options.byyearday, -366, 366, 'BYYEARDAY', 'a day of the year from 1 to 366');
  checkRange(options.bysetpos, -366, 366, 'BYSETPOS', 'a position such as 1 or -1');
  if (options.tzid) throw new RecurrenceError('leave out TZID: deadlines are dates in the municipality\'s time zone');
  if (options.until && options.until < toUtcMidnight(start)) throw new RecurrenceError('the rule ends (UNTIL) before it starts');

  try {
    // Week numbers (BYWEEKNO) are ISO weeks starting on Monday unless the rule says otherwise.
    return new RRule({ wkst: RRule.MO, ...options, dtstart: toUtcMidnight(start), tzid: null });
  } catch (error) {
    throw new RecurrenceError(`the rule is not valid: ${(error as Error).message}`);
  }
}

function checkRange(value: number | number[] | null | undefined, min: number, max: number, name: string, expected: string): void {
  const values = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (values.some((v) => !Number.isInteger(v) || v === 0 || v < min || v > max)) throw new RecurrenceError(`${name} must be ${expected}`);
}

/** The dates a rule yields within one calendar year, ascending. */
export function datesInYear(rule: RRule, year: number): LocalDate[] {
  return rule.between(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31)), true).map(fromUtcMidnight);
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
