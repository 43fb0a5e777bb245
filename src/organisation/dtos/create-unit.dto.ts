import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { FreeText } from '../../common/text';

export class CreateUnitDto {
  @ApiProperty({ example: 'Avdeling Fjellvegen', minLength: 1, maxLength: 120 })
  @FreeText(120, { min: 1 })
  name: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The unit above; leave out for a top unit.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be the id of a unit' })
  parentId?: string | null;
}

export class UpdateUnitDto {
  @ApiPropertyOptional({ example: 'Avdeling Fjellvegen' })
  @Omittable()
  @FreeText(120, { min: 1 })
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
