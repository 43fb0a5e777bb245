import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log (Normen): who read what about which service recipients, when and through which
 * endpoint. Append-only like the records, by the same trigger.
 */
export class AccessLog1764403200000 implements MigrationInterface {
  name = 'AccessLog1764403200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_log (
        id bigserial PRIMARY KEY,
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        person_id uuid NOT NULL,
        at timestamptz NOT NULL,
        endpoint text NOT NULL,
        recipient_codes text[] NOT NULL CHECK (cardinality(recipient_codes) > 0),
        FOREIGN KEY (municipality_id, person_id) REFERENCES person(municipality_id, id)
      )`);
    await q.query(`CREATE INDEX access_log_municipality_at_idx ON access_log (municipality_id, at)`);
    await q.query(`CREATE INDEX access_log_codes_idx ON access_log USING gin (recipient_codes)`);
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM PUBLIC`);
  }

  async down(): Promise<void> {
    throw new Error('AccessLog cannot be reverted: the access log is kept.');
  }
}
