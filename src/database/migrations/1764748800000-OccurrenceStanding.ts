import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What stands for each occurrence — done, not applicable, or nothing (open) — kept on the occurrence by
 * the database itself: every record appended to sign_off becomes the tip of its occurrence's line, so a
 * trigger copies its outcome (NULL for a revocation) and lateness. The records stay the truth; this is
 * their summary, for the lists and reports that would otherwise look up the records of every occurrence
 * they scan (see bench/README.md: a department's checklist scanned its whole history to find what is
 * overdue). Open occurrences get an index of their own.
 */
export class OccurrenceStanding1764748800000 implements MigrationInterface {
  name = 'OccurrenceStanding1764748800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE occurrence ADD COLUMN standing_outcome text CHECK (standing_outcome IN ('done', 'not_applicable'))`);
    await q.query(`ALTER TABLE occurrence ADD COLUMN standing_late boolean`);
    await q.query(`
      UPDATE occurrence o SET standing_outcome = s.outcome, standing_late = s.late
        FROM sign_off s
       WHERE s.occurrence_id = o.id AND s.outcome IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = s.id)`);
    await q.query(`
      CREATE FUNCTION occurrence_takes_standing_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE occurrence SET standing_outcome = NEW.outcome, standing_late = CASE WHEN NEW.outcome IS NULL THEN NULL ELSE NEW.late END
         WHERE id = NEW.occurrence_id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER sign_off_stands AFTER INSERT ON sign_off FOR EACH ROW EXECUTE FUNCTION occurrence_takes_standing_record()`);
    await q.query(`CREATE INDEX occurrence_open_idx ON occurrence (unit_id, deadline) WHERE standing_outcome IS NULL AND cancelled_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX occurrence_open_idx`);
    await q.query(`DROP TRIGGER sign_off_stands ON sign_off`);
    await q.query(`DROP FUNCTION occurrence_takes_standing_record()`);
    await q.query(`ALTER TABLE occurrence DROP COLUMN standing_late`);
    await q.query(`ALTER TABLE occurrence DROP COLUMN standing_outcome`);
  }
}
