import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A wheel becomes a unit's own (issue 13): it may be owned by a unit (null: the municipality's), it is a
 * draft until published into use, and a draft may be made to replace a wheel in use from a date. Imported
 * rows keep where they came from (month block, line, the Ansvar text as written) and why they must be
 * looked at before the draft is published. A unit below may switch a task off for itself, from a date.
 */
export class UnitWheels1765526400000 implements MigrationInterface {
  name = 'UnitWheels1765526400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE wheel
        ADD COLUMN owner_unit_id uuid,
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active')),
        ADD COLUMN replaces_wheel_id uuid,
        ADD FOREIGN KEY (municipality_id, owner_unit_id) REFERENCES unit(municipality_id, id),
        ADD FOREIGN KEY (municipality_id, replaces_wheel_id) REFERENCES wheel(municipality_id, id),
        ADD CHECK (replaces_wheel_id IS NULL OR replaces_wheel_id <> id)`);
    await q.query(`CREATE INDEX wheel_owner_unit_idx ON wheel (owner_unit_id) WHERE owner_unit_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE task_definition
        ADD COLUMN source_month smallint CHECK (source_month BETWEEN 1 AND 12),
        ADD COLUMN source_line integer CHECK (source_line > 0),
        ADD COLUMN responsible_text text CHECK (length(responsible_text) <= 300),
        ADD COLUMN review_note text CHECK (length(review_note) <= 1000)`);
    await q.query(`
      CREATE TABLE task_opt_out (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        task_id uuid NOT NULL,
        reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 1000),
        from_date date NOT NULL,
        ended_on date,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        FOREIGN KEY (municipality_id, task_id) REFERENCES task_definition(municipality_id, id),
        CHECK (ended_on IS NULL OR ended_on >= from_date)
      )`);
    // One opt-out in force per task and unit at a time; ended ones stay as history.
    await q.query(`CREATE UNIQUE INDEX task_opt_out_current_idx ON task_opt_out (task_id, unit_id) WHERE ended_on IS NULL`);
    await q.query(`CREATE INDEX task_opt_out_unit_idx ON task_opt_out (unit_id)`);
    await q.query(`ALTER TABLE task_opt_out ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON task_opt_out
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    // arshjul_app's default privileges (AppRole) already give it SELECT, INSERT, UPDATE, DELETE on new tables.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task_opt_out`);
    await q.query(`ALTER TABLE task_definition DROP COLUMN source_month, DROP COLUMN source_line, DROP COLUMN responsible_text, DROP COLUMN review_note`);
    await q.query(`DROP INDEX wheel_owner_unit_idx`);
    await q.query(`ALTER TABLE wheel DROP COLUMN replaces_wheel_id, DROP COLUMN status, DROP COLUMN owner_unit_id`);
  }
}
