import { MigrationInterface, QueryRunner } from 'typeorm';

const SIGNATURE = `sign_off_insert_after(
  p_id uuid, p_municipality uuid, p_unit uuid, p_sequence bigint, p_occurrence uuid, p_kind text, p_outcome text, p_late boolean,
  p_comment text, p_stored_in text, p_evidence_url text, p_signed_by uuid, p_signed_by_name text, p_signed_at timestamptz,
  p_supersedes uuid, p_reason text, p_snapshot jsonb, p_previous_hash text, p_hash text, p_on_behalf_of uuid, p_on_behalf_of_name text
)`;

const insertAfter = (onConflict: string) => `
  CREATE OR REPLACE FUNCTION ${SIGNATURE} RETURNS SETOF sign_off
  LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
  BEGIN
    RETURN QUERY
      WITH inserted AS (
        INSERT INTO sign_off (id, municipality_id, unit_id, sequence, occurrence_id, kind, outcome, late, comment, stored_in, evidence_url,
                              signed_by, signed_by_name, signed_at, supersedes_id, reason, snapshot, previous_hash, hash,
                              on_behalf_of, on_behalf_of_name)
        SELECT p_id, p_municipality, p_unit, p_sequence, p_occurrence, p_kind, p_outcome, p_late, p_comment, p_stored_in, p_evidence_url,
               p_signed_by, p_signed_by_name, p_signed_at, p_supersedes, p_reason, p_snapshot, p_previous_hash, p_hash,
               p_on_behalf_of, p_on_behalf_of_name
         WHERE pg_try_advisory_xact_lock(hashtext('sign_off:' || p_unit::text))
        ${onConflict}
        RETURNING *)
      SELECT * FROM inserted;
  END $$`;

/**
 * The sign-offs of a municipality that arrive together are inserted in one statement (SignOffsService,
 * insertTogether; issue 18). A record whose place in its unit's chain was taken meanwhile (sealed after a head
 * that is no longer the last) is now skipped, not an error: the statement's other records still go in, and only
 * that sign-off is sealed again after the new head, as one whose unit's chain lock was held already is. A chain
 * still never forks: the unique (unit, sequence) is what decides, now as the arbiter of ON CONFLICT.
 */
export class SignOffGroups1767427200000 implements MigrationInterface {
  name = 'SignOffGroups1767427200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(insertAfter(`ON CONFLICT (unit_id, sequence) DO NOTHING`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(insertAfter(''));
  }
}
