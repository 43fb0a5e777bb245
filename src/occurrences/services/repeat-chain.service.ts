import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { addDuration, Duration, DurationError, parseDuration } from '../../schedule/duration';
import { DeadlineShift, shiftToWorkingDay } from '../../schedule/holidays';
import { isLocalDate, LocalDate, localDateAt } from '../../schedule/local-date';
import { opensOn, ScheduledDeadline } from '../../schedule/recurrence';
import { hasRecords } from '../../records/standing.sql';
import { causedBy, stateChangeCause } from '../occurrence-change';
import { OwnersService } from './owners.service';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const logger = new Logger('RepeatChain');

/** A task that repeats a duration after its last completion (task_definition.repeat_after_completion). */
export interface RepeatingTask {
  id: string;
  repeat_after_completion: string;
  repeat_after_date: string | null;
  starts_on: LocalDate;
  deadline_shift: DeadlineShift;
  scope: string;
}

/** `task|unit|recipient|person` ('' for none): the one open occurrence a chain calls for. */
export type ChainKey = string;
export const chainKey = (taskId: string, unitId: string, recipientId: string | null, personId: string | null = null): ChainKey =>
  `${taskId}|${unitId}|${recipientId ?? ''}|${personId ?? ''}`;

/** Where the chain of someone who takes on a duty per employee after its start date begins: a month on. */
const NEWCOMER_TIME = parseDuration('P1M', 'repeat');

/** Who (or what) a chain is kept for: a recipient of a recipient task, a holder of a duty per employee. */
export interface ChainTarget {
  recipient: { id: string } | null;
  personId: string | null;
}

/**
 * "Recurrence counted from the last time": a task with `repeatAfterCompletion` (P6M) has one open
 * occurrence per unit (or per recipient, or per employee for a duty per person) at a time, a chain. The first is due on `startsOn` (or the
 * duration after a date the recipient holds, `repeatAfterDate`); each sign-off, done or not applicable,
 * makes the next due the duration after the signing day, the local date in the municipality's zone. A
 * correction that revokes the sign-off cancels the next one again while nobody has signed it.
 *
 * Where the chain stands is read from the records, never kept beside them: the next one is the duration
 * after the latest of (the last sign-off's day, the recipient's named date). So materialising, a sign-off
 * and a renewed date all agree on it, and changing the duration moves the open next occurrence.
 */
@Injectable()
export class RepeatChainService {
  constructor(private readonly owners: OwnersService) {}

  /**
   * After a sign-off of `occurrenceId`, in its transaction: the next occurrence of a repeating task, the
   * duration after the signing day. Nothing for a task with an RRULE. Any other open occurrence of the
   * chain later than the signed one gives way to it (it was planned from an older completion).
   */
  async completed(tx: EntityManager, actor: AuthenticatedPerson, occurrenceId: string, signedAt: Date): Promise<void> {
    const [row]: Array<{ task_id: string; unit_id: string; recipient_id: string | null; person_id: string | null; scheduled_on: LocalDate; time_zone: string; repeat_after_completion: string | null; deadline_shift: DeadlineShift; opens_days_before: number; archived: boolean }> =
      await tx.query(
        `SELECT o.task_id, o.unit_id, o.recipient_id, o.person_id, o.scheduled_on, m.time_zone, t.repeat_after_completion, t.deadline_shift, t.opens_days_before,
                (t.archived_at IS NOT NULL) AS archived
           FROM occurrence o JOIN task_definition t ON t.id = o.task_id JOIN municipality m ON m.id = o.municipality_id
          WHERE o.id = $1`,
        [occurrenceId],
      );
    if (!row?.repeat_after_completion || row.archived) return;
    const duration = durationOf(row.task_id, row.repeat_after_completion);
    if (!duration) return;
    const next = scheduled(addDuration(localDateAt(signedAt, row.time_zone), duration), row.deadline_shift);
    await stateChangeCause(tx, causedBy(actor, 'completed'));
    await tx.query(
      `UPDATE occurrence o SET cancelled_at = now(), updated_at = now()
        WHERE o.task_id = $1 AND o.unit_id = $2 AND o.recipient_id IS NOT DISTINCT FROM $3 AND o.person_id IS NOT DISTINCT FROM $6
          AND o.scheduled_on > $4 AND o.scheduled_on <> $5 AND o.cancelled_at IS NULL AND NOT ${hasRecords('o')}`,
      [row.task_id, row.unit_id, row.recipient_id, row.scheduled_on, next.scheduledOn, row.person_id],
    );
    // A next one cancelled by a revoked sign-off comes back when the occurrence is signed again.
    const [made]: Array<{ id: string; inserted: boolean }> = await tx.query(
      `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on, person_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (task_id, unit_id, COALESCE(recipient_id, '${NIL_UUID}'::uuid), COALESCE(person_id, '${NIL_UUID}'::uuid), scheduled_on) DO UPDATE
          SET deadline = EXCLUDED.deadline, opens_on = EXCLUDED.opens_on, cancelled_at = NULL, updated_at = now()
        WHERE occurrence.cancelled_at IS NOT NULL AND NOT ${hasRecords('occurrence')}
       RETURNING id, (xmax = 0) AS inserted`,
      [actor.municipalityId, row.task_id, row.unit_id, row.recipient_id, next.scheduledOn, next.deadline, opensOn(next.deadline, row.opens_days_before), row.person_id],
    );
    if (made?.inserted) {
      await this.owners.resolveCreated(tx, { ids: [made.id], taskIds: [row.task_id], unitIds: [row.unit_id], recipientIds: [row.recipient_id], personIds: [row.person_id] });
    }
    else if (made) await this.owners.refresh(tx, [made.id]);
  }

  /**
   * After a correction revoked the sign-off of `occurrenceId`, in its transaction: the occurrences the
   * sign-off made next are cancelled while nobody has signed them (their records keep anything signed).
   */
  async completionRevoked(tx: EntityManager, actor: AuthenticatedPerson, occurrenceId: string): Promise<void> {
    await stateChangeCause(tx, causedBy(actor, 'completion-revoked'));
    await tx.query(
      `UPDATE occurrence n SET cancelled_at = now(), updated_at = now()
         FROM occurrence o JOIN task_definition t ON t.id = o.task_id
        WHERE o.id = $1 AND t.repeat_after_completion IS NOT NULL
          AND n.task_id = o.task_id AND n.unit_id = o.unit_id AND n.recipient_id IS NOT DISTINCT FROM o.recipient_id
          AND n.person_id IS NOT DISTINCT FROM o.person_id AND n.scheduled_on > o.scheduled_on AND n.cancelled_at IS NULL AND NOT ${hasRecords('n')}
          -- Only when it was the chain's last completion: a later one signed since stands, and so does its next.
          AND NOT EXISTS (SELECT 1 FROM occurrence l WHERE l.task_id = o.task_id AND l.unit_id = o.unit_id
                           AND l.recipient_id IS NOT DISTINCT FROM o.recipient_id AND l.person_id IS NOT DISTINCT FROM o.person_id
                           AND l.scheduled_on > o.scheduled_on AND l.standing_outcome IS NOT NULL)`,
      [occurrenceId],
    );
  }

  /**
   * For materialising: the one open occurrence each chain of these tasks calls for in these units, by
   * chainKey — the duration after the latest of the last sign-off's day and the recipient's named date,
   * or else the first deadline (`startsOn`; none while a recipient lacks the named date). An employee who
   * takes on a duty per person after its start date has a month from the day the chain reached them: their
   * first open one, once written, stays where it is (`today` is the municipality's today).
   */
  async plannedNext(
    tx: EntityManager,
    timeZone: string,
    today: LocalDate,
    tasks: RepeatingTask[],
    unitIds: string[],
  ): Promise<(taskId: string, unitId: string, target: ChainTarget) => ScheduledDeadline[]> {
    if (tasks.length === 0) return () => [];
    const last: Array<{ task_id: string; unit_id: string; recipient_id: string | null; person_id: string | null; signed_at: Date }> = await tx.query(
      `SELECT DISTINCT ON (o.task_id, o.unit_id, o.recipient_id, o.person_id) o.task_id, o.unit_id, o.recipient_id, o.person_id,
              (SELECT max(s.signed_at) FROM sign_off s WHERE s.occurrence_id = o.id AND s.kind = 'sign_off') AS signed_at
         FROM occurrence o
        WHERE o.task_id = ANY($1::uuid[]) AND o.unit_id = ANY($2::uuid[]) AND o.standing_outcome IS NOT NULL
        ORDER BY o.task_id, o.unit_id, o.recipient_id, o.person_id, o.scheduled_on DESC`,
      [tasks.map((t) => t.id), unitIds],
    );
    const completedOn = new Map(last.map((r) => [chainKey(r.task_id, r.unit_id, r.recipient_id, r.person_id), localDateAt(new Date(r.signed_at), timeZone)]));
    // The first open one of each employee's chain, where it was written (only looked up for duties per person).
    const personFirst: Array<{ task_id: string; unit_id: string; person_id: string; scheduled_on: LocalDate }> = tasks.some((t) => t.scope === 'person')
      ? await tx.query(
          `SELECT DISTINCT ON (o.task_id, o.unit_id, o.person_id) o.task_id, o.unit_id, o.person_id, o.scheduled_on
             FROM occurrence o
            WHERE o.task_id = ANY($1::uuid[]) AND o.unit_id = ANY($2::uuid[]) AND o.person_id IS NOT NULL AND o.cancelled_at IS NULL
            ORDER BY o.task_id, o.unit_id, o.person_id, o.scheduled_on`,
          [tasks.filter((t) => t.scope === 'person').map((t) => t.id), unitIds],
        )
      : [];
    const writtenFirst = new Map(personFirst.map((r) => [chainKey(r.task_id, r.unit_id, null, r.person_id), r.scheduled_on]));
    const named = tasks.some((t) => t.repeat_after_date) ? await this.namedDates(tx, unitIds) : new Map<string, Record<string, unknown>>();
    const byId = new Map(tasks.map((t) => [t.id, t]));
    return (taskId, unitId, { recipient, personId }) => {
      const task = byId.get(taskId);
      if (!task) return [];
      const duration = durationOf(task.id, task.repeat_after_completion);
      if (!duration) return [];
      const key = chainKey(taskId, unitId, recipient?.id ?? null, personId);
      const completed = completedOn.get(key);
      let from: LocalDate | undefined = completed;
      if (task.repeat_after_date) {
        const date = recipient ? named.get(recipient.id)?.[task.repeat_after_date] : undefined;
        if (isLocalDate(date) && (!from || date > from)) from = date;
        if (!from) return []; // waits for the recipient's date
      }
      if (from) return [scheduled(addDuration(from, duration), task.deadline_shift)];
      if (personId && task.starts_on < today) {
        // Someone who took the duty on after the chain began: their own first, where it was written, or a month on.
        return [scheduled(writtenFirst.get(key) ?? addDuration(today, NEWCOMER_TIME), task.deadline_shift)];
      }
      return [scheduled(task.starts_on, task.deadline_shift)];
    };
  }

  private async namedDates(tx: EntityManager, unitIds: string[]): Promise<Map<string, Record<string, unknown>>> {
    const rows: Array<{ id: string; named_dates: Record<string, unknown> }> = await tx.query(
      `SELECT id, named_dates FROM recipient WHERE unit_id = ANY($1::uuid[]) AND named_dates <> '{}'`,
      [unitIds],
    );
    return new Map(rows.map((r) => [r.id, r.named_dates]));
  }
}

const scheduled = (date: LocalDate, shift: DeadlineShift): ScheduledDeadline => ({ scheduledOn: date, deadline: shiftToWorkingDay(date, shift) });

/** A duration stored before today's checks and refused by them yields nothing rather than stopping the rest. */
function durationOf(taskId: string, text: string): Duration | null {
  try {
    return parseDuration(text, 'repeat');
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    logger.warn({ taskId, reason: error.message }, "A task's duration is refused: it yields no occurrences until it is corrected");
    return null;
  }
}
