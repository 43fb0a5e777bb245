import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsUUID, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { CursorField, LimitField, PageInfoDto } from '../../common/pagination';
import { SignOffDto } from '../../records/dtos/sign-off.dto';

const toBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class UnitQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of a unit' })
  unitId: string;
}

export class VerifyQuery extends UnitQuery {
  @ApiPropertyOptional({
    default: false,
    description: 'true: verify from the first record (every record, noted head, time stamp and occurrence). Without it: from the unit’s last verified checkpoint',
  })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  full?: boolean;
}

export class PeriodQuery extends UnitQuery {
  @ApiProperty({ example: '2027-01-01' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2027-12-31' })
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ default: false, description: 'Include the units below' })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  subtree?: boolean;
}

export const GROUP_BY = ['month', 'wheel', 'role', 'person'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export class ComplianceQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: GROUP_BY, default: 'month' })
  @Omittable()
  @IsIn(GROUP_BY, { message: `must be one of ${GROUP_BY.join(', ')}` })
  groupBy?: GroupBy;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @Omittable()
  @IsIn(['json', 'csv', 'xlsx'], { message: 'must be json, csv or xlsx' })
  format?: 'json' | 'csv' | 'xlsx';
}

export class RecordsQuery extends PeriodQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a wheel' })
  wheelId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Who signed' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a person' })
  personId?: string;

  @ApiPropertyOptional({ enum: ['done', 'not_applicable', 'revoked'] })
  @Omittable()
  @IsIn(['done', 'not_applicable', 'revoked'], { message: 'must be done, not_applicable or revoked' })
  outcome?: 'done' | 'not_applicable' | 'revoked';

  @LimitField()
  limit?: number;

  @CursorField()
  cursor?: string;

  @ApiPropertyOptional({
    enum: ['signed', 'deadline'],
    default: 'signed',
    description: 'signed: records signed in the period (the chain as signed); deadline: records of occurrences whose deadline is in the period, by deadline',
  })
  @Omittable()
  @IsIn(['signed', 'deadline'], { message: 'must be signed or deadline' })
  basis?: 'signed' | 'deadline';

  @ApiPropertyOptional({ enum: ['json', 'jsonl'], description: 'jsonl: the unit’s chain for the period, one record a line, then a manifest' })
  @Omittable()
  @IsIn(['json', 'jsonl'], { message: 'must be json or jsonl' })
  format?: 'json' | 'jsonl';
}

export class ComplianceRowDto {
  @ApiProperty({ example: '2027-02', description: 'The month, wheel, role or person' }) group: string;
  @ApiProperty() planned: number;
  @ApiProperty() doneOnTime: number;
  @ApiProperty() doneLate: number;
  @ApiProperty() notApplicable: number;
  @ApiProperty({ description: 'Deadline passed, not signed' }) overdue: number;
  @ApiProperty({ description: 'Deadline not yet passed, not signed' }) open: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Done on time ÷ (done on time + done late + overdue); null when nothing has fallen due' })
  shareOnTime: number | null;
}

export class ComplianceDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() subtree: boolean;
  @ApiProperty({ enum: GROUP_BY }) groupBy: GroupBy;
  @ApiProperty() today: string;
  @ApiProperty({ type: [ComplianceRowDto] }) rows: ComplianceRowDto[];
}

export class RecordsPageDto extends PageInfoDto {
  @ApiProperty({ type: [SignOffDto] }) items: SignOffDto[];
}

export class ChainProblemDto {
  @ApiProperty() sequence: number;
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ enum: ['altered', 'removed', 'out-of-order'] }) problem: string;
  @ApiProperty() detail: string;
  @ApiPropertyOptional({ description: 'true: the record at the checkpoint verification started from, removed or replaced since' }) atCheckpoint?: boolean;
}

export class StandingProblemDto {
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ example: '2027-03-10' }) deadline: string;
  @ApiProperty({ description: 'What the occurrence says stands, as the lists and the compliance report count it: { outcome, late, cancelled }' })
  standing: unknown;
  @ApiProperty({ description: 'What its records say: { outcome, late, recordId } of the record that stands, or nulls' })
  records: unknown;
  @ApiProperty() detail: string;
}

export class NotedHeadDto {
  @ApiProperty() sequence: number;
  @ApiProperty() hash: string;
  @ApiProperty({ format: 'date-time' }) notedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When an RFC 3161 authority stamped it (TSA_URL); null: not stamped' }) stampedAt: string | null;
}

export class HeadProblemDto extends NotedHeadDto {
  @ApiProperty({ enum: ['missing', 'differs', 'time-stamp-invalid'] }) problem: string;
  @ApiProperty() detail: string;
}

export class TimeStampCountDto {
  @ApiProperty({ description: 'Verified against the trusted TSA certificate (TSA_CERT_FILE)' }) verified: number;
  @ApiProperty({ description: 'Whole and for these heads, but no TSA certificate is configured to trust' }) untrusted: number;
}

export class CheckpointDto {
  @ApiProperty() sequence: number;
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty() hash: string;
  @ApiProperty({ format: 'date-time' }) verifiedAt: string;
  @ApiProperty({ enum: ['nightly', 'full'], description: 'nightly: the nightly job, from the checkpoint before; full: a full verification' }) verifiedBy: string;
}

export class ChainReportDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ description: 'Records in the chain as far as verified (from a checkpoint: its place and the records after it)' }) records: number;
  @ApiProperty({ description: 'Records whose hash this verification computed again' }) recordsChecked: number;
  @ApiProperty({ description: 'Verified from the first record; false: from the checkpoint in `from`' }) full: boolean;
  @ApiProperty({ nullable: true, type: CheckpointDto, description: 'The checkpoint verification started from; null when full' }) from: CheckpointDto | null;
  @ApiProperty({ description: 'No broken link and no occurrence whose standing disagrees with its records' }) valid: boolean;
  @ApiProperty({ nullable: true, type: String }) chainHead: string | null;
  @ApiProperty({ nullable: true, type: ChainProblemDto, description: 'The first of problems' })
  firstProblem: ChainProblemDto | null;
  @ApiProperty({ type: [ChainProblemDto], description: 'Every record altered, removed or out of order, in chain order (at most 1,000)' })
  problems: ChainProblemDto[];
  @ApiProperty() problemCount: number;
  @ApiProperty({ type: [StandingProblemDto], description: 'Every occurrence whose standing disagrees with its records, by deadline (at most 1,000)' })
  standingProblems: StandingProblemDto[];
  @ApiProperty() standingProblemCount: number;
  @ApiProperty({ description: 'Heads of this chain noted nightly (outside the chain); the chain must still hold each of them' }) notedHeads: number;
  @ApiProperty({ nullable: true, type: NotedHeadDto }) lastNotedHead: NotedHeadDto | null;
  @ApiProperty({ type: TimeStampCountDto }) timeStamps: TimeStampCountDto;
  @ApiProperty({ type: [HeadProblemDto], description: 'Every noted head the chain no longer has (shorter, or a different hash), and every time stamp over noted heads that does not hold (at most 1,000)' })
  headProblems: HeadProblemDto[];
  @ApiProperty() headProblemCount: number;
}

export class OccurrenceChangesQuery extends UnitQuery {
  @ApiPropertyOptional({ example: '2027-01-01', description: 'Changed on or after (local date)' })
  @Omittable()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Changed on or before (local date)' })
  @Omittable()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ default: false, description: 'Include the units below' })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  subtree?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of an occurrence' })
  occurrenceId?: string;

  @LimitField()
  limit?: number;

  @CursorField()
  cursor?: string;
}

export class OccurrenceChangeDto {
  @ApiProperty() id: number;
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() taskTitle: string;
  @ApiProperty({ nullable: true, type: String }) recipientCode: string | null;
  @ApiProperty({ example: '2027-03-10', description: 'The deadline now' }) deadline: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ nullable: true, type: Object, description: 'The person whose request made the change; null for the service’s own jobs or a change made outside the service' })
  actor: { id: string; displayName: string } | null;
  @ApiProperty({ nullable: true, type: String, example: 'task-changed', description: 'Why; null when nobody said (a change made outside the service’s code paths)' })
  reason: string | null;
  @ApiProperty({ example: 'arshjul_app', description: 'The database role that made the change' }) databaseRole: string;
  @ApiProperty({ type: Object, example: { deadline: '2027-07-10' }, description: 'The fields that changed, before' }) before: Record<string, unknown>;
  @ApiProperty({ type: Object, example: { deadline: '2027-07-09' }, description: 'The same fields after' }) after: Record<string, unknown>;
}

export class OccurrenceChangePageDto extends PageInfoDto {
  @ApiProperty({ type: [OccurrenceChangeDto] }) items: OccurrenceChangeDto[];
}

/** An optional period and a page: for the logs, newest first. */
export class LogQuery {
  @ApiPropertyOptional({ example: '2027-01-01' })
  @Omittable()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31' })
  @Omittable()
  @IsCalendarDate()
  to?: string;

  @LimitField()
  limit?: number;

  @CursorField()
  cursor?: string;
}

export class AuditLogQuery extends LogQuery {
  @ApiPropertyOptional({ enum: ['municipality', 'unit', 'person', 'role_assignment', 'recipient', 'wheel', 'task', 'wheel_assignment'] })
  @Omittable()
  @IsIn(['municipality', 'unit', 'person', 'role_assignment', 'recipient', 'wheel', 'task', 'wheel_assignment'], { message: 'must be a kind of thing that is logged, such as task' })
  entity?: string;
}

export class AuditLogEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'Who made the change' }) actor: { id: string; displayName: string };
  @ApiProperty({ example: 'updated' }) action: string;
  @ApiProperty({ example: 'task' }) entity: string;
  @ApiProperty({ format: 'uuid' }) entityId: string;
  @ApiProperty({ nullable: true, type: Object }) before: unknown;
  @ApiProperty({ nullable: true, type: Object }) after: unknown;
}

export class AuditLogPageDto extends PageInfoDto {
  @ApiProperty({ type: [AuditLogEntryDto] }) items: AuditLogEntryDto[];
}

export class AccessLogQuery extends LogQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Who read' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a person' })
  personId?: string;

  @ApiPropertyOptional({ example: 'FJV-001', description: 'Reads that showed this recipient code' })
  @Omittable()
  @Matches(/^[A-Za-z0-9-]{2,32}$/, { message: 'must be a recipient code such as FJV-001' })
  code?: string;
}

export class AccessLogEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() reader: { id: string; displayName: string };
  @ApiProperty({ example: 'GET /api/v1/units/:id/checklist' }) endpoint: string;
  @ApiProperty({ type: [String] }) recipientCodes: string[];
}

export class AccessLogPageDto extends PageInfoDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) items: AccessLogEntryDto[];
}
