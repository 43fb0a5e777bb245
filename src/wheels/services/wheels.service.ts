import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
import { NotFoundProblem, ValidationProblem } from '../../common/problem';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AccessService } from '../../auth/access.service';
import { ReadDatabase } from '../../database/read-database';
import { ForbiddenProblem } from '../../auth/auth.exceptions';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CopyWheelDto, CreateWheelDto, UpdateWheelDto, WheelDto, WheelListQuery } from '../dtos/wheel.dto';
import { TaskDefinition } from '../entities/task-definition.entity';
import { Wheel } from '../entities/wheel.entity';
import { DraftExistsProblem, NotADraftProblem, NotYourWheelProblem, WheelIsDraftProblem, WheelReplacedProblem } from '../exceptions/wheel.exceptions';

export { NotYourWheelProblem } from '../exceptions/wheel.exceptions';

/**
 * Wheels (årshjul). A municipality reads and changes its own; it can read and copy the wheels other
 * municipalities have published, as Molde and Kristiansund shared theirs. A wheel is owned by a unit (its
 * managers and those above shape it) or by the municipality (its administrators). Managers shape drafts;
 * a wheel in use is changed by a draft that replaces it from a date (PublishingService).
 */
@Injectable()
export class WheelsService {
  constructor(
    @InjectRepository(Wheel) private readonly wheels: Repository<Wheel>,
    private readonly dataSource: DataSource,
    private readonly materialiser: MaterialiseService,
    private readonly auditLog: AuditLogService,
    private readonly access: AccessService,
    private readonly reads: ReadDatabase,
  ) {}

  /** Wheels are read from a standby when one is healthy (ReadDatabase); written through `wheels`. */
  private get reading(): Repository<Wheel> {
    return this.reads.source().getRepository(Wheel);
  }

  /** The municipality's wheels, or the library of published ones. */
  async list(municipalityId: string, library: boolean): Promise<WheelDto[]> {
    return (await this.find(municipalityId, { library })).map(WheelDto.from);
  }

  /** As `list`, narrowed by owner, status, or to the wheels the person may shape. */
  async listFor(person: AuthenticatedPerson, query: WheelListQuery = {}): Promise<WheelDto[]> {
    let wheels = await this.find(person.municipalityId, query);
    if (query.editable && !query.library) {
      const mayShape = await this.shapingScope(person);
      wheels = wheels.filter((w) => (w.ownerUnitId ? mayShape.units.has(w.ownerUnitId) : mayShape.municipality));
    }
    return wheels.map(WheelDto.from);
  }

  private async find(municipalityId: string, query: WheelListQuery): Promise<Wheel[]> {
    if (query.library) return this.reading.find({ where: { published: true, archivedAt: IsNull(), status: 'active' }, order: { name: 'ASC' } });
    const where: Record<string, unknown> = { municipalityId };
    if (query.ownerUnitId) where.ownerUnitId = query.ownerUnitId;
    if (query.status) where.status = query.status;
    return this.reading.find({ where, order: { name: 'ASC' } });
  }

  /** Which wheels the person may shape: those of the units they manage (and below), and the municipality's if admin. */
  async shapingScope(person: AuthenticatedPerson): Promise<{ municipality: boolean; units: Set<string> }> {
    const municipality = await this.access.isAdmin(person.personId, person.municipalityId);
    const units = (await this.access.readableUnits(person.personId, person.municipalityId, ['manager'])).filter((u) => u.managed);
    return { municipality, units: new Set(units.map((u) => u.id)) };
  }

  /** A wheel this municipality may read: its own, or one another has published. Otherwise "not found". */
  async readable(municipalityId: string, wheelId: string): Promise<Wheel> {
    // TypeORM drops an undefined condition and would return any wheel: refuse anything but an id.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(wheelId))) throw new NotFoundProblem('Wheel', String(wheelId));
    const wheel = await this.reading.findOneBy({ id: wheelId });
    if (!wheel || (wheel.municipalityId !== municipalityId && !(wheel.published && !wheel.archivedAt && wheel.status === 'active'))) {
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

  /** The active wheel that replaced this one, if any. */
  async replacementOf(wheelId: string, runner: EntityManager | DataSource = this.dataSource): Promise<Wheel | null> {
    return runner.getRepository(Wheel).findOneBy({ replacesWheelId: wheelId, status: 'active' });
  }

  /** A unit's wheel starts as a draft, to be shaped and published; the municipality's in use, as before (or as a draft if asked). */
  async create(actor: AuthenticatedPerson, dto: CreateWheelDto): Promise<WheelDto> {
    const ownerUnitId = dto.ownerUnitId ?? null;
    // A unit's wheel goes into use only by publishing, which checks its rows first.
    if (ownerUnitId && dto.status === 'active') throw new ValidationProblem([{ field: 'status', message: "a unit's new wheel is a draft: publish it when its rows are ready" }]);
    return this.dataSource.transaction(async (tx) => {
      const wheel = await tx.save(
        tx.create(Wheel, {
          municipalityId: actor.municipalityId,
          name: dto.name,
          kind: dto.kind,
          description: dto.description ?? null,
          ownerUnitId,
          status: dto.status ?? (ownerUnitId ? 'draft' : 'active'),
        }),
      );
      await this.auditLog.record(actor, { action: 'created', entity: 'wheel', entityId: wheel.id, after: WheelDto.from(wheel) }, tx);
      return WheelDto.from(wheel);
    });
  }

  async update(actor: AuthenticatedPerson, wheelId: string, dto: UpdateWheelDto): Promise<WheelDto> {
    const municipalityId = actor.municipalityId;
    const wheel = await this.own(municipalityId, wheelId);
    // Sharing a wheel with other municipalities speaks for the whole municipality.
    if (dto.published !== undefined && dto.published !== wheel.published) {
      if (!(await this.access.isAdmin(actor.personId, municipalityId))) throw new ForbiddenProblem('Only administrators share wheels with other municipalities.');
      if (dto.published && wheel.status === 'draft') throw new WheelIsDraftProblem(wheel.name);
    }
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
    if (wasArchived !== (wheel.archivedAt !== null) && wheel.status === 'active') {
      await this.materialiser.resyncWheel(municipalityId, wheel.id, causedBy(actor, 'wheel-changed'));
    }
    return WheelDto.from(wheel);
  }

  /**
   * Copies a wheel and its active tasks into this municipality, remembering where it came from. With an
   * owning unit the copy is that unit's draft; without, the municipality's (in use at once, as before).
   */
  async copy(actor: AuthenticatedPerson, wheelId: string, dto: CopyWheelDto = {}): Promise<WheelDto> {
    const source = await this.readable(actor.municipalityId, wheelId);
    const ownerUnitId = dto.ownerUnitId ?? null;
    return this.dataSource.transaction(async (tx) => {
      const copy = await this.duplicate(tx, actor, source, { name: dto.name ?? source.name, ownerUnitId, status: ownerUnitId ? 'draft' : 'active', replacesWheelId: null });
      await this.auditLog.record(actor, { action: 'copied', entity: 'wheel', entityId: copy.wheel.id, after: { ...WheelDto.from(copy.wheel), tasks: copy.tasks } }, tx);
      return WheelDto.from(copy.wheel);
    });
  }

  /**
   * Starts a draft that will replace a wheel in use: a copy of it, owned alike, that can be shaped and then
   * published from a date. A wheel in use is never edited in place by a manager.
   */
  async startDraft(actor: AuthenticatedPerson, wheelId: string): Promise<WheelDto> {
    const source = await this.own(actor.municipalityId, wheelId);
    if (source.status === 'draft') throw new NotADraftProblem(source.name);
    if (source.archivedAt) throw new NotFoundProblem('Wheel', wheelId);
    return this.dataSource.transaction(async (tx) => {
      // Serialises two "start a draft" clicks on the same wheel; the second sees the first's draft.
      await tx.query(`SELECT 1 FROM wheel WHERE id = $1 FOR UPDATE`, [source.id]);
      const replaced = await this.replacementOf(source.id, tx);
      if (replaced) throw new WheelReplacedProblem(source.name, replaced.name, replaced.replacesFrom ?? '');
      const open = await tx.findOneBy(Wheel, { replacesWheelId: source.id, status: 'draft', archivedAt: IsNull() });
      if (open) throw new DraftExistsProblem(open.id);
      const draft = await this.duplicate(tx, actor, source, { name: source.name, ownerUnitId: source.ownerUnitId, status: 'draft', replacesWheelId: source.id });
      await this.auditLog.record(actor, { action: 'draft-started', entity: 'wheel', entityId: draft.wheel.id, after: { ...WheelDto.from(draft.wheel), tasks: draft.tasks } }, tx);
      return WheelDto.from(draft.wheel);
    });
  }

  private async duplicate(
    tx: EntityManager,
    actor: AuthenticatedPerson,
    source: Wheel,
    as: Pick<Wheel, 'name' | 'ownerUnitId' | 'status' | 'replacesWheelId'>,
  ): Promise<{ wheel: Wheel; tasks: number }> {
    const municipalityId = actor.municipalityId;
    const wheel = await tx.save(
      tx.create(Wheel, {
        municipalityId,
        kind: source.kind,
        description: source.description,
        copiedFromWheelId: source.id,
        dueSoonDays: source.municipalityId === municipalityId ? source.dueSoonDays : null,
        escalationDays: source.municipalityId === municipalityId ? source.escalationDays : null,
        ...as,
      }),
    );
    const tasks = await tx.findBy(TaskDefinition, { wheelId: source.id, archivedAt: IsNull() });
    for (const task of tasks) {
      const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = task;
      await tx.save(tx.create(TaskDefinition, { ...rest, municipalityId, wheelId: wheel.id }));
    }
    return { wheel, tasks: tasks.length };
  }

  /** Names of wheels by id, for listings. */
  async names(ids: string[]): Promise<Map<string, string>> {
    const rows = ids.length ? await this.wheels.findBy({ id: In(ids) }) : [];
    return new Map(rows.map((w) => [w.id, w.name]));
  }
}
