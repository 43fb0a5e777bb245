import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two statements of a sign-off as PL/pgSQL functions, so that each connection plans them once and
 * keeps the plan (a statement sent as text is planned again every time: for the seven-table read, 1.4 ms
 * of planning, more than a plain INSERT's whole cost; see bench/README.md). Functions, not the driver's
 * named prepared statements, because they also work behind a transaction-mode pooler (PgBouncer), which
 * does not keep a session's prepared statements. Both run as the caller (SECURITY INVOKER): row-level
 * security applies as to the statements they replace.
 *
 * sign_off_signing_row: everything a sign-off checks, as one JSON object (the occurrence, its task, wheel,
 * unit and recipient; whether the signer owns it; what stands now; the head of the unit's chain).
 * sign_off_insert_after: inserts a sealed record only while nobody holds the unit's chain lock.
 */
export class SignOffFunction1767081600000 implements MigrationInterface {
  name = 'SignOffFunction1767081600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sign_off_signing_row(p_occurrence uuid, p_municipality uuid, p_person uuid) RETURNS jsonb
      LANGUAGE plpgsql STABLE AS $$
      DECLARE
        signing jsonb;
      BEGIN
        SELECT to_jsonb(x) INTO signing FROM (
          SELECT o.id, o.municipality_id, o.unit_id, u.name AS unit_name, o.deadline, o.cancelled_at, t.title AS task_title, w.name AS wheel_name,
                 r.code AS recipient_code, t.stored_in, t.comment_required, t.responsible_role, m.time_zone, o.person_id, pp.display_name AS person_name,
                 EXISTS (SELECT 1 FROM occurrence_owner oo WHERE oo.occurrence_id = o.id AND oo.person_id = p_person) AS signer_is_owner,
                 (SELECT display_name FROM person WHERE id = p_person) AS signer_name,
                 standing.id AS standing_id, standing.outcome AS standing_outcome, head.sequence AS head_sequence, head.hash AS head_hash,
                 (t.repeat_after_completion IS NOT NULL) AS repeats
            FROM occurrence o
            JOIN task_definition t ON t.id = o.task_id
            JOIN wheel w ON w.id = t.wheel_id
            JOIN unit u ON u.id = o.unit_id
            JOIN municipality m ON m.id = o.municipality_id
            LEFT JOIN recipient r ON r.id = o.recipient_id
            LEFT JOIN person pp ON pp.id = o.person_id
            LEFT JOIN LATERAL (
              SELECT s.id, s.outcome FROM sign_off s WHERE s.occurrence_id = o.id AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = s.id)
            ) standing ON true
            LEFT JOIN LATERAL (SELECT c.sequence, c.hash FROM sign_off c WHERE c.unit_id = o.unit_id ORDER BY c.sequence DESC LIMIT 1) head ON true
           WHERE o.id = p_occurrence AND o.municipality_id = p_municipality) x;
        RETURN signing;
      END $$`);
    await q.query(`
      CREATE FUNCTION sign_off_insert_after(
        p_id uuid, p_municipality uuid, p_unit uuid, p_sequence bigint, p_occurrence uuid, p_kind text, p_outcome text, p_late boolean,
        p_comment text, p_stored_in text, p_evidence_url text, p_signed_by uuid, p_signed_by_name text, p_signed_at timestamptz,
        p_supersedes uuid, p_reason text, p_snapshot jsonb, p_previous_hash text, p_hash text, p_on_behalf_of uuid, p_on_behalf_of_name text
      ) RETURNS SETOF sign_off
      LANGUAGE plpgsql VOLATILE AS $$
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
            RETURNING *)
          SELECT * FROM inserted;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION sign_off_insert_after(uuid, uuid, uuid, bigint, uuid, text, text, boolean, text, text, text, uuid, text, timestamptz, uuid, text, jsonb, text, text, uuid, text)`);
    await q.query(`DROP FUNCTION sign_off_signing_row(uuid, uuid, uuid)`);
  }
}
