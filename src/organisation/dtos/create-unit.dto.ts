import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

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
