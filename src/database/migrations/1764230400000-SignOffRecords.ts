import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The internal control record: signed completion records, append-only in the database itself, and the
 * audit log of administrative changes, append-only likewise.
 *
 * A correction never edits a record: it is a new record that supersedes the one it corrects. The unique
 * indexes make the standing record of an occurrence well defined without ever updating a row: at most
 * one first record per occurrence, and each record superseded at most once, so the records of an
 * occurrence form one line whose tip is what stands. Two sign-offs racing for the same occurrence hit
 * the same unique key, and one of them is refused.
 */
export class SignOffRecords1764230400000 implements MigrationInterface {
  name = 'SignOffRecords1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_off (
        id uuid PRIMARY KEY,
        municipality_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        -- Position in the unit's hash chain, from 1 without gaps.
        sequence bigint NOT NULL CHECK (sequence > 0),
        occurrence_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('sign_off', 'correction')),
        -- NULL only for a correction that revokes without replacing: the occurrence is open again.
        outcome text CHECK (outcome IN ('done', 'not_applicable')),
        late boolean NOT NULL,
        comment text,
        stored_in text,
        evidence_url text,
        signed_by uuid NOT NULL,
        signed_by_name text NOT NULL,
        signed_at timestamptz NOT NULL,
        supersedes_id uuid REFERENCES sign_off(id),
        reason text,
        -- What was signed, as it read then: later template edits cannot change what the record says.
        snapshot jsonb NOT NULL,
        previous_hash text NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        FOREIGN KEY (municipality_id, occurrence_id) REFERENCES occurrence(municipality_id, id),
        FOREIGN KEY (municipality_id, signed_by) REFERENCES person(municipality_id, id),
        UNIQUE (unit_id, sequence),
        CHECK ((kind = 'sign_off') = (reason IS NULL)),
        CHECK (kind = 'correction' OR outcome IS NOT NULL),
        CHECK (kind = 'sign_off' OR supersedes_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX sign_off_first_per_occurrence_idx ON sign_off (occurrence_id) WHERE supersedes_id IS NULL`);
    await q.query(`CREATE UNIQUE INDEX sign_off_superseded_once_idx ON sign_off (supersedes_id) WHERE supersedes_id IS NOT NULL`);
    await q.query(`CREATE INDEX sign_off_occurrence_idx ON sign_off (occurrence_id)`);
    await q.query(`CREATE INDEX sign_off_signed_by_idx ON sign_off (signed_by, signed_at)`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        actor_id uuid NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id uuid NOT NULL,
        before jsonb,
        after jsonb,
        at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (municipality_id, actor_id) REFERENCES person(municipality_id, id)
      )`);
    await q.query(`CREATE INDEX audit_log_municipality_at_idx ON audit_log (municipality_id, at)`);

    // Refuse every UPDATE, DELETE and TRUNCATE, whoever asks: the application, a script or a migration.
    await q.query(`
      CREATE FUNCTION refuse_change_of_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is refused. Correct a record with a new one that supersedes it.', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['sign_off', 'audit_log']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()`);
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC`);
    }
  }

  async down(): Promise<void> {
    // The record of internal control is kept: this migration cannot be reverted.
    throw new Error('SignOffRecords cannot be reverted: signed records are never deleted.');
  }
}
