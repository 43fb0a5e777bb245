import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;

/** The fields of an occurrence the trace compares (migration OccurrenceIntegrity), with or without the person. */
function traceFunction(withPerson: boolean): string {
  const fields = (row: 'OLD' | 'NEW') => `jsonb_build_object(
          'taskId', ${row}.task_id, 'unitId', ${row}.unit_id, 'recipientId', ${row}.recipient_id,${withPerson ? ` 'personId', ${row}.person_id,` : ''} 'scheduledOn', ${row}.scheduled_on,
          'deadline', ${row}.deadline, 'opensOn', ${row}.opens_on, 'cancelledAt', ${row}.cancelled_at,
          'standingOutcome', ${row}.standing_outcome, 'standingLate', ${row}.standing_late)`;
  return `
    CREATE OR REPLACE FUNCTION occurrence_leaves_trace() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
    DECLARE
      old_fields jsonb := ${fields('OLD')};
      new_fields jsonb := ${fields('NEW')};
      changed text[];
    BEGIN
      IF pg_trigger_depth() > 1 THEN
        old_fields := old_fields - 'standingOutcome' - 'standingLate';
        new_fields := new_fields - 'standingOutcome' - 'standingLate';
      END IF;
      SELECT array_agg(key) INTO changed FROM jsonb_each(old_fields) WHERE value IS DISTINCT FROM new_fields -> key;
      IF changed IS NULL THEN RETURN NULL; END IF;
      INSERT INTO occurrence_change (municipality_id, occurrence_id, actor_id, reason, database_role, before, after)
      VALUES (NEW.municipality_id, NEW.id,
              nullif(current_setting('arshjul.actor', true), '')::uuid,
              nullif(current_setting('arshjul.reason', true), ''),
              current_user,
              (SELECT jsonb_object_agg(key, old_fields -> key) FROM unnest(changed) AS key),
              (SELECT jsonb_object_agg(key, new_fields -> key) FROM unnest(changed) AS key));
      RETURN NULL;
    END $$`;
}

/** The columns whose change is traced, and refused once the occurrence has records. */
const tracked = (row: 'OLD' | 'NEW', withPerson: boolean) =>
  `(${['task_id', 'unit_id', 'recipient_id', ...(withPerson ? ['person_id'] : []), 'scheduled_on', 'deadline', 'opens_on', 'cancelled_at'].map((c) => `${row}.${c}`).join(', ')})`;

async function guards(q: QueryRunner, withPerson: boolean): Promise<void> {
  await q.query(traceFunction(withPerson));
  await q.query(`DROP TRIGGER occurrence_traced ON occurrence`);
  await q.query(`
    CREATE TRIGGER occurrence_traced AFTER UPDATE ON occurrence FOR EACH ROW
      WHEN (pg_trigger_depth() = 0 OR ${tracked('OLD', withPerson)} IS DISTINCT FROM ${tracked('NEW', withPerson)})
      EXECUTE FUNCTION occurrence_leaves_trace()`);
  await q.query(`DROP TRIGGER occurrence_signed_kept ON occurrence`);
  await q.query(`
    CREATE TRIGGER occurrence_signed_kept BEFORE UPDATE ON occurrence FOR EACH ROW
      WHEN (${tracked('OLD', withPerson)} IS DISTINCT FROM ${tracked('NEW', withPerson)})
      EXECUTE FUNCTION refuse_change_of_signed_occurrence()`);
}

/**
 * A task may be the duty of each holder of its role (`scope = 'person'`: every employee documents their own
 * medication training), so an occurrence may belong to one person. Its uniqueness then includes the person:
 * one occurrence per (task, unit, recipient, person, date the rule gave), the nil uuid standing for "none"
 * as for recipients (NULLS NOT DISTINCT needs PostgreSQL 15). A person occurrence is never a recipient's.
 * Whose it is belongs to what the trace records and what a signed occurrence keeps, like its unit or recipient:
 * the trace function and its two triggers (OccurrenceIntegrity) are made again with the person in them.
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
    await guards(q, true);
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    // Set when the occurrence is made, never changed afterwards (no UPDATE): whose duty it is stays.
    if (role) await q.query(`GRANT INSERT (person_id) ON occurrence TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [personal] = await q.query(`SELECT 1 FROM occurrence WHERE person_id IS NOT NULL LIMIT 1`);
    if (personal) throw new Error('PersonScope cannot be reverted: occurrences belong to persons (they may carry records).');
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (role) await q.query(`REVOKE INSERT (person_id) ON occurrence FROM ${APP_ROLE}`);
    await guards(q, false);
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
