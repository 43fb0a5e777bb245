import { FieldProblem, ValidationProblem } from '../common/problem';
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
    return parseDuration(text, 'repeat');
  } catch (error) {
    if (error instanceof DurationError) throw new ValidationProblem([{ field: 'repeatAfterCompletion', message: error.message }]);
    throw error;
  }
}

export interface ScheduleFields {
  rrule: string | null;
  repeatAfterCompletion: string | null;
  repeatAfterDate: string | null;
  relativeTo: string | null;
  relativeOffset: string | null;
  startsOn: LocalDate;
  scope: string;
}

/**
 * A task recurs in exactly one way (the database's task_definition_one_recurrence agrees):
 * - an RRULE;
 * - a duration after its last completion, repeatAfterCompletion (which may count its first deadline from a
 *   named date of the recipient, repeatAfterDate);
 * - for a recipient's task, a deadline counted from the stay (relativeTo and an offset such as P4W).
 * Never two, never none. Checks whichever it has, and a 422 names the field that is wrong.
 */
export function assertUsableSchedule(task: ScheduleFields): void {
  if (task.relativeTo !== null) {
    const twice: FieldProblem[] = [];
    if (task.rrule !== null) twice.push({ field: 'rrule', message: "must be null for a task counted from a recipient's stay (relativeTo)" });
    if (task.repeatAfterCompletion !== null) twice.push({ field: 'repeatAfterCompletion', message: "must be null for a task counted from a recipient's stay (relativeTo): a task recurs in one way" });
    if (twice.length) throw new ValidationProblem(twice);
  } else if (task.rrule !== null && task.repeatAfterCompletion !== null) {
    throw new ValidationProblem([{ field: 'repeatAfterCompletion', message: 'give either an RRULE or a duration after the last completion, not both (send null for the one to drop)' }]);
  }
  if (task.repeatAfterDate !== null && task.repeatAfterCompletion === null) {
    throw new ValidationProblem([{ field: 'repeatAfterDate', message: 'needs repeatAfterCompletion (the duration after the date)' }]);
  }
  if (task.relativeTo === null && task.relativeOffset !== null) {
    throw new ValidationProblem([{ field: 'relativeTo', message: 'must say what the offset counts from (activeFrom or activeTo)' }]);
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
  if (task.relativeTo !== null) {
    const problems: FieldProblem[] = [];
    if (task.scope !== 'recipient') problems.push({ field: 'scope', message: "must be recipient for a task counted from a recipient's stay (relativeTo)" });
    if (task.relativeOffset === null) problems.push({ field: 'offset', message: 'is required with relativeTo: an ISO 8601 duration such as P4W or -P1W' });
    else {
      try {
        parseDuration(task.relativeOffset, 'offset');
      } catch (error) {
        if (!(error instanceof DurationError)) throw error;
        problems.push({ field: 'offset', message: error.message });
      }
    }
    if (problems.length) throw new ValidationProblem(problems);
    return;
  }
  if (task.rrule === null) {
    throw new ValidationProblem([
      { field: 'rrule', message: "is required: give an RRULE such as FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1, repeatAfterCompletion such as P6M, or for a recipient's task relativeTo with an offset such as P4W" },
    ]);
  }
  assertUsableRule(task.rrule, task.startsOn);
}
