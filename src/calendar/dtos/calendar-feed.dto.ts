import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Omittable } from '../../common/omittable';

export class CreateCalendarFeedDto {
  @ApiPropertyOptional({ default: true, description: 'Show signed occurrences (marked «✓ Utført» or «✓ Ikke aktuelt»); false leaves them out' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  includeSigned?: boolean;
}

export class CreateUnitCalendarFeedDto extends CreateCalendarFeedDto {
  @ApiPropertyOptional({ default: false, description: 'Include the units below this one' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  includeSubunits?: boolean;
}

/** A feed as its owner (or the unit's managers) sees it: never its secret, which only its creation answers. */
export class CalendarFeedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['person', 'unit'], description: "`person`: my own tasks; `unit`: a unit's tasks" }) kind: 'person' | 'unit';
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty() includeSubunits: boolean;
  @ApiProperty() includeSigned: boolean;
  @ApiProperty({ description: 'Who made it (the unit feeds’ list shows it to the unit’s managers)' }) createdBy: { id: string; displayName: string };
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedCalendarFeedDto extends CalendarFeedDto {
  @ApiProperty({
    example: 'https://arshjul.kommune.no/kalender/q9W2…xY.ics',
    description: 'The feed’s secret URL, shown this once: whoever has it reads the feed, until it is revoked',
  })
  url: string;
}
