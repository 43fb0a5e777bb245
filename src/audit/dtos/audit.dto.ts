import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsUUID, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { PageField, PageSizeField } from '../../common/query-fields';
import { SignOffDto } from '../../records/dtos/sign-off.dto';

const toBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class UnitQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of a unit' })
  unitId: string;
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

  @PageField()
  page?: number;

  @PageSizeField()
  pageSize?: number;

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

export class RecordsPageDto {
  @ApiProperty({ type: [SignOffDto] }) items: SignOffDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class ChainReportDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() records: number;
  @ApiProperty() valid: boolean;
  @ApiProperty({ nullable: true, type: String }) chainHead: string | null;
  @ApiProperty({ nullable: true, type: Object, description: '{ sequence, recordId, problem: altered | removed | out-of-order, detail }' })
  firstProblem: unknown;
}

/** An optional period and a page: for the logs. */
export class LogQuery {
  @ApiPropertyOptional({ example: '2027-01-01' })
  @Omittable()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31' })
  @Omittable()
  @IsCalendarDate()
  to?: string;

  @PageField()
  page?: number;

  @PageSizeField()
  pageSize?: number;
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

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditLogEntryDto] }) items: AuditLogEntryDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
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

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) items: AccessLogEntryDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
