import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

/**
 * Calendar feeds (issue 16): secret iCalendar URLs that Outlook subscribes to. The secret is the credential
 * of a request that carries no sign-in, so only its SHA-256 is stored: a copy of the table opens no feed.
 * A feed is a person's own tasks (`unit_id` null) or, made by a manager, a unit's. Revoking sets
 * `revoked_at`; the row stays, so the audit log's entries keep naming something.
 */
export class CalendarFeeds1766304000000 implements MigrationInterface {
  name = 'CalendarFeeds1766304000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feed (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        unit_id uuid,
        include_subunits boolean NOT NULL DEFAULT false,
        include_signed boolean NOT NULL DEFAULT true,
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        FOREIGN KEY (municipality_id, owner_id) REFERENCES person(municipality_id, id),
        FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        CHECK (octet_length(secret_hash) = 32),
        CHECK (unit_id IS NOT NULL OR NOT include_subunits)
      )`);
    // The feed's URL is looked up by the hash of its secret, before the municipality is known.
    await q.query(`CREATE UNIQUE INDEX calendar_feed_secret_idx ON calendar_feed (secret_hash)`);
    // A person's feeds (the list, the cap), and a unit's.
    await q.query(`CREATE INDEX calendar_feed_owner_idx ON calendar_feed (municipality_id, owner_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX calendar_feed_unit_idx ON calendar_feed (unit_id) WHERE unit_id IS NOT NULL AND revoked_at IS NULL`);
    // The same row-level security as the other tenant tables (TenantPolicyOnce). A feed's URL is read
    // without a sign-in, with the setting empty; the feed's row then tells the request its municipality.
    await q.query(`ALTER TABLE calendar_feed ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON calendar_feed
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (role) {
      // The service makes, reads and revokes feeds; it cannot give one to someone else or change what it shows.
      await q.query(`REVOKE ALL ON calendar_feed FROM ${APP_ROLE}`);
      await q.query(`GRANT SELECT, INSERT ON calendar_feed TO ${APP_ROLE}`);
      await q.query(`GRANT UPDATE (revoked_at) ON calendar_feed TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feed`);
  }
}
