import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { CleanText, FreeText, NormalisedText } from '../../common/text';
import { DueSoonDaysField, EscalationDaysField } from '../../common/query-fields';
import { DEADLINE_SHIFTS, DeadlineShift } from '../../schedule/holidays';
import { STAY_ANCHORS, StayAnchor, TaskDefinition, TaskScope } from '../entities/task-definition.entity';

const ROLE = /^[a-z][a-z0-9_]{1,39}$/;

export class CreateTaskDto {
  @ApiProperty({ example: 'Planlegg HMS-dag' })
  @FreeText(300, { min: 1 })
  title: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @FreeText(4000)
  description?: string | null;

  @ApiPropertyOptional({
    example: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1',
    nullable: true,
    type: String,
    description: 'RFC 5545 RRULE whose dates are the deadlines; a DTSTART line may precede it. A task recurs in one way: give this, repeatAfterCompletion, or (a recipient task) relativeTo',
  })
  @IsOptional()
  @IsString({ message: 'must be an RRULE such as FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  rrule?: string | null;

  @ApiPropertyOptional({
    example: 'P6M',
    nullable: true,
    type: String,
    description: 'Instead of an RRULE: next due this ISO 8601 duration (years, months, weeks, days; at most P10Y) after each completion. The first deadline is startsOn',
  })
  @IsOptional()
  @IsString({ message: 'must be a duration such as P6M' })
  @Length(1, 40, { message: 'must be a duration such as P6M' })
  repeatAfterCompletion?: string | null;

  @ApiPropertyOptional({
    example: 'vedtak kap. 9',
    nullable: true,
    type: String,
    description: 'With repeatAfterCompletion on a recipient task: the first deadline is the duration after this named date of the recipient',
  })
  @IsOptional()
  @FreeText(100, { min: 1 })
  repeatAfterDate?: string | null;

  @ApiPropertyOptional({
    enum: STAY_ANCHORS,
    nullable: true,
    description: "Instead of an RRULE: count the deadline from each recipient's stay, from the day they came (activeFrom) or leave (activeTo). Only with scope recipient",
  })
  @IsOptional()
  @IsIn(STAY_ANCHORS, { message: `must be one of ${STAY_ANCHORS.join(', ')}` })
  relativeTo?: StayAnchor | null;

  @ApiPropertyOptional({
    example: 'P4W',
    nullable: true,
    type: String,
    description: 'With relativeTo: how long after (or, with a minus, before) the day the deadline is, as an ISO 8601 duration of at most a year: P4W, P1M, P14D, -P1W',
  })
  @IsOptional()
  @IsString({ message: 'must be an ISO 8601 duration such as P4W, P1M, P14D or -P1W' })
  @Length(1, 20, { message: 'must be an ISO 8601 duration such as P4W, P1M, P14D or -P1W' })
  offset?: string | null;

  @ApiPropertyOptional({ example: '2027-01-01', description: "The rule's start (DTSTART); anchors INTERVAL. Default: 1 January this year" })
  @Omittable()
  @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional({ default: 14, description: 'How many days before the deadline the task opens' })
  @Omittable()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0, { message: 'must be 0 or more: a task cannot open after its deadline' })
  @Max(366, { message: 'must be at most 366 days' })
  opensDaysBefore?: number;

  @ApiPropertyOptional({ enum: DEADLINE_SHIFTS, default: 'none', description: 'Move a deadline on a weekend or public holiday' })
  @Omittable()
  @IsIn(DEADLINE_SHIFTS, { message: `must be one of ${DEADLINE_SHIFTS.join(', ')}` })
  deadlineShift?: DeadlineShift;

  @ApiProperty({ example: 'manager', description: 'Ansvar: manager, staff, primary_contact, or a role the municipality added' })
  @Matches(ROLE, { message: 'must be a role name such as manager or primary_contact (lower case, digits and _)' })
  responsibleRole: string;

  @ApiPropertyOptional({ example: 'Compilo', nullable: true, type: String, description: 'Lagres: where the record is stored' })
  @IsOptional()
  @FreeText(300)
  storedIn?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://kommune.compilo.no/' })
  @IsOptional()
  @NormalisedText()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be a link starting with https://' })
  @CleanText()
  storedInUrl?: string | null;

  @ApiPropertyOptional({ default: false })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  commentRequired?: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Forskrift om ledelse og kvalitetsforbedring § 6' })
  @IsOptional()
  @FreeText(500)
  legalBasis?: string | null;

  @ApiPropertyOptional({
    enum: ['unit', 'recipient', 'person'],
    default: 'unit',
    description: 'Once per unit (shared), once per service recipient, or once per holder of the responsible role in the unit (each signs their own)',
  })
  @Omittable()
  @IsIn(['unit', 'recipient', 'person'], { message: 'must be unit, recipient or person' })
  scope?: TaskScope;

  @ApiPropertyOptional({ default: 0 })
  @Omittable()
  @IsInt({ message: 'must be a whole number' })
  sortOrder?: number;

  @DueSoonDaysField()
  dueSoonDays?: number | null;

  @EscalationDaysField()
  escalationDays?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Why the row must be looked at before its draft is published; null clears it (the row has been looked at)',
  })
  @IsOptional()
  @FreeText(1000)
  reviewNote?: string | null;
}

// skipNullProperties: false — a field may be left out, but null is validated (and refused where a column needs a value).
export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'Archive (true) or restore (false); future unsigned occurrences follow' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  archived?: boolean;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) wheelId: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null for a task repeating after completion or counted from the stay' }) rrule: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 8601 duration after each completion (P6M); null: the RRULE or the stay' }) repeatAfterCompletion: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The recipient's named date the first deadline counts from" }) repeatAfterDate: string | null;
  @ApiProperty({ nullable: true, enum: STAY_ANCHORS }) relativeTo: StayAnchor | null;
  @ApiProperty({ nullable: true, type: String, example: 'P4W' }) offset: string | null;
  @ApiProperty() startsOn: string;
  @ApiProperty() opensDaysBefore: number;
  @ApiProperty({ enum: DEADLINE_SHIFTS }) deadlineShift: DeadlineShift;
  @ApiProperty() responsibleRole: string;
  @ApiProperty({ nullable: true, type: String }) storedIn: string | null;
  @ApiProperty({ nullable: true, type: String }) storedInUrl: string | null;
  @ApiProperty() commentRequired: boolean;
  @ApiProperty({ nullable: true, type: String }) legalBasis: string | null;
  @ApiProperty({ enum: ['unit', 'recipient', 'person'] }) scope: TaskScope;
  @ApiProperty({ description: 'An invented example row, shown as «Eksempel» (not the seed\'s own words)' }) example: boolean;
  @ApiProperty() sortOrder: number;
  @ApiProperty({ nullable: true, type: Number }) dueSoonDays: number | null;
  @ApiProperty({ nullable: true, type: Number }) escalationDays: number | null;
  @ApiProperty() archived: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The month block an imported row stood under (1–12)' }) sourceMonth: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The line of the imported file' }) sourceLine: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The Ansvar text as the imported table wrote it' }) responsibleText: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the row must be looked at before the draft is published' }) reviewNote: string | null;

  static from(t: TaskDefinition): TaskDto {
    return {
      id: t.id,
      wheelId: t.wheelId,
      title: t.title,
      description: t.description,
      rrule: t.rrule,
      repeatAfterCompletion: t.repeatAfterCompletion,
      repeatAfterDate: t.repeatAfterDate,
      relativeTo: t.relativeTo,
      offset: t.relativeOffset,
      startsOn: t.startsOn,
      opensDaysBefore: t.opensDaysBefore,
      deadlineShift: t.deadlineShift,
      responsibleRole: t.responsibleRole,
      storedIn: t.storedIn,
      storedInUrl: t.storedInUrl,
      commentRequired: t.commentRequired,
      legalBasis: t.legalBasis,
      scope: t.scope,
      example: t.example,
      sortOrder: t.sortOrder,
      dueSoonDays: t.dueSoonDays,
      escalationDays: t.escalationDays,
      archived: t.archivedAt !== null,
      sourceMonth: t.sourceMonth,
      sourceLine: t.sourceLine,
      responsibleText: t.responsibleText,
      reviewNote: t.reviewNote,
    };
  }
}
