import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { FreeText } from '../../common/text';
import { DEADLINE_SHIFTS, DeadlineShift } from '../../schedule/holidays';

/** The text fields of the multipart form; the file itself is `file`. */
export class ImportWheelDto {
  @ApiPropertyOptional({ description: "The draft's name; default: the file's title row, or the replaced wheel's name" })
  @Omittable()
  @FreeText(200, { min: 1 })
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "The unit that will own the wheel; without it the municipality's (administrators only)" })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a unit' })
  unitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Import again into this draft; a wheel in use gets a new draft that replaces it' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a wheel' })
  wheelId?: string;
}

export class ImportWarningDto {
  @ApiProperty({ example: 'unknown-role' }) code: string;
  @ApiProperty() message: string;
}

export class ImportedRowDto {
  @ApiProperty({ description: "The row's line in the file (sheet row; Word: n-th paragraph or table row; text: line)" }) line: number;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ description: "The row's whole task text, verbatim" }) title: string;
  @ApiProperty({ minimum: 1, maximum: 12, description: 'The month block it stood under' }) month: number;
  @ApiProperty({ nullable: true, type: String, description: 'null for "løpende"/"ved behov": no schedule of its own' }) rrule: string | null;
  @ApiProperty({ nullable: true, type: String }) startsOn: string | null;
  @ApiProperty({ enum: DEADLINE_SHIFTS }) shift: DeadlineShift;
  @ApiProperty() responsibleRole: string;
  @ApiProperty({ enum: ['unit', 'recipient', 'person'], description: 'person: one task per employee, each signing their own («Alle ansatte», «Hver ansatt»)' }) scope: string;
  @ApiProperty({ nullable: true, type: String }) storedIn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Ansvar as written' }) responsibleText: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What must be resolved before the draft is published' }) reviewNote: string | null;
  @ApiProperty({ type: [ImportWarningDto] }) warnings: ImportWarningDto[];
}

export class RowProblemDto {
  @ApiProperty() line: number;
  @ApiProperty() message: string;
}

export class ImportResultDto {
  @ApiProperty({ format: 'uuid' }) wheelId: string;
  @ApiProperty({ enum: ['draft'] }) status: 'draft';
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ownerUnitId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The wheel in use this draft will replace' }) replacesWheelId: string | null;
  @ApiProperty({ enum: ['xlsx', 'docx', 'text'] }) format: string;
  @ApiProperty({ type: [ImportedRowDto] }) rows: ImportedRowDto[];
  @ApiProperty({ type: [RowProblemDto], description: 'Rows that could not be read, with why: not imported' }) problems: RowProblemDto[];
  @ApiProperty({ type: [RowProblemDto], description: 'Rows passed over on purpose: the title, column headings' }) skipped: RowProblemDto[];
  @ApiProperty({ description: 'Tasks of the draft no longer in the file, archived by this import' }) archived: number;
}
