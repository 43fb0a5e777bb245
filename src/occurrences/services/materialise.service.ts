import { Injectable, Logger, Optional } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';
import { DataSource, EntityManager } from 'typeorm';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { LocalDate } from '../../schedule/local-date';
import { deadlinesInYear, opensOn, RecurrenceError, ScheduledDeadline } from '../../schedule/recurrence';
import { DeadlineShift } from '../../schedule/holidays';
import { OwnersService } from './owners.service';
import { ChainTarget, RepeatChainService, RepeatingTask } from './repeat-chain.service';
import { hasRecords } from '../../records/standing.sql';
import { OccurrenceChangeCause, stateChangeCause } from '../occurrence-change';
import { UNIT_TREE_MAX_DEPTH } from '../../organisation/unit-scope.sql';
import { belongsToStay, RecipientStay, stayDeadlines, StayTask } from './stay';
import type { TaskScope } from '../../wheels/entities/task-definition.entity';

export interface MaterialiseResult {
  unitId: string;
  year: number;
  /** Occurrences created by this call. 0 when the year was already materialised. */
  created: number;
  /** Future, unsigned occurrences whose deadline or opening day changed with their template. */
  updated: number;
  /** Future, unsigned occurrences removed because their task, recipient or wheel assignment is gone. */
  cancelled: number;
  /** Occurrences the year has for these units now. */
  total: number;
  message: string;
}

interface TaskRow extends StayTask {
  id: string;
  /** Null for a task repeating after its last completion, or counted from a recipient's stay (relative_to). */
  rrule: string | null;
  repeat_after_completion: string | null;
  repeat_after_date: string | null;
  starts_on: LocalDate;
  deadline_shift: DeadlineShift;
  opens_days_before: number;
  scope: TaskScope;
  responsible_role: string;
}

/** What a materialising is about: one wheel's tasks, or (after a role change) the unit's own person tasks only. */
export interface MaterialiseOnly {
  wheelId?: string;
  /** Only tasks of scope `person`, in the unit itself (not the units below): their holders are the unit's own. */
  personTasksOfUnit?: boolean;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Turns the wheels assigned to a unit into that year's dated occurrences, for the unit and every unit
 * below it. It is a synchronisation, not an append: running it again creates nothing; after a template
 * change it moves or cancels future occurrences that nobody has signed, and never touches the rest.
 * Only deadlines from today on are created or changed: the past stays as it was recorded, so a unit that
 * starts mid-year, or a rule changed in March, leaves no made-up backlog. Next year is materialised on
 * 1 December (NextYearJob), before any of its deadlines.
 */
@Injectable()
export class MaterialiseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly owners: OwnersService,
    private readonly municipalities: MunicipalitiesService,
    private readonly chains: RepeatChainService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** `cause` says who and why, for the trace of every occurrence this moves, cancels or reinstates. */
  async materialise(municipalityId: string, unitId: string, year: number, cause: OccurrenceChangeCause, only?: MaterialiseOnly): Promise<MaterialiseResult> {
    const work = () => this.materialiseNow(municipalityId, unitId, year, cause, only);
    return this.metrics ? this.metrics.timed(this.metrics.materialiseDuration, work) : work();
  }

  private async materialiseNow(municipalityId: string, unitId: string, year: number, cause: OccurrenceChangeCause, only?: MaterialiseOnly): Promise<MaterialiseResult> {
    const today = await this.municipalities.today(municipalityId);
    return this.dataSource.transaction(async (tx) => {
      await stateChangeCause(tx, cause);
      // Each unit with each wheel that reaches it, and the window of deadlines the assignment covers: from
      // 1 January of its first year (or the day a replacement began) to the day the wheel was replaced.
      const units: Array<{ unit_id: string; wheel_id: string; starts_on: LocalDate | null; ends_before: LocalDate | null }> = await tx.query(
        `WITH RECURSIVE sub AS (
           SELECT id FROM unit WHERE id = $1 AND municipality_id = $2 AND archived_at IS NULL
           UNION
           SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id WHERE u.archived_at IS NULL AND NOT $5
         ),
         line AS (   -- each unit of the subtree with itself and every unit above it
           SELECT sub.id AS unit_id, sub.id AS ancestor_id, 0 AS depth FROM sub
           UNION ALL
           SELECT line.unit_id, u.parent_id, line.depth + 1 FROM line JOIN unit u ON u.id = line.ancestor_id
            WHERE u.parent_id IS NOT NULL AND line.depth < ${UNIT_TREE_MAX_DEPTH}
         )
         SELECT DISTINCT sub.id AS unit_id, wa.wheel_id, wa.starts_on, wa.ends_before
           FROM sub
           LEFT JOIN line ON line.unit_id = sub.id
           LEFT JOIN wheel_assignment wa ON wa.unit_id = line.ancestor_id
                 AND (line.depth = 0 OR wa.include_subunits) AND wa.from_year <= $3
                 AND ($4::uuid IS NULL OR wa.wheel_id = $4)
           -- A draft is never in use: it yields no occurrences even if an assignment slipped past the service.
           LEFT JOIN wheel w ON w.id = wa.wheel_id AND w.archived_at IS NULL AND w.status = 'active'
          WHERE wa.wheel_id IS NULL OR w.id IS NOT NULL`,
        [unitId, municipalityId, year, only?.wheelId ?? null, only?.personTasksOfUnit ?? false],
      );
      const unitIds = [...new Set(units.map((u) => u.unit_id))];
      const wheelsByUnit = new Map<string, string[]>();
      const windows = new Map<string, DateWindow[]>();
      for (const { unit_id, wheel_id, starts_on, ends_before } of units) {
        if (!wheel_id) continue;
        const key = `${unit_id}|${wheel_id}`;
        if (!windows.has(key)) wheelsByUnit.set(unit_id, [...(wheelsByUnit.get(unit_id) ?? []), wheel_id]);
        windows.set(key, [...(windows.get(key) ?? []), { from: starts_on, before: ends_before }]);
      }
      const wheelIds = [...new Set(units.flatMap((u) => (u.wheel_id ? [u.wheel_id] : [])))];

      const tasks: Array<TaskRow & { wheel_id: string }> = wheelIds.length
        ? await tx.query(
            `SELECT id, wheel_id, rrule, repeat_after_completion, repeat_after_date, starts_on, deadline_shift, opens_days_before, scope, relative_to, relative_offset, responsible_role
               FROM task_definition WHERE wheel_id = ANY($1::uuid[]) AND archived_at IS NULL AND (NOT $2 OR scope = 'person')`,
            [wheelIds, only?.personTasksOfUnit ?? false],
          )
        : [];
      const recipients = await this.recipientStays(tx, unitIds, year);
      const optOuts = await this.optOuts(tx, unitIds, tasks.map((t) => t.id));
      const holders = await this.holders(tx, unitIds, tasks);
      // A task repeating after its last completion plans the one open occurrence its chain calls for,
      // whatever its year, so that the chain's next one is never cancelled as unplanned (RepeatChainService).
      const chainNext = await this.chains.plannedNext(
        tx,
        await this.municipalities.timeZone(municipalityId),
        today,
        tasks.filter((t): t is TaskRow & { wheel_id: string } & RepeatingTask => t.repeat_after_completion !== null),
        unitIds,
      );
      const rows = plannedRows(unitIds, wheelsByUnit, tasks, recipients, year, windows, optOuts, holders, chainNext);

      // Whether the year has any occurrences in these units yet. A first materialising (next year's, made
      // by NextYearJob) then has nothing to cancel or recount. The deadline bounds let the (unit, deadline)
      // index find them: a deadline is its scheduled day moved by a few days at most.
      const [{ existing }] = await tx.query(
        `SELECT count(*)::int AS existing FROM occurrence
          WHERE unit_id = ANY($1::uuid[]) AND deadline BETWEEN $2::date - 31 AND $3::date + 31 AND scheduled_on BETWEEN $2 AND $3`,
        [unitIds, `${year}-01-01`, `${year}-12-31`],
      );

      const upserted: Array<{ id: string; inserted: boolean; task_id: string; unit_id: string; recipient_id: string | null; person_id: string | null }> = await tx.query(
        `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on, person_id)
         SELECT $1, planned.* FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::date[], $6::date[], $7::date[], $9::uuid[])
                AS planned(task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on, person_id)
          WHERE planned.deadline >= $8   -- the past is never written: nobody is overdue for what came before
         ON CONFLICT (task_id, unit_id, COALESCE(recipient_id, '${NIL_UUID}'::uuid), COALESCE(person_id, '${NIL_UUID}'::uuid), scheduled_on) DO UPDATE
            SET deadline = EXCLUDED.deadline, opens_on = EXCLUDED.opens_on, cancelled_at = NULL, updated_at = now()
          -- Only the future is rewritten; the past and anything signed stay as they were.
          WHERE occurrence.deadline >= $8 AND EXCLUDED.deadline >= $8 AND NOT ${hasRecords('occurrence')}
            AND (occurrence.deadline, occurrence.opens_on, occurrence.cancelled_at)
                IS DISTINCT FROM (EXCLUDED.deadline, EXCLUDED.opens_on, NULL)
         RETURNING id, (xmax = 0) AS inserted, task_id, unit_id, recipient_id, person_id`,
        [municipalityId, rows.taskIds, rows.unitIds, rows.recipientIds, rows.scheduledOn, rows.deadlines, rows.opensOn, today, rows.personIds],
      );

      // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
      const [cancelled]: [Array<{ id: string }>, number] = existing === 0 ? [[], 0] : await tx.query(
        `UPDATE occurrence o SET cancelled_at = now(), updated_at = now()
          WHERE o.municipality_id = $1 AND o.unit_id = ANY($2::uuid[]) AND o.cancelled_at IS NULL
            -- A chain's open occurrence (a task repeating after completion) may lie in any year.
            AND (o.scheduled_on BETWEEN $3 AND $4 OR ${chainOccurrence('o')})
            AND o.deadline >= $5 AND NOT ${hasRecords('o')}
            AND ($6::uuid IS NULL OR o.task_id IN (SELECT id FROM task_definition WHERE wheel_id = $6))
            AND (NOT $12 OR o.person_id IS NOT NULL)
            AND NOT EXISTS (
              SELECT 1 FROM unnest($7::uuid[], $8::uuid[], $9::uuid[], $10::date[], $11::uuid[]) AS planned(task_id, unit_id, recipient_id, scheduled_on, person_id)
               WHERE planned.task_id = o.task_id AND planned.unit_id = o.unit_id
                 AND planned.recipient_id IS NOT DISTINCT FROM o.recipient_id AND planned.scheduled_on = o.scheduled_on
                 AND planned.person_id IS NOT DISTINCT FROM o.person_id)
          RETURNING o.id`,
        [
          municipalityId, unitIds, `${year}-01-01`, `${year}-12-31`, today, only?.wheelId ?? null,
          rows.taskIds, rows.unitIds, rows.recipientIds, rows.scheduledOn, rows.personIds, only?.personTasksOfUnit ?? false,
        ],
      );

      const fresh = upserted.filter((r) => r.inserted);
      await this.owners.resolveCreated(tx, {
        ids: fresh.map((r) => r.id),
        taskIds: fresh.map((r) => r.task_id),
        unitIds: fresh.map((r) => r.unit_id),
        recipientIds: fresh.map((r) => r.recipient_id),
        personIds: fresh.map((r) => r.person_id),
      });
      await this.owners.refresh(tx, upserted.filter((r) => !r.inserted).map((r) => r.id));
      const created = fresh.length;
      const [{ total }] =
        existing === 0
          ? [{ total: created }]
          : await tx.query(
              `SELECT count(*)::int AS total FROM occurrence
                WHERE unit_id = ANY($1::uuid[]) AND deadline BETWEEN $2::date - 31 AND $3::date + 31 AND scheduled_on BETWEEN $2 AND $3
                  AND cancelled_at IS NULL`,
              [unitIds, `${year}-01-01`, `${year}-12-31`],
            );
      const updated = upserted.length - created;
      return {
        unitId,
        year,
        created,
        updated,
        cancelled: cancelled.length,
        total,
        message:
          created + updated + cancelled.length === 0
            ? `Nothing new: ${year} was already materialised for this unit.`
            : `${created} occurrences created, ${updated} updated, ${cancelled.length} cancelled for ${year}.`,
      };
    });
  }

  /**
   * The recipients who stay in any of the units at some time near the year, with all their stays (a
   * move's later occurrences belong to the new unit). Those who left more than a year before it are left
   * out: no offset reaches that far (src/schedule/duration.ts).
   */
  private async recipientStays(tx: EntityManager, unitIds: string[], year: number): Promise<RecipientStay[]> {
    const rows: Array<{ id: string; active_from: LocalDate; active_to: LocalDate | null; unit_id: string; from_date: LocalDate; before_date: LocalDate | null }> =
      await tx.query(
        `SELECT r.id, r.active_from, r.active_to, s.unit_id, s.from_date, s.before_date
           FROM recipient r JOIN recipient_stay s ON s.recipient_id = r.id
          WHERE r.id IN (SELECT recipient_id FROM recipient_stay
                          WHERE unit_id = ANY($1::uuid[]) AND (before_date IS NULL OR before_date >= $2::date))
            AND (r.active_to IS NULL OR r.active_to >= $2::date)
          ORDER BY r.id, s.from_date`,
        [unitIds, `${year - 1}-01-01`],
      );
    const byId = new Map<string, RecipientStay>();
    for (const r of rows) {
      const recipient = byId.get(r.id) ?? { id: r.id, activeFrom: r.active_from, activeTo: r.active_to, stays: [] };
      recipient.stays.push({ unitId: r.unit_id, from: r.from_date, before: r.before_date });
      byId.set(r.id, recipient);
    }
    return [...byId.values()];
  }

  /**
   * Who each unit's person tasks fall on, by `unit|role`: the people holding the role in the unit itself,
   * not archived. Unlike owners of a shared task (who may be found in a unit above), a duty per employee
   * falls only on the unit's own holders: the manager above does not do each department's training once
   * per department, and a unit with nobody in the role has no such occurrences.
   */
  private async holders(tx: EntityManager, unitIds: string[], tasks: TaskRow[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    const roles = [...new Set(tasks.filter((t) => t.scope === 'person').map((t) => t.responsible_role))];
    if (roles.length === 0 || unitIds.length === 0) return result;
    const rows: Array<{ unit_id: string; role: string; person_id: string }> = await tx.query(
      `SELECT ra.unit_id, ra.role, ra.person_id FROM role_assignment ra JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
        WHERE ra.unit_id = ANY($1::uuid[]) AND ra.role = ANY($2::text[]) ORDER BY ra.person_id`,
      [unitIds, roles],
    );
    for (const r of rows) result.set(`${r.unit_id}|${r.role}`, [...(result.get(`${r.unit_id}|${r.role}`) ?? []), r.person_id]);
    return result;
  }

  /**
   * After someone took or left a role in these units (or was archived or restored): their duties per
   * person follow, in every year already materialised from this one on. A newcomer gets the deadlines from
   * today on; a leaver's open ones from today on are cancelled (with the cause's trace). Deadlines already
   * passed stay as they were: an overdue duty of a leaver stays on the record as not done.
   */
  async resyncPersonTasks(municipalityId: string, unitIds: string[], cause: OccurrenceChangeCause): Promise<void> {
    // Most role changes touch no duty per person: then there is nothing to walk.
    const [{ any }] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM task_definition WHERE municipality_id = $1 AND scope = 'person' AND archived_at IS NULL) AS any`,
      [municipalityId],
    );
    if (!any || unitIds.length === 0) return;
    const thisYear = Number((await this.municipalities.today(municipalityId)).slice(0, 4));
    for (const unitId of new Set(unitIds)) {
      for (const year of await this.materialisedYears(this.dataSource, unitId, thisYear)) {
        await this.materialise(municipalityId, unitId, year, cause, { personTasksOfUnit: true });
      }
    }
  }

  /**
   * The tasks each unit has switched off, by `unit|task`: the unit's own opt-outs and those of every unit
   * above it (a department's opt-out holds for the groups below it too), each from its first day until the
   * day it ended.
   */
  private async optOuts(tx: EntityManager, unitIds: string[], taskIds: string[]): Promise<Map<string, DateWindow[]>> {
    const result = new Map<string, DateWindow[]>();
    if (unitIds.length === 0 || taskIds.length === 0) return result;
    // Most municipalities switch nothing off: then the walk up the tree is not worth it.
    const [{ any }] = await tx.query(`SELECT EXISTS (SELECT 1 FROM task_opt_out WHERE task_id = ANY($1::uuid[])) AS any`, [taskIds]);
    if (!any) return result;
    const rows: Array<{ unit_id: string; task_id: string; from_date: LocalDate; ended_on: LocalDate | null }> = await tx.query(
      `WITH RECURSIVE line AS (
         SELECT id AS unit_id, id AS ancestor_id, 0 AS depth FROM unit WHERE id = ANY($1::uuid[])
         UNION ALL
         SELECT line.unit_id, u.parent_id, line.depth + 1 FROM line JOIN unit u ON u.id = line.ancestor_id
          WHERE u.parent_id IS NOT NULL AND line.depth < ${UNIT_TREE_MAX_DEPTH}
       )
       SELECT line.unit_id, o.task_id, o.from_date, o.ended_on
         FROM line JOIN task_opt_out o ON o.unit_id = line.ancestor_id
        WHERE o.task_id = ANY($2::uuid[]) AND (o.ended_on IS NULL OR o.ended_on > o.from_date)`,
      [unitIds, taskIds],
    );
    for (const r of rows) {
      const key = `${r.unit_id}|${r.task_id}`;
      result.set(key, [...(result.get(key) ?? []), { from: r.from_date, before: r.ended_on }]);
    }
    return result;
  }

  /**
   * After a wheel's tasks or assignments changed: bring every year from this one on that already has
   * occurrences of the wheel up to date, in every unit it is assigned to. A unit that has just been given
   * the wheel (`extraUnitIds`) gets it in every year already materialised around it, so that a new
   * assignment needs no separate materialise call.
   */
  async resyncWheel(municipalityId: string, wheelId: string, cause: OccurrenceChangeCause, extraUnitIds: string[] = []): Promise<void> {
    const today = await this.municipalities.today(municipalityId);
    const thisYear = Number(today.slice(0, 4));
    const rows: Array<{ unit_id: string; year: number }> = await this.dataSource.query(
      // A chain (a task repeating after completion) is brought up to date by this year's run, whatever year its next one is in.
      `SELECT DISTINCT o.unit_id, extract(year FROM CASE WHEN t.repeat_after_completion IS NULL THEN o.scheduled_on ELSE $2::date END)::int AS year
         FROM occurrence o JOIN task_definition t ON t.id = o.task_id
        WHERE t.wheel_id = $1 AND o.scheduled_on >= $2`,
      [wheelId, `${thisYear}-01-01`],
    );
    const assigned: Array<{ unit_id: string }> = await this.dataSource.query(
      `SELECT unit_id FROM wheel_assignment WHERE wheel_id = $1`,
      [wheelId],
    );
    const years = [...new Set([...rows.map((r) => r.year), ...(await this.materialisedYearsAround(extraUnitIds, thisYear))])].sort();
    const units = [...new Set([...assigned.map((a) => a.unit_id), ...extraUnitIds, ...rows.map((r) => r.unit_id)])];
    for (const year of years) for (const unit of units) await this.materialise(municipalityId, unit, year, cause, { wheelId });
  }

  /**
   * The years (from `fromYear` on) already materialised around the units: in them, any unit below them or
   * any unit above them (a new department under a unit that has next year has it too).
   */
  private async materialisedYearsAround(unitIds: string[], fromYear: number): Promise<number[]> {
    if (unitIds.length === 0) return [];
    // UNION rather than UNION ALL: a unit reached twice ends the walk, so it ends even on a broken tree.
    const rows: Array<{ year: number }> = await this.dataSource.query(
      `WITH RECURSIVE below AS (
         SELECT id FROM unit WHERE id = ANY($1::uuid[])
         UNION SELECT u.id FROM unit u JOIN below ON u.parent_id = below.id
       ), above AS (
         SELECT id, parent_id FROM unit WHERE id = ANY($1::uuid[])
         UNION SELECT u.id, u.parent_id FROM unit u JOIN above ON u.id = above.parent_id
       )
       SELECT DISTINCT extract(year FROM scheduled_on)::int AS year FROM occurrence
        WHERE unit_id IN (SELECT id FROM below UNION SELECT id FROM above) AND scheduled_on >= $2 AND NOT ${chainOccurrence('occurrence')}`,
      [unitIds, `${fromYear}-01-01`],
    );
    return rows.map((r) => r.year);
  }

  /** The years (from this one on) in which a unit already has occurrences. */
  async materialisedYears(tx: EntityManager | DataSource, unitId: string, fromYear: number): Promise<number[]> {
    const rows: Array<{ year: number }> = await tx.query(
      `SELECT DISTINCT extract(year FROM scheduled_on)::int AS year FROM occurrence
        WHERE unit_id = $1 AND scheduled_on >= $2 AND NOT ${chainOccurrence('occurrence')} ORDER BY 1`,
      [unitId, `${fromYear}-01-01`],
    );
    return rows.map((r) => r.year);
  }
}

const logger = new Logger('Materialise');

/**
 * True for occurrence `alias` of a task repeating after its last completion. Such a chain's next one may
 * fall in a year nobody has materialised yet; it does not make that year count as materialised.
 */
const chainOccurrence = (alias: string) =>
  `EXISTS (SELECT 1 FROM task_definition ct WHERE ct.id = ${alias}.task_id AND ct.repeat_after_completion IS NOT NULL)`;

/**
 * A task's deadlines in the year. A rule stored before today's checks existed and refused by them now
 * (e.g. one starting before 2000) yields nothing rather than stopping the whole unit's materialising.
 */
function taskDeadlines(task: TaskRow, year: number): ScheduledDeadline[] {
  // Repeating after completion (the chain's plannedNext) or counted from each recipient's stay (stayDeadlines) instead.
  if (task.rrule === null) return [];
  try {
    return deadlinesInYear({ rrule: task.rrule, startsOn: task.starts_on, shift: task.deadline_shift }, year);
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error;
    logger.warn({ taskId: task.id, reason: error.message }, 'A task\'s rule is refused: it yields no occurrences until it is corrected');
    return [];
  }
}

/** Days from `from` (null: any) up to, not including, `before` (null: open). */
interface DateWindow {
  from: LocalDate | null;
  before: LocalDate | null;
}

const inWindow = (date: LocalDate, w: DateWindow) => (w.from === null || date >= w.from) && (w.before === null || date < w.before);

/**
 * The deadlines one task calls for in a unit (for one recipient, or none), by the one way the task recurs:
 * - a task repeating after its last completion: the one open occurrence its chain (task, unit, recipient,
 *   or person for a duty per employee) calls for, whatever its year (RepeatChainService.plannedNext);
 * - a task counted from a recipient's stay: the anchor moved by the offset (stay.ts);
 * - an RRULE task: the rule's dates in the year.
 */
function deadlinesFor(
  task: TaskRow,
  unitId: string,
  recipient: RecipientStay | null,
  ruleDates: ScheduledDeadline[],
  year: number,
  chainNext: (taskId: string, unitId: string, target: ChainTarget) => ScheduledDeadline[],
): ScheduledDeadline[] {
  if (task.repeat_after_completion !== null) return chainNext(task.id, unitId, { recipient, personId: null });
  if (task.relative_to !== null) return recipient ? stayDeadlines(task, recipient, year) : [];
  return ruleDates;
}

/** The occurrences the templates call for, as column arrays for one INSERT … SELECT FROM unnest(). */
function plannedRows(
  unitIds: string[],
  wheelsByUnit: Map<string, string[]>,
  tasks: Array<TaskRow & { wheel_id: string }>,
  recipients: RecipientStay[],
  year: number,
  windows: Map<string, DateWindow[]>,
  optOuts: Map<string, DateWindow[]>,
  holders: Map<string, string[]>,
  chainNext: (taskId: string, unitId: string, target: ChainTarget) => ScheduledDeadline[],
) {
  const rows = {
    taskIds: [] as string[], unitIds: [] as string[], recipientIds: [] as Array<string | null>, scheduledOn: [] as string[], deadlines: [] as string[], opensOn: [] as string[],
    personIds: [] as Array<string | null>,
  };
  const datesOf = new Map<string, ScheduledDeadline[]>();
  // The recipients each unit has had or will have; which of their deadlines are its own, belongsToStay says.
  const recipientsOf = new Map<string, RecipientStay[]>();
  for (const r of recipients) {
    for (const unitId of new Set(r.stays.map((s) => s.unitId))) recipientsOf.set(unitId, [...(recipientsOf.get(unitId) ?? []), r]);
  }

  for (const unitId of unitIds) {
    const wheels = new Set(wheelsByUnit.get(unitId) ?? []);
    for (const task of tasks) {
      if (!wheels.has(task.wheel_id)) continue;
      let dates = datesOf.get(task.id);
      if (!dates) {
        dates = taskDeadlines(task, year);
        datesOf.set(task.id, dates);
      }
      const targets: Array<RecipientStay | null> = task.scope === 'recipient' ? (recipientsOf.get(unitId) ?? []) : [null];
      const followed = windows.get(`${unitId}|${task.wheel_id}`) ?? [];
      const switchedOff = optOuts.get(`${unitId}|${task.id}`) ?? [];
      if (task.scope === 'person') {
        // A duty per employee: one occurrence for each holder of the role in the unit, owned by that person only.
        for (const personId of holders.get(`${unitId}|${task.responsible_role}`) ?? []) {
          // Repeating after completion, each employee's chain runs from their own last sign-off.
          const own = task.repeat_after_completion !== null ? chainNext(task.id, unitId, { recipient: null, personId }) : dates;
          for (const { scheduledOn, deadline } of own) {
            if (!followed.some((w) => inWindow(deadline, w))) continue;
            if (switchedOff.some((w) => inWindow(deadline, w))) continue;
            rows.taskIds.push(task.id);
            rows.unitIds.push(unitId);
            rows.recipientIds.push(null);
            rows.personIds.push(personId);
            rows.scheduledOn.push(scheduledOn);
            rows.deadlines.push(deadline);
            rows.opensOn.push(opensOn(deadline, task.opens_days_before));
          }
        }
        continue;
      }
      for (const recipient of targets) {
        for (const { scheduledOn, deadline } of deadlinesFor(task, unitId, recipient, dates, year, chainNext)) {
          // Nothing falls due before they came or after they left, nor in a unit they had left or not yet come to.
          if (recipient && !belongsToStay(recipient, unitId, deadline, task)) continue;
          // Outside the assignment's window (the wheel was replaced, or its replacement began later), or
          // switched off for this unit: not this unit's to do.
          if (!followed.some((w) => inWindow(deadline, w))) continue;
          if (switchedOff.some((w) => inWindow(deadline, w))) continue;
          rows.taskIds.push(task.id);
          rows.unitIds.push(unitId);
          rows.recipientIds.push(recipient?.id ?? null);
          rows.personIds.push(null);
          rows.scheduledOn.push(scheduledOn);
          rows.deadlines.push(deadline);
          rows.opensOn.push(opensOn(deadline, task.opens_days_before));
        }
      }
    }
  }
  return rows;
}
