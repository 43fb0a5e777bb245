import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { WheelAssignment } from '../entities/wheel-assignment.entity';

export class AssignWheelDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of a wheel' })
  wheelId: string;

  @ApiPropertyOptional({ default: true, description: 'Also for every unit below this one' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  includeSubunits?: boolean;

  @ApiProperty({ example: 2027, description: 'The first year the unit follows the wheel' })
  @IsInt({ message: 'must be a year such as 2027' })
  @Min(2000, { message: 'must be a year from 2000 to 2200' })
  @Max(2200, { message: 'must be a year from 2000 to 2200' })
  fromYear: number;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) wheelId: string;
  @ApiProperty() wheelName: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() includeSubunits: boolean;
  @ApiProperty() fromYear: number;
  @ApiProperty({ nullable: true, type: String, description: 'First deadline day followed, when the wheel replaced another mid-year' }) startsOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The day a replacing wheel took over: deadlines from it on are not this wheel\'s' }) endsBefore: string | null;

  static from(a: WheelAssignment, wheelName: string): AssignmentDto {
    return {
      id: a.id,
      wheelId: a.wheelId,
      wheelName,
      unitId: a.unitId,
      includeSubunits: a.includeSubunits,
      fromYear: a.fromYear,
      startsOn: a.startsOn ?? null,
      endsBefore: a.endsBefore ?? null,
    };
  }
}
