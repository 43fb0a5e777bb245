import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

/**
 * The web app's sessions, kept in PostgreSQL so that signing out (or being archived) ends a session on
 * every replica: the signed cookie names a row here, and a cookie whose row is revoked, expired or gone
 * signs nobody in. Rows are looked up by primary key on every request, before the municipality is known.
 */
export class WebSessions1765267200000 implements MigrationInterface {
  name = 'WebSessions1765267200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_session (
        id uuid PRIMARY KEY,
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        person_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        -- A session belongs to a person of its own municipality.
        FOREIGN KEY (municipality_id, person_id) REFERENCES person(municipality_id, id),
        -- A working day at most: a longer one would be a bug, or a row written by hand.
        CHECK (expires_at > created_at AND expires_at <= created_at + interval '1 day')
      )`);
    // Ending all sessions of a person (archiving), and clearing away expired rows.
    await q.query(`CREATE INDEX web_session_person_idx ON web_session (municipality_id, person_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX web_session_expires_idx ON web_session (expires_at)`);
    // The same row-level security as the other tenant tables (TenantPolicyOnce): a request's sessions see
    // only their municipality's rows; before sign-in (when the cookie is looked up) the setting is empty.
    await q.query(`ALTER TABLE web_session ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON web_session
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (role) {
      // The service starts, reads, ends and clears away sessions; it cannot lengthen one or give it to another.
      await q.query(`REVOKE ALL ON web_session FROM ${APP_ROLE}`);
      await q.query(`GRANT SELECT, INSERT, DELETE ON web_session TO ${APP_ROLE}`);
      await q.query(`GRANT UPDATE (revoked_at) ON web_session TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_session`);
  }
}
