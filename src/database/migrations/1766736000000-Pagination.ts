import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset pages of the lists that grow (issue 19, src/common/pagination.ts). The logs are read newest first
 * by id within one municipality: without the municipality in front, a page walks the id index past every
 * other municipality's rows. People are read by name and id.
 * (occurrence_change got its (municipality_id, id) index in VerificationCheckpoints.)
 */
export class Pagination1766736000000 implements MigrationInterface {
  name = 'Pagination1766736000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_log_municipality_id_idx ON audit_log (municipality_id, id)`);
    await q.query(`CREATE INDEX access_log_municipality_id_idx ON access_log (municipality_id, id)`);
    await q.query(`CREATE INDEX person_municipality_name_idx ON person (municipality_id, display_name, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX person_municipality_name_idx`);
    await q.query(`DROP INDEX access_log_municipality_id_idx`);
    await q.query(`DROP INDEX audit_log_municipality_id_idx`);
  }
}
