import { HttpStatus, Injectable } from '@nestjs/common';
import { ZipFile } from 'yazl';
import { DataSource } from 'typeorm';
import { ReadDatabase } from '../../database/read-database';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { Clock } from '../../common/clock';
import { NotFoundProblem, ProblemException, ValidationProblem } from '../../common/problem';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { unitScope } from '../../organisation/unit-scope.sql';
import { GENESIS_HASH, seal } from '../../records/canonical';
import { UnitVerification } from '../../records/chain-verification';
import { contentOf, RecordRow } from '../../records/services/record-chain';
import { isLocalDate, localDateAt } from '../../schedule/local-date';
import { norwegianDate } from '../../year-plan/year-plan';
import { AccessLogService } from '../access-log';
import { AuditService } from '../services/audit.service';
import { chainExportLines } from '../services/records-export';
import { addTo, ChainSection, CorrectionLine, Counts, emptyCounts, InspectionReport, MONTH_NAMES, REPORT_CONTENT_TYPES, ReportMonth, reportFileName } from './inspection-report';
import { InspectionReportQuery } from './inspection-report.dto';
import { correctionsOf, OccurrenceRow, toLine } from './inspection-report.lines';
import { InspectionReportRenderer } from './inspection-report.renderer';
import { VERIFY_HTML } from './verify-html';

/** More occurrences than a unit's two years should hold; beyond it, a shorter period, a wheel or a legal basis. */
export const REPORT_MAX_ROWS = 20_000;
/** An inspection looks at a year or two: a longer period is refused rather than laid out for minutes. */
export const REPORT_MAX_YEARS = 2;
/** Chains verified for one report (subtree=true): each is walked whole, so a part of the tree, not a municipality. */
export const REPORT_MAX_CHAINS = 50;
const ENDPOINT = 'GET /api/v1/audit/report';

/**
 * Every planned occurrence of the scope with a deadline in the period, by deadline, with its owners and every
 * record of it in chain order. $1 municipality, $2 unit, $3/$4 the period, $5 subtree, $6 wheel, $7 a
 * legal basis pattern, $8 the row limit.
 */
const REPORT_SQL = `
  WITH ${unitScope('$2', '$1', '$5')}
  SELECT o.deadline::text AS deadline, u.name AS unit_name, t.title, t.example, t.legal_basis, t.responsible_role, t.responsible_text,
         w.name AS wheel_name, r.code AS recipient_code, pp.display_name AS person_name, o.standing_outcome, o.standing_late,
         COALESCE((SELECT array_agg(p.display_name ORDER BY p.display_name)
                     FROM occurrence_owner oo JOIN person p ON p.id = oo.person_id WHERE oo.occurrence_id = o.id), '{}') AS owners,
         COALESCE((SELECT json_agg(json_build_object(
                     'id', s.id, 'sequence', s.sequence, 'kind', s.kind, 'outcome', s.outcome, 'late', s.late, 'comment', s.comment,
                     'stored_in', s.stored_in, 'evidence_url', s.evidence_url, 'signed_by_name', s.signed_by_name, 'signed_at', s.signed_at,
                     'supersedes_id', s.supersedes_id, 'reason', s.reason, 'on_behalf_of_name', s.on_behalf_of_name) ORDER BY s.sequence)
                     FROM sign_off s WHERE s.occurrence_id = o.id), '[]') AS records
    FROM occurrence o
    JOIN unit u ON u.id = o.unit_id
    JOIN task_definition t ON t.id = o.task_id
    JOIN wheel w ON w.id = t.wheel_id
    LEFT JOIN recipient r ON r.id = o.recipient_id
    LEFT JOIN person pp ON pp.id = o.person_id
   WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL
     AND o.deadline BETWEEN $3 AND $4
     AND ($6::uuid IS NULL OR t.wheel_id = $6)
     AND ($7::text IS NULL OR t.legal_basis ILIKE $7)
   ORDER BY o.deadline, u.name, w.name, t.sort_order, t.title, r.code, pp.display_name
   LIMIT $8`;

/**
 * The internal control report (internkontrollrapport) an inspection receives: what was planned in a period,
 * what was done, by whom and when, what was not, and the hash chain behind it; as PDF, XLSX, or a zip that
 * an outsider can check without trusting Årshjul (the PDF, the records as JSON lines, verify.html).
 */
@Injectable()
export class InspectionReportService {
  constructor(
    private readonly reads: ReadDatabase,
    private readonly municipalities: MunicipalitiesService,
    private readonly accessLog: AccessLogService,
    private readonly audit: AuditService,
    private readonly renderer: InspectionReportRenderer,
    private readonly clock: Clock,
  ) {}

  /** Reports read from a standby when one is healthy (ReadDatabase). */
  private get dataSource(): DataSource {
    return this.reads.source();
  }

  async file(reader: AuthenticatedPerson, query: InspectionReportQuery): Promise<{ file: Buffer; fileName: string; contentType: string }> {
    const format = query.format ?? 'pdf';
    const report = await this.report(reader, query);
    const name = reportFileName(report.unitName, report.period.from, report.period.to);
    if (format === 'zip') return { file: await this.bundle(reader, report), fileName: `${name}.zip`, contentType: REPORT_CONTENT_TYPES.zip };
    return { file: await this.renderer.render(report, format), fileName: `${name}.${format}`, contentType: REPORT_CONTENT_TYPES[format] };
  }

  /** The report's content; the recipient codes it shows are in the access log before it is returned. */
  async report(reader: AuthenticatedPerson, query: InspectionReportQuery): Promise<InspectionReport> {
    assertReportPeriod(query.from, query.to);
    const { municipalityId } = reader;
    const [unit] = await this.dataSource.query(
      `SELECT u.name, m.name AS municipality FROM unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.id = $1 AND u.municipality_id = $2`,
      [query.unitId, municipalityId],
    );
    if (!unit) throw new NotFoundProblem('Unit', query.unitId, 'unitId');
    let wheelName: string | undefined;
    if (query.wheelId) {
      const [wheel] = await this.dataSource.query(`SELECT name FROM wheel WHERE id = $1 AND municipality_id = $2`, [query.wheelId, municipalityId]);
      if (!wheel) throw new NotFoundProblem('Wheel', query.wheelId, 'wheelId');
      wheelName = wheel.name;
    }
    const subtree = query.subtree ?? false;
    const pattern = query.legalBasis ? `%${query.legalBasis.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows: OccurrenceRow[] = await this.dataSource.query(REPORT_SQL, [
      municipalityId, query.unitId, query.from, query.to, subtree, query.wheelId ?? null, pattern, REPORT_MAX_ROWS + 1,
    ]);
    if (rows.length > REPORT_MAX_ROWS) {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'report-too-large', 'Rapporten er for stor', `More than ${REPORT_MAX_ROWS} occurrences: choose a shorter period, one wheel (wheelId) or a legal basis.`, [
        { field: 'to', message: `the period holds more than ${REPORT_MAX_ROWS} occurrences; choose a shorter period, a wheel or a legal basis` },
      ]);
    }
    const timeZone = await this.municipalities.timeZone(municipalityId);
    const now = this.clock.now();
    const today = localDateAt(now, timeZone);
    const [me] = await this.dataSource.query(`SELECT display_name FROM person WHERE id = $1`, [reader.personId]);
    const at = (instant: string | Date) => instantText(instant, timeZone);
    // Before anything is logged: a report refused for its size leaves no trace of a read that did not happen.
    const chains = await this.chains(query.unitId, municipalityId, subtree, query.from, query.to, timeZone, at(now));
    // The report prints recipients' codes: the read is logged before any of it leaves.
    await this.accessLog.record(reader, ENDPOINT, rows.map((r) => r.recipient_code));

    const total = emptyCounts();
    const byMonth = new Map<string, Counts>();
    const byWheel = new Map<string, Counts>();
    const months = new Map<string, ReportMonth>();
    const corrections: CorrectionLine[] = [];
    const legalBases = new Map<string, Set<string>>();
    for (const row of rows) {
      const line = toLine(row, today, at);
      addTo(total, line.outcome);
      const key = row.deadline.slice(0, 7);
      addTo(byMonth.get(key) ?? byMonth.set(key, emptyCounts()).get(key)!, line.outcome);
      addTo(byWheel.get(row.wheel_name) ?? byWheel.set(row.wheel_name, emptyCounts()).get(row.wheel_name)!, line.outcome);
      const month = months.get(key) ?? months.set(key, { key, name: monthName(key), lines: [] }).get(key)!;
      month.lines.push(line);
      corrections.push(...correctionsOf(row, line, at));
      if (row.legal_basis) (legalBases.get(row.legal_basis) ?? legalBases.set(row.legal_basis, new Set()).get(row.legal_basis)!).add(line.task);
    }
    const scope = [
      subtree ? 'Enheten og enhetene under den.' : 'Bare enheten selv (ikke enhetene under den).',
      wheelName ? `Årshjul: ${wheelName}.` : 'Alle årshjul enheten følger.',
      ...(query.legalBasis ? [`Hjemmel: bare oppgaver med hjemmel som inneholder «${query.legalBasis}».`] : []),
    ];
    const period = { from: query.from, to: query.to, text: `${norwegianDate(query.from)}–${norwegianDate(query.to)}` };
    return {
      title: `Internkontrollrapport – ${unit.name}`,
      municipality: unit.municipality,
      unitName: unit.name,
      period,
      scope,
      generatedBy: me?.display_name ?? reader.email,
      generatedAt: at(now),
      today,
      rowCount: rows.length,
      total,
      byMonth: [...byMonth].map(([key, counts]) => ({ label: monthName(key), counts })),
      byWheel: [...byWheel].sort(([a], [b]) => a.localeCompare(b, 'nb')).map(([label, counts]) => ({ label, counts })),
      months: [...months.values()],
      legalBases: [...legalBases].sort(([a], [b]) => a.localeCompare(b, 'nb')).map(([legalBasis, tasks]) => ({ legalBasis, tasks: [...tasks] })),
      corrections,
      chains,
      howToCheck: [
        'Hver signering og hver retting er en post i enhetens kjede. Hver post bærer SHA-256-hashen av posten før, så en endret, fjernet eller innskutt post bryter kjeden.',
        'Last ned rapporten som zip (format=zip): den har periodens poster (records.jsonl) slik de ble hashet, med et manifest, og verify.html. Åpne verify.html i en nettleser, uten nett, og velg records.jsonl: den regner ut hashen av hver linje og viser kjedehodet og den første linjen som ikke henger sammen.',
        'Det samme kan gjøres med bash, grep, cut og sha256sum (oppskriften står i Årshjuls README, «Checking an export without trusting Årshjul»).',
        'Kjedehodet over skal være likt manifestets chainHead og hashen verify.html viser for siste linje. Ta vare på det: at de nyeste postene er slettet, kan bare oppdages mot et kjedehode notert tidligere.',
      ],
    };
  }

  /** Each unit's chain: the period's records (as in records.jsonl), the unit's head, and a fresh verification. */
  private async chains(unitId: string, municipalityId: string, subtree: boolean, from: string, to: string, timeZone: string, verifiedAt: string): Promise<ChainSection[]> {
    const units: Array<{ id: string; name: string }> = await this.dataSource.query(
      `WITH ${unitScope('$2', '$1', '$3')}
       SELECT u.id, u.name FROM unit u
        WHERE u.id IN (SELECT id FROM scope) AND (u.id = $2 OR EXISTS (SELECT 1 FROM sign_off s WHERE s.unit_id = u.id))
        ORDER BY u.id = $2 DESC, u.name`,
      [municipalityId, unitId, subtree],
    );
    if (units.length > REPORT_MAX_CHAINS) {
      // Each chain is verified whole when the report is made: a municipality's every unit at once is not one inspection.
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'report-too-large', 'Rapporten er for stor', `More than ${REPORT_MAX_CHAINS} units with records below this unit.`, [
        { field: 'subtree', message: `more than ${REPORT_MAX_CHAINS} units below have records; report on a unit further down the tree` },
      ]);
    }
    const sections: ChainSection[] = [];
    for (const unit of units) {
      const [span] = await this.dataSource.query(
        `SELECT count(*)::int AS records, min(sequence) AS first, max(sequence) AS last
           FROM sign_off WHERE unit_id = $1 AND (signed_at AT TIME ZONE $4)::date BETWEEN $2 AND $3`,
        [unit.id, from, to, timeZone],
      );
      const rowAt = async (sequence: string | null): Promise<RecordRow | undefined> =>
        sequence === null ? undefined : (await this.dataSource.query(`SELECT * FROM sign_off WHERE unit_id = $1 AND sequence = $2`, [unit.id, sequence]))[0];
      const first = await rowAt(span.first);
      const last = await rowAt(span.last);
      const [head] = await this.dataSource.query(`SELECT sequence, hash FROM sign_off WHERE unit_id = $1 ORDER BY sequence DESC LIMIT 1`, [unit.id]);
      // In full: the report tells an inspection that every record of the chain holds, not only those since a checkpoint.
      const verification = await this.audit.verify(unit.id, { full: true });
      sections.push({
        unitId: unit.id,
        unitName: unit.name,
        records: span.records,
        firstSequence: first ? Number(first.sequence) : null,
        lastSequence: last ? Number(last.sequence) : null,
        previousHashOfFirst: first?.previous_hash ?? null,
        // As the export's manifest computes it: the hash of the last line as written, not the stored column.
        chainHead: last ? seal(contentOf(last)).hash : null,
        unitChainHead: head ? { sequence: Number(head.sequence), hash: head.hash } : { sequence: 0, hash: GENESIS_HASH },
        verified: verification.valid,
        verifiedRecords: verification.records,
        verification: verificationText(verification, verifiedAt),
      });
    }
    return sections;
  }

  /**
   * The zip an outsider can check: the PDF, each unit's records of the period as JSON lines with their manifest
   * (as `GET /audit/records?format=jsonl` gives them), and verify.html. Packed in memory: the report's row
   * limit bounds the records too.
   */
  private async bundle(reader: AuthenticatedPerson, report: InspectionReport): Promise<Buffer> {
    const pdf = await this.renderer.render(report, 'pdf');
    const timeZone = await this.municipalities.timeZone(reader.municipalityId);
    const zip = new ZipFile();
    const mtime = this.clock.now();
    zip.addBuffer(pdf, 'internkontrollrapport.pdf', { mtime });
    for (const [n, chain] of report.chains.entries()) {
      let text = '';
      for await (const line of chainExportLines(this.dataSource, {
        unitId: chain.unitId,
        from: report.period.from,
        to: report.period.to,
        timeZone,
        generatedAt: mtime,
        beforeManifest: (codes) => this.accessLog.record(reader, `${ENDPOINT} (zip)`, codes),
      })) {
        text += line;
      }
      zip.addBuffer(Buffer.from(text, 'utf8'), n === 0 ? 'records.jsonl' : `records-${reportFileName(chain.unitName, '', '').replace(/^internkontrollrapport-|--$/g, '')}.jsonl`, { mtime });
    }
    zip.addBuffer(Buffer.from(VERIFY_HTML, 'utf8'), 'verify.html', { mtime });
    zip.addBuffer(Buffer.from(readme(report), 'utf8'), 'LESMEG.txt', { mtime });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

function readme(report: InspectionReport): string {
  return [
    report.title,
    `${report.municipality}, ${report.period.text}. Laget ${report.generatedAt} av ${report.generatedBy}.`,
    '',
    'internkontrollrapport.pdf  rapporten',
    'records.jsonl              periodens poster i enhetens kjede, én per linje slik de ble hashet, og til slutt et manifest',
    ...(report.chains.length > 1 ? ['records-*.jsonl            det samme for enhetene under'] : []),
    'verify.html                åpne i en nettleser (uten nett) og velg en .jsonl-fil: hver lenke i kjeden kontrolleres',
    '',
    ...report.howToCheck,
    '',
  ].join('\r\n');
}

function assertReportPeriod(from: string, to: string): void {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!isLocalDate(value)) throw new ValidationProblem([{ field, message: 'is not a date in the calendar' }]);
  }
  if (to < from) throw new ValidationProblem([{ field: 'to', message: 'must not be before from' }]);
  const limit = `${Number(from.slice(0, 4)) + REPORT_MAX_YEARS}${from.slice(4)}`;
  if (to >= limit) throw new ValidationProblem([{ field: 'to', message: `must be less than ${REPORT_MAX_YEARS} years after from (a report covers at most ${REPORT_MAX_YEARS} years)` }]);
}

const PROBLEM_WORDS = { altered: 'endret etter signering', removed: 'mangler', 'out-of-order': 'henger ikke sammen med posten før' };

function verificationText(v: UnitVerification, verifiedAt: string): string[] {
  if (v.valid) {
    return [`Kontrollert ${verifiedAt}: kjeden er hel. Alle ${v.records} poster i enhetens kjede stemmer med sine hasher og følger hverandre uten hull, og det som står på hver forekomst stemmer med postene.`];
  }
  const lines = [`Kontrollert ${verifiedAt}: kjeden er IKKE hel.`];
  if (v.problemCount) {
    lines.push(`${v.problemCount} brudd i kjeden av ${v.records} poster.`);
    for (const p of v.problems.slice(0, 10)) lines.push(`Post ${p.sequence}: ${PROBLEM_WORDS[p.problem as keyof typeof PROBLEM_WORDS] ?? p.problem}.`);
  }
  if (v.standingProblemCount) lines.push(`${v.standingProblemCount} forekomster der det som står ikke stemmer med postene (første: frist ${norwegianDate(v.standingProblems[0].deadline)}).`);
  return lines;
}

function monthName(key: string): string {
  return `${MONTH_NAMES[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
}

/** 10.03.2027 kl. 10:30 in the municipality's zone. */
function instantText(instant: string | Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('nb-NO', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('day')}.${p('month')}.${p('year')} kl. ${p('hour')}:${p('minute')}`;
}
