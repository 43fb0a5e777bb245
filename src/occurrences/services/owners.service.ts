import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isSigned } from '../../records/standing.sql';
import { UNIT_TREE_MAX_DEPTH } from '../../organisation/unit-scope.sql';

/**
 * Who owns an occurrence: for a duty per person (scope `person`), that person alone (while not archived);
 * for a recipient's task, the recipient's primary contacts; otherwise the people
 * holding the task's responsible role (Ansvar) in the occurrence's unit, or, if nobody does there, in the
 * nearest unit above that has someone. Owners are stored so that "my tasks" is one indexed lookup, and
 * refreshed for unsigned occurrences whenever roles, primary contacts or people change.
 */
@Injectable()
export class OwnersService {
  /** Re-resolves the owners of the given occurrences (all of them, signed or not: callers choose). */
  async refresh(tx: EntityManager, occurrenceIds: string[]): Promise<void> {
    if (occurrenceIds.length === 0) return;
    await tx.query(`DELETE FROM occurrence_owner oo USING unnest($1::uuid[]) AS target(id) WHERE oo.occurrence_id = target.id`, [occurrenceIds]);
    await this.insertOwners(
      tx,
      `SELECT o.id, o.unit_id, o.recipient_id, o.person_id, t.responsible_role AS role
         FROM occurrence o JOIN task_definition t ON t.id = o.task_id WHERE o.id = ANY($1::uuid[])`,
      [occurrenceIds],
    );
  }

  /**
   * Resolves the owners of occurrences just created, which have none stored yet. The caller knows their
   * task, unit and recipient, so the occurrence table is not read again (for a large municipality's year
   * that read was a scan of every occurrence: see bench/README.md).
   */
  async resolveCreated(
    tx: EntityManager,
    created: { ids: string[]; taskIds: string[]; unitIds: string[]; recipientIds: Array<string | null>; personIds?: Array<string | null> },
  ): Promise<void> {
    if (created.ids.length === 0) return;
    await this.insertOwners(
      tx,
      `SELECT c.id, c.unit_id, c.recipient_id, c.person_id, t.responsible_role AS role
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[]) AS c(id, task_id, unit_id, recipient_id, person_id)
         JOIN task_definition t ON t.id = c.task_id`,
      [created.ids, created.taskIds, created.unitIds, created.recipientIds, created.personIds ?? created.ids.map(() => null)],
    );
  }

  /** Inserts the owners of the occurrences `targets` selects (id, unit_id, recipient_id, person_id, role). */
  private async insertOwners(tx: EntityManager, targets: string, params: unknown[]): Promise<void> {
    await tx.query(
      `WITH RECURSIVE target AS (${targets}),
       pairs AS (SELECT DISTINCT unit_id, role FROM target WHERE recipient_id IS NULL AND person_id IS NULL),
       line AS (
         SELECT p.unit_id AS origin, p.role, p.unit_id AS unit_id, 0 AS depth FROM pairs p
         UNION ALL
         SELECT line.origin, line.role, u.parent_id, line.depth + 1
           FROM line JOIN unit u ON u.id = line.unit_id
          WHERE u.parent_id IS NOT NULL AND line.depth < ${UNIT_TREE_MAX_DEPTH}
       ),
       holders AS (
         SELECT line.origin, line.role, ra.person_id, line.depth
           FROM line
           JOIN role_assignment ra ON ra.unit_id = line.unit_id AND ra.role = line.role
           JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
       ),
       nearest AS (   -- the holders in the unit nearest the origin (a window, not a lookup per holder: units have thousands)
         SELECT origin, role, person_id
           FROM (SELECT h.*, rank() OVER (PARTITION BY h.origin, h.role ORDER BY h.depth) AS closeness FROM holders h) ranked
          WHERE closeness = 1
       )
       INSERT INTO occurrence_owner (occurrence_id, person_id)
       SELECT t.id, n.person_id FROM target t JOIN nearest n ON n.origin = t.unit_id AND n.role = t.role
        WHERE t.recipient_id IS NULL AND t.person_id IS NULL
       UNION
       SELECT t.id, t.person_id FROM target t JOIN person p ON p.id = t.person_id AND p.archived_at IS NULL
       UNION
       SELECT t.id, rpc.person_id FROM target t
         JOIN recipient_primary_contact rpc ON rpc.recipient_id = t.recipient_id
         JOIN person p ON p.id = rpc.person_id AND p.archived_at IS NULL`,
      params,
    );
  }

  /**
   * After a change of roles, primary contacts or people: re-resolve the owners of the open (not cancelled,
   * not signed) occurrences in these units and the units below them, where inherited roles may apply.
   */
  async refreshOpenInSubtrees(tx: EntityManager, municipalityId: string, unitIds: string[]): Promise<void> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH RECURSIVE sub AS (
         SELECT id FROM unit WHERE id = ANY($2::uuid[]) AND municipality_id = $1
         UNION
         SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id
       )
       SELECT o.id FROM occurrence o
        WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM sub) AND o.cancelled_at IS NULL AND NOT ${isSigned('o')}`,
      [municipalityId, unitIds],
    );
    await this.refresh(tx, rows.map((r) => r.id));
  }
}
