import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * A task may be the duty of each holder of its role (`scope = 'person'`: every employee documents their own
 * medication training), so an occurrence may belong to one person. Its uniqueness then includes the person:
 * one occurrence per (task, unit, recipient, person, date the rule gave), the nil uuid standing for "none"
 * as for recipients (NULLS NOT DISTINCT needs PostgreSQL 15). A person occurrence is never a recipient's.
 */
export class PersonScope1765872000000 implements MigrationInterface {
  name = 'PersonScope1765872000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_definition DROP CONSTRAINT task_definition_scope_check`);
    await q.query(`ALTER TABLE task_definition ADD CONSTRAINT task_definition_scope_check CHECK (scope IN ('unit', 'recipient', 'person'))`);
    await q.query(`ALTER TABLE occurrence ADD COLUMN person_id uuid`);
    await q.query(`ALTER TABLE occurrence ADD CONSTRAINT occurrence_person_fk FOREIGN KEY (municipality_id, person_id) REFERENCES person(municipality_id, id)`);
    await q.query(`ALTER TABLE occurrence ADD CONSTRAINT occurrence_person_or_recipient CHECK (person_id IS NULL OR recipient_id IS NULL)`);
    await q.query(`DROP INDEX occurrence_once_idx`);
    await q.query(`CREATE UNIQUE INDEX occurrence_once_idx ON occurrence (task_id, unit_id, COALESCE(recipient_id, ${NIL}), COALESCE(person_id, ${NIL}), scheduled_on)`);
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    // Set when the occurrence is made, never changed afterwards (no UPDATE): whose duty it is stays.
    if (role) await q.query(`GRANT INSERT (person_id) ON occurrence TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [personal] = await q.query(`SELECT 1 FROM occurrence WHERE person_id IS NOT NULL LIMIT 1`);
    if (personal) throw new Error('PersonScope cannot be reverted: occurrences belong to persons (they may carry records).');
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (role) await q.query(`REVOKE INSERT (person_id) ON occurrence FROM ${APP_ROLE}`);
    await q.query(`DROP INDEX occurrence_once_idx`);
    await q.query(`CREATE UNIQUE INDEX occurrence_once_idx ON occurrence (task_id, unit_id, COALESCE(recipient_id, ${NIL}), scheduled_on)`);
    await q.query(`ALTER TABLE occurrence DROP CONSTRAINT occurrence_person_or_recipient`);
    await q.query(`ALTER TABLE occurrence DROP CONSTRAINT occurrence_person_fk`);
    await q.query(`ALTER TABLE occurrence DROP COLUMN person_id`);
    await q.query(`UPDATE task_definition SET scope = 'unit' WHERE scope = 'person'`);
    await q.query(`ALTER TABLE task_definition DROP CONSTRAINT task_definition_scope_check`);
    await q.query(`ALTER TABLE task_definition ADD CONSTRAINT task_definition_scope_check CHECK (scope IN ('unit', 'recipient'))`);
  }
}
