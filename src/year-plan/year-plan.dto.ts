import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Omittable } from '../common/omittable';
import { YEAR_PLAN_FORMATS, YearPlanFormat } from './year-plan';

export class YearPlanQuery {
  @ApiProperty({ example: 2027 })
  @Transform(({ value }) => (/^\d{1,6}$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: 'must be a year such as 2027' })
  @Min(2000, { message: 'must be a year from 2000 to 2200' })
  @Max(2200, { message: 'must be a year from 2000 to 2200' })
  year: number;

  @ApiProperty({ enum: YEAR_PLAN_FORMATS })
  @IsIn(YEAR_PLAN_FORMATS, { message: 'must be pdf, docx or xlsx' })
  format: YearPlanFormat;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this wheel; without it, every wheel the unit follows' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a wheel' })
  wheelId?: string;

  @ApiPropertyOptional({ description: 'The record so far (who signed and when, comments, what was recorded) instead of a blank plan', default: false })
  @Omittable()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  filled?: boolean;
}
