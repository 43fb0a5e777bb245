import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { FreeText } from '../../common/text';
import { DueSoonDaysField, EscalationDaysField } from '../../common/query-fields';
import { AssignmentDto } from './assignment.dto';
import { Wheel, WHEEL_KINDS, WHEEL_STATUSES, WheelKind, WheelStatus } from '../entities/wheel.entity';

const OwnerUnitField = () =>
  applyDecorators(
    ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: "The unit that owns the wheel: its managers and those above shape it. Absent: the municipality's (administrators)" }),
    IsOptional(),
    IsUUID('all', { message: 'must be the id of a unit' }),
  );

export class CreateWheelDto {
  @ApiProperty({ example: 'Årshjul for ledere — bo og habilitering' })
  @FreeText(200, { min: 1 })
  name: string;

  @ApiProperty({ enum: WHEEL_KINDS })
  @IsIn(WHEEL_KINDS, { message: `must be one of ${WHEEL_KINDS.join(', ')}` })
  kind: WheelKind;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @FreeText(2000)
  description?: string | null;

  @OwnerUnitField()
  ownerUnitId?: string | null;

  @ApiPropertyOptional({
    enum: WHEEL_STATUSES,
    description: "draft (shaped, not yet in use) or active. A unit's wheel is always a draft until published; the municipality's is active unless draft is asked (as before)",
  })
  @Omittable()
  @IsIn(WHEEL_STATUSES, { message: `must be one of ${WHEEL_STATUSES.join(', ')}` })
  status?: WheelStatus;
}

export class CopyWheelDto {
  @OwnerUnitField()
  ownerUnitId?: string | null;

  @ApiPropertyOptional({ description: "The copy's name; default: the original's" })
  @Omittable()
  @FreeText(200, { min: 1 })
  name?: string;
}

export class PublishWheelDto {
  @ApiPropertyOptional({
    example: '2027-03-01',
    description: 'For a draft that replaces a wheel in use (required then): the first deadline day that follows the new wheel',
  })
  @Omittable()
  @IsCalendarDate()
  replacesFrom?: string;
}

const toBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class WheelListQuery {
  @ApiPropertyOptional({ description: 'The wheels municipalities have published (the library) instead of your own' })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  library?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the wheels this unit owns' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a unit' })
  ownerUnitId?: string;

  @ApiPropertyOptional({ description: 'Only the wheels you may shape (a unit you manage, or any for administrators)' })
  @Omittable()
  @toBoolean()
  @IsBoolean({ message: 'must be true or false' })
  editable?: boolean;

  @ApiPropertyOptional({ enum: WHEEL_STATUSES })
  @Omittable()
  @IsIn(WHEEL_STATUSES, { message: `must be one of ${WHEEL_STATUSES.join(', ')}` })
  status?: WheelStatus;
}

export class UpdateWheelDto {
  @ApiPropertyOptional()
  @Omittable()
  @FreeText(200, { min: 1 })
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @FreeText(2000)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Publish the wheel so other municipalities can read and copy it' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  published?: boolean;

  @ApiPropertyOptional({ description: 'Archive (true) or restore (false); future unsigned occurrences follow' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  archived?: boolean;

  @DueSoonDaysField()
  dueSoonDays?: number | null;

  @EscalationDaysField()
  escalationDays?: number | null;
}

export class WheelDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The municipality that owns the wheel' }) municipalityId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: WHEEL_KINDS }) kind: WheelKind;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() published: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The wheel this one was copied from' })
  copiedFromWheelId: string | null;
  @ApiProperty() archived: boolean;
  @ApiProperty({ nullable: true, type: Number }) dueSoonDays: number | null;
  @ApiProperty({ nullable: true, type: Number }) escalationDays: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: "The owning unit; null: the municipality's own" })
  ownerUnitId: string | null;
  @ApiProperty({ enum: WHEEL_STATUSES, description: 'draft: being shaped, cannot be assigned; active: in use' }) status: WheelStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The wheel in use this one replaces (or replaced) from a date' })
  replacesWheelId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Once published: the first deadline day it took over' })
  replacesFrom: string | null;

  static from(wheel: Wheel): WheelDto {
    return {
      id: wheel.id,
      municipalityId: wheel.municipalityId,
      name: wheel.name,
      kind: wheel.kind,
      description: wheel.description,
      published: wheel.published,
      copiedFromWheelId: wheel.copiedFromWheelId,
      archived: wheel.archivedAt !== null,
      dueSoonDays: wheel.dueSoonDays,
      escalationDays: wheel.escalationDays,
      ownerUnitId: wheel.ownerUnitId,
      status: wheel.status,
      replacesWheelId: wheel.replacesWheelId,
      replacesFrom: wheel.replacesFrom,
    };
  }
}

export class PublishedWheelDto extends WheelDto {
  @ApiProperty({ type: [AssignmentDto], description: "When it replaced a wheel: the replaced wheel's assignments, passed to this one from the date" })
  assignments: AssignmentDto[];
}
