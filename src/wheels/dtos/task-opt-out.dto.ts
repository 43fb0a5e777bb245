import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { FreeText } from '../../common/text';

export class CreateTaskOptOutDto {
  @ApiProperty({ format: 'uuid', description: 'A task of a wheel the unit follows' })
  @IsUUID('all', { message: 'must be the id of a task' })
  taskId: string;

  @ApiProperty({ example: 'Avdelingen har ingen nattevakter; gjøres av Bo og habilitering sentralt' })
  @FreeText(1000, { min: 1 })
  reason: string;

  @ApiProperty({ example: '2027-03-01', description: 'The first deadline day the task is off for the unit (today or later)' })
  @IsCalendarDate()
  from: string;
}

export class EndTaskOptOutDto {
  @ApiPropertyOptional({ example: '2027-06-01', description: 'The first deadline day the task is on again (today or later); default today' })
  @Omittable()
  @IsCalendarDate()
  from?: string;
}

const toBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class TaskOptOutQuery {
  @ApiPropertyOptional({ description: 'Also the units below this one', default: false })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  subtree?: boolean;

  @ApiPropertyOptional({ description: 'Only those in force today or later (not ended)', default: false })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  current?: boolean;
}

export class TaskOptOutDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() taskTitle: string;
  @ApiProperty({ format: 'uuid' }) wheelId: string;
  @ApiProperty() wheelName: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'First deadline day the task is off' }) from: string;
  @ApiProperty({ nullable: true, type: String, description: 'First deadline day the task is on again; null: still off' }) endedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() createdAt: string;
}
