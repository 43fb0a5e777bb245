import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { FreeText } from '../../common/text';
import { DueSoonDaysField, EscalationDaysField } from '../../common/query-fields';
import { Wheel, WHEEL_KINDS, WheelKind } from '../entities/wheel.entity';

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
    };
  }
}
