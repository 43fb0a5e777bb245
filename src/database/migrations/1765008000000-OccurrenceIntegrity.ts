import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

/** The columns of an occurrence the service itself may set when it creates one: not what stands. */
const INSERTABLE = ['id', 'municipality_id', 'task_id', 'unit_id', 'recipient_id', 'scheduled_on', 'deadline', 'opens_on', 'cancelled_at', 'created_at', 'updated_at'];
/** …and the only ones it may change afterwards: a template change moves or cancels a future occurrence. */
const UPDATABLE = ['deadline', 'opens_on', 'cancelled_at', 'updated_at'];

/**
 * The compliance figures are read from what stands on each occurrence (standing_outcome, standing_late)
 * and from whether it was cancelled, so those must not change behind the records' back:
 *
 * - What stands is written only by the trigger on sign_off inserts. The service's role loses INSERT and
 *   UPDATE of those columns (column privileges); the trigger function runs as the schema's owner
 *   (SECURITY DEFINER, with a fixed search_path so no session can slip its own `occurrence` in front).
 *   The role may no longer delete occurrences either: cancelling is how an occurrence goes, with a trace.
 * - An occurrence with records is never moved or cancelled, as materialising already promises.
 * - Every change of an occurrence other than the records' own (a deadline moved, a cancellation, …) leaves
 *   a row in occurrence_change, written by a trigger, so even a raw UPDATE leaves one. Who and why come
 *   from transaction-local settings the service's code paths set (arshjul.actor, arshjul.reason); a change
 *   made outside them is traced with neither, and with the database role that made it. The trace is
 *   append-only like the audit log, and rows of another municipality are invisible like everywhere else.
 *
 * The verifier compares what stands with the records, so a change made with the triggers switched off
 * (which takes the owner or a superuser) is still found.
 */
export class OccurrenceIntegrity1765008000000 implements MigrationInterface {
  name = 'OccurrenceIntegrity1765008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION occurrence_takes_standing_record() SECURITY DEFINER SET search_path = public, pg_temp`);

    await q.query(`
      CREATE TABLE occurrence_change (
        id bigserial PRIMARY KEY,
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        occurrence_id uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        -- The person whose request caused it; NULL for the service's own jobs, or when nobody said.
        actor_id uuid,
        -- Why, as the service's code path names it ('task-changed', 'unit-archived', …); NULL: nobody said,
        -- so the change was made outside the service's code paths.
        reason text,
        -- The database role that made the change: arshjul_app for the service, the owner for a migration or psql.
        database_role text NOT NULL,
        -- Only the fields that changed, before and after.
        before jsonb NOT NULL,
        after jsonb NOT NULL,
        -- An occurrence with a trace can no longer be deleted: the trace would point nowhere.
        FOREIGN KEY (municipality_id, occurrence_id) REFERENCES occurrence(municipality_id, id),
        FOREIGN KEY (municipality_id, actor_id) REFERENCES person(municipality_id, id)
      )`);
    await q.query(`CREATE INDEX occurrence_change_occurrence_idx ON occurrence_change (occurrence_id)`);
    await q.query(`CREATE INDEX occurrence_change_municipality_at_idx ON occurrence_change (municipality_id, changed_at)`);
    await q.query(`CREATE TRIGGER occurrence_change_append_only BEFORE UPDATE OR DELETE ON occurrence_change FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()`);
    await q.query(`CREATE TRIGGER occurrence_change_no_truncate BEFORE TRUNCATE ON occurrence_change FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON occurrence_change FROM PUBLIC`);
    await q.query(`ALTER TABLE occurrence_change ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON occurrence_change
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);

    // SECURITY INVOKER on purpose: database_role is then the role that made the change.
    await q.query(`
      CREATE FUNCTION occurrence_leaves_trace() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        old_fields jsonb := jsonb_build_object(
          'taskId', OLD.task_id, 'unitId', OLD.unit_id, 'recipientId', OLD.recipient_id, 'scheduledOn', OLD.scheduled_on,
          'deadline', OLD.deadline, 'opensOn', OLD.opens_on, 'cancelledAt', OLD.cancelled_at,
          'standingOutcome', OLD.standing_outcome, 'standingLate', OLD.standing_late);
        new_fields jsonb := jsonb_build_object(
          'taskId', NEW.task_id, 'unitId', NEW.unit_id, 'recipientId', NEW.recipient_id, 'scheduledOn', NEW.scheduled_on,
          'deadline', NEW.deadline, 'opensOn', NEW.opens_on, 'cancelledAt', NEW.cancelled_at,
          'standingOutcome', NEW.standing_outcome, 'standingLate', NEW.standing_late);
        changed text[];
      BEGIN
        -- Below another trigger, the only writer is the records' own (sign_off_stands): what stands then
        -- follows a record that is on the chain already. A direct write of it is traced.
        IF pg_trigger_depth() > 1 THEN
          old_fields := old_fields - 'standingOutcome' - 'standingLate';
          new_fields := new_fields - 'standingOutcome' - 'standingLate';
        END IF;
        SELECT array_agg(key) INTO changed FROM jsonb_each(old_fields) WHERE value IS DISTINCT FROM new_fields -> key;
        IF changed IS NULL THEN RETURN NULL; END IF;   -- only updated_at, or nothing
        INSERT INTO occurrence_change (municipality_id, occurrence_id, actor_id, reason, database_role, before, after)
        VALUES (NEW.municipality_id, NEW.id,
                nullif(current_setting('arshjul.actor', true), '')::uuid,
                nullif(current_setting('arshjul.reason', true), ''),
                current_user,
                (SELECT jsonb_object_agg(key, old_fields -> key) FROM unnest(changed) AS key),
                (SELECT jsonb_object_agg(key, new_fields -> key) FROM unnest(changed) AS key));
        RETURN NULL;
      END $$`);
    // The WHEN spares each sign-off a call: the records' own trigger (depth 1) changes only what stands.
    await q.query(`
      CREATE TRIGGER occurrence_traced AFTER UPDATE ON occurrence FOR EACH ROW
        WHEN (pg_trigger_depth() = 0
              OR (OLD.task_id, OLD.unit_id, OLD.recipient_id, OLD.scheduled_on, OLD.deadline, OLD.opens_on, OLD.cancelled_at)
                 IS DISTINCT FROM (NEW.task_id, NEW.unit_id, NEW.recipient_id, NEW.scheduled_on, NEW.deadline, NEW.opens_on, NEW.cancelled_at))
        EXECUTE FUNCTION occurrence_leaves_trace()`);

    // Anything signed is never moved or cancelled (materialising and archiving skip occurrences with
    // records): the database refuses it too, whoever asks, so a signed task cannot drop out of the reports.
    await q.query(`
      CREATE FUNCTION refuse_change_of_signed_occurrence() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM sign_off WHERE occurrence_id = OLD.id) THEN
          RAISE EXCEPTION 'occurrence % has signed records: it is kept as it was signed, never moved or cancelled', OLD.id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER occurrence_signed_kept BEFORE UPDATE ON occurrence FOR EACH ROW
        WHEN ((OLD.task_id, OLD.unit_id, OLD.recipient_id, OLD.scheduled_on, OLD.deadline, OLD.opens_on, OLD.cancelled_at)
              IS DISTINCT FROM (NEW.task_id, NEW.unit_id, NEW.recipient_id, NEW.scheduled_on, NEW.deadline, NEW.opens_on, NEW.cancelled_at))
        EXECUTE FUNCTION refuse_change_of_signed_occurrence()`);

    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!role) return; // the service runs as the owner (see AppRole); the triggers still apply
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON occurrence FROM ${APP_ROLE}`);
    await q.query(`GRANT INSERT (${INSERTABLE.join(', ')}) ON occurrence TO ${APP_ROLE}`);
    await q.query(`GRANT UPDATE (${UPDATABLE.join(', ')}) ON occurrence TO ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON occurrence_change FROM ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON occurrence_change TO ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON SEQUENCE occurrence_change_id_seq TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [traced] = await q.query(`SELECT 1 FROM occurrence_change LIMIT 1`);
    if (traced) throw new Error('OccurrenceIntegrity cannot be reverted: occurrence_change holds a trace, which is kept.');
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (role) {
      await q.query(`REVOKE INSERT (${INSERTABLE.join(', ')}), UPDATE (${UPDATABLE.join(', ')}) ON occurrence FROM ${APP_ROLE}`);
      await q.query(`GRANT INSERT, UPDATE, DELETE ON occurrence TO ${APP_ROLE}`);
    }
    await q.query(`DROP TRIGGER occurrence_signed_kept ON occurrence`);
    await q.query(`DROP FUNCTION refuse_change_of_signed_occurrence()`);
    await q.query(`DROP TRIGGER occurrence_traced ON occurrence`);
    await q.query(`DROP FUNCTION occurrence_leaves_trace()`);
    await q.query(`DROP TABLE occurrence_change`);
    await q.query(`ALTER FUNCTION occurrence_takes_standing_record() SECURITY INVOKER RESET search_path`);
  }
}
