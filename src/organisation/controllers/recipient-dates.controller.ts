import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS, UNIT_READERS } from '../../auth/policy';
import { RecipientDatesDto } from '../dtos/recipient-dates.dto';
import { RecipientDatesService } from '../services/recipient-dates.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('recipients/:id/dates')
export class RecipientDatesController {
  constructor(private readonly dates: RecipientDatesService) {}

  @Get()
  @Allow.recipientRole(UNIT_READERS)
  @ApiOperation({ summary: "A recipient's named dates (e.g. vedtak kap. 9), which tasks repeating after a date count from" })
  @ApiOkResponse({ type: RecipientDatesDto })
  get(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<RecipientDatesDto> {
    return this.dates.get(person.municipalityId, id);
  }

  @Put()
  @Allow.recipientRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Set named dates of a recipient (null removes one; names not given are kept); their repeating tasks follow' })
  @ApiOkResponse({ type: RecipientDatesDto })
  set(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RecipientDatesDto): Promise<RecipientDatesDto> {
    return this.dates.set(person, id, dto);
  }
}
