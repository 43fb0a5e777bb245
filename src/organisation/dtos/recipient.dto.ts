import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { PageInfoDto, PageQuery } from '../../common/pagination';

const CODE = /^[A-Za-z0-9-]{2,32}$/;
const CODE_MESSAGE = 'must be a pseudonymous code of 2 to 32 letters, digits and dashes, such as FJV-011 (never a name or fødselsnummer)';
const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreateRecipientDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of a unit' })
  unitId: string;

  @ApiProperty({ example: 'FJV-011' })
  @trim()
  @Matches(CODE, { message: CODE_MESSAGE })
  code: string;

  @ApiPropertyOptional({ example: '2027-03-01', description: 'The day the recipient came to the unit; default today. No tasks fall due for them before it.' })
  @Omittable()
  @IsCalendarDate('2027-03-01')
  activeFrom?: string;

  @ApiPropertyOptional({ example: '2027-06-15', nullable: true, type: String, description: 'The day the recipient leaves (last day tasks fall due for them); default none' })
  @IsOptional()
  @IsCalendarDate('2027-06-15')
  activeTo?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'The primary contacts (primærkontakter): ids of people' })
  @Omittable()
  @IsArray({ message: 'must be a list of person ids' })
  @ArrayMaxSize(10, { message: 'must hold at most 10 people' })
  @IsUUID('all', { each: true, message: 'must hold ids of people' })
  primaryContactIds?: string[];
}

export class UpdateRecipientDto {
  @ApiPropertyOptional({ example: 'FJV-011' })
  @Omittable()
  @trim()
  @Matches(CODE, { message: CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional({ type: [String] })
  @Omittable()
  @IsArray({ message: 'must be a list of person ids' })
  @ArrayMaxSize(10, { message: 'must hold at most 10 people' })
  @IsUUID('all', { each: true, message: 'must hold ids of people' })
  primaryContactIds?: string[];

  @ApiPropertyOptional({
    example: '2027-06-15',
    nullable: true,
    type: String,
    description: 'The day the recipient leaves: occurrences due after it are cancelled, those due by it stay. null: they stay (reinstated)',
  })
  @IsOptional()
  @IsCalendarDate('2027-06-15')
  activeTo?: string | null;

  @ApiPropertyOptional({
    description: 'Archive (true) when the recipient has left; without activeTo it sets activeTo to today (if not earlier). false reinstates and, without activeTo, clears it',
  })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  archived?: boolean;
}

export class MoveRecipientDto {
  @ApiProperty({ format: 'uuid', description: 'The unit the recipient moves to' })
  @IsUUID('all', { message: 'must be the id of a unit' })
  unitId: string;

  @ApiProperty({ example: '2027-06-01', description: 'The first day in the new unit: occurrences due from it on go there' })
  @IsCalendarDate('2027-06-01')
  from: string;

  @ApiPropertyOptional({ type: [String], description: 'New primary contacts (from the new unit); default: the recipient keeps theirs' })
  @Omittable()
  @IsArray({ message: 'must be a list of person ids' })
  @ArrayMaxSize(10, { message: 'must hold at most 10 people' })
  @IsUUID('all', { each: true, message: 'must hold ids of people' })
  primaryContactIds?: string[];
}

export class RecipientStayDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: '2026-01-01' }) from: string;
  @ApiProperty({ nullable: true, type: String, example: '2027-06-01', description: 'The first day of the next stay; null: goes on' }) before: string | null;
}

export class RecipientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: 'FJV-001' }) code: string;
  @ApiProperty({ example: '2026-01-01' }) activeFrom: string;
  @ApiProperty({ nullable: true, type: String, example: '2027-06-15', description: 'The day they leave; null: they stay' }) activeTo: string | null;
  @ApiProperty({ type: [RecipientStayDto], description: 'The units they lived in, oldest first' }) stays: RecipientStayDto[];
  @ApiProperty({ type: [String] }) primaryContactIds: string[];
  @ApiProperty() archived: boolean;
}

export class RecipientListQuery extends PageQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of a unit' })
  unitId: string;
}

export class RecipientPageDto extends PageInfoDto {
  @ApiProperty({ type: [RecipientDto], description: 'By code' }) items: RecipientDto[];
}
