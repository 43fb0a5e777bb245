import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Units get the code HR and the org chart know them by (issue 17: the organisation import). An import
 * matches a unit by this code, so it is unique within a municipality, case-insensitively ("h-01" and
 * "H-01" are one unit), and the database refuses a second. Units made by hand have none until a file
 * gives them one; existing rows are untouched.
 */
export class OrganisationImport1766908800000 implements MigrationInterface {
  name = 'OrganisationImport1766908800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unit ADD COLUMN code text CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$')`);
    await q.query(`CREATE UNIQUE INDEX unit_code_idx ON unit (municipality_id, lower(code)) WHERE code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX unit_code_idx`);
    await q.query(`ALTER TABLE unit DROP COLUMN code`);
  }
}
