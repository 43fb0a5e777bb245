import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsCalendarMonth } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { CursorField, LimitField, PageInfoDto } from '../../common/pagination';

/** As the database checks a recipient's code (migration Organisation). */
export const RECIPIENT_CODE = /^[A-Za-z0-9-]{2,32}$/;

export const OCCURRENCE_STATUSES = ['open', 'done', 'done_late', 'not_applicable', 'overdue'] as const;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];

export class ChecklistQuery {
  @ApiProperty({ example: '2027-02', description: 'The month, YYYY-MM' })
  @IsCalendarMonth()
  month: string;

  @ApiPropertyOptional({ description: 'Include the units below this one', default: false })
  @Omittable()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  subtree?: boolean;

  @LimitField()
  limit?: number;

  @CursorField()
  cursor?: string;

  // The filters of a page of rows (they make the answer a page), applied in SQL before the page is taken.
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the rows of this wheel (a page of rows)' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a wheel' })
  wheelId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the rows of this task (a page of rows)' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a task' })
  taskId?: string;

  @ApiPropertyOptional({ enum: OCCURRENCE_STATUSES, description: 'Only the rows of this status (a page of rows); a duty per person keeps the people who have it' })
  @Omittable()
  @IsIn(OCCURRENCE_STATUSES, { message: `must be one of ${OCCURRENCE_STATUSES.join(', ')}` })
  status?: OccurrenceStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the rows this person is responsible for (a page of rows)' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a person' })
  personId?: string;

  @ApiPropertyOptional({ example: 'FJV-012', description: "Only the rows of this service recipient's code (a page of rows)" })
  @Omittable()
  @Matches(RECIPIENT_CODE, { message: 'must be a recipient code: 2 to 32 letters A–Z, digits or hyphens' })
  recipientCode?: string;
}

/** Whether a checklist query asks for a page of rows rather than the month grouped by wheel. */
export function asksForPage(query: ChecklistQuery): boolean {
  return !!query.subtree || [query.limit, query.cursor, query.wheelId, query.taskId, query.status, query.personId, query.recipientCode].some((v) => v !== undefined);
}

export class MyTasksQuery {
  @ApiPropertyOptional({
    description: 'Also the tasks not open yet that fall due this month or within the next 30 days («Kommende»), after the open and overdue ones; tell them by `opensOn` later than today',
    default: false,
  })
  @Omittable()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  upcoming?: boolean;
}

export class PersonRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

export class OccurrenceItemDto {
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ example: 'Påse at årskontroll hos fastlege blir bestilt' }) title: string;
  @ApiProperty({ format: 'uuid' }) wheelId: string;
  @ApiProperty() wheelName: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ nullable: true, type: String, description: "The service recipient's pseudonymous code, for recipient tasks" })
  recipientCode: string | null;
  @ApiProperty({ type: [PersonRefDto], description: 'Who is responsible (Ansvar), resolved from the role in the unit' })
  owners: PersonRefDto[];
  @ApiProperty({ description: 'Nobody holds the responsible role in the unit or above it: shown as «Ingen ansvarlig», and the managers are told' })
  ownerless: boolean;
  @ApiProperty({ description: 'An invented example row of a seed wheel, shown as «Eksempel»' }) example: boolean;
  @ApiProperty({ example: '2027-02-26', description: 'Local date in the municipality; the end of this day is the deadline' })
  deadline: string;
  @ApiProperty({ example: '2027-02-12' }) opensOn: string;
  @ApiProperty({ nullable: true, type: String, description: 'Where the record is stored (Lagres)' }) storedIn: string | null;
  @ApiProperty({ nullable: true, type: String }) storedInUrl: string | null;
  @ApiProperty({ enum: OCCURRENCE_STATUSES }) status: OccurrenceStatus;
  @ApiProperty({ description: 'An overdue item whose deadline lies in an earlier month' }) fromEarlierMonth: boolean;
  @ApiProperty({ nullable: true, type: PersonRefDto }) signedBy: PersonRefDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) signedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The standing sign-off’s comment (Kommentar), once signed' }) comment: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Where the standing sign-off says the record is stored (Lagres), once signed; `storedIn` is the task’s suggestion' })
  recordedStoredIn: string | null;
  @ApiProperty({ nullable: true, type: PersonRefDto, description: 'For a duty per person (task scope `person`): whose own occurrence this is' })
  person: PersonRefDto | null;
}

/**
 * A row of the checklist: one occurrence, or for a duty per person (scope `person`) the task at one deadline
 * in one unit with each person's occurrence under `people` ("7 av 12 utført").
 */
export class ChecklistItemDto extends OmitType(OccurrenceItemDto, ['occurrenceId'] as const) {
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'null for a duty per person: see `people`' })
  occurrenceId: string | null;
  @ApiPropertyOptional({
    type: [OccurrenceItemDto],
    description: 'A duty per person only: each holder’s own occurrence (an overdue row from an earlier month lists only those not signed)',
  })
  people?: OccurrenceItemDto[];
  @ApiPropertyOptional({ description: 'A duty per person only: how many of them are signed (done, late or not applicable)' }) doneCount?: number;
  @ApiPropertyOptional({ description: 'A duty per person only: how many people have it at this deadline' }) total?: number;
}

export class ChecklistGroupDto {
  @ApiProperty({ format: 'uuid' }) wheelId: string;
  @ApiProperty() wheelName: string;
  @ApiProperty() wheelKind: string;
  @ApiProperty({ type: [ChecklistItemDto] }) items: ChecklistItemDto[];
}

export class ChecklistDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: '2027-02' }) month: string;
  @ApiProperty() subtree: boolean;
  @ApiProperty({ example: '2027-02-10', description: "Today's date in the municipality's time zone" }) today: string;
  @ApiProperty({ type: [ChecklistGroupDto] }) groups: ChecklistGroupDto[];
}

/**
 * The checklist as a page of rows (with subtree, or when a page is asked for): by deadline, so the overdue
 * rows from earlier months come first; a duty per person is one row, never split over two pages.
 */
export class ChecklistPageDto extends PageInfoDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: '2027-02' }) month: string;
  @ApiProperty() subtree: boolean;
  @ApiProperty({ example: '2027-02-10', description: "Today's date in the municipality's time zone" }) today: string;
  @ApiProperty({ type: [ChecklistItemDto] }) items: ChecklistItemDto[];
}

export class MaterialiseQuery {
  @ApiProperty({ example: 2027 })
  @Transform(({ value }) => (/^\d{1,6}$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'must be a year such as 2027' })
  @Min(2000, { message: 'must be a year from 2000 to 2200' })
  @Max(2200, { message: 'must be a year from 2000 to 2200' })
  year: number;
}
