import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Municipalities (tenants), the unit tree, people, role assignments and service recipients.
 * Child rows carry municipality_id and reference their parents by (municipality_id, id), so the
 * database itself refuses a unit, role or recipient that crosses from one municipality into another.
 */
export class Organisation1764057600000 implements MigrationInterface {
  name = 'Organisation1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE municipality (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(trim(name)) > 0),
        time_zone text NOT NULL DEFAULT 'Europe/Oslo',
        entra_tenant_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        parent_id uuid,
        name text NOT NULL CHECK (length(trim(name)) > 0),
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_id, id),
        FOREIGN KEY (municipality_id, parent_id) REFERENCES unit(municipality_id, id),
        CHECK (parent_id <> id)
      )`);
    await q.query(`CREATE INDEX unit_parent_idx ON unit (municipality_id, parent_id)`);
    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
        display_name text NOT NULL,
        entra_object_id text,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_id, id),
        UNIQUE (municipality_id, entra_object_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX person_email_idx ON person (municipality_id, lower(email))`);
    await q.query(`
      CREATE TABLE role_assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        person_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        role text NOT NULL CHECK (role ~ '^[a-z][a-z0-9_]{1,39}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (municipality_id, person_id) REFERENCES person(municipality_id, id),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        UNIQUE (person_id, unit_id, role)
      )`);
    await q.query(`CREATE INDEX role_assignment_unit_idx ON role_assignment (unit_id, role)`);
    await q.query(`
      CREATE TABLE recipient (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        unit_id uuid NOT NULL,
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{2,32}$'),
        -- The day the recipient came to the unit: no tasks fall due for them before it.
        active_from date NOT NULL,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_id, id),
        UNIQUE (municipality_id, code),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id)
      )`);
    await q.query(`
      CREATE TABLE recipient_primary_contact (
        municipality_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        person_id uuid NOT NULL,
        PRIMARY KEY (recipient_id, person_id),
        FOREIGN KEY (municipality_id, recipient_id) REFERENCES recipient(municipality_id, id),
        FOREIGN KEY (municipality_id, person_id) REFERENCES person(municipality_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recipient_primary_contact`);
    await q.query(`DROP TABLE recipient`);
    await q.query(`DROP TABLE role_assignment`);
    await q.query(`DROP TABLE person`);
    await q.query(`DROP TABLE unit`);
    await q.query(`DROP TABLE municipality`);
  }
}
