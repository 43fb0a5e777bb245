import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The head of a unit's hash chain, read under the unit's chain lock, in one round trip instead of two.
 * The lock must be held before the read's snapshot is taken, or a record committed by the previous
 * holder would be missed: in a VOLATILE PL/pgSQL function each statement takes a fresh snapshot, so
 * the SELECT after PERFORM sees everything committed before the lock was granted.
 */
export class ChainHeadFunction1764662400000 implements MigrationInterface {
  name = 'ChainHeadFunction1764662400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sign_off_chain_head(chain_unit uuid) RETURNS TABLE (sequence bigint, hash text)
      LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('sign_off:' || chain_unit::text));
        RETURN QUERY SELECT s.sequence, s.hash FROM sign_off s WHERE s.unit_id = chain_unit ORDER BY s.sequence DESC LIMIT 1;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION sign_off_chain_head(uuid)`);
  }
}
