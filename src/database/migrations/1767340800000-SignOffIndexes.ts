import { MigrationInterface, QueryRunner } from 'typeorm';

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;

/** The functions a sign-off runs: its read, its insert, and the trigger that keeps what stands on the occurrence. */
const SIGN_OFF_FUNCTIONS = [
  'sign_off_signing_row(uuid, uuid, uuid)',
  'sign_off_insert_after(uuid, uuid, uuid, bigint, uuid, text, text, boolean, text, text, text, uuid, text, timestamptz, uuid, text, jsonb, text, text, uuid, text)',
  'occurrence_takes_standing_record()',
];

/**
 * Two index entries less per sign-off (issue 18; figures in bench/README.md, "Fourth round"). Every record
 * adds an entry to each index of sign_off, a table of millions of rows whose indexes keyed by random values
 * are mostly not in cache: each such entry is a page read and, the first time the page changes after a
 * checkpoint, a full-page image in the WAL.
 *
 * - sign_off_occurrence_idx (occurrence_id) and the unique sign_off_first_per_occurrence_idx (occurrence_id)
 *   WHERE supersedes_id IS NULL become one unique index on (occurrence_id, supersedes_id or nil). Its first
 *   records (supersedes_id NULL) all have the key (occurrence, nil), so an occurrence still has at most one
 *   first record (and a racing second sign-off still meets "sign_off_first…", answered 409); a correction's key
 *   is (occurrence, what it supersedes), unique anyway by sign_off_superseded_once_idx. Every lookup of an
 *   occurrence's records reads it by its leading column.
 * - The unique constraint on hash goes. Nothing looks a record up by its hash, and the hash is SHA-256 over
 *   the record's content including its id, the primary key: two records with one hash would need a SHA-256
 *   collision. A hash that does not match its record is what `npm run verify` finds, as before.
 *
 * Record ids are now UUIDv7 (record-chain.ts), so new primary-key entries land on the index's last pages.
 *
 * And one plan per connection: PL/pgSQL plans a function's statement afresh ("custom plans") for its first five
 * calls on a connection, and for ever after if it judges the generic plan dearer. The read's custom plan took
 * 8.5 ms each (nine relations, each with its row-level policy) against 0.2–0.4 ms to run it; a generic plan is
 * made once and serves every call, as every parameter is a key. The pool opens connections anew after 10 s idle,
 * so this is paid often, not once.
 */
export class SignOffIndexes1767340800000 implements MigrationInterface {
  name = 'SignOffIndexes1767340800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS sign_off_first_per_occurrence_line_idx ON sign_off (occurrence_id, COALESCE(supersedes_id, ${NIL}))`);
    await q.query(`DROP INDEX sign_off_first_per_occurrence_idx`);
    await q.query(`DROP INDEX sign_off_occurrence_idx`);
    await q.query(`ALTER INDEX sign_off_first_per_occurrence_line_idx RENAME TO sign_off_first_per_occurrence_idx`);
    await q.query(`ALTER TABLE sign_off DROP CONSTRAINT sign_off_hash_key`);
    for (const f of SIGN_OFF_FUNCTIONS) await q.query(`ALTER FUNCTION ${f} SET plan_cache_mode = force_generic_plan`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const f of SIGN_OFF_FUNCTIONS) await q.query(`ALTER FUNCTION ${f} RESET plan_cache_mode`);
    await q.query(`ALTER TABLE sign_off ADD CONSTRAINT sign_off_hash_key UNIQUE (hash)`);
    await q.query(`CREATE INDEX sign_off_occurrence_idx ON sign_off (occurrence_id)`);
    await q.query(`ALTER INDEX sign_off_first_per_occurrence_idx RENAME TO sign_off_first_per_occurrence_line_idx`);
    await q.query(`CREATE UNIQUE INDEX sign_off_first_per_occurrence_idx ON sign_off (occurrence_id) WHERE supersedes_id IS NULL`);
    await q.query(`DROP INDEX sign_off_first_per_occurrence_line_idx`);
  }
}
