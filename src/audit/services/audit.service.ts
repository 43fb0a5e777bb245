import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../../database/read-database';
import { AccessService } from '../../auth/access.service';
import { ForbiddenProblem } from '../../auth/auth.exceptions';
import { AccessLogService } from '../access-log';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { Clock } from '../../common/clock';
import { Keyset, limitOf } from '../../common/pagination';
import { ValidationProblem } from '../../common/problem';
import { addDays, isLocalDate } from '../../schedule/local-date';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { unitScope } from '../../organisation/unit-scope.sql';
import { UnitVerification } from '../../records/chain-verification';
import { UnitVerificationService } from '../../records/checkpoints/unit-verification.service';
import { RecordRow, toSignOffDto } from '../../records/services/record-chain';
import { chainExportLines } from './records-export';
import { complianceCounts, toComplianceCounts } from '../compliance-counts';
import { AccessLogPageDto, AccessLogQuery, AuditLogPageDto, AuditLogQuery, OccurrenceChangePageDto, OccurrenceChangesQuery, ComplianceDto, ComplianceQuery, ComplianceRowDto, PeriodQuery, RecordsPageDto, RecordsQuery } from '../dtos/audit.dto';

/** Roles that read every record of a unit; others (staff) see the records they signed themselves. */
const RECORD_READERS = ['manager', 'quality_adviser'];

/** The records as signed (a unit's chain order within a period), or by their occurrence's deadline. */
const RECORDS_AS_SIGNED = new Keyset('records', ['timestamp', 'uuid', 'int']);
const RECORDS_BY_DEADLINE = new Keyset('records-by-deadline', ['date', 'timestamp', 'uuid', 'int']);
/** The logs, newest first: their ids grow with time. */
const AUDIT_LOG = new Keyset('audit-log', ['int']);
const ACCESS_LOG = new Keyset('access-log', ['int']);
const OCCURRENCE_CHANGES = new Keyset('occurrence-changes', ['int']);

/**
 * What quality advisers and inspectors read: the signed records, their verification, and compliance
 * figures (planned, done on time, done late, not applicable, overdue, open) by month, wheel, role or person.
 */
@Injectable()
export class AuditService {
  constructor(
    /** Record listings, exports and compliance read from a standby when one is healthy. */
    private readonly reads: ReadDatabase,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
    private readonly verification: UnitVerificationService,
  ) {}

  /** From the unit's last verified checkpoint; `full` from the first record (see UnitVerificationService). */
  verify(unitId: string, options: { full?: boolean } = {}): Promise<UnitVerification> {
    return this.verification.verify(unitId, options);
  }

  /**
   * `total: false` leaves the count out (total null): a page of a unit with sub-units shows the first records
   * without counting every record of the year below it (issue 19: the count alone took seconds at the top unit).
   */
  async records(reader: AuthenticatedPerson, query: RecordsQuery): Promise<RecordsPageDto>;
  async records(reader: AuthenticatedPerson, query: RecordsQuery, options: { total: false }): Promise<Omit<RecordsPageDto, 'total'> & { total: null }>;
  async records(reader: AuthenticatedPerson, query: RecordsQuery, options: { total?: boolean } = {}): Promise<Omit<RecordsPageDto, 'total'> & { total: number | null }> {
    assertPeriod(query);
    const byDeadline = query.basis === 'deadline';
    const keyset = byDeadline ? RECORDS_BY_DEADLINE : RECORDS_AS_SIGNED;
    const after = keyset.decode(query.cursor);
    const limit = limitOf(query);
    const onlyOwn = !(await this.access.hasRoleOver(reader.personId, reader.municipalityId, query.unitId, RECORD_READERS));
    const timeZone = await this.municipalities.timeZone(reader.municipalityId);
    // By deadline, a year's page shows the records of that year's tasks, also one signed the December before.
    const key = byDeadline ? 'o.deadline, s.signed_at, s.unit_id, s.sequence' : 's.signed_at, s.unit_id, s.sequence';
    // By deadline, read from the units in scope through the occurrences' (unit_id, deadline) index (a record
    // is in its occurrence's unit's chain); as signed, from the records.
    const source = byDeadline
      ? `FROM scope sc JOIN occurrence o ON o.unit_id = sc.id JOIN sign_off s ON s.occurrence_id = o.id AND s.unit_id = sc.id JOIN task_definition t ON t.id = o.task_id
        WHERE s.municipality_id = $1`
      : `FROM sign_off s JOIN occurrence o ON o.id = s.occurrence_id JOIN task_definition t ON t.id = o.task_id
        WHERE s.municipality_id = $1 AND s.unit_id IN (SELECT id FROM scope)`;
    const matching = `WITH ${unitScope('$2', '$1', '$5')}
       SELECT %s
         ${source}
          AND (CASE WHEN $10 THEN o.deadline ELSE (s.signed_at AT TIME ZONE $6)::date END) BETWEEN $3 AND $4
          AND ($7::uuid IS NULL OR t.wheel_id = $7)
          AND ($8::uuid IS NULL OR s.signed_by = $8)
          AND ($9::text IS NULL OR s.outcome = $9 OR ($9 = 'revoked' AND s.outcome IS NULL))`;
    const parameters = [
      reader.municipalityId, query.unitId, query.from, query.to, query.subtree ?? false, timeZone, query.wheelId ?? null,
      onlyOwn ? reader.personId : (query.personId ?? null), query.outcome ?? null, byDeadline,
    ];
    const list = `${matching.replace('%s', `s.*, json_build_array(${key}) AS sort_key`)} AND ${keyset.after(key, 11)}`;
    const [rows, total] = await Promise.all([
      byDeadline ? this.firstByDeadline(list, key, [...parameters, ...after], query, after[0], limit) : (this.reads.source().query(`${list} ORDER BY ${key} LIMIT ${limit + 1}`, [...parameters, ...after]) as Promise<Array<RecordRow & { sort_key: unknown[] }>>),
      options.total === false ? null : this.count(matching.replace('%s', 'count(*)'), parameters),
    ]);
    return { ...keyset.page(rows, limit, 0, toSignOffDto), total };
  }

  /**
   * A page by deadline read in widening windows of deadlines — up to the first deadline in scope from where the
   * page starts, then a day, two, four, … beyond it — until it is full or reaches the period's end. Each window
   * is read through the occurrences' (unit_id, deadline) index, so the first page of a unit with a thousand units
   * below reads a few days of their records, not the year's sorted (issue 19: 11–20 s at the top unit).
   */
  private async firstByDeadline(list: string, key: string, parameters: unknown[], query: { from: string; to: string }, afterDeadline: unknown, limit: number): Promise<Array<RecordRow & { sort_key: unknown[] }>> {
    const start = typeof afterDeadline === 'string' && afterDeadline.slice(0, 10) > query.from ? afterDeadline.slice(0, 10) : query.from;
    // The first deadline from there in any unit in scope: one step down each unit's index.
    const [{ first: firstDeadline }]: Array<{ first: string | null }> = await this.reads.source().query(
      `WITH ${unitScope('$2', '$1', '$3')}
       SELECT min(n.deadline)::text AS first
         FROM scope sc CROSS JOIN LATERAL (SELECT o.deadline FROM occurrence o WHERE o.unit_id = sc.id AND o.deadline >= $4 ORDER BY o.deadline LIMIT 1) n`,
      [parameters[0], parameters[1], parameters[4], start],
    );
    const [first, last] = [parameters.length + 1, parameters.length + 2];
    for (let end = firstDeadline ?? query.to, days = 1; ; end = addDays(firstDeadline ?? query.to, days), days *= 2) {
      const until = end < query.to ? end : query.to;
      const rows = await this.reads.source().query(`${list} AND o.deadline BETWEEN $${first}::date AND $${last}::date ORDER BY ${key} LIMIT ${limit + 1}`, [...parameters, start, until]);
      if (rows.length > limit || until >= query.to) return rows;
    }
  }

  private async count(sql: string, parameters: unknown[]): Promise<number> {
    const [{ count }] = await this.reads.source().query(sql, parameters);
    return Number(count);
  }

  /**
   * The unit's chain for a period as JSON lines: each record exactly as it was hashed, then a manifest with
   * the hash before the first line and the hash of the last, so the file can be verified offline. Access
   * and the period are checked before the first line is sent; the lines are then read in batches.
   */
  async exportJsonl(reader: AuthenticatedPerson, query: PeriodQuery & { basis?: string }): Promise<AsyncIterable<string>> {
    assertPeriod(query);
    if (query.basis === 'deadline') {
      // A chain is checked link by link in the order it was signed; records picked by deadline leave gaps.
      throw new ValidationProblem([{ field: 'basis', message: 'the export is the chain as signed: leave basis out (or signed) with format=jsonl' }]);
    }
    // The whole chain, every signer's records: for those who audit the unit, not for staff.
    if (!(await this.access.hasRoleOver(reader.personId, reader.municipalityId, query.unitId, RECORD_READERS))) {
      throw new ForbiddenProblem('Exporting the record is for managers and quality advisers of the unit.');
    }
    const timeZone = await this.municipalities.timeZone(reader.municipalityId);
    return this.exportLines(reader, query, timeZone);
  }

  private exportLines(reader: AuthenticatedPerson, query: PeriodQuery, timeZone: string): AsyncGenerator<string> {
    return chainExportLines(this.reads.source(), {
      unitId: query.unitId,
      from: query.from,
      to: query.to,
      timeZone,
      generatedAt: this.clock.now(),
      // An export hands recipients' records to someone: it is in the access log before its last line leaves.
      beforeManifest: (codes) => this.accessLog.record(reader, 'GET /api/v1/audit/records (jsonl export)', codes),
    });
  }

  async log(municipalityId: string, query: AuditLogQuery): Promise<AuditLogPageDto> {
    const after = AUDIT_LOG.decode(query.cursor);
    const limit = limitOf(query);
    const timeZone = await this.municipalities.timeZone(municipalityId);
    const matching = `SELECT %s
         FROM audit_log l JOIN person p ON p.id = l.actor_id
        WHERE l.municipality_id = $1
          AND ($2::date IS NULL OR (l.at AT TIME ZONE $5)::date >= $2)
          AND ($3::date IS NULL OR (l.at AT TIME ZONE $5)::date <= $3)
          AND ($4::text IS NULL OR l.entity = $4)`;
    const parameters = [municipalityId, query.from ?? null, query.to ?? null, query.entity ?? null, timeZone];
    const [rows, total]: [Array<Record<string, unknown> & { sort_key: unknown[] }>, number] = await Promise.all([
      this.reads.source().query(
        `${matching.replace('%s', 'l.id, l.at, l.action, l.entity, l.entity_id, l.before, l.after, p.id AS actor_id, p.display_name AS actor_name, json_build_array(l.id) AS sort_key')}
            AND ${AUDIT_LOG.after('l.id', 6, 'desc')} ORDER BY l.id DESC LIMIT ${limit + 1}`,
        [...parameters, ...after],
      ),
      this.count(matching.replace('%s', 'count(*)'), parameters),
    ]);
    return AUDIT_LOG.page(rows, limit, total, (r) => ({
      id: Number(r.id),
      at: new Date(r.at as string).toISOString(),
      actor: { id: r.actor_id as string, displayName: r.actor_name as string },
      action: r.action as string,
      entity: r.entity as string,
      entityId: r.entity_id as string,
      before: r.before,
      after: r.after,
    }));
  }

  /**
   * The trace of the unit's occurrences (and, with subtree, those below, archived or not): every move, cancellation or
   * reinstatement, and any other change made to an occurrence other than by its records, newest first.
   */
  async occurrenceChanges(municipalityId: string, query: OccurrenceChangesQuery): Promise<OccurrenceChangePageDto> {
    for (const field of ['from', 'to'] as const) {
      if (query[field] !== undefined && !isLocalDate(query[field])) throw new ValidationProblem([{ field, message: 'is not a date in the calendar' }]);
    }
    const after = OCCURRENCE_CHANGES.decode(query.cursor);
    const limit = limitOf(query);
    const timeZone = await this.municipalities.timeZone(municipalityId);
    // Archived units below are included: closing a unit cancels its future, and that is part of the trace.
    const matching = `WITH RECURSIVE scope AS (
         SELECT id FROM unit WHERE id = $2 AND municipality_id = $1
         UNION ALL
         SELECT u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE $3
       )
       SELECT %s
         FROM occurrence_change c
         JOIN occurrence o ON o.id = c.occurrence_id
         JOIN task_definition t ON t.id = o.task_id
         LEFT JOIN recipient r ON r.id = o.recipient_id
         LEFT JOIN person p ON p.id = c.actor_id
        WHERE c.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope)
          AND ($4::date IS NULL OR (c.changed_at AT TIME ZONE $6)::date >= $4)
          AND ($5::date IS NULL OR (c.changed_at AT TIME ZONE $6)::date <= $5)
          AND ($7::uuid IS NULL OR c.occurrence_id = $7)`;
    const parameters = [municipalityId, query.unitId, query.subtree ?? false, query.from ?? null, query.to ?? null, timeZone, query.occurrenceId ?? null];
    const [rows, total]: [Array<Record<string, unknown> & { sort_key: unknown[] }>, number] = await Promise.all([
      this.reads.source().query(
        `${matching.replace(
          '%s',
          `c.id, c.occurrence_id, c.changed_at, c.reason, c.database_role, c.before, c.after,
           o.deadline::text AS deadline, o.unit_id, t.title AS task_title, r.code AS recipient_code,
           p.id AS actor_id, p.display_name AS actor_name, json_build_array(c.id) AS sort_key`,
        )} AND ${OCCURRENCE_CHANGES.after('c.id', 8, 'desc')} ORDER BY c.id DESC LIMIT ${limit + 1}`,
        [...parameters, ...after],
      ),
      this.count(matching.replace('%s', 'count(*)'), parameters),
    ]);
    return OCCURRENCE_CHANGES.page(rows, limit, total, (r) => ({
      id: Number(r.id),
      occurrenceId: r.occurrence_id as string,
      unitId: r.unit_id as string,
      taskTitle: r.task_title as string,
      recipientCode: (r.recipient_code as string | null) ?? null,
      deadline: r.deadline as string,
      changedAt: new Date(r.changed_at as string).toISOString(),
      actor: r.actor_id ? { id: r.actor_id as string, displayName: r.actor_name as string } : null,
      reason: (r.reason as string | null) ?? null,
      databaseRole: r.database_role as string,
      before: r.before as Record<string, unknown>,
      after: r.after as Record<string, unknown>,
    }));
  }

  async accessLogEntries(municipalityId: string, query: AccessLogQuery): Promise<AccessLogPageDto> {
    const after = ACCESS_LOG.decode(query.cursor);
    const limit = limitOf(query);
    const timeZone = await this.municipalities.timeZone(municipalityId);
    const matching = `SELECT %s
         FROM access_log a JOIN person p ON p.id = a.person_id
        WHERE a.municipality_id = $1
          AND ($2::date IS NULL OR (a.at AT TIME ZONE $6)::date >= $2)
          AND ($3::date IS NULL OR (a.at AT TIME ZONE $6)::date <= $3)
          AND ($4::uuid IS NULL OR a.person_id = $4)
          AND ($5::text IS NULL OR a.recipient_codes @> ARRAY[$5::text])`;
    const parameters = [municipalityId, query.from ?? null, query.to ?? null, query.personId ?? null, query.code ?? null, timeZone];
    const [rows, total]: [Array<Record<string, unknown> & { sort_key: unknown[] }>, number] = await Promise.all([
      this.reads.source().query(
        `${matching.replace('%s', 'a.id, a.at, a.endpoint, a.recipient_codes, p.id AS reader_id, p.display_name AS reader_name, json_build_array(a.id) AS sort_key')}
            AND ${ACCESS_LOG.after('a.id', 7, 'desc')} ORDER BY a.id DESC LIMIT ${limit + 1}`,
        [...parameters, ...after],
      ),
      this.count(matching.replace('%s', 'count(*)'), parameters),
    ]);
    return ACCESS_LOG.page(rows, limit, total, (r) => ({
      id: Number(r.id),
      at: new Date(r.at as string).toISOString(),
      reader: { id: r.reader_id as string, displayName: r.reader_name as string },
      endpoint: r.endpoint as string,
      recipientCodes: r.recipient_codes as string[],
    }));
  }

  async compliance(municipalityId: string, query: ComplianceQuery): Promise<ComplianceDto> {
    assertPeriod(query);
    const groupBy = query.groupBy ?? 'month';
    const today = await this.municipalities.today(municipalityId);
    const groupKey = {
      month: `to_char(o.deadline, 'YYYY-MM')`,
      wheel: `w.name`,
      role: `t.responsible_role`,
      person: `COALESCE(owner.display_name, '(ingen ansvarlig)')`,
    }[groupBy];
    // By person, an occurrence counts once for each of its owners; a duty per person counts for its own
    // person only, also once they have left (an overdue duty of a leaver stays theirs).
    // The task and its wheel only where the grouping needs them: for a municipality's year they are a
    // lookup per occurrence, most of the report's time (bench/README.md).
    const taskJoin = {
      month: '',
      wheel: `JOIN task_definition t ON t.id = o.task_id JOIN wheel w ON w.id = t.wheel_id`,
      role: `JOIN task_definition t ON t.id = o.task_id`,
      person: '',
    }[groupBy];
    const ownerJoin =
      groupBy === 'person'
        ? `LEFT JOIN occurrence_owner oo ON oo.occurrence_id = o.id AND o.person_id IS NULL LEFT JOIN person owner ON owner.id = COALESCE(o.person_id, oo.person_id)`
        : '';
    const rows: Array<Record<string, string>> = await this.reads.source().query(
      `WITH ${unitScope('$2', '$1', '$5')}
       SELECT ${groupKey} AS "group",
              ${complianceCounts('$6')}
         FROM occurrence o
         ${taskJoin}
         ${ownerJoin}
        WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL
          AND o.deadline BETWEEN $3 AND $4
        GROUP BY 1 ORDER BY 1`,
      [municipalityId, query.unitId, query.from, query.to, query.subtree ?? false, today],
    );
    return {
      unitId: query.unitId,
      from: query.from,
      to: query.to,
      subtree: query.subtree ?? false,
      groupBy,
      today,
      rows: rows.map(toComplianceRow),
    };
  }
}

function toComplianceRow(row: Record<string, string>): ComplianceRowDto {
  return { group: row.group, ...toComplianceCounts(row) };
}

function assertPeriod(query: { from: string; to: string }): void {
  for (const field of ['from', 'to'] as const) {
    if (!isLocalDate(query[field])) throw new ValidationProblem([{ field, message: 'is not a date in the calendar' }]);
  }
  if (query.to < query.from) throw new ValidationProblem([{ field: 'to', message: 'must not be before from' }]);
}
