import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Omittable } from '../../common/omittable';

export class CreateUnitDto {
  @ApiProperty({ example: 'Avdeling Fjellvegen', minLength: 1, maxLength: 120 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'must be text' })
  @Length(1, 120, { message: 'must be 1 to 120 characters' })
  name: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The unit above; leave out for a top unit.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be the id of a unit' })
  parentId?: string | null;
}

export class UpdateUnitDto {
  @ApiPropertyOptional({ example: 'Avdeling Fjellvegen' })
  @Omittable()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'must be text' })
  @Length(1, 120, { message: 'must be 1 to 120 characters' })
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Move the unit under another one' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a unit' })
  parentId?: string;

  @ApiPropertyOptional({ description: 'Archive (true): its future unsigned occurrences are cancelled; the record stays' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  archived?: boolean;
}
