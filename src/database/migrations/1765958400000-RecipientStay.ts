import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recipient's stay (issue 14): the day they leave (`active_to`, the last day tasks fall due for them),
 * and the units they lived in (`recipient_stay`), so that a move keeps its history: each stay says from
 * which day (and until which day, not including it) the recipient belonged to a unit, and materialising
 * plans a recipient's occurrences in the unit of the stay their deadline falls in.
 *
 * Tasks may count from the stay instead of the calendar (`relative_to` + `relative_offset`, an ISO 8601
 * duration such as P4W or -P1W): then they have no RRULE. The CHECK `task_definition_has_schedule` says a
 * task has a rule or is relative to the stay; another kind of schedule (repeat after completion) widens it.
 */
export class RecipientStay1765958400000 implements MigrationInterface {
  name = 'RecipientStay1765958400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recipient ADD COLUMN active_to date, ADD CONSTRAINT recipient_active_to_check CHECK (active_to IS NULL OR active_to >= active_from)`);
    // Archiving used to be the only way to leave: the day it happened is the best leaving date there is.
    await q.query(`
      UPDATE recipient r SET active_to = GREATEST(r.active_from, (r.archived_at AT TIME ZONE m.time_zone)::date)
        FROM municipality m WHERE m.id = r.municipality_id AND r.archived_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE recipient_stay (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        from_date date NOT NULL,
        -- The first day of the next stay; null: the stay goes on.
        before_date date,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (municipality_id, recipient_id) REFERENCES recipient(municipality_id, id),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        CHECK (before_date IS NULL OR before_date > from_date)
      )`);
    // One stay goes on at a time, and two never begin on the same day.
    await q.query(`CREATE UNIQUE INDEX recipient_stay_current_idx ON recipient_stay (recipient_id) WHERE before_date IS NULL`);
    await q.query(`CREATE UNIQUE INDEX recipient_stay_from_idx ON recipient_stay (recipient_id, from_date)`);
    await q.query(`CREATE INDEX recipient_stay_unit_idx ON recipient_stay (unit_id)`);
    await q.query(`
      INSERT INTO recipient_stay (municipality_id, recipient_id, unit_id, from_date)
      SELECT municipality_id, id, unit_id, active_from FROM recipient`);
    // Every recipient begins with a stay in their unit from the day they came, whichever code path adds
    // them (the API, the demo data, bulk loads).
    await q.query(`
      CREATE FUNCTION recipient_first_stay() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO recipient_stay (municipality_id, recipient_id, unit_id, from_date)
        VALUES (NEW.municipality_id, NEW.id, NEW.unit_id, NEW.active_from);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER recipient_first_stay AFTER INSERT ON recipient FOR EACH ROW EXECUTE FUNCTION recipient_first_stay()`);
    await q.query(`ALTER TABLE recipient_stay ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON recipient_stay
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    // arshjul_app's default privileges (AppRole) already give it SELECT, INSERT, UPDATE, DELETE on new tables.

    await q.query(`
      ALTER TABLE task_definition
        ALTER COLUMN rrule DROP NOT NULL,
        ADD COLUMN relative_to text CHECK (relative_to IN ('activeFrom', 'activeTo')),
        ADD COLUMN relative_offset text CHECK (relative_offset ~ '^-?P[0-9A-Z]{2,12}$'),
        ADD CONSTRAINT task_definition_relative_check
          CHECK ((relative_to IS NULL) = (relative_offset IS NULL) AND (relative_to IS NULL OR (scope = 'recipient' AND rrule IS NULL))),
        ADD CONSTRAINT task_definition_has_schedule CHECK (rrule IS NOT NULL OR relative_to IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Refused (rrule NOT NULL) while tasks counted from a stay exist: they have occurrences and perhaps records.
    await q.query(`
      ALTER TABLE task_definition DROP CONSTRAINT task_definition_has_schedule, DROP CONSTRAINT task_definition_relative_check,
        DROP COLUMN relative_offset, DROP COLUMN relative_to, ALTER COLUMN rrule SET NOT NULL`);
    await q.query(`DROP TRIGGER recipient_first_stay ON recipient`);
    await q.query(`DROP FUNCTION recipient_first_stay()`);
    await q.query(`DROP TABLE recipient_stay`);
    await q.query(`ALTER TABLE recipient DROP CONSTRAINT recipient_active_to_check, DROP COLUMN active_to`);
  }
}
