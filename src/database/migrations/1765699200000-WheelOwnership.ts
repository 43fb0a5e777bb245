import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A published draft replaces a wheel in use from a date (issue 13). An assignment therefore has a window
 * of dates, not only a first year: the replaced wheel's assignments end before the date (`ends_before`),
 * and the new wheel's begin on it (`starts_on`). Materialising plans deadlines only inside the window.
 * The new wheel remembers the date it took over (`replaces_from`), and a wheel is replaced at most once.
 */
export class WheelOwnership1765699200000 implements MigrationInterface {
  name = 'WheelOwnership1765699200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE wheel_assignment
        ADD COLUMN starts_on date,
        ADD COLUMN ends_before date,
        ADD CHECK (starts_on IS NULL OR extract(year FROM starts_on)::int >= from_year)`);
    await q.query(`
      ALTER TABLE wheel
        ADD COLUMN replaces_from date,
        ADD CHECK (replaces_from IS NULL OR replaces_wheel_id IS NOT NULL)`);
    // Two drafts published at once over the same wheel: one of them wins, the other gets 409.
    await q.query(`CREATE UNIQUE INDEX wheel_replaced_once_idx ON wheel (replaces_wheel_id) WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX wheel_replaced_once_idx`);
    await q.query(`ALTER TABLE wheel DROP COLUMN replaces_from`);
    await q.query(`ALTER TABLE wheel_assignment DROP COLUMN starts_on, DROP COLUMN ends_before`);
  }
}
