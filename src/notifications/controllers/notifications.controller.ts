import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { LogsRecipientAccess } from '../../audit/access-log';
import { Allow } from '../../auth/policy';
import { Paginated } from '../../common/pagination';
import { CreateDeputyDto, DeputyDto, NotificationPageDto, NotificationQuery, PreferencesDto } from '../dtos/notification.dto';
import { NotificationSettingsService } from '../services/notification-settings.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  // Whether the caller may see an occurrence's messages, or all by status, depends on the query: the service decides.
  @Get('notifications')
  @Allow.signedIn()
  @ApiOperation({ summary: "The delivery log: an occurrence's messages, or (administrators) all with a status, a page at a time" })
  @ApiOkResponse({ type: NotificationPageDto })
  @LogsRecipientAccess((page) => (page as NotificationPageDto).items.map((m) => m.recipientCode))
  @Paginated()
  list(@CurrentPerson() person: AuthenticatedPerson, @Query() query: NotificationQuery): Promise<NotificationPageDto> {
    return this.settings.list(person, query);
  }

  @Get('me/notification-preferences')
  @Allow.signedIn()
  @ApiOperation({ summary: 'My channels (e-mail, Teams), daily digest and language' })
  @ApiOkResponse({ type: PreferencesDto })
  preferences(@CurrentPerson() person: AuthenticatedPerson): Promise<PreferencesDto> {
    return this.settings.preferences(person.personId);
  }

  @Put('me/notification-preferences')
  @Allow.signedIn()
  @ApiOperation({ summary: 'Choose my channels, daily digest and language' })
  @ApiOkResponse({ type: PreferencesDto })
  setPreferences(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: PreferencesDto): Promise<PreferencesDto> {
    return this.settings.setPreferences(person.personId, dto);
  }

  @Get('me/deputies')
  @Allow.signedIn()
  @ApiOperation({ summary: 'My deputies (stedfortredere) and their periods' })
  @ApiOkResponse({ type: [DeputyDto] })
  deputies(@CurrentPerson() person: AuthenticatedPerson): Promise<DeputyDto[]> {
    return this.settings.deputies(person);
  }

  @Post('me/deputies')
  @Allow.signedIn()
  @ApiOperation({ summary: 'Name a deputy for a period of absence: they get my reminders and may sign on my behalf' })
  @ApiCreatedResponse({ type: DeputyDto })
  addDeputy(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: CreateDeputyDto): Promise<DeputyDto> {
    return this.settings.addDeputy(person, dto);
  }

  @Delete('me/deputies/:id')
  @HttpCode(204)
  @Allow.signedIn()
  @ApiOperation({ summary: 'Remove a deputy' })
  @ApiNoContentResponse()
  removeDeputy(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.settings.removeDeputy(person, id);
  }
}
