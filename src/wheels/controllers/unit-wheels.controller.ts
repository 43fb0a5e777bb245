import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS, UNIT_READERS } from '../../auth/policy';
import { AssignmentDto, AssignWheelDto } from '../dtos/assignment.dto';
import { AssignmentsService } from '../services/assignments.service';

@ApiTags('wheels')
@ApiBearerAuth()
@Controller('units/:id/wheels')
export class UnitWheelsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get()
  @Allow.unitRole(UNIT_READERS)
  @ApiOperation({ summary: 'The wheels assigned to a unit itself' })
  @ApiOkResponse({ type: [AssignmentDto] })
  list(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string): Promise<AssignmentDto[]> {
    return this.assignments.list(person.municipalityId, unitId);
  }

  @Post()
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Assign a wheel to the unit (and its sub-units) from a year on' })
  @ApiCreatedResponse({ type: AssignmentDto })
  assign(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Body() dto: AssignWheelDto): Promise<AssignmentDto> {
    return this.assignments.assign(person, unitId, dto);
  }

  @Delete(':assignmentId')
  @HttpCode(204)
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: "End an assignment: future unsigned occurrences go, the record stays" })
  @ApiNoContentResponse()
  remove(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) unitId: string,
    @Param('assignmentId', ParseUUIDPipe) assignmentId: string,
  ): Promise<void> {
    return this.assignments.remove(person, unitId, assignmentId);
  }
}
