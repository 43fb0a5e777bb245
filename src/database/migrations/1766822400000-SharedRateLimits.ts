import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

/**
 * What the replicas of the service must share beyond the data itself (issue 17 §3):
 *
 * - `rate_limit_hit`: the rate limits' counters, so three replicas enforce one limit, not three. Keyed by
 *   the SHA-256 of the throttler's key (which names an address or a person): no address or person is
 *   stored in clear. UNLOGGED: a hit writes no WAL, so its commit waits for no disk flush (every request
 *   makes one or two), and the counters are neither shipped to standbys nor kept after a crash — which
 *   only resets the limits, as restarting a replica did when they were counted in memory. Not a
 *   municipality's data (no municipality_id, no row-level security): the service reads and writes it for
 *   requests of every municipality and before anyone is known.
 * - `reminder_morning`: which replica plans which municipality's first working day (its monthly
 *   checklists), claimed with a lease so a replica that died is taken over, and marked once planned so the
 *   other replicas and later passes leave it. A municipality's row, under the same row-level security as
 *   the other tenant tables.
 */
export class SharedRateLimits1766822400000 implements MigrationInterface {
  name = 'SharedRateLimits1766822400000';

  async up(q: QueryRunner): Promise<void> {
    // fillfactor: room on each page, so a hit (which changes no indexed column) is a HOT update in place.
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_hit (
        key bytea PRIMARY KEY CHECK (octet_length(key) = 32),
        hits integer NOT NULL CHECK (hits >= 0),
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      ) WITH (fillfactor = 70)`);
    await q.query(`
      CREATE TABLE reminder_morning (
        municipality_id uuid NOT NULL REFERENCES municipality(id),
        for_date date NOT NULL,
        claimed_by text NOT NULL,
        claimed_at timestamptz NOT NULL,
        lease_until timestamptz NOT NULL,
        claims integer NOT NULL DEFAULT 1,
        planned_at timestamptz,
        queued integer,
        PRIMARY KEY (municipality_id, for_date)
      )`);
    await q.query(`ALTER TABLE reminder_morning ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON reminder_morning
        USING ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))
        WITH CHECK ((SELECT arshjul_tenant()) IS NULL OR municipality_id = (SELECT arshjul_tenant()))`);
    const [role] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (role) {
      await q.query(`REVOKE ALL ON rate_limit_hit, reminder_morning FROM ${APP_ROLE}`);
      // Counting, and clearing away windows that have ended.
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_hit TO ${APP_ROLE}`);
      // Claiming, taking over after the lease, and marking planned; mornings are kept as their history.
      await q.query(`GRANT SELECT, INSERT ON reminder_morning TO ${APP_ROLE}`);
      await q.query(`GRANT UPDATE (claimed_by, claimed_at, lease_until, claims, planned_at, queued) ON reminder_morning TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reminder_morning`);
    await q.query(`DROP TABLE rate_limit_hit`);
  }
}
