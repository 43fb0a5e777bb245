import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { UnitDto } from '../dtos/unit.dto';
import { UnitsService } from '../services/units.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOperation({ summary: "The units (enheter, avdelinger) of the caller's municipality" })
  @ApiOkResponse({ type: [UnitDto] })
  list(@CurrentPerson() person: AuthenticatedPerson): Promise<UnitDto[]> {
    return this.units.list(person.municipalityId);
  }
}
