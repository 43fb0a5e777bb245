import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wheels (årshjul) of task definitions, their assignment to units, and the dated occurrences they
 * materialise into. An occurrence exists once per (task, unit, recipient, date the rule gave): the unique
 * index is what makes materialising idempotent, also when two replicas race.
 */
export class WheelsAndOccurrences1764144000000 implements MigrationInterface {
  name = 'WheelsAndOccurrences1764144000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wheel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('manager', 'primary_contact', 'competence', 'custom')),
        description text,
        published boolean NOT NULL DEFAULT false,
        -- Where a copied wheel came from; may be another municipality's published wheel.
        copied_from_wheel_id uuid REFERENCES wheel(id),
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_id, id)
      )`);
    await q.query(`
      CREATE TABLE task_definition (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        wheel_id uuid NOT NULL,
        title text NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 300),
        description text,
        rrule text NOT NULL,
        starts_on date NOT NULL,
        opens_days_before integer NOT NULL DEFAULT 14 CHECK (opens_days_before BETWEEN 0 AND 366),
        deadline_shift text NOT NULL DEFAULT 'none' CHECK (deadline_shift IN ('none', 'previous', 'next')),
        responsible_role text NOT NULL CHECK (responsible_role ~ '^[a-z][a-z0-9_]{1,39}$'),
        stored_in text,
        stored_in_url text,
        comment_required boolean NOT NULL DEFAULT false,
        legal_basis text,
        scope text NOT NULL DEFAULT 'unit' CHECK (scope IN ('unit', 'recipient')),
        sort_order integer NOT NULL DEFAULT 0,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_id, id),
        FOREIGN KEY (municipality_id, wheel_id) REFERENCES wheel(municipality_id, id)
      )`);
    await q.query(`CREATE INDEX task_definition_wheel_idx ON task_definition (wheel_id)`);
    await q.query(`
      CREATE TABLE wheel_assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        wheel_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        include_subunits boolean NOT NULL DEFAULT true,
        from_year integer NOT NULL CHECK (from_year BETWEEN 2000 AND 2200),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (municipality_id, wheel_id) REFERENCES wheel(municipality_id, id),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        UNIQUE (wheel_id, unit_id)
      )`);
    await q.query(`CREATE INDEX wheel_assignment_unit_idx ON wheel_assignment (unit_id)`);
    await q.query(`
      CREATE TABLE occurrence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        task_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        recipient_id uuid,
        scheduled_on date NOT NULL,
        deadline date NOT NULL,
        opens_on date NOT NULL,
        -- Set when a template change or an archived task removes a future, unsigned occurrence.
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_id, id),
        FOREIGN KEY (municipality_id, task_id) REFERENCES task_definition(municipality_id, id),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        FOREIGN KEY (municipality_id, recipient_id) REFERENCES recipient(municipality_id, id),
        CHECK (opens_on <= deadline)
      )`);
    // NULLS NOT DISTINCT would need PostgreSQL 15; production may run 14, so a unit-scoped occurrence
    // (no recipient) is keyed on the nil uuid instead.
    await q.query(`
      CREATE UNIQUE INDEX occurrence_once_idx ON occurrence
        (task_id, unit_id, COALESCE(recipient_id, '00000000-0000-0000-0000-000000000000'::uuid), scheduled_on)`);
    await q.query(`CREATE INDEX occurrence_unit_deadline_idx ON occurrence (unit_id, deadline)`);
    await q.query(`
      CREATE TABLE occurrence_owner (
        occurrence_id uuid NOT NULL REFERENCES occurrence(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id),
        PRIMARY KEY (occurrence_id, person_id)
      )`);
    await q.query(`CREATE INDEX occurrence_owner_person_idx ON occurrence_owner (person_id)`);
    await q.query(`
      CREATE TABLE scheduled_job_run (
        job text NOT NULL,
        period text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job, period)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduled_job_run`);
    await q.query(`DROP TABLE occurrence_owner`);
    await q.query(`DROP TABLE occurrence`);
    await q.query(`DROP TABLE wheel_assignment`);
    await q.query(`DROP TABLE task_definition`);
    await q.query(`DROP TABLE wheel`);
  }
}
