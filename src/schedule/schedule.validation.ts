import { FieldProblem, ValidationProblem } from '../common/problem';
import { DurationError, parseDuration } from './duration';
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

/**
 * A task has either an RRULE or, for a recipient's task, a deadline counted from the stay (relativeTo and
 * an offset such as P4W): never both, never neither (the database's task_definition_has_schedule agrees).
 */
export function assertUsableSchedule(task: { rrule: string | null; startsOn: LocalDate; relativeTo: string | null; relativeOffset: string | null; scope: string }): void {
  if (task.relativeTo === null) {
    if (task.relativeOffset !== null) throw new ValidationProblem([{ field: 'relativeTo', message: 'must say what the offset counts from (activeFrom or activeTo)' }]);
    if (task.rrule === null) throw new ValidationProblem([{ field: 'rrule', message: "is required unless the task counts from a recipient's stay (relativeTo)" }]);
    assertUsableRule(task.rrule, task.startsOn);
    return;
  }
  const problems: FieldProblem[] = [];
  if (task.rrule !== null) problems.push({ field: 'rrule', message: "must be null for a task counted from a recipient's stay (relativeTo)" });
  if (task.scope !== 'recipient') problems.push({ field: 'scope', message: "must be recipient for a task counted from a recipient's stay (relativeTo)" });
  if (task.relativeOffset === null) problems.push({ field: 'offset', message: 'is required with relativeTo: an ISO 8601 duration such as P4W or -P1W' });
  else {
    try {
      parseDuration(task.relativeOffset);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      problems.push({ field: 'offset', message: error.message });
    }
  }
  if (problems.length) throw new ValidationProblem(problems);
}
