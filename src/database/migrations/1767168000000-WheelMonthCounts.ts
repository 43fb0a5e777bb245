import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The wheel of a unit with sub-units counts the subtree's year of occurrences per task and month (issue 19:
 * ~222,000 of them for Storby's top unit). The (unit, deadline) index now also carries everything that count
 * and the summaries per sub-unit read (task, what stands, lateness, cancellation, and the municipality the
 * row-level policy checks), so they are answered by an index-only scan instead of a visit to each row's
 * heap page, scattered over the table.
 *
 * It replaces occurrence_unit_deadline_idx instead of adding a second index: a sign-off's update of
 * standing_outcome is never a HOT update (occurrence_open_idx's predicate names the column), so it writes
 * an entry into every index of occurrence; a second index would be one more write per sign-off (issue 18),
 * this one only makes the entry wider.
 *
 * An index-only scan still visits the heap for pages changed since the last vacuum. Sign-offs change the
 * year's pages all year long, and at the default scale factor (0.2) a table of four years is vacuumed after
 * most of a year's sign-offs; at 0.01 a few weeks' sign-offs at most wait for it.
 */
export class WheelMonthCounts1767168000000 implements MigrationInterface {
  name = 'WheelMonthCounts1767168000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX occurrence_unit_deadline_covering_idx ON occurrence (unit_id, deadline)
        INCLUDE (task_id, standing_outcome, standing_late, cancelled_at, municipality_id)`);
    await q.query(`DROP INDEX occurrence_unit_deadline_idx`);
    await q.query(`ALTER TABLE occurrence SET (autovacuum_vacuum_scale_factor = 0.01)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE occurrence RESET (autovacuum_vacuum_scale_factor)`);
    await q.query(`CREATE INDEX occurrence_unit_deadline_idx ON occurrence (unit_id, deadline)`);
    await q.query(`DROP INDEX occurrence_unit_deadline_covering_idx`);
  }
}
