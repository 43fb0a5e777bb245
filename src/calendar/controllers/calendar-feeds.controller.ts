import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS } from '../../auth/policy';
import { CalendarFeedDto, CreateCalendarFeedDto, CreatedCalendarFeedDto, CreateUnitCalendarFeedDto } from '../dtos/calendar-feed.dto';
import { CalendarFeedsService } from '../services/calendar-feeds.service';

@ApiTags('calendar feeds')
@ApiBearerAuth()
@Controller()
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Post('me/calendar-feeds')
  @Allow.signedIn()
  @ApiOperation({ summary: 'Make a secret iCalendar URL of my tasks, for Outlook («Abonner fra nettet»); the URL is shown this once' })
  @ApiCreatedResponse({ type: CreatedCalendarFeedDto })
  create(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: CreateCalendarFeedDto): Promise<CreatedCalendarFeedDto> {
    return this.feeds.createForPerson(person, dto);
  }

  @Get('me/calendar-feeds')
  @Allow.signedIn()
  @ApiOperation({ summary: 'The calendar feeds I made and have not revoked (without their secrets)' })
  @ApiOkResponse({ type: [CalendarFeedDto] })
  mine(@CurrentPerson() person: AuthenticatedPerson): Promise<CalendarFeedDto[]> {
    return this.feeds.mine(person);
  }

  @Delete('me/calendar-feeds/:id')
  @HttpCode(204)
  @Allow.signedIn()
  @ApiOperation({ summary: 'Revoke a calendar feed I made: its URL answers 404 from now on' })
  @ApiNoContentResponse()
  revoke(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.feeds.revokeOwn(person, id);
  }

  @Post('units/:id/calendar-feeds')
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: "Make a secret iCalendar URL of a unit's tasks (managers of the unit or above, administrators)" })
  @ApiCreatedResponse({ type: CreatedCalendarFeedDto })
  createForUnit(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Body() dto: CreateUnitCalendarFeedDto): Promise<CreatedCalendarFeedDto> {
    return this.feeds.createForUnit(person, unitId, dto);
  }

  @Get('units/:id/calendar-feeds')
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: "A unit's live calendar feeds, whoever made them (without their secrets)" })
  @ApiOkResponse({ type: [CalendarFeedDto] })
  ofUnit(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string): Promise<CalendarFeedDto[]> {
    return this.feeds.ofUnit(person, unitId);
  }

  @Delete('units/:id/calendar-feeds/:feedId')
  @HttpCode(204)
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: "Revoke a unit's calendar feed (its managers and those above, administrators)" })
  @ApiNoContentResponse()
  revokeOfUnit(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) unitId: string,
    @Param('feedId', ParseUUIDPipe) feedId: string,
  ): Promise<void> {
    return this.feeds.revokeOfUnit(person, unitId, feedId);
  }
}
