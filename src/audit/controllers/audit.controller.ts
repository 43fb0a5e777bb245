import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { LogsRecipientAccess } from '../access-log';
import { Paginated } from '../../common/pagination';
import { AccessLogPageDto, AccessLogQuery, AuditLogPageDto, AuditLogQuery, ChainReportDto, OccurrenceChangePageDto, OccurrenceChangesQuery, ComplianceDto, ComplianceQuery, RecordsPageDto, RecordsQuery, VerifyQuery } from '../dtos/audit.dto';
import { REPORT_CONTENT_TYPES } from '../report/inspection-report';
import { InspectionReportQuery } from '../report/inspection-report.dto';
import { InspectionReportService } from '../report/inspection-report.service';
import { AuditService } from '../services/audit.service';
import { complianceCsv, complianceXlsx } from '../services/compliance-files';

const AUDITORS = ['manager', 'quality_adviser'];

/** A change of a recipient shows its code before and after (a new code, an archived recipient). */
function recipientCodesIn(page: AuditLogPageDto): Array<string | undefined> {
  const codeOf = (state: unknown) => (state as { code?: string } | null)?.code;
  return (page.items ?? []).filter((e) => e.entity === 'recipient').flatMap((e) => [codeOf(e.before), codeOf(e.after)]);
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly reports: InspectionReportService,
  ) {}

  @Get('verify')
  @Allow.unitRoleFromQuery(AUDITORS, 'unitId')
  @ApiOperation({
    summary:
      "Walk the unit's hash chain and report every record altered, removed or out of order, every head noted for it that the chain no longer has (and time stamps over them that do not hold), and every occurrence whose standing disagrees with its records. From the unit's last verified checkpoint, or with full=true from the first record",
  })
  @ApiOkResponse({ type: ChainReportDto })
  verify(@Query() query: VerifyQuery) {
    return this.audit.verify(query.unitId, { full: query.full });
  }

  @Get('log')
  @Paginated()
  @Allow.anyRole(['quality_adviser'])
  @ApiOperation({ summary: 'Administrative changes (templates, units, people, roles, recipients, wheel assignments): who, when, before and after' })
  @ApiOkResponse({ type: AuditLogPageDto })
  @LogsRecipientAccess((page) => recipientCodesIn(page as AuditLogPageDto))
  log(@CurrentPerson() person: AuthenticatedPerson, @Query() query: AuditLogQuery) {
    return this.audit.log(person.municipalityId, query);
  }

  @Get('occurrence-changes')
  @Paginated()
  @Allow.unitRoleFromQuery(AUDITORS, 'unitId')
  @ApiOperation({ summary: 'The trace of occurrences moved, cancelled or reinstated (or otherwise changed): who, when, why, before and after' })
  @ApiOkResponse({ type: OccurrenceChangePageDto })
  @LogsRecipientAccess((page) => (page as OccurrenceChangePageDto).items.map((c) => c.recipientCode))
  occurrenceChanges(@CurrentPerson() person: AuthenticatedPerson, @Query() query: OccurrenceChangesQuery) {
    return this.audit.occurrenceChanges(person.municipalityId, query);
  }

  @Get('access-log')
  @Paginated()
  @Allow.anyRole(['quality_adviser'])
  @ApiOperation({ summary: 'Who read which service recipients’ data, when, through which endpoint (Normen)' })
  @ApiOkResponse({ type: AccessLogPageDto })
  accessLog(@CurrentPerson() person: AuthenticatedPerson, @Query() query: AccessLogQuery) {
    return this.audit.accessLogEntries(person.municipalityId, query);
  }

  @Get('compliance')
  @Allow.unitRoleFromQuery(AUDITORS, 'unitId')
  @ApiOperation({ summary: 'Planned, done on time, done late, not applicable, overdue and open, by month, wheel, role or person' })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ type: ComplianceDto })
  async compliance(@CurrentPerson() person: AuthenticatedPerson, @Query() query: ComplianceQuery, @Res({ passthrough: true }) res: Response) {
    const report = await this.audit.compliance(person.municipalityId, query);
    const name = `etterlevelse-${report.from}-${report.to}`;
    if (query.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
      return complianceCsv(report);
    }
    if (query.format === 'xlsx') {
      return new StreamableFile(await complianceXlsx(report), {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        disposition: `attachment; filename="${name}.xlsx"`,
      });
    }
    return report;
  }

  /** The recipient codes it prints are access-logged by the service, before the file is written. */
  @Get('report')
  @Allow.unitRoleFromQuery(AUDITORS, 'unitId')
  @ApiOperation({
    summary:
      'The internal control report (internkontrollrapport) of a unit and period, by deadline: PDF, XLSX, or a zip with the PDF, the records as JSONL with their manifest, and verify.html',
  })
  @ApiProduces(...Object.values(REPORT_CONTENT_TYPES))
  @ApiOkResponse({ description: 'The file, as an attachment' })
  async report(@CurrentPerson() person: AuthenticatedPerson, @Query() query: InspectionReportQuery): Promise<StreamableFile> {
    const { file, fileName, contentType } = await this.reports.file(person, query);
    return new StreamableFile(file, { type: contentType, disposition: `attachment; filename="${fileName}"`, length: file.length });
  }

  @Get('records')
  @Paginated()
  @Allow.unitRoleFromQuery(UNIT_READERS, 'unitId')
  @ApiOperation({
    summary: 'The signed records, filtered and paginated; staff see their own. format=jsonl exports the chain with a manifest (managers, quality advisers)',
  })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({ type: RecordsPageDto })
  @LogsRecipientAccess((page) => ((page as RecordsPageDto).items ?? []).map((r) => r.snapshot.recipientCode as string | null))
  async records(@CurrentPerson() person: AuthenticatedPerson, @Query() query: RecordsQuery) {
    if (query.format !== 'jsonl') return this.audit.records(person, query);
    const lines = await this.audit.exportJsonl(person, query);
    return new StreamableFile(Readable.from(lines), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="internkontroll-${query.from}-${query.to}.jsonl"`,
    });
  }
}
