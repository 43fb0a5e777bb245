import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { MunicipalityDto, UpdateMunicipalityDto } from '../dtos/municipality.dto';
import { MunicipalitiesService } from '../services/municipalities.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('municipality')
export class MunicipalityController {
  constructor(private readonly municipalities: MunicipalitiesService) {}

  @Get()
  @Allow.signedIn()
  @ApiOperation({ summary: "My municipality: its time zone and reminder defaults" })
  @ApiOkResponse({ type: MunicipalityDto })
  get(@CurrentPerson() person: AuthenticatedPerson): Promise<MunicipalityDto> {
    return this.municipalities.get(person.municipalityId);
  }

  @Patch()
  @Allow.admin()
  @ApiOperation({ summary: 'Change the time zone or the reminder defaults (administrators)' })
  @ApiOkResponse({ type: MunicipalityDto })
  update(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: UpdateMunicipalityDto): Promise<MunicipalityDto> {
    return this.municipalities.update(person, dto);
  }
}
