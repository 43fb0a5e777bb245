import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { groupedRead } from '../../database/grouped-read';
import { complianceCounts, toComplianceCounts } from '../../audit/compliance-counts';
import { ComplianceDto } from '../../audit/dtos/audit.dto';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { unitScope } from '../../organisation/unit-scope.sql';
import { LocalDate, monthBounds } from '../../schedule/local-date';
import { ChecklistSummaryDto, SubunitSummaryDto, SummaryCountsDto, WheelMark } from '../dtos/subtree-summary.dto';

/**
 * $1 municipality, $2 unit. `branch`: each unit below the unit's direct sub-units with the sub-unit it falls
 * under (its active subtree, as `unitScope` walks it; UNION ends a walk at a repeated (unit, branch)); `scope`:
 * those and the unit itself, whose branch is NULL.
 */
const BRANCHES = `branch AS (
    SELECT id, id AS branch_id FROM unit WHERE parent_id = $2 AND municipality_id = $1 AND archived_at IS NULL
    UNION
    SELECT u.id, b.branch_id FROM unit u JOIN branch b ON u.parent_id = b.id WHERE u.archived_at IS NULL
  ), scope AS (
    SELECT id, branch_id FROM branch
    UNION ALL
    SELECT id, NULL::uuid FROM unit WHERE id = $2 AND municipality_id = $1
  )`;

/**
 * $1 municipality, $2 unit, $3 and $4 the period, $5 today, $6 whether to count what is carried over as
 * overdue from before the period. One row per direct sub-unit (its active subtree, as `unitScope` walks it)
 * and one row (unitId NULL) for the unit's own occurrences, so that the rows add up to the flat list.
 * Each sub-unit's walk keeps which branch it is in; UNION ends a walk at a repeated (unit, branch).
 */
const SUBUNIT_SUMMARY_SQL = `
  WITH RECURSIVE ${BRANCHES}, per_unit AS (
    -- Counted unit by unit as each unit's index range is read (the rows come a unit at a time), then added up
    -- per branch: sorting the subtree's ~43,000 occurrences by branch took most of the top unit's time.
    SELECT s.branch_id, f.*, e."overdueEarlier"
      FROM scope s
     CROSS JOIN LATERAL (
       SELECT ${complianceCounts('$5')} FROM occurrence o
        WHERE o.unit_id = s.id AND o.municipality_id = $1 AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4) f
     CROSS JOIN LATERAL (
       SELECT count(*) AS "overdueEarlier" FROM occurrence o
        WHERE $6 AND o.unit_id = s.id AND o.municipality_id = $1 AND o.cancelled_at IS NULL AND o.deadline < $3 AND o.deadline < $5 AND o.standing_outcome IS NULL) e
  ), figures AS (
    SELECT branch_id, sum(planned) AS planned, sum("doneOnTime") AS "doneOnTime", sum("doneLate") AS "doneLate", sum("notApplicable") AS "notApplicable",
           sum(overdue) AS overdue, sum(open) AS open, sum("overdueEarlier") AS "overdueEarlier", count(branch_id) AS units
      FROM per_unit GROUP BY branch_id
  )
  SELECT c.id AS "unitId", c.name AS "unitName", COALESCE(f.units, 0) AS units, f.planned, f."doneOnTime", f."doneLate", f."notApplicable", f.overdue, f.open, f."overdueEarlier"
    FROM (SELECT id, name FROM unit WHERE parent_id = $2 AND municipality_id = $1 AND archived_at IS NULL
          UNION ALL SELECT NULL::uuid, NULL) c
    LEFT JOIN figures f ON f.branch_id IS NOT DISTINCT FROM c.id`;

/**
 * $1 municipality, $2 unit, $3 and $4 the period, $5 today. Internkontroll of a unit with sub-units in one
 * pass over the subtree's occurrences (issue 19: three passes took most of the top unit's page): grouping
 * sets by sub-unit (branch_id, NULL for the unit's own), by month and by task; the tasks are then added up
 * by wheel, so the task and wheel are looked up once per task, not once per occurrence.
 */
const INTERNAL_CONTROL_SQL = `
  WITH RECURSIVE ${BRANCHES}, figures AS (
    SELECT CASE WHEN grouping(s.branch_id) = 0 THEN 'unit' WHEN grouping(to_char(o.deadline, 'YYYY-MM')) = 0 THEN 'month' ELSE 'task' END AS kind,
           s.branch_id, to_char(o.deadline, 'YYYY-MM') AS month, o.task_id, ${complianceCounts('$5')}
      FROM occurrence o JOIN scope s ON s.id = o.unit_id
     WHERE o.municipality_id = $1 AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4
     GROUP BY GROUPING SETS ((s.branch_id), (to_char(o.deadline, 'YYYY-MM')), (o.task_id))
  )
  SELECT 'unit' AS kind, c.id::text AS "group", c.name AS "unitName", (SELECT count(*) FROM branch x WHERE x.branch_id = c.id) AS units,
         f.planned, f."doneOnTime", f."doneLate", f."notApplicable", f.overdue, f.open
    FROM (SELECT id, name FROM unit WHERE parent_id = $2 AND municipality_id = $1 AND archived_at IS NULL
          UNION ALL SELECT NULL::uuid, NULL) c
    LEFT JOIN figures f ON f.kind = 'unit' AND f.branch_id IS NOT DISTINCT FROM c.id
  UNION ALL
  SELECT 'month', f.month, NULL, NULL, f.planned, f."doneOnTime", f."doneLate", f."notApplicable", f.overdue, f.open
    FROM figures f WHERE f.kind = 'month'
  UNION ALL
  SELECT 'wheel', w.name, NULL, NULL, sum(f.planned), sum(f."doneOnTime"), sum(f."doneLate"), sum(f."notApplicable"), sum(f.overdue), sum(f.open)
    FROM figures f JOIN task_definition t ON t.id = f.task_id JOIN wheel w ON w.id = t.wheel_id
   WHERE f.kind = 'task'
   GROUP BY w.name
  ORDER BY 1, 2`;

/**
 * $1 municipality, $2 unit, $3 and $4 the period, $5 today: per task and month, how many units of the
 * subtree have it and in how many every occurrence of it is signed. Occurrences are first counted per
 * unit (a task per recipient is one unit's duty, done when all its recipients' are).
 *
 * Its cost is one pass over the subtree's year (issue 19), made as cheap as it goes: the units are walked
 * once; each unit's year is read from the covering (unit, deadline) index alone (migration WheelMonthCounts:
 * no visit to the table's rows) and counted per task and month in a hash table of its own (a few hundred
 * entries, where one table for the whole subtree held an entry per unit, task and month); the month is a
 * truncated date rather than text; the tasks and wheels are joined to the marks, not to every unit's counts.
 */
const WHEEL_MARKS_SQL = `
  WITH ${unitScope('$2', '$1', 'true')}, per_unit AS (
    SELECT c.* FROM scope s CROSS JOIN LATERAL (
      SELECT o.task_id, date_trunc('month', o.deadline::timestamp) AS month, min(o.deadline) AS first, count(*) AS n,
             count(*) FILTER (WHERE o.standing_outcome IS NULL) AS unsigned,
             count(*) FILTER (WHERE o.standing_outcome IS NULL AND o.deadline < $5) AS overdue
        FROM occurrence o
       WHERE o.unit_id = s.id AND o.municipality_id = $1 AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4
       GROUP BY 1, 2) c
  ), marks AS (
    SELECT task_id, month, min(first) AS first, count(*) AS units, sum(n) AS occurrences,
           count(*) FILTER (WHERE unsigned = 0) AS "doneUnits", count(*) FILTER (WHERE overdue > 0) AS "overdueUnits"
      FROM per_unit
     GROUP BY task_id, month
  )
  SELECT t.id AS "taskId", t.title, t.example, w.id AS "wheelId", w.name AS "wheelName", to_char(m.month, 'YYYY-MM') AS month,
         m.first::text AS "firstDeadline", m.units, m.occurrences, m."doneUnits", m."overdueUnits"
    FROM marks m
    JOIN task_definition t ON t.id = m.task_id
    JOIN wheel w ON w.id = t.wheel_id
   ORDER BY w.name, m.month, m.first, t.sort_order, t.title`;

/**
 * What a unit with sub-units shows instead of every occurrence below it: one row per sub-unit (the
 * checklist, Internkontroll) and one mark per task and month (the wheel). Its cost grows with what a
 * person can read, not with the size of the tree below (issue 19); the flat lists stay available.
 */
@Injectable()
export class SubtreeSummaryService {
  constructor(private readonly dataSource: DataSource, private readonly municipalities: MunicipalitiesService) {}

  async hasSubunits(municipalityId: string, unitId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM unit WHERE parent_id = $2 AND municipality_id = $1 AND archived_at IS NULL) AS yes`, [
      municipalityId,
      unitId,
    ]);
    return row.yes;
  }

  /** The month's checklist summarised: as the flat checklist with subtree counts it, including what is carried over as overdue. */
  async checklist(municipalityId: string, unitId: string, month: string): Promise<ChecklistSummaryDto> {
    const today = await this.municipalities.today(municipalityId);
    const { first, last } = monthBounds(month);
    const { own, subunits } = await this.bySubunit(municipalityId, unitId, first, last, today, true);
    return { unitId, month, today, own, subunits };
  }

  /** A period's compliance per direct sub-unit (Internkontroll), worst first, and the unit's own. */
  async compliance(municipalityId: string, unitId: string, from: LocalDate, to: LocalDate): Promise<{ own: SummaryCountsDto; subunits: SubunitSummaryDto[] }> {
    return this.bySubunit(municipalityId, unitId, from, to, await this.municipalities.today(municipalityId), false);
  }

  /**
   * Internkontroll's figures for a unit with sub-units in one pass (INTERNAL_CONTROL_SQL): the same rows as
   * compliance() and the compliance report by month and by wheel over the unit's subtree.
   */
  async internalControl(municipalityId: string, unitId: string, from: LocalDate, to: LocalDate) {
    const today = await this.municipalities.today(municipalityId);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(INTERNAL_CONTROL_SQL, [municipalityId, unitId, from, to, today]);
    const report = (groupBy: 'month' | 'wheel'): ComplianceDto => ({
      unitId, from, to, subtree: true, groupBy, today,
      rows: rows.filter((r) => r.kind === groupBy).map((r) => ({ group: r.group as string, ...toComplianceCounts(r) })),
    });
    const units = rows.filter((r) => r.kind === 'unit');
    const counts = (r: Record<string, unknown>): SummaryCountsDto => ({ ...toComplianceCounts(r), overdueEarlier: 0 });
    const subunits = units
      .filter((r) => r.group !== null)
      .map((r): SubunitSummaryDto => ({ unitId: r.group as string, unitName: r.unitName as string, units: Number(r.units), ...counts(r) }))
      .sort(worstFirst);
    return { subunits: { own: counts(units.find((r) => r.group === null) ?? {}), subunits }, byMonth: report('month'), byWheel: report('wheel') };
  }

  async wheelMarks(municipalityId: string, unitId: string, year: number): Promise<WheelMark[]> {
    const today = await this.municipalities.today(municipalityId);
    const rows = await groupedRead<Array<Record<string, string | boolean>>>(this.dataSource, WHEEL_MARKS_SQL, [municipalityId, unitId, `${year}-01-01`, `${year}-12-31`, today]);
    return rows.map((r) => ({
      taskId: r.taskId as string,
      title: r.title as string,
      example: r.example as boolean,
      wheelId: r.wheelId as string,
      wheelName: r.wheelName as string,
      month: r.month as string,
      firstDeadline: r.firstDeadline as string,
      units: Number(r.units),
      doneUnits: Number(r.doneUnits),
      overdueUnits: Number(r.overdueUnits),
      occurrences: Number(r.occurrences),
    }));
  }

  private async bySubunit(municipalityId: string, unitId: string, from: LocalDate, to: LocalDate, today: LocalDate, carryOverdue: boolean) {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(SUBUNIT_SUMMARY_SQL, [municipalityId, unitId, from, to, today, carryOverdue]);
    const counts = (r: Record<string, unknown>): SummaryCountsDto => ({ ...toComplianceCounts(r), overdueEarlier: Number(r.overdueEarlier ?? 0) });
    const ownRow = rows.find((r) => r.unitId === null);
    const subunits = rows
      .filter((r) => r.unitId !== null)
      .map((r): SubunitSummaryDto => ({ unitId: r.unitId as string, unitName: r.unitName as string, units: Number(r.units), ...counts(r) }))
      .sort(worstFirst);
    return { own: counts(ownRow ?? {}), subunits };
  }
}

/**
 * Worst first: the lowest share on time, counting what is carried over from before the period as overdue
 * (a sub-unit with nothing due this month but last month's tasks still open is not among the best);
 * nothing due at all counts as best. Then the most overdue, then by name so that the order is stable.
 */
export function worstFirst(a: SubunitSummaryDto, b: SubunitSummaryDto): number {
  return rank(a) - rank(b) || b.overdue + b.overdueEarlier - (a.overdue + a.overdueEarlier) || a.unitName.localeCompare(b.unitName, 'nb');
}

function rank(s: SubunitSummaryDto): number {
  const due = s.doneOnTime + s.doneLate + s.overdue + s.overdueEarlier;
  return due === 0 ? 2 : s.doneOnTime / due;
}
