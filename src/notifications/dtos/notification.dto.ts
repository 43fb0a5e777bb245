import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/date-fields';
import { Omittable } from '../../common/omittable';
import { PageInfoDto, PageQuery } from '../../common/pagination';

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of an occurrence' })
  occurrenceId?: string;

  @ApiPropertyOptional({ enum: ['pending', 'sending', 'sent', 'failed', 'undeliverable'], description: 'Administrators: all messages with this status' })
  @Omittable()
  @IsIn(['pending', 'sending', 'sent', 'failed', 'undeliverable'], { message: 'must be pending, sending, sent, failed or undeliverable' })
  status?: string;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'due_soon' }) kind: string;
  @ApiProperty({ enum: ['email', 'teams', 'teams_channel'] }) channel: string;
  @ApiProperty({ description: 'E-mail address, Teams user or channel webhook' }) recipient: string;
  @ApiProperty() subject: string;
  @ApiProperty({ nullable: true, type: String, example: 'FJV-001', description: "The code of the service recipient the message is about (its subject names it); such a read is access-logged" })
  recipientCode: string | null;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'failed', 'undeliverable'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ example: '2027-02-23' }) forDate: string;
}

export class NotificationPageDto extends PageInfoDto {
  @ApiProperty({ type: [NotificationDto], description: 'In the order they were made' }) items: NotificationDto[];
}

export class PreferencesDto {
  @ApiProperty({ description: 'Reminders by e-mail' })
  @IsBoolean({ message: 'must be true or false' })
  email: boolean;

  @ApiProperty({ description: 'Reminders in Teams (activity feed)' })
  @IsBoolean({ message: 'must be true or false' })
  teams: boolean;

  @ApiProperty({ description: 'One message a day with everything, instead of one per task' })
  @IsBoolean({ message: 'must be true or false' })
  dailyDigest: boolean;

  @ApiProperty({ enum: ['nb', 'en'] })
  @IsIn(['nb', 'en'], { message: 'must be nb or en' })
  language: 'nb' | 'en';
}

export class CreateDeputyDto {
  @ApiProperty({ format: 'uuid', description: 'The person who stands in (stedfortreder)' })
  @IsUUID('all', { message: 'must be the id of a person' })
  deputyId: string;

  @ApiProperty({ example: '2027-07-01' })
  @IsCalendarDate('2027-07-01')
  from: string;

  @ApiProperty({ example: '2027-07-21' })
  @IsCalendarDate('2027-07-21')
  to: string;
}

export class DeputyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'uuid' }) deputyId: string;
  @ApiProperty() deputyName: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}
