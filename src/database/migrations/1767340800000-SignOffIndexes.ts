import { MigrationInterface, QueryRunner } from 'typeorm';

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;

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
 */
export class SignOffIndexes1767340800000 implements MigrationInterface {
  name = 'SignOffIndexes1767340800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX sign_off_first_per_occurrence_line_idx ON sign_off (occurrence_id, COALESCE(supersedes_id, ${NIL}))`);
    await q.query(`DROP INDEX sign_off_first_per_occurrence_idx`);
    await q.query(`DROP INDEX sign_off_occurrence_idx`);
    await q.query(`ALTER INDEX sign_off_first_per_occurrence_line_idx RENAME TO sign_off_first_per_occurrence_idx`);
    await q.query(`ALTER TABLE sign_off DROP CONSTRAINT sign_off_hash_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sign_off ADD CONSTRAINT sign_off_hash_key UNIQUE (hash)`);
    await q.query(`CREATE INDEX sign_off_occurrence_idx ON sign_off (occurrence_id)`);
    await q.query(`ALTER INDEX sign_off_first_per_occurrence_idx RENAME TO sign_off_first_per_occurrence_line_idx`);
    await q.query(`CREATE UNIQUE INDEX sign_off_first_per_occurrence_idx ON sign_off (occurrence_id) WHERE supersedes_id IS NULL`);
    await q.query(`DROP INDEX sign_off_first_per_occurrence_line_idx`);
  }
}
