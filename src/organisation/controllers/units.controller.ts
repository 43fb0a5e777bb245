import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { CreateUnitDto, UpdateUnitDto } from '../dtos/create-unit.dto';
import { UnitDto } from '../dtos/unit.dto';
import { UnitsService } from '../services/units.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @Allow.signedIn()
  @ApiOperation({ summary: "The units (enheter, avdelinger) of the caller's municipality" })
  @ApiOkResponse({ type: [UnitDto] })
  list(@CurrentPerson() person: AuthenticatedPerson): Promise<UnitDto[]> {
    return this.units.list(person.municipalityId);
  }

  @Post()
  @Allow.admin()
  @ApiOperation({ summary: 'Add a unit to the organisation tree (administrators)' })
  @ApiCreatedResponse({ type: UnitDto })
  create(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: CreateUnitDto): Promise<UnitDto> {
    return this.units.create(person, dto);
  }

  @Get(':id')
  @Allow.unitRole(UNIT_READERS)
  @ApiOperation({ summary: 'One unit' })
  @ApiOkResponse({ type: UnitDto })
  get(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<UnitDto> {
    return this.units.get(person.municipalityId, id);
  }

  @Patch(':id')
  @Allow.admin()
  @ApiOperation({ summary: 'Rename, move or archive a unit (administrators)' })
  @ApiOkResponse({ type: UnitDto })
  update(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUnitDto): Promise<UnitDto> {
    return this.units.update(person, id, dto);
  }
}
