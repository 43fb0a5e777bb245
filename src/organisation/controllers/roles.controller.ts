import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS, UNIT_READERS } from '../../auth/policy';
import { AssignRoleDto, RoleAssignmentDto } from '../dtos/role.dto';
import { RolesService } from '../services/roles.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('units/:id/roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @Allow.unitRole(UNIT_READERS)
  @ApiOperation({ summary: 'Who holds which role in the unit' })
  @ApiOkResponse({ type: [RoleAssignmentDto] })
  list(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string): Promise<RoleAssignmentDto[]> {
    return this.roles.list(person.municipalityId, unitId);
  }

  @Post()
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Give a person a role in the unit; open occurrences get their new owners' })
  @ApiCreatedResponse({ type: RoleAssignmentDto })
  assign(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Body() dto: AssignRoleDto): Promise<RoleAssignmentDto> {
    return this.roles.assign(person, unitId, dto);
  }

  @Delete(':assignmentId')
  @HttpCode(204)
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Take a role away; open occurrences pass to whoever holds it now' })
  @ApiNoContentResponse()
  remove(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) unitId: string,
    @Param('assignmentId', ParseUUIDPipe) assignmentId: string,
  ): Promise<void> {
    return this.roles.remove(person, unitId, assignmentId);
  }
}
