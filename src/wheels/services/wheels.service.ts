import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { NotFoundProblem, ProblemException } from '../../common/problem';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CreateWheelDto, UpdateWheelDto, WheelDto } from '../dtos/wheel.dto';
import { TaskDefinition } from '../entities/task-definition.entity';
import { Wheel } from '../entities/wheel.entity';

export class NotYourWheelProblem extends ProblemException {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'not-your-wheel', 'Ikke din kommunes årshjul', 'This wheel belongs to another municipality: copy it to change it.');
  }
}

/**
 * Wheels (årshjul). A municipality reads and changes its own; it can read and copy the wheels other
 * municipalities have published, as Molde and Kristiansund shared theirs.
 */
@Injectable()
export class WheelsService {
  constructor(
    @InjectRepository(Wheel) private readonly wheels: Repository<Wheel>,
    private readonly dataSource: DataSource,
    private readonly materialiser: MaterialiseService,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(municipalityId: string, library: boolean): Promise<WheelDto[]> {
    const wheels = await this.wheels.find({
      where: library ? { published: true, archivedAt: IsNull() } : { municipalityId },
      order: { name: 'ASC' },
    });
    return wheels.map(WheelDto.from);
  }

  /** A wheel this municipality may read: its own, or one another has published. Otherwise "not found". */
  async readable(municipalityId: string, wheelId: string): Promise<Wheel> {
    // TypeORM drops an undefined condition and would return any wheel: refuse anything but an id.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(wheelId))) throw new NotFoundProblem('Wheel', String(wheelId));
    const wheel = await this.wheels.findOneBy({ id: wheelId });
    if (!wheel || (wheel.municipalityId !== municipalityId && !(wheel.published && !wheel.archivedAt))) {
      throw new NotFoundProblem('Wheel', wheelId);
    }
    return wheel;
  }

  /** A wheel this municipality may change: its own. */
  async own(municipalityId: string, wheelId: string): Promise<Wheel> {
    const wheel = await this.readable(municipalityId, wheelId);
    if (wheel.municipalityId !== municipalityId) throw new NotYourWheelProblem();
    return wheel;
  }

  async get(municipalityId: string, wheelId: string): Promise<WheelDto> {
    return WheelDto.from(await this.readable(municipalityId, wheelId));
  }

  async create(actor: AuthenticatedPerson, dto: CreateWheelDto): Promise<WheelDto> {
    return this.dataSource.transaction(async (tx) => {
      const wheel = await tx.save(
        tx.create(Wheel, { municipalityId: actor.municipalityId, name: dto.name, kind: dto.kind, description: dto.description ?? null }),
      );
      await this.auditLog.record(actor, { action: 'created', entity: 'wheel', entityId: wheel.id, after: WheelDto.from(wheel) }, tx);
      return WheelDto.from(wheel);
    });
  }

  async update(actor: AuthenticatedPerson, wheelId: string, dto: UpdateWheelDto): Promise<WheelDto> {
    const municipalityId = actor.municipalityId;
    const wheel = await this.own(municipalityId, wheelId);
    const before = WheelDto.from(wheel);
    const wasArchived = wheel.archivedAt !== null;
    if (dto.name !== undefined) wheel.name = dto.name;
    if (dto.description !== undefined) wheel.description = dto.description;
    if (dto.published !== undefined) wheel.published = dto.published;
    if (dto.dueSoonDays !== undefined) wheel.dueSoonDays = dto.dueSoonDays;
    if (dto.escalationDays !== undefined) wheel.escalationDays = dto.escalationDays;
    if (dto.archived !== undefined) wheel.archivedAt = dto.archived ? (wheel.archivedAt ?? new Date()) : null;
    await this.dataSource.transaction(async (tx) => {
      await tx.save(wheel);
      await this.auditLog.record(actor, { action: 'updated', entity: 'wheel', entityId: wheel.id, before, after: WheelDto.from(wheel) }, tx);
    });
    if (wasArchived !== (wheel.archivedAt !== null)) await this.materialiser.resyncWheel(municipalityId, wheel.id, causedBy(actor, 'wheel-changed'));
    return WheelDto.from(wheel);
  }

  /** Copies a wheel and its active tasks into this municipality, remembering where it came from. */
  async copy(actor: AuthenticatedPerson, wheelId: string): Promise<WheelDto> {
    const municipalityId = actor.municipalityId;
    const source = await this.readable(municipalityId, wheelId);
    return this.dataSource.transaction(async (tx) => {
      const copy = await tx.save(
        tx.create(Wheel, { municipalityId, name: source.name, kind: source.kind, description: source.description, copiedFromWheelId: source.id }),
      );
      const tasks = await tx.findBy(TaskDefinition, { wheelId: source.id, archivedAt: IsNull() });
      for (const task of tasks) {
        const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = task;
        await tx.save(tx.create(TaskDefinition, { ...rest, municipalityId, wheelId: copy.id }));
      }
      await this.auditLog.record(actor, { action: 'copied', entity: 'wheel', entityId: copy.id, after: { ...WheelDto.from(copy), tasks: tasks.length } }, tx);
      return WheelDto.from(copy);
    });
  }
}
