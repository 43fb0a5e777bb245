import { ValidationProblem } from '../common/problem';
import { DeadlineShift } from './holidays';
import { isLocalDate, LocalDate } from './local-date';
import { Duration, DurationError, parseDuration } from './duration';
import { datesInYear, deadlinesInYear, FIRST_YEAR, firstDate, HORIZON_YEARS, LAST_YEAR, parseRecurrence, RecurrenceError, ScheduledDeadline } from './recurrence';

/** A rule that does not parse becomes a 422 naming the `rrule` field and saying why. */
function parseOr422(rrule: string, startsOn: LocalDate) {
  if (!isLocalDate(startsOn)) throw new ValidationProblem([{ field: 'startsOn', message: 'is not a date in the calendar' }]);
  try {
    return parseRecurrence(rrule, startsOn);
  } catch (error) {
    if (error instanceof RecurrenceError) throw new ValidationProblem([{ field: error.field, message: error.message }]);
    throw error;
  }
}

/** The deadlines of a rule in a year, or a 422 if the rule is broken or yields nothing that year. */
export function previewYear(rrule: string, startsOn: LocalDate, shift: DeadlineShift, year: number): ScheduledDeadline[] {
  const rule = parseOr422(rrule, startsOn);
  if (datesInYear(rule, year).length === 0) {
    throw new ValidationProblem([{ field: 'rrule', message: `yields no dates in ${year}` }]);
  }
  return deadlinesInYear({ rrule, startsOn, shift }, year);
}

/** A task's rule must parse and yield a date within HORIZON_YEARS of its start. */
export function assertUsableRule(rrule: string, startsOn: LocalDate): void {
  const rule = parseOr422(rrule, startsOn);
  if (!firstDate(rule)) {
    throw new ValidationProblem([{ field: 'rrule', message: `yields no dates within ${HORIZON_YEARS} years from ${startsOn}` }]);
  }
}

/** A duration that does not parse (or is empty, negative, too long) becomes a 422 naming `repeatAfterCompletion`. */
export function assertUsableDuration(text: string): Duration {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new ValidationProblem([{ field: 'repeatAfterCompletion', message: error.message }]);
    throw error;
  }
}

/**
 * A task recurs in exactly one way: an RRULE, or a duration after its last completion (which may count
 * its first deadline from a named date of the recipient). Checks whichever it has.
 */
export function assertUsableRecurrence(task: { rrule: string | null; repeatAfterCompletion: string | null; repeatAfterDate: string | null; startsOn: LocalDate; scope: string }): void {
  if (task.rrule !== null && task.repeatAfterCompletion !== null) {
    throw new ValidationProblem([{ field: 'repeatAfterCompletion', message: 'give either an RRULE or a duration after the last completion, not both (send null for the one to drop)' }]);
  }
  if (task.repeatAfterCompletion !== null) {
    assertUsableDuration(task.repeatAfterCompletion);
    if (!isLocalDate(task.startsOn)) throw new ValidationProblem([{ field: 'startsOn', message: 'is not a date in the calendar' }]);
    // The same years as a rule's start, so that a chain's dates stay ordinary four-digit years.
    const year = Number(task.startsOn.slice(0, 4));
    if (year < FIRST_YEAR || year > LAST_YEAR) throw new ValidationProblem([{ field: 'startsOn', message: `must be in a year from ${FIRST_YEAR} to ${LAST_YEAR}` }]);
    if (task.repeatAfterDate !== null && task.scope !== 'recipient') {
      throw new ValidationProblem([{ field: 'repeatAfterDate', message: 'is a date the recipient holds: only a recipient task may count from it' }]);
    }
    return;
  }
  if (task.repeatAfterDate !== null) throw new ValidationProblem([{ field: 'repeatAfterDate', message: 'needs repeatAfterCompletion (the duration after the date)' }]);
  if (task.rrule === null) throw new ValidationProblem([{ field: 'rrule', message: 'is required: give an RRULE such as FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1, or repeatAfterCompletion such as P6M' }]);
  assertUsableRule(task.rrule, task.startsOn);
}
