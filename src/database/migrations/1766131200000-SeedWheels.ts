import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A row of a wheel may be an invented example (issue 14): the seed wheels hold the real rows of Molde and
 * Kristiansund verbatim and, beside them, examples a unit should adapt. The flag lets every page and the
 * printed year plan say «Eksempel», so an example is never mistaken for the seed's own words.
 */
export class SeedWheels1766131200000 implements MigrationInterface {
  name = 'SeedWheels1766131200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_definition ADD COLUMN example boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_definition DROP COLUMN example`);
  }
}
