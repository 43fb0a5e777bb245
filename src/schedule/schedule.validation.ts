import { ValidationProblem } from '../common/problem';
import { DeadlineShift } from './holidays';
import { isLocalDate, LocalDate } from './local-date';
import { datesInYear, deadlinesInYear, firstDate, HORIZON_YEARS, parseRecurrence, RecurrenceError, ScheduledDeadline } from './recurrence';

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
