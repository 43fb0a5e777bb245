import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A subtree's checklist and its summary per sub-unit read a month and the open backlog of every unit below
 * (issue 19: ~43,000 occurrences under Storby's top unit). Both indexes they walk now carry every column
 * those statements read, so the walk is an index-only scan and never a visit to each row's heap page:
 *
 * - occurrence_unit_deadline_covering_idx also carries the row's id, the day its window opens, its recipient
 *   and its person (what the flat list filters on and keys its rows by);
 * - occurrence_open_idx carries the same and the municipality, which the row-level policy checks: without
 *   it the planner preferred reading all of every unit's history through the covering index (340 ms for the
 *   top unit's summary) to visiting the heap for each open row.
 *
 * Both are rebuilt, not doubled: a sign-off's update of standing_outcome writes an entry into every index
 * of occurrence (issue 18), so a wider entry costs less than one more index. Without CONCURRENTLY: on a
 * national database, plan a maintenance window of a few minutes.
 */
export class SubtreeListsFromIndexes1767211200000 implements MigrationInterface {
  name = 'SubtreeListsFromIndexes1767211200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX occurrence_unit_deadline_covering_idx`);
    await q.query(`
      CREATE INDEX occurrence_unit_deadline_covering_idx ON occurrence (unit_id, deadline)
        INCLUDE (task_id, standing_outcome, standing_late, cancelled_at, municipality_id, id, opens_on, recipient_id, person_id)`);
    await q.query(`DROP INDEX occurrence_open_idx`);
    await q.query(`
      CREATE INDEX occurrence_open_idx ON occurrence (unit_id, deadline)
        INCLUDE (municipality_id, task_id, id, opens_on, recipient_id, person_id)
        WHERE standing_outcome IS NULL AND cancelled_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX occurrence_open_idx`);
    await q.query(`CREATE INDEX occurrence_open_idx ON occurrence (unit_id, deadline) WHERE standing_outcome IS NULL AND cancelled_at IS NULL`);
    await q.query(`DROP INDEX occurrence_unit_deadline_covering_idx`);
    await q.query(`
      CREATE INDEX occurrence_unit_deadline_covering_idx ON occurrence (unit_id, deadline)
        INCLUDE (task_id, standing_outcome, standing_late, cancelled_at, municipality_id)`);
  }
}
