import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { NotFoundProblem, ValidationProblem } from '../../common/problem';
import { hasRecords } from '../../records/standing.sql';
import { causedBy, stateChangeCause } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CreateUnitDto, UpdateUnitDto } from '../dtos/create-unit.dto';
import { UnitDto } from '../dtos/unit.dto';
import { Unit } from '../entities/unit.entity';
import { MunicipalitiesService } from './municipalities.service';

@Injectable()
export class UnitsService {
  constructor(
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
    private readonly dataSource: DataSource,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
  ) {}

  /** The municipality's active units, ordered by name. */
  async list(municipalityId: string): Promise<UnitDto[]> {
    const units = await this.units.find({ where: { municipalityId, archivedAt: IsNull() }, order: { name: 'ASC' } });
    return units.map(UnitDto.from);
  }

  async get(municipalityId: string, id: string): Promise<UnitDto> {
    const unit = await this.units.findOneBy({ id, municipalityId });
    if (!unit) throw new NotFoundProblem('Unit', id);
    return UnitDto.from(unit);
  }

  async create(actor: AuthenticatedPerson, dto: CreateUnitDto): Promise<UnitDto> {
    const municipalityId = actor.municipalityId;
    if (dto.parentId) await this.assertActiveParent(municipalityId, dto.parentId);
    return this.dataSource.transaction(async (tx) => {
      const unit = await tx.save(tx.create(Unit, { municipalityId, name: dto.name, parentId: dto.parentId ?? null }));
      await this.auditLog.record(actor, { action: 'created', entity: 'unit', entityId: unit.id, after: UnitDto.from(unit) }, tx);
      return UnitDto.from(unit);
    });
  }

  async update(actor: AuthenticatedPerson, id: string, dto: UpdateUnitDto): Promise<UnitDto> {
    const municipalityId = actor.municipalityId;
    const unit = await this.units.findOneBy({ id, municipalityId });
    if (!unit) throw new NotFoundProblem('Unit', id);
    const before = { ...UnitDto.from(unit), archived: unit.archivedAt !== null };
    const moving = dto.parentId !== undefined && dto.parentId !== unit.parentId;
    if (moving) {
      await this.assertActiveParent(municipalityId, dto.parentId!);
      unit.parentId = dto.parentId!;
    }
    if (dto.name !== undefined) unit.name = dto.name;
    const archiving = dto.archived === true && unit.archivedAt === null;
    if (dto.archived !== undefined) unit.archivedAt = dto.archived ? (unit.archivedAt ?? new Date()) : null;
    await this.dataSource.transaction(async (tx) => {
      if (moving) await this.assertNoCycle(tx, municipalityId, unit.id, unit.parentId!);
      await tx.save(unit);
      const after = { ...UnitDto.from(unit), archived: unit.archivedAt !== null };
      await this.auditLog.record(actor, { action: archiving ? 'archived' : 'updated', entity: 'unit', entityId: unit.id, before, after }, tx);
      if (archiving) {
        // A closed unit has no future to plan; what it did and did not do stays on record.
        await stateChangeCause(tx, causedBy(actor, 'unit-archived'));
        await tx.query(
          `UPDATE occurrence o SET cancelled_at = now(), updated_at = now()
            WHERE o.unit_id = $1 AND o.cancelled_at IS NULL AND o.deadline >= $2 AND NOT ${hasRecords('o')}`,
          [unit.id, await this.municipalities.today(municipalityId)],
        );
      }
    });
    return UnitDto.from(unit);
  }

  /**
   * Two crossing moves (A under B, B under A) would each pass a check made before the other commits, and
   * together make a cycle. So a municipality's moves take turns (a transaction-level advisory lock), and
   * the check is made inside the turn: it walks up from the new parent, and sees every earlier move.
   */
  private async assertNoCycle(tx: EntityManager, municipalityId: string, unitId: string, parentId: string): Promise<void> {
    await this.lockTree(tx, municipalityId);
    const [inside] = await tx.query(
      `WITH RECURSIVE line AS (   -- UNION, not UNION ALL: the walk ends even on a cycle forced in by hand
         SELECT id, parent_id FROM unit WHERE id = $2
         UNION
         SELECT u.id, u.parent_id FROM unit u JOIN line ON u.id = line.parent_id
       )
       SELECT 1 FROM line WHERE id = $1`,
      [unitId, parentId],
    );
    if (inside) throw new ValidationProblem([{ field: 'parentId', message: 'cannot be the unit itself or a unit below it' }]);
  }

  /** The municipality's turn at changing its unit tree (see assertNoCycle); an organisation import takes it too. */
  async lockTree(tx: EntityManager, municipalityId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('unit-tree:' || $1, 0))`, [municipalityId]);
  }

  private async assertActiveParent(municipalityId: string, parentId: string): Promise<void> {
    if (!(await this.units.existsBy({ id: parentId, municipalityId, archivedAt: IsNull() }))) {
      throw new ValidationProblem([{ field: 'parentId', message: 'is not a unit of your municipality' }]);
    }
  }
}
