import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { CreateTaskDto, TaskDto, UpdateTaskDto } from '../dtos/task.dto';
import { CopyWheelDto, CreateWheelDto, PublishedWheelDto, PublishWheelDto, UpdateWheelDto, WheelDto, WheelListQuery } from '../dtos/wheel.dto';
import { PublishingService } from '../services/publishing.service';
import { TasksService } from '../services/tasks.service';
import { WheelsService } from '../services/wheels.service';

@ApiTags('wheels')
@ApiBearerAuth()
@Controller('wheels')
export class WheelsController {
  constructor(private readonly wheels: WheelsService, private readonly tasks: TasksService, private readonly publishing: PublishingService) {}

  @Get()
  @Allow.signedIn()
  @ApiOperation({ summary: "The municipality's wheels (by owning unit, status, or those you may shape), or with library=true the wheels municipalities have published" })
  @ApiOkResponse({ type: [WheelDto] })
  list(@CurrentPerson() person: AuthenticatedPerson, @Query() query: WheelListQuery): Promise<WheelDto[]> {
    return this.wheels.listFor(person, query);
  }

  @Post()
  @Allow.wheelShaperOfOwner()
  @ApiOperation({ summary: "Create a wheel: a unit's (ownerUnitId; its managers, as a draft) or the municipality's (administrators)" })
  @ApiCreatedResponse({ type: WheelDto })
  create(@CurrentPerson() person: AuthenticatedPerson, @Body() dto: CreateWheelDto): Promise<WheelDto> {
    return this.wheels.create(person, dto);
  }

  @Get(':id')
  @Allow.signedIn()
  @ApiOperation({ summary: 'One wheel: your own, or a published one' })
  @ApiOkResponse({ type: WheelDto })
  get(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<WheelDto> {
    return this.wheels.get(person.municipalityId, id);
  }

  @Patch(':id')
  @Allow.wheelShaper()
  @ApiOperation({ summary: 'Rename, describe or archive a wheel; share it with other municipalities (published: administrators)' })
  @ApiOkResponse({ type: WheelDto })
  update(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWheelDto): Promise<WheelDto> {
    return this.wheels.update(person, id, dto);
  }

  @Post(':id/copy')
  @Allow.wheelShaperOfOwner()
  @ApiOperation({ summary: "Copy a wheel (yours or a published one): as a unit's draft (ownerUnitId), or the municipality's" })
  @ApiCreatedResponse({ type: WheelDto })
  copy(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CopyWheelDto): Promise<WheelDto> {
    return this.wheels.copy(person, id, dto);
  }

  @Post(':id/drafts')
  @Allow.wheelShaper()
  @ApiOperation({ summary: 'Start a draft that will replace this wheel in use from a date (a copy with replacesWheelId)' })
  @ApiCreatedResponse({ type: WheelDto })
  startDraft(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<WheelDto> {
    return this.wheels.startDraft(person, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Allow.wheelShaper()
  @ApiOperation({ summary: 'Put a draft in use; a draft that replaces a wheel takes over its assignments from replacesFrom' })
  @ApiOkResponse({ type: PublishedWheelDto })
  publish(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: PublishWheelDto): Promise<PublishedWheelDto> {
    return this.publishing.publish(person, id, dto);
  }

  @Get(':id/tasks')
  @Allow.signedIn()
  @ApiOperation({ summary: "A wheel's tasks (oppgaver)" })
  @ApiOkResponse({ type: [TaskDto] })
  tasksOf(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDto[]> {
    return this.tasks.list(person.municipalityId, id);
  }

  @Post(':id/tasks')
  @Allow.wheelShaper()
  @ApiOperation({ summary: "Add a task to a draft (its shapers), or to a wheel in use (administrators)" })
  @ApiCreatedResponse({ type: TaskDto })
  addTask(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateTaskDto): Promise<TaskDto> {
    return this.tasks.create(person, id, dto);
  }

  @Patch(':id/tasks/:taskId')
  @HttpCode(200)
  @Allow.wheelShaper()
  @ApiOperation({ summary: 'Change or archive a task; future unsigned occurrences follow, signed ones never change' })
  @ApiOkResponse({ type: TaskDto })
  updateTask(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('taskId', ParseUUIDPipe) taskId: string,
    @Body() dto: UpdateTaskDto,
  ): Promise<TaskDto> {
    return this.tasks.update(person, id, taskId, dto);
  }
}
