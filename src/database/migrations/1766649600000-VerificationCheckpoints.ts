import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

/**
 * Verified checkpoints: the place in a unit's chain (sequence, record, hash) up to which the whole chain was
 * once verified, when, and by what (`nightly`: the nightly job, from the checkpoint before; `full`: a full
 * verification from the first record). Ordinary verification (the Internkontroll page, the API without
 * `full`) starts from the unit's last checkpoint, so its cost follows what was signed since, not the years
 * kept; it also checks that the checkpointed record is still there with the same hash.
 *
 * Append-only like the records, by the same trigger, and the service's role may only read and insert: a
 * checkpoint is a statement that was true when made, never revised. At most one per place in a chain, so
 * two replicas (or a full verification and the nightly job) that verify the same head keep one. Rows of
 * another municipality are invisible.
 */
export class VerificationCheckpoints1766649600000 implements MigrationInterface {
  name = 'VerificationCheckpoints1766649600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE verification_checkpoint (
        id bigserial PRIMARY KEY,
        municipality_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        sequence bigint NOT NULL CHECK (sequence > 0),
        -- No foreign key to the record: a record removed behind the database's back is what verification
        -- must report against the checkpoint, not what the checkpoint should vanish with.
        record_id uuid NOT NULL,
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        verified_at timestamptz NOT NULL,
        verified_by text NOT NULL CHECK (verified_by IN ('nightly', 'full')),
        -- The trace of occurrence changes (occurrence_change.id) up to which the occurrences' standing was checked:
        -- verification from this checkpoint checks the occurrences traced after it, and those with later records.
        occurrence_change_id bigint NOT NULL CHECK (occurrence_change_id >= 0),
        UNIQUE (unit_id, sequence),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id)
      )`);
    await q.query(`CREATE TRIGGER verification_checkpoint_append_only BEFORE UPDATE OR DELETE ON verification_checkpoint FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()`);
    await q.query(`CREATE TRIGGER verification_checkpoint_no_truncate BEFORE TRUNCATE ON verification_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON verification_checkpoint FROM PUBLIC`);
    await q.query(`ALTER TABLE verification_checkpoint ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON verification_checkpoint
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    // Verification from a checkpoint checks the heads noted at or after it: by sequence, not by the night noted.
    await q.query(`CREATE INDEX chain_head_unit_sequence_idx ON chain_head (unit_id, sequence)`);
    // …and the occurrences the trace shows changed since the checkpoint: the municipality's trace after a row.
    await q.query(`CREATE INDEX occurrence_change_municipality_id_idx ON occurrence_change (municipality_id, id)`);

    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!role) return; // the service runs as the owner (see AppRole); the triggers still apply
    await q.query(`REVOKE ALL ON verification_checkpoint FROM ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON verification_checkpoint TO ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON SEQUENCE verification_checkpoint_id_seq TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Checkpoints only shorten verification; dropping them loses no evidence (full verification needs none).
    await q.query(`DROP INDEX occurrence_change_municipality_id_idx`);
    await q.query(`DROP INDEX chain_head_unit_sequence_idx`);
    await q.query(`DROP TABLE verification_checkpoint`);
  }
}
