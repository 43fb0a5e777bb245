import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { Municipality } from '../entities/municipality.entity';

export class MunicipalityDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Demo kommune' }) name: string;
  @ApiProperty({ example: 'Europe/Oslo' }) timeZone: string;
  @ApiProperty({ example: 3 }) dueSoonDays: number;
  @ApiProperty({ example: 7 }) escalationDays: number;

  static from(m: Municipality): MunicipalityDto {
    return { id: m.id, name: m.name, timeZone: m.timeZone, dueSoonDays: m.dueSoonDays, escalationDays: m.escalationDays };
  }
}

export class UpdateMunicipalityDto {
  @ApiPropertyOptional({ example: 'Europe/Oslo', description: 'IANA time zone: deadlines are dates in it' })
  @Omittable()
  @IsString({ message: 'must be an IANA time zone such as Europe/Oslo' })
  timeZone?: string;

  @ApiPropertyOptional({ description: 'Default days before a deadline for the due-soon reminder' })
  @Omittable()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1, { message: 'must be 1 to 60 days' })
  @Max(60, { message: 'must be 1 to 60 days' })
  dueSoonDays?: number;

  @ApiPropertyOptional({ description: 'Default days after a deadline before the unit manager is told' })
  @Omittable()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1, { message: 'must be 1 to 90 days' })
  @Max(90, { message: 'must be 1 to 90 days' })
  escalationDays?: number;
}
