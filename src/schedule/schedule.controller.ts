import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../common/date-fields';
import { Omittable } from '../common/omittable';
import { Allow } from '../auth/policy';
import { ValidationProblem } from '../common/problem';
import { DEADLINE_SHIFTS, DeadlineShift } from './holidays';
import { isValidTimeZone } from './local-date';
import { previewYear } from './schedule.validation';

export class PreviewRequest {
  @ApiProperty({ example: 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO' })
  @IsString({ message: 'must be an RRULE such as FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  rrule: string;

  @ApiProperty({ example: 2027 })
  @IsInt({ message: 'must be a year such as 2027' })
  @Min(2000, { message: 'must be a year from 2000 to 2200' })
  @Max(2200, { message: 'must be a year from 2000 to 2200' })
  year: number;

  @ApiPropertyOptional({ example: 'Europe/Oslo', default: 'Europe/Oslo' })
  @Omittable()
  @IsString({ message: 'must be an IANA time zone such as Europe/Oslo' })
  timezone?: string;

  @ApiPropertyOptional({ enum: DEADLINE_SHIFTS, default: 'none' })
  @Omittable()
  @IsIn(DEADLINE_SHIFTS, { message: `must be one of ${DEADLINE_SHIFTS.join(', ')}` })
  shift?: DeadlineShift;

  @ApiPropertyOptional({ example: '2027-01-01', description: "The rule's start (DTSTART); default 1 January of `year`" })
  @Omittable()
  @IsCalendarDate()
  startsOn?: string;
}

export class PreviewResponse {
  @ApiProperty({ example: ['2027-11-22'], description: 'The deadlines in the year, ascending, as local dates' })
  dates: string[];
}

@ApiTags('schedules')
@ApiBearerAuth()
@Controller('schedules')
export class ScheduleController {
  @Post('preview')
  @HttpCode(200)
  @Allow.signedIn()
  @ApiOperation({ summary: "See a rule's deadlines in a year before saving it" })
  @ApiOkResponse({ type: PreviewResponse })
  preview(@Body() body: PreviewRequest): PreviewResponse {
    // Dates are computed in floating time, so the zone changes nothing in them; it is checked so that
    // a typo is caught here rather than when the rule is saved for a municipality.
    if (body.timezone !== undefined && !isValidTimeZone(body.timezone)) {
      throw new ValidationProblem([{ field: 'timezone', message: 'is not a known time zone (use e.g. Europe/Oslo)' }]);
    }
    const deadlines = previewYear(body.rrule, body.startsOn ?? `${body.year}-01-01`, body.shift ?? 'none', body.year);
    return { dates: [...new Set(deadlines.map((d) => d.deadline))].sort() };
  }
}
