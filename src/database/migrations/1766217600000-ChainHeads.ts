import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

const TABLES = ['chain_head_batch', 'chain_head', 'chain_head_time_stamp'];
const KINDS = ['monthly_checklist', 'opens', 'due_soon', 'due_today', 'overdue', 'escalation', 'daily_digest'];

/**
 * Chain heads noted outside the records themselves. Deleting the newest records of a unit's chain leaves a
 * shorter chain that still verifies; only a head noted earlier shows that it once was longer. Each night
 * the service notes every unit's head that changed (a batch per municipality), optionally has the batch
 * time-stamped by an RFC 3161 authority, and once a week mails the heads to the quality advisers, so copies
 * exist outside the database too.
 *
 * Append-only like the records, by the same trigger, and the service's role may only read and insert:
 * a head once noted is evidence against a later, shorter chain. Rows of another municipality are invisible.
 * The outbox learns a new kind (the weekly kjedeavtrykk) and keeps attachments with a message.
 */
export class ChainHeads1766217600000 implements MigrationInterface {
  name = 'ChainHeads1766217600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chain_head_batch (
        id uuid PRIMARY KEY,
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        recorded_at timestamptz NOT NULL,
        -- SHA-256 of the batch's heads in their canonical text (src/records/heads/heads-digest.ts): what a TSA stamps.
        digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
        UNIQUE (municipality_id, id)
      )`);
    await q.query(`CREATE INDEX chain_head_batch_municipality_idx ON chain_head_batch (municipality_id, recorded_at)`);
    await q.query(`
      CREATE TABLE chain_head (
        batch_id uuid NOT NULL,
        municipality_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        sequence bigint NOT NULL CHECK (sequence > 0),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (batch_id, unit_id),
        FOREIGN KEY (municipality_id, batch_id) REFERENCES chain_head_batch(municipality_id, id),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id)
      )`);
    await q.query(`CREATE INDEX chain_head_unit_idx ON chain_head (unit_id, recorded_at)`);
    await q.query(`
      CREATE TABLE chain_head_time_stamp (
        -- One token per batch: two replicas stamping the same batch keep the first.
        batch_id uuid PRIMARY KEY,
        municipality_id uuid NOT NULL,
        -- The TimeStampToken (a CMS SignedData over a TSTInfo, DER) as the authority returned it.
        token bytea NOT NULL,
        tsa_url text NOT NULL,
        -- The authority's genTime, as read from the token (verification reads it from the token again).
        stamped_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        FOREIGN KEY (municipality_id, batch_id) REFERENCES chain_head_batch(municipality_id, id)
      )`);

    for (const table of TABLES) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()`);
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC`);
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
          WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    }

    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${[...KINDS, 'chain_imprint'].map((k) => `'${k}'`).join(', ')}))`);
    // [{ filename, contentType, content }]: small text files (the kjedeavtrykk's CSV), sent with the message.
    await q.query(`ALTER TABLE notification ADD COLUMN attachments jsonb CHECK (attachments IS NULL OR jsonb_typeof(attachments) = 'array')`);

    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!role) return; // the service runs as the owner (see AppRole); the triggers still apply
    for (const table of TABLES) {
      await q.query(`REVOKE ALL ON ${table} FROM ${APP_ROLE}`);
      await q.query(`GRANT SELECT, INSERT ON ${table} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const [noted] = await q.query(`SELECT 1 FROM chain_head_batch LIMIT 1`);
    if (noted) throw new Error('ChainHeads cannot be reverted: chain heads have been noted, and they are kept.');
    await q.query(`DELETE FROM notification WHERE kind = 'chain_imprint'`);
    await q.query(`ALTER TABLE notification DROP COLUMN attachments`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(', ')}))`);
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}
