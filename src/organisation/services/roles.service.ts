import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { ForbiddenProblem } from '../../auth/auth.exceptions';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../../common/problem';
import { OwnersService } from '../../occurrences/services/owners.service';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { AuditLogService } from '../../audit/audit-log.service';
import { AssignRoleDto, RoleAssignmentDto } from '../dtos/role.dto';

/** Roles that only an administrator may hand out: they reach beyond one unit's daily work. */
const ADMIN_GRANTED = ['admin', 'quality_adviser'];

/** Who holds which role (Ansvar) in a unit. Open occurrences follow every change. */
@Injectable()
export class RolesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly owners: OwnersService,
    private readonly materialiser: MaterialiseService,
    private readonly access: AccessService,
    private readonly auditLog: AuditLogService,
  ) {}

  list(municipalityId: string, unitId: string): Promise<RoleAssignmentDto[]> {
    return this.dataSource.query(
      `SELECT ra.id, ra.unit_id AS "unitId", ra.person_id AS "personId", p.display_name AS "displayName", p.email, ra.role
         FROM role_assignment ra JOIN person p ON p.id = ra.person_id
        WHERE ra.unit_id = $1 AND ra.municipality_id = $2
        ORDER BY ra.role, p.display_name`,
      [unitId, municipalityId],
    );
  }

  async assign(caller: AuthenticatedPerson, unitId: string, dto: AssignRoleDto): Promise<RoleAssignmentDto> {
    if (ADMIN_GRANTED.includes(dto.role) && !(await this.access.isAdmin(caller.personId, caller.municipalityId))) {
      throw new ForbiddenProblem(`Only administrators may give the role ${dto.role}.`);
    }
    const assigned: RoleAssignmentDto = await this.dataSource.transaction(async (tx) => {
      const [person] = await tx.query(`SELECT id FROM person WHERE id = $1 AND municipality_id = $2 AND archived_at IS NULL`, [
        dto.personId,
        caller.municipalityId,
      ]);
      if (!person) throw new ValidationProblem([{ field: 'personId', message: 'is not an active person of your municipality' }]);
      const [row] = await tx
        .query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, $4) RETURNING id`, [
          caller.municipalityId,
          dto.personId,
          unitId,
          dto.role,
        ])
        .catch((error: unknown) => {
          if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
            throw new ConflictProblem('duplicate-role', 'The person already has this role in this unit.');
          }
          throw error;
        });
      await this.owners.refreshOpenInSubtrees(tx, caller.municipalityId, [unitId]);
      await this.auditLog.record(caller, { action: 'assigned', entity: 'role_assignment', entityId: row.id, after: { unitId, personId: dto.personId, role: dto.role } }, tx);
      const [created] = await tx.query(
        `SELECT ra.id, ra.unit_id AS "unitId", ra.person_id AS "personId", p.display_name AS "displayName", p.email, ra.role
           FROM role_assignment ra JOIN person p ON p.id = ra.person_id WHERE ra.id = $1`,
        [row.id],
      );
      return created;
    });
    // Once the role is committed, as materialising runs in transactions of its own: a newcomer's duties per person.
    await this.materialiser.resyncPersonTasks(caller.municipalityId, [unitId], causedBy(caller, 'role-taken'));
    return assigned;
  }

  async remove(caller: AuthenticatedPerson, unitId: string, assignmentId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT role, person_id FROM role_assignment WHERE id = $1 AND unit_id = $2 AND municipality_id = $3`, [
        assignmentId,
        unitId,
        caller.municipalityId,
      ]);
      if (!row) throw new NotFoundProblem('Role assignment', assignmentId);
      if (ADMIN_GRANTED.includes(row.role) && !(await this.access.isAdmin(caller.personId, caller.municipalityId))) {
        throw new ForbiddenProblem(`Only administrators may take away the role ${row.role}.`);
      }
      await tx.query(`DELETE FROM role_assignment WHERE id = $1`, [assignmentId]);
      await this.auditLog.record(caller, { action: 'removed', entity: 'role_assignment', entityId: assignmentId, before: { unitId, personId: row.person_id, role: row.role } }, tx);
      await this.owners.refreshOpenInSubtrees(tx, caller.municipalityId, [unitId]);
    });
    // A leaver's open duties per person from today on are cancelled (traced); those already overdue stay.
    await this.materialiser.resyncPersonTasks(caller.municipalityId, [unitId], causedBy(caller, 'role-left'));
  }
}
