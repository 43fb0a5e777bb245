import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../../common/problem';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy, OccurrenceChangeReason } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { UNIT_TREE_MAX_DEPTH } from '../../organisation/unit-scope.sql';
import { CreateTaskOptOutDto, EndTaskOptOutDto, TaskOptOutDto, TaskOptOutQuery } from '../dtos/task-opt-out.dto';

const SELECT_OPT_OUTS = `
  SELECT o.id, o.unit_id AS "unitId", u.name AS "unitName", o.task_id AS "taskId", t.title AS "taskTitle",
         t.wheel_id AS "wheelId", w.name AS "wheelName", o.reason, o.from_date::text AS "from", o.ended_on::text AS "endedOn",
         p.display_name AS "createdBy", o.created_at AS "createdAt"
    FROM task_opt_out o
    JOIN unit u ON u.id = o.unit_id
    JOIN task_definition t ON t.id = o.task_id
    JOIN wheel w ON w.id = t.wheel_id
    LEFT JOIN person p ON p.id = o.created_by`;

/**
 * A unit below a wheel's assignment may switch one of its tasks off for itself (and the units below it),
 * with a reason, from a date — and on again from a later one. Materialising skips the task there inside
 * that window: future unsigned occurrences are cancelled (traced), and come back when it ends. Nothing
 * before today, and nothing signed, changes. The units above see who did, and why.
 */
@Injectable()
export class TaskOptOutsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(municipalityId: string, unitId: string, query: TaskOptOutQuery): Promise<TaskOptOutDto[]> {
    const today = await this.municipalities.today(municipalityId);
    const rows: TaskOptOutDto[] = await this.dataSource.query(
      `WITH RECURSIVE sub AS (
         SELECT id, 0 AS depth FROM unit WHERE id = $1 AND municipality_id = $2
         UNION
         SELECT u.id, sub.depth + 1 FROM unit u JOIN sub ON u.parent_id = sub.id WHERE $3 AND sub.depth < ${UNIT_TREE_MAX_DEPTH}
       )
       ${SELECT_OPT_OUTS}
        WHERE o.unit_id IN (SELECT id FROM sub) AND (NOT $4 OR o.ended_on IS NULL OR o.ended_on > $5)
        ORDER BY u.name, o.from_date DESC, t.title`,
      [unitId, municipalityId, query.subtree ?? false, query.current ?? false, today],
    );
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
  }

  async create(actor: AuthenticatedPerson, unitId: string, dto: CreateTaskOptOutDto): Promise<TaskOptOutDto> {
    const municipalityId = actor.municipalityId;
    const [task] = await this.dataSource.query(`SELECT id, wheel_id FROM task_definition WHERE id = $1 AND municipality_id = $2 AND archived_at IS NULL`, [
      dto.taskId,
      municipalityId,
    ]);
    if (!task) throw new NotFoundProblem('Task', dto.taskId);
    if (!(await this.followedBy(unitId, task.wheel_id))) {
      throw new ValidationProblem([{ field: 'taskId', message: "belongs to a wheel this unit does not follow: there is nothing to switch off" }]);
    }
    const today = await this.municipalities.today(municipalityId);
    if (dto.from < today) throw new ValidationProblem([{ field: 'from', message: `must be today (${today}) or later: what came before stays as it was recorded` }]);
    let id: string;
    try {
      id = await this.dataSource.transaction(async (tx) => {
        // One opt-out at a time per task and unit: one still in force (or ending after this one would begin) is in the way.
        const [clash] = await tx.query(
          `SELECT id FROM task_opt_out WHERE task_id = $1 AND unit_id = $2 AND (ended_on IS NULL OR ended_on > $3) FOR UPDATE`,
          [dto.taskId, unitId, dto.from],
        );
        if (clash) throw new ConflictProblem('opt-out-exists', `The task is already switched off for this unit (opt-out ${clash.id}): end that one first.`);
        const [row] = await tx.query(
          `INSERT INTO task_opt_out (municipality_id, unit_id, task_id, reason, from_date, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [municipalityId, unitId, dto.taskId, dto.reason, dto.from, actor.personId],
        );
        await this.auditLog.record(actor, { action: 'opted-out', entity: 'task_opt_out', entityId: row.id, after: { unitId, ...dto } }, tx);
        return row.id as string;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictProblem('opt-out-exists', 'The task is already switched off for this unit: end that opt-out first.');
      }
      throw error;
    }
    await this.resync(actor, unitId, task.wheel_id, 'task-opted-out');
    return this.one(municipalityId, id);
  }

  /** Switches the task on again for the unit from a date (default today). */
  async end(actor: AuthenticatedPerson, unitId: string, optOutId: string, dto: EndTaskOptOutDto): Promise<TaskOptOutDto> {
    const municipalityId = actor.municipalityId;
    const today = await this.municipalities.today(municipalityId);
    const from = dto.from ?? today;
    const before = await this.one(municipalityId, optOutId).catch(() => undefined);
    if (!before || before.unitId !== unitId) throw new NotFoundProblem('Task opt-out', optOutId);
    if (before.endedOn !== null && before.endedOn <= today) throw new ConflictProblem('opt-out-ended', `This opt-out ended on ${before.endedOn}.`);
    if (from < today) throw new ValidationProblem([{ field: 'from', message: `must be today (${today}) or later: what came before stays as it was recorded` }]);
    if (from < before.from) throw new ValidationProblem([{ field: 'from', message: `must be on or after the day the task was switched off (${before.from})` }]);
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`UPDATE task_opt_out SET ended_on = $2 WHERE id = $1`, [optOutId, from]);
      await this.auditLog.record(actor, { action: 'ended', entity: 'task_opt_out', entityId: optOutId, before, after: { ...before, endedOn: from } }, tx);
    });
    await this.resync(actor, unitId, before.wheelId, 'task-opt-out-ended');
    return this.one(municipalityId, optOutId);
  }

  private async one(municipalityId: string, id: string): Promise<TaskOptOutDto> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundProblem('Task opt-out', id);
    const [row] = await this.dataSource.query(`${SELECT_OPT_OUTS} WHERE o.id = $1 AND o.municipality_id = $2`, [id, municipalityId]);
    if (!row) throw new NotFoundProblem('Task opt-out', id);
    return { ...row, createdAt: new Date(row.createdAt).toISOString() };
  }

  /** The active tasks of the wheels in use that reach the unit (those it may switch off), by wheel. */
  async followedTasks(municipalityId: string, unitId: string): Promise<Array<{ id: string; name: string; tasks: Array<{ id: string; title: string }> }>> {
    const rows: Array<{ wheel_id: string; wheel_name: string; task_id: string; title: string }> = await this.dataSource.query(
      `WITH RECURSIVE line AS (
         SELECT id, parent_id, 0 AS depth FROM unit WHERE id = $1
         UNION
         SELECT u.id, u.parent_id, line.depth + 1 FROM unit u JOIN line ON u.id = line.parent_id WHERE line.depth < ${UNIT_TREE_MAX_DEPTH}
       )
       SELECT DISTINCT w.id AS wheel_id, w.name AS wheel_name, t.id AS task_id, t.title, t.sort_order
         FROM wheel_assignment wa JOIN line ON line.id = wa.unit_id
         JOIN wheel w ON w.id = wa.wheel_id AND w.status = 'active' AND w.archived_at IS NULL
         JOIN task_definition t ON t.wheel_id = w.id AND t.archived_at IS NULL
        WHERE (line.depth = 0 OR wa.include_subunits) AND (wa.ends_before IS NULL OR wa.ends_before > $2)
        ORDER BY w.name, t.sort_order, t.title`,
      [unitId, await this.municipalities.today(municipalityId)],
    );
    const wheels = new Map<string, { id: string; name: string; tasks: Array<{ id: string; title: string }> }>();
    for (const r of rows) {
      if (!wheels.has(r.wheel_id)) wheels.set(r.wheel_id, { id: r.wheel_id, name: r.wheel_name, tasks: [] });
      wheels.get(r.wheel_id)!.tasks.push({ id: r.task_id, title: r.title });
    }
    return [...wheels.values()];
  }

  /** Whether the wheel reaches the unit: assigned to it, or to a unit above it with its sub-units. */
  private async followedBy(unitId: string, wheelId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `WITH RECURSIVE line AS (
         SELECT id, parent_id, 0 AS depth FROM unit WHERE id = $1
         UNION
         SELECT u.id, u.parent_id, line.depth + 1 FROM unit u JOIN line ON u.id = line.parent_id WHERE line.depth < ${UNIT_TREE_MAX_DEPTH}
       )
       SELECT 1 FROM wheel_assignment wa JOIN line ON line.id = wa.unit_id
        WHERE wa.wheel_id = $2 AND (line.depth = 0 OR wa.include_subunits) LIMIT 1`,
      [unitId, wheelId],
    );
    return rows.length > 0;
  }

  /** Brings the unit's (and its sub-units') years already materialised in line with the opt-out. */
  private async resync(actor: AuthenticatedPerson, unitId: string, wheelId: string, reason: OccurrenceChangeReason): Promise<void> {
    const thisYear = Number((await this.municipalities.today(actor.municipalityId)).slice(0, 4));
    const rows: Array<{ year: number }> = await this.dataSource.query(
      `WITH RECURSIVE sub AS (SELECT id FROM unit WHERE id = $1 UNION SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
       SELECT DISTINCT extract(year FROM scheduled_on)::int AS year FROM occurrence
        WHERE unit_id IN (SELECT id FROM sub) AND scheduled_on >= $2 ORDER BY 1`,
      [unitId, `${thisYear}-01-01`],
    );
    const years = rows.map((r) => r.year);
    for (const year of years) await this.materialiser.materialise(actor.municipalityId, unitId, year, causedBy(actor, reason), { wheelId });
  }
}
