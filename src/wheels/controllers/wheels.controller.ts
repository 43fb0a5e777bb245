import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { CreateTaskDto, TaskDto, UpdateTaskDto } from '../dtos/task.dto';
import { CreateWheelDto, UpdateWheelDto, WheelDto } from '../dtos/wheel.dto';
import { TasksService } from '../services/tasks.service';
import { WheelsService } from '../services/wheels.service';

@ApiTags('wheels')
@ApiBearerAuth()
@Controller('wheels')
export class WheelsController {
  constructor(private readonly wheels: WheelsService, private readonly tasks: TasksService) {}

  @Get()
  @Allow.signedIn()
  @ApiOperation({ summary: "The municipality's wheels, or with library=true the wheels municipalities have published" })
  @ApiQuery({ name: 'library', required: false, type: Boolean })
  @ApiOkResponse({ type: [WheelDto] })
  list(@CurrentPerson() person: AuthenticatedPerson, @Query('library') library?: string): Promise<WheelDto[]> {
    return this.wheels.list(person.municipalityId, library === 'true');
  }

  @Post()
  @Allow.admin()
  @ApiOperation({ summary: 'Create a wheel (administrators)' })
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
  @Allow.admin()
  @ApiOperation({ summary: 'Rename, publish or archive a wheel (administrators)' })
  @ApiOkResponse({ type: WheelDto })
  update(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWheelDto): Promise<WheelDto> {
    return this.wheels.update(person, id, dto);
  }

  @Post(':id/copy')
  @Allow.admin()
  @ApiOperation({ summary: 'Copy a wheel (yours or a published one) into your municipality' })
  @ApiCreatedResponse({ type: WheelDto })
  copy(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<WheelDto> {
    return this.wheels.copy(person, id);
  }

  @Get(':id/tasks')
  @Allow.signedIn()
  @ApiOperation({ summary: "A wheel's tasks (oppgaver)" })
  @ApiOkResponse({ type: [TaskDto] })
  tasksOf(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDto[]> {
    return this.tasks.list(person.municipalityId, id);
  }

  @Post(':id/tasks')
  @Allow.admin()
  @ApiOperation({ summary: 'Add a task to a wheel (administrators)' })
  @ApiCreatedResponse({ type: TaskDto })
  addTask(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateTaskDto): Promise<TaskDto> {
    return this.tasks.create(person, id, dto);
  }

  @Patch(':id/tasks/:taskId')
  @HttpCode(200)
  @Allow.admin()
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
