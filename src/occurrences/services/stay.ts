import { LocalDate } from '../../schedule/local-date';
import { addDuration, DurationError, parseDuration } from '../../schedule/duration';
import { DeadlineShift, shiftToWorkingDay } from '../../schedule/holidays';
import type { ScheduledDeadline } from '../../schedule/recurrence';

/**
 * A recipient's stay as materialising reads it (issue 14): the days tasks fall due for them (from
 * `activeFrom` to `activeTo`, both included) and the units they lived in. Pure functions, kept apart from
 * materialise.service.ts so the rest of planning reads as before.
 */
export interface RecipientStay {
  id: string;
  activeFrom: LocalDate;
  /** The last day tasks fall due for them; null: they stay. */
  activeTo: LocalDate | null;
  /** Their stays, oldest first: each in one unit from a day until (not including) the next one's first day. */
  stays: Array<{ unitId: string; from: LocalDate; before: LocalDate | null }>;
}

export interface StayTask {
  id: string;
  relative_to: 'activeFrom' | 'activeTo' | null;
  relative_offset: string | null;
  deadline_shift: DeadlineShift;
}

/** The unit the recipient belongs to on `date`; before their first stay, the first one's. */
export function unitOn(recipient: RecipientStay, date: LocalDate): string | undefined {
  const stay = recipient.stays.find((s) => date >= s.from && (s.before === null || date < s.before));
  return stay?.unitId ?? (recipient.stays.length && date < recipient.stays[0].from ? recipient.stays[0].unitId : undefined);
}

/**
 * Whether an occurrence due on `deadline` is the recipient's in `unitId`: inside their stay there, and
 * between the day they came and the day they leave. A task counted from the stay is placed by its own
 * anchor instead (a sluttsamtale a week after leaving is still theirs), only by the unit.
 */
export function belongsToStay(recipient: RecipientStay, unitId: string, deadline: LocalDate, task: StayTask): boolean {
  if (unitOn(recipient, deadline) !== unitId) return false;
  if (task.relative_to) return true;
  return deadline >= recipient.activeFrom && (recipient.activeTo === null || deadline <= recipient.activeTo);
}

/**
 * The one deadline of a task counted from the stay, if it falls in `year`: the anchor moved by the
 * offset, then off a weekend or holiday if the task says so. An activeTo task has none until the
 * recipient has a leaving date. An offset refused by today's checks yields nothing rather than stopping
 * the unit's materialising (the API never stores one).
 */
export function stayDeadlines(task: StayTask, recipient: RecipientStay, year: number): ScheduledDeadline[] {
  const anchor = task.relative_to === 'activeFrom' ? recipient.activeFrom : recipient.activeTo;
  if (!anchor || !task.relative_offset) return [];
  let scheduledOn: LocalDate;
  try {
    scheduledOn = addDuration(anchor, parseDuration(task.relative_offset, 'offset'));
  } catch (error) {
    if (error instanceof DurationError) return [];
    throw error;
  }
  if (Number(scheduledOn.slice(0, 4)) !== year) return [];
  return [{ scheduledOn, deadline: shiftToWorkingDay(scheduledOn, task.deadline_shift) }];
}
