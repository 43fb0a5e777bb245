import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadDatabase } from '../database/read-database';
import { AccessLogService } from '../audit/access-log';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { Clock } from '../common/clock';
import { NotFoundProblem, ProblemException } from '../common/problem';
import { MunicipalitiesService } from '../organisation/services/municipalities.service';
import { localDateAt, LocalDate } from '../schedule/local-date';
import { YearPlanQuery } from './year-plan.dto';
import { YearPlanRenderer } from './year-plan.renderer';
import { CONTENT_TYPES, fileBaseName, MONTHS_NB, norwegianDate, responsibleText, YearPlan, YearPlanMonth, YearPlanRow } from './year-plan';

/** More rows than any unit's year should hold (a large unit has a few thousand); beyond it, choose a wheel. */
export const YEAR_PLAN_MAX_ROWS = 20_000;

interface PlanRow {
  title: string;
  example: boolean;
  wheel_id: string;
  wheel_name: string;
  responsible_role: string;
  responsible_text: string | null;
  task_stored_in: string | null;
  recipient_code: string | null;
  deadline: LocalDate;
  owners: string[];
  outcome: 'done' | 'not_applicable' | null;
  late: boolean | null;
  signed_at: Date | null;
  signed_by_name: string | null;
  comment: string | null;
  recorded_stored_in: string | null;
  evidence_url: string | null;
}

/**
 * The unit's occurrences of the year with what stands for each: the record that no later record
 * supersedes (a revoked sign-off leaves the occurrence open). $1 municipality, $2 unit, $3 and $4 the
 * year's first and last day, $5 a wheel or null, $6 the row limit.
 */
const YEAR_PLAN_SQL = `
  SELECT t.title, t.example, w.id AS wheel_id, w.name AS wheel_name, t.responsible_role, t.responsible_text, t.stored_in AS task_stored_in,
         r.code AS recipient_code, o.deadline,
         COALESCE((SELECT array_agg(p.display_name ORDER BY p.display_name)
                     FROM occurrence_owner oo JOIN person p ON p.id = oo.person_id WHERE oo.occurrence_id = o.id), '{}') AS owners,
         rec.outcome, rec.late, rec.signed_at, rec.signed_by_name, rec.comment, rec.stored_in AS recorded_stored_in, rec.evidence_url
    FROM occurrence o
    JOIN task_definition t ON t.id = o.task_id
    JOIN wheel w ON w.id = t.wheel_id
    LEFT JOIN recipient r ON r.id = o.recipient_id
    LEFT JOIN LATERAL (
      SELECT s.outcome, s.late, s.signed_at, s.signed_by_name, s.comment, s.stored_in, s.evidence_url
        FROM sign_off s
       WHERE s.occurrence_id = o.id AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = s.id)
    ) rec ON true
   WHERE o.municipality_id = $1 AND o.unit_id = $2 AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4
     AND ($5::uuid IS NULL OR t.wheel_id = $5)
   ORDER BY date_part('month', o.deadline), w.name, w.id, o.deadline, t.sort_order, t.title, r.code
   LIMIT $6`;

export interface YearPlanFile {
  file: Buffer;
  fileName: string;
  contentType: string;
}

/**
 * The year plan of a unit, month by month in the seed's layout, as PDF, DOCX or XLSX: blank for planning,
 * or filled in with the record so far. It prints the occurrences already made (materialised): the same
 * deadlines and owners the checklists show, nothing invented.
 */
@Injectable()
export class YearPlanService {
  constructor(
    private readonly reads: ReadDatabase,
    private readonly municipalities: MunicipalitiesService,
    private readonly accessLog: AccessLogService,
    private readonly renderer: YearPlanRenderer,
    private readonly clock: Clock,
  ) {}

  /** Reports read from a standby when one is healthy (ReadDatabase). */
  private get dataSource(): DataSource {
    return this.reads.source();
  }

  async file(reader: AuthenticatedPerson, unitId: string, query: YearPlanQuery): Promise<YearPlanFile> {
    const plan = await this.plan(reader, unitId, query);
    return {
      file: await this.renderer.render(plan, query.format),
      fileName: `${fileBaseName(plan.unitName, plan.year, plan.filled)}.${query.format}`,
      contentType: CONTENT_TYPES[query.format],
    };
  }

  /** The rows, collected and worded; the recipient codes it shows are written to the access log. */
  async plan(reader: AuthenticatedPerson, unitId: string, query: YearPlanQuery): Promise<YearPlan> {
    const { municipalityId } = reader;
    const { year } = query;
    const filled = query.filled ?? false;
    const [unit] = await this.dataSource.query(`SELECT name FROM unit WHERE id = $1 AND municipality_id = $2`, [unitId, municipalityId]);
    if (!unit) throw new NotFoundProblem('Unit', unitId);
    let wheelName: string | undefined;
    if (query.wheelId) {
      const [wheel] = await this.dataSource.query(`SELECT name FROM wheel WHERE id = $1 AND municipality_id = $2`, [query.wheelId, municipalityId]);
      if (!wheel) throw new NotFoundProblem('Wheel', query.wheelId);
      wheelName = wheel.name;
    }
    const first = `${year}-01-01`;
    const last = `${year}-12-31`;
    const [{ materialised }] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM occurrence WHERE unit_id = $1 AND municipality_id = $2 AND deadline BETWEEN $3 AND $4) AS materialised`,
      [unitId, municipalityId, first, last],
    );
    if (!materialised) {
      throw new ProblemException(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'year-not-materialised',
        'Året er ikke laget ennå',
        `${unit.name} has no tasks in ${year} yet: its wheels make a year's tasks when a manager materialises it ` +
          `(POST /api/v1/units/${unitId}/materialize?year=${year}), and next year's on 1 December.`,
        [{ field: 'year', message: `${year} is not materialised for this unit` }],
      );
    }

    const rows: PlanRow[] = await this.dataSource.query(YEAR_PLAN_SQL, [municipalityId, unitId, first, last, query.wheelId ?? null, YEAR_PLAN_MAX_ROWS + 1]);
    if (rows.length > YEAR_PLAN_MAX_ROWS) {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'year-plan-too-large', 'Årsplanen er for stor', `More than ${YEAR_PLAN_MAX_ROWS} tasks: choose one wheel (wheelId).`, [
        { field: 'wheelId', message: `the unit's year has more than ${YEAR_PLAN_MAX_ROWS} tasks; print one wheel at a time` },
      ]);
    }
    // The codes are printed whether the plan is blank or filled in: reading them is logged like any other read.
    await this.accessLog.record(reader, 'GET /api/v1/units/:id/year-plan', rows.map((r) => r.recipient_code));

    const timeZone = await this.municipalities.timeZone(municipalityId);
    const now = this.clock.now();
    const today = localDateAt(now, timeZone);
    const wheels = new Set(rows.map((r) => r.wheel_id));
    const oneWheel = wheelName ?? (wheels.size === 1 ? rows[0].wheel_name : undefined);
    const months: YearPlanMonth[] = MONTHS_NB.map((name, i) => ({ month: i + 1, name, sections: [] }));
    for (const row of rows) {
      const month = months[Number(row.deadline.slice(5, 7)) - 1];
      let section = month.sections[month.sections.length - 1];
      const sectionName = oneWheel ? null : row.wheel_name;
      if (!section || section.wheelName !== sectionName) month.sections.push((section = { wheelName: sectionName, rows: [] }));
      section.rows.push(toRow(row, filled, today, timeZone));
    }
    const covers = oneWheel ?? (wheels.size ? `Alle årshjul enheten følger (${wheels.size})` : 'Ingen oppgaver');
    return {
      title: `Årsplan ${year} – ${unit.name}`,
      subtitle: `${covers}. ${filled ? `Utfylt: det som er signert per ${norwegianDate(today)}.` : 'Til planlegging: Utført og Kommentar fylles ut for hånd.'}`,
      printed: `Skrevet ut ${norwegianDate(today)} kl. ${clockTime(now, timeZone)}`,
      unitName: unit.name,
      year,
      filled,
      rowCount: rows.length,
      months,
    };
  }
}

function toRow(row: PlanRow, filled: boolean, today: LocalDate, timeZone: string): YearPlanRow {
  const title = row.example ? `«Eksempel» ${row.title}` : row.title; // invented rows say so in print too
  const task = row.recipient_code ? `${title} (${row.recipient_code})` : title;
  const base = {
    task,
    deadline: row.deadline,
    deadlineText: norwegianDate(row.deadline),
    responsible: responsibleText(row.responsible_role, row.responsible_text, row.owners),
  };
  if (!filled) return { ...base, storedIn: row.task_stored_in ?? '', done: '', comment: '' };
  if (!row.outcome) {
    // Open: blank while the deadline has not passed; after it, plainly not done.
    return { ...base, storedIn: row.task_stored_in ?? '', done: row.deadline < today ? 'Ikke utført' : '', comment: '' };
  }
  const signed = `${row.signed_by_name}, ${norwegianDate(localDateAt(new Date(row.signed_at!), timeZone))}`;
  const done = row.outcome === 'not_applicable' ? `Ikke aktuelt (${signed})` : `${signed}${row.late ? ' (for sent)' : ''}`;
  const recorded = [row.recorded_stored_in, row.evidence_url].filter((x): x is string => !!x).join('\n');
  return { ...base, storedIn: recorded || row.task_stored_in || '', done, comment: row.comment ?? '' };
}

function clockTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('nb-NO', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}
