import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared } from '../database/prepared-statements';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * AccessService.personWithRoleOver's statement for each kind of thing a path names: $1 person, $2
 * municipality, $3 the thing's id, $4 the roles that admit. Prepared: nearly every request runs one.
 */
const PERSON_WITH_ROLE_OVER = {
  unit: personWithRoleOverSql(`SELECT id AS unit_id FROM unit WHERE id = $3 AND municipality_id = $2 AND archived_at IS NULL`),
  recipient: personWithRoleOverSql(`SELECT unit_id FROM recipient WHERE id = $3 AND municipality_id = $2`),
  occurrence: personWithRoleOverSql(`SELECT unit_id FROM occurrence WHERE id = $3 AND municipality_id = $2`),
};

/** `target`: the statement that finds the unit of the thing the path names. */
function personWithRoleOverSql(target: string): string {
  return prepared(`WITH RECURSIVE target AS (${target}),
       line AS (
         SELECT u.id, u.parent_id FROM unit u WHERE u.id = (SELECT unit_id FROM target) AND u.municipality_id = $2
         UNION
         SELECT u.id, u.parent_id FROM unit u JOIN line ON u.id = line.parent_id
       )
       SELECT p.email, (SELECT unit_id FROM target) AS unit_id,
              EXISTS (SELECT 1 FROM role_assignment ra
                       WHERE ra.person_id = p.id AND ra.municipality_id = $2
                         AND (ra.role = 'admin' OR (ra.role = ANY($4) AND ra.unit_id IN (SELECT id FROM line)))) AS allowed
         FROM person p WHERE p.id = $1 AND p.municipality_id = $2 AND p.archived_at IS NULL`);
}

/** Answers "may this person act on this unit?" from role assignments inherited down the unit tree. */
@Injectable()
export class AccessService {
  constructor(private readonly dataSource: DataSource) {}

  async isAdmin(personId: string, municipalityId: string): Promise<boolean> {
    return this.hasAnyRole(personId, municipalityId, ['admin']);
  }

  /** Whether the person holds one of `roles` (or admin) in any unit of the municipality. */
  async hasAnyRole(personId: string, municipalityId: string, roles: string[]): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM role_assignment WHERE person_id = $1 AND municipality_id = $2 AND (role = 'admin' OR role = ANY($3)) LIMIT 1`,
      [personId, municipalityId, roles],
    );
    return rows.length > 0;
  }

  /**
   * The unit a unit, recipient or occurrence id belongs to, within the municipality. A foreign or made-up
   * id gives undefined: "not found", never "forbidden", so ids of other municipalities reveal nothing.
   */
  async unitOf(entity: 'unit' | 'recipient' | 'occurrence', id: unknown, municipalityId: string): Promise<string | undefined> {
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    const sql = {
      unit: `SELECT id AS unit_id FROM unit WHERE id = $1 AND municipality_id = $2 AND archived_at IS NULL`,
      recipient: `SELECT unit_id FROM recipient WHERE id = $1 AND municipality_id = $2`,
      occurrence: `SELECT unit_id FROM occurrence WHERE id = $1 AND municipality_id = $2`,
    }[entity];
    const [row] = await this.dataSource.query(sql, [id, municipalityId]);
    return row?.unit_id;
  }

  /**
   * Whether readableUnits(…, roles) lists any unit, without walking the tree below the person's units (the
   * menu of every page asks; for the manager of a 1,000-unit sector the walk took 6–13 ms, twice a page).
   */
  async readsAnyUnit(personId: string, municipalityId: string, roles: string[]): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM role_assignment ra JOIN unit u ON u.id = ra.unit_id
                       WHERE ra.person_id = $1 AND ra.municipality_id = $2 AND ra.role = ANY($3) AND u.archived_at IS NULL)
              OR (EXISTS (SELECT 1 FROM role_assignment WHERE person_id = $1 AND municipality_id = $2 AND role = 'admin')
                  AND EXISTS (SELECT 1 FROM unit WHERE municipality_id = $2 AND archived_at IS NULL)) AS yes`,
      [personId, municipalityId, roles],
    );
    // A role held only on archived units may still reach active units below them: the walk decides that.
    return row.yes || (await this.readableUnits(personId, municipalityId, roles)).length > 0;
  }

  /** The units the person may read with one of `roles` (or all, for an administrator), by name. */
  /** `own`: the person holds one of the roles in that very unit (not only above it): the unit a page opens on. */
  async readableUnits(personId: string, municipalityId: string, roles: string[]): Promise<Array<{ id: string; name: string; managed: boolean; own: boolean }>> {
    return this.dataSource.query(
      `WITH RECURSIVE held AS (
         SELECT ra.unit_id, ra.role FROM role_assignment ra WHERE ra.person_id = $1 AND ra.municipality_id = $2 AND ra.role = ANY($3)
       ),
       reach AS (
         SELECT u.id, (held.role = 'manager') AS managed FROM unit u JOIN held ON held.unit_id = u.id
         UNION
         SELECT u.id, reach.managed FROM unit u JOIN reach ON u.parent_id = reach.id
       )
       SELECT u.id, u.name, bool_or(r.managed) OR bool_or(is_admin.yes) AS managed,
              EXISTS (SELECT 1 FROM held WHERE held.unit_id = u.id) AS own
         FROM unit u
         LEFT JOIN reach r ON r.id = u.id
         CROSS JOIN (SELECT EXISTS (SELECT 1 FROM role_assignment WHERE person_id = $1 AND municipality_id = $2 AND role = 'admin') AS yes) is_admin
        WHERE u.municipality_id = $2 AND u.archived_at IS NULL AND (r.id IS NOT NULL OR is_admin.yes)
        GROUP BY u.id, u.name ORDER BY u.name`,
      [personId, municipalityId, roles],
    );
  }

  /**
   * Whether the person may shape (create, copy into, edit, publish) a wheel owned by `ownerUnitId`: managers
   * of that unit or a unit above it, and administrators; the municipality's own wheels (null), administrators only.
   */
  async mayShapeWheel(personId: string, municipalityId: string, ownerUnitId: string | null): Promise<boolean> {
    return ownerUnitId ? this.hasRoleOver(personId, municipalityId, ownerUnitId, ['manager']) : this.isAdmin(personId, municipalityId);
  }

  /**
   * The owning unit of a wheel this municipality can see: its own (`foreign: false`), or one another
   * municipality has published (`foreign: true`, readable but never changed). Otherwise undefined.
   */
  async wheelOf(id: unknown, municipalityId: string): Promise<{ ownerUnitId: string | null; foreign: boolean } | undefined> {
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    const [row] = await this.dataSource.query(
      `SELECT owner_unit_id, municipality_id <> $2 AS foreign FROM wheel
        WHERE id = $1 AND (municipality_id = $2 OR (published AND archived_at IS NULL AND status = 'active'))`,
      [id, municipalityId],
    );
    return row ? { ownerUnitId: row.owner_unit_id, foreign: row.foreign } : undefined;
  }

  /**
   * Signing in and the access check of a unit-role policy in one statement: whether the person is active,
   * the unit the target belongs to (as unitOf), and whether they hold one of `roles` (or admin) in it or a
   * unit above it (as hasRoleOver). Undefined if the person is not active in the municipality.
   */
  async personWithRoleOver(
    personId: string,
    municipalityId: string,
    entity: 'unit' | 'recipient' | 'occurrence',
    id: unknown,
    roles: string[],
  ): Promise<{ email: string; unitId: string | null; allowed: boolean } | undefined> {
    const [row] = await this.dataSource.query(PERSON_WITH_ROLE_OVER[entity], [personId, municipalityId, typeof id === 'string' && UUID.test(id) ? id : null, roles]);
    return row && { email: row.email, unitId: row.unit_id, allowed: row.allowed };
  }

  /** Whether the person holds one of `roles` (or admin) in the unit or any unit above it. */
  async hasRoleOver(personId: string, municipalityId: string, unitId: string, roles: string[]): Promise<boolean> {
    const rows = await this.dataSource.query(
      `WITH RECURSIVE line AS (
         SELECT id, parent_id FROM unit WHERE id = $3 AND municipality_id = $2
         UNION
         SELECT u.id, u.parent_id FROM unit u JOIN line ON u.id = line.parent_id
       )
       SELECT 1 FROM role_assignment ra
        WHERE ra.person_id = $1 AND ra.municipality_id = $2
          AND (ra.role = 'admin' OR (ra.role = ANY($4) AND ra.unit_id IN (SELECT id FROM line)))
        LIMIT 1`,
      [personId, municipalityId, unitId, roles],
    );
    return rows.length > 0;
  }
}
