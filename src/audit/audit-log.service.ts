import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { Clock } from '../common/clock';
import { AccessLogService } from './access-log';

export interface AuditEntry {
  /** e.g. "created", "updated", "archived", "assigned", "removed", "copied" */
  action: string;
  /** e.g. "wheel", "task", "unit", "person", "role_assignment", "recipient", "wheel_assignment" */
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The log of administrative changes — templates, units, people, roles, recipients, wheel assignments —
 * with who, when, and before/after. Append-only in the database like the records. It names recipients by
 * their pseudonymous code only, as everything else does.
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {}

  async record(actor: AuthenticatedPerson, entry: AuditEntry, runner: EntityManager | DataSource = this.dataSource): Promise<void> {
    await runner.query(
      `INSERT INTO audit_log (municipality_id, actor_id, action, entity, entity_id, before, after, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        actor.municipalityId,
        actor.personId,
        entry.action,
        entry.entity,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        this.clock.now(),
      ],
    );
  }
}

@Global()
@Module({ providers: [AuditLogService, AccessLogService], exports: [AuditLogService, AccessLogService] })
export class AuditLogModule {}
