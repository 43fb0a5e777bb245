import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
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
    if (dto.parentId !== undefined && dto.parentId !== unit.parentId) {
      await this.assertActiveParent(municipalityId, dto.parentId);
      const [inside] = await this.dataSource.query(
        `WITH RECURSIVE sub AS (SELECT id FROM unit WHERE id = $1 UNION ALL SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
         SELECT 1 FROM sub WHERE id = $2`,
        [unit.id, dto.parentId],
      );
      if (inside) throw new ValidationProblem([{ field: 'parentId', message: 'cannot be the unit itself or a unit below it' }]);
      unit.parentId = dto.parentId;
    }
    if (dto.name !== undefined) unit.name = dto.name;
    const archiving = dto.archived === true && unit.archivedAt === null;
    if (dto.archived !== undefined) unit.archivedAt = dto.archived ? (unit.archivedAt ?? new Date()) : null;
    await this.dataSource.transaction(async (tx) => {
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

  private async assertActiveParent(municipalityId: string, parentId: string): Promise<void> {
    if (!(await this.units.existsBy({ id: parentId, municipalityId, archivedAt: IsNull() }))) {
      throw new ValidationProblem([{ field: 'parentId', message: 'is not a unit of your municipality' }]);
    }
  }
}
