import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../../common/problem';
import { WheelIsDraftProblem, WheelReplacedProblem } from '../exceptions/wheel.exceptions';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { AssignmentDto, AssignWheelDto } from '../dtos/assignment.dto';
import { Wheel } from '../entities/wheel.entity';
import { WheelAssignment } from '../entities/wheel-assignment.entity';
import { WheelsService } from './wheels.service';

/** Which units follow which wheels, from which year. */
@Injectable()
export class AssignmentsService {
  constructor(
    @InjectRepository(WheelAssignment) private readonly assignments: Repository<WheelAssignment>,
    private readonly wheels: WheelsService,
    private readonly materialiser: MaterialiseService,
    private readonly auditLog: AuditLogService,
    private readonly dataSource: DataSource,
  ) {}

  async list(municipalityId: string, unitId: string): Promise<AssignmentDto[]> {
    const rows = await this.assignments
      .createQueryBuilder('a')
      .innerJoin(Wheel, 'w', 'w.id = a.wheel_id')
      .addSelect('w.name', 'wheel_name')
      .where('a.unit_id = :unitId AND a.municipality_id = :municipalityId', { unitId, municipalityId })
      .orderBy('w.name')
      .getRawAndEntities();
    return rows.entities.map((a, i) => AssignmentDto.from(a, rows.raw[i].wheel_name));
  }

  async assign(actor: AuthenticatedPerson, unitId: string, dto: AssignWheelDto): Promise<AssignmentDto> {
    const municipalityId = actor.municipalityId;
    const wheel = await this.wheels.own(municipalityId, dto.wheelId);
    if (wheel.status === 'draft') throw new WheelIsDraftProblem(wheel.name);
    const replacement = await this.wheels.replacementOf(wheel.id);
    if (replacement) throw new WheelReplacedProblem(wheel.name, replacement.name, replacement.replacesFrom ?? '');
    // A unit's wheel is used in its own part of the tree; elsewhere it is copied, so its owner's changes stay theirs.
    if (wheel.ownerUnitId && !(await this.within(unitId, wheel.ownerUnitId))) {
      throw new ValidationProblem([{ field: 'wheelId', message: 'belongs to another unit: it can be assigned to its owning unit and the units below it; copy it for this one' }]);
    }
    try {
      const assignment = await this.assignments.save(
        this.assignments.create({ municipalityId, unitId, wheelId: wheel.id, includeSubunits: dto.includeSubunits ?? true, fromYear: dto.fromYear }),
      );
      await this.auditLog.record(actor, { action: 'assigned', entity: 'wheel_assignment', entityId: assignment.id, after: AssignmentDto.from(assignment, wheel.name) });
      await this.materialiser.resyncWheel(municipalityId, wheel.id, causedBy(actor, 'wheel-assigned'), [unitId]);
      return AssignmentDto.from(assignment, wheel.name);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictProblem('duplicate-assignment', 'This wheel is already assigned to this unit.');
      }
      throw error;
    }
  }

  /** Whether `unitId` is `ancestorId` or below it. */
  private async within(unitId: string, ancestorId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `WITH RECURSIVE line AS (
         SELECT id, parent_id FROM unit WHERE id = $1
         UNION
         SELECT u.id, u.parent_id FROM unit u JOIN line ON u.id = line.parent_id
       )
       SELECT 1 FROM line WHERE id = $2`,
      [unitId, ancestorId],
    );
    return rows.length > 0;
  }

  /** Ends an assignment: future, unsigned occurrences go; the past and everything signed stay. */
  async remove(actor: AuthenticatedPerson, unitId: string, assignmentId: string): Promise<void> {
    const municipalityId = actor.municipalityId;
    const assignment = await this.assignments.findOneBy({ id: assignmentId, unitId, municipalityId });
    if (!assignment) throw new NotFoundProblem('Wheel assignment', assignmentId);
    await this.assignments.delete({ id: assignment.id });
    await this.auditLog.record(actor, { action: 'removed', entity: 'wheel_assignment', entityId: assignment.id, before: assignment });
    await this.materialiser.resyncWheel(municipalityId, assignment.wheelId, causedBy(actor, 'wheel-assignment-removed'), [unitId]);
  }
}
