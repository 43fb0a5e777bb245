import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundProblem } from '../../common/problem';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { Wheel } from '../entities/wheel.entity';
import { WheelInUseProblem } from '../exceptions/wheel.exceptions';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { assertUsableSchedule } from '../../schedule/schedule.validation';
import { CreateTaskDto, TaskDto, UpdateTaskDto } from '../dtos/task.dto';
import { TaskDefinition } from '../entities/task-definition.entity';
import { WheelsService } from './wheels.service';

/**
 * The tasks of a wheel. A change to a task reaches the occurrences already materialised from it, but
 * only those in the future that nobody has signed.
 */
@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(TaskDefinition) private readonly tasks: Repository<TaskDefinition>,
    private readonly wheels: WheelsService,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
    private readonly access: AccessService,
  ) {}

  /**
   * The wheel whose tasks the actor changes. A draft is shaped freely; a wheel in use only by an
   * administrator (its future unsigned occurrences follow), while managers change it through a draft.
   */
  private async changeable(actor: AuthenticatedPerson, wheelId: string): Promise<Wheel> {
    const wheel = await this.wheels.own(actor.municipalityId, wheelId);
    if (wheel.status === 'active' && !(await this.access.isAdmin(actor.personId, actor.municipalityId))) throw new WheelInUseProblem(wheel.name);
    return wheel;
  }

  async list(municipalityId: string, wheelId: string): Promise<TaskDto[]> {
    await this.wheels.readable(municipalityId, wheelId);
    const tasks = await this.tasks.find({ where: { wheelId }, order: { sortOrder: 'ASC', title: 'ASC' } });
    return tasks.map(TaskDto.from);
  }

  async create(actor: AuthenticatedPerson, wheelId: string, dto: CreateTaskDto): Promise<TaskDto> {
    const municipalityId = actor.municipalityId;
    const wheel = await this.changeable(actor, wheelId);
    const startsOn = dto.startsOn ?? `${(await this.municipalities.today(municipalityId)).slice(0, 4)}-01-01`;
    const recurrence = {
      rrule: dto.rrule?.trim() || null,
      repeatAfterCompletion: dto.repeatAfterCompletion ?? null,
      repeatAfterDate: dto.repeatAfterDate ?? null,
      relativeTo: dto.relativeTo ?? null,
      relativeOffset: dto.offset ?? null,
    };
    assertUsableSchedule({ ...recurrence, startsOn, scope: dto.scope ?? 'unit' });
    const task = await this.tasks.save(
      this.tasks.create({
        municipalityId,
        wheelId,
        title: dto.title,
        description: dto.description ?? null,
        ...recurrence,
        startsOn,
        opensDaysBefore: dto.opensDaysBefore ?? 14,
        deadlineShift: dto.deadlineShift ?? 'none',
        responsibleRole: dto.responsibleRole,
        storedIn: dto.storedIn ?? null,
        storedInUrl: dto.storedInUrl ?? null,
        commentRequired: dto.commentRequired ?? false,
        legalBasis: dto.legalBasis ?? null,
        scope: dto.scope ?? 'unit',
        sortOrder: dto.sortOrder ?? 0,
        dueSoonDays: dto.dueSoonDays ?? null,
        escalationDays: dto.escalationDays ?? null,
        reviewNote: dto.reviewNote ?? null,
      }),
    );
    await this.auditLog.record(actor, { action: 'created', entity: 'task', entityId: task.id, after: TaskDto.from(task) });
    // A draft has no occurrences to follow.
    if (wheel.status === 'active') await this.materialiser.resyncWheel(municipalityId, wheelId, causedBy(actor, 'task-created'));
    return TaskDto.from(task);
  }

  async update(actor: AuthenticatedPerson, wheelId: string, taskId: string, dto: UpdateTaskDto): Promise<TaskDto> {
    const municipalityId = actor.municipalityId;
    const wheel = await this.changeable(actor, wheelId);
    const task = await this.tasks.findOneBy({ id: taskId, wheelId });
    if (!task) throw new NotFoundProblem('Task', taskId);
    const before = TaskDto.from(task);
    const { archived, offset, ...fields } = dto;
    Object.assign(task, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
    if (offset !== undefined) task.relativeOffset = offset;
    if (archived !== undefined) task.archivedAt = archived ? (task.archivedAt ?? new Date()) : null;
    if (typeof task.rrule === 'string') task.rrule = task.rrule.trim() || null;
    assertUsableSchedule(task);
    await this.tasks.save(task);
    await this.auditLog.record(actor, { action: archived ? 'archived' : 'updated', entity: 'task', entityId: task.id, before, after: TaskDto.from(task) });
    if (wheel.status === 'active') await this.materialiser.resyncWheel(municipalityId, wheelId, causedBy(actor, 'task-changed'));
    return TaskDto.from(task);
  }
}
