import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS, UNIT_READERS } from '../../auth/policy';
import { LogsRecipientAccess } from '../../audit/access-log';
import { Paginated } from '../../common/pagination';
import { CreateRecipientDto, MoveRecipientDto, RecipientDto, RecipientListQuery, RecipientPageDto, UpdateRecipientDto } from '../dtos/recipient.dto';
import { RecipientsService } from '../services/recipients.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('recipients')
export class RecipientsController {
  constructor(private readonly recipients: RecipientsService) {}

  @Get()
  @Allow.unitRoleFromQuery(UNIT_READERS, 'unitId')
  @LogsRecipientAccess((page) => (page as RecipientPageDto).items.map((r) => r.code))
  @Paginated()
  @ApiOperation({ summary: 'The service recipients of a unit, by pseudonymous code, a page at a time' })
  @ApiOkResponse({ type: RecipientPageDto })
  list(@CurrentPerson() person: AuthenticatedPerson, @Query() query: RecipientListQuery): Promise<RecipientPageDto> {
    return this.recipients.page(person.municipalityId, query);
  }

  @Post()
  @Allow.unitRoleFromBody(UNIT_MANAGERS, 'unitId')
  @ApiOperation({ summary: 'Add a service recipient; a code that looks like a fødselsnummer is refused (422)' })
  @ApiCreatedResponse({ type: RecipientDto })
  create(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: CreateRecipientDto): Promise<RecipientDto> {
    return this.recipients.create(person, dto);
  }

  @Get(':id')
  @Allow.recipientRole(UNIT_READERS)
  @LogsRecipientAccess((recipient) => [(recipient as RecipientDto).code])
  @ApiOperation({ summary: 'One service recipient' })
  @ApiOkResponse({ type: RecipientDto })
  get(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<RecipientDto> {
    return this.recipients.get(person.municipalityId, id);
  }

  @Patch(':id')
  @Allow.recipientRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Change the code, primary contacts or leaving date (activeTo), or archive or reinstate a recipient' })
  @ApiOkResponse({ type: RecipientDto })
  update(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRecipientDto): Promise<RecipientDto> {
    return this.recipients.update(person, id, dto);
  }

  @Post(':id/move')
  @HttpCode(200)
  @Allow.recipientRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Move a recipient to another unit from a day; earlier occurrences stay where they were (needs manager over both units)' })
  @ApiOkResponse({ type: RecipientDto })
  move(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MoveRecipientDto): Promise<RecipientDto> {
    return this.recipients.move(person, id, dto);
  }
}
