import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS, UNIT_READERS } from '../../auth/policy';
import { CreateTaskOptOutDto, EndTaskOptOutDto, TaskOptOutDto, TaskOptOutQuery } from '../dtos/task-opt-out.dto';
import { TaskOptOutsService } from '../services/task-opt-outs.service';

@ApiTags('wheels')
@ApiBearerAuth()
@Controller('units/:id/task-opt-outs')
export class TaskOptOutsController {
  constructor(private readonly optOuts: TaskOptOutsService) {}

  @Get()
  @Allow.unitRole(UNIT_READERS)
  @ApiOperation({ summary: 'Tasks the unit (with subtree=true, also the units below it) has switched off for itself' })
  @ApiOkResponse({ type: [TaskOptOutDto] })
  list(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Query() query: TaskOptOutQuery): Promise<TaskOptOutDto[]> {
    return this.optOuts.list(person.municipalityId, unitId, query);
  }

  @Post()
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: "Switch a task of a wheel the unit follows off for the unit, with a reason, from a date" })
  @ApiCreatedResponse({ type: TaskOptOutDto })
  create(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Body() dto: CreateTaskOptOutDto): Promise<TaskOptOutDto> {
    return this.optOuts.create(person, unitId, dto);
  }

  @Post(':optOutId/end')
  @HttpCode(200)
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: 'Switch the task on again from a date (default today): its occurrences come back' })
  @ApiOkResponse({ type: TaskOptOutDto })
  end(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) unitId: string,
    @Param('optOutId', ParseUUIDPipe) optOutId: string,
    @Body() dto: EndTaskOptOutDto,
  ): Promise<TaskOptOutDto> {
    return this.optOuts.end(person, unitId, optOutId, dto);
  }
}
