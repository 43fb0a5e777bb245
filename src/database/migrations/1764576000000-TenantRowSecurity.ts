import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows belong to one municipality, by their municipality_id. */
export const TENANT_TABLES = [
  'unit', 'person', 'role_assignment', 'recipient', 'recipient_primary_contact', 'wheel_assignment', 'occurrence',
  'sign_off', 'audit_log', 'access_log', 'notification', 'deputy',
];

/**
 * Row-level security keyed on the municipality, under the application's own scoping: a request's sessions
 * carry `arshjul.municipality_id` (set when the connection is taken from the pool), and rows of other
 * municipalities are then invisible and cannot be written, so a forgotten `where` returns nothing foreign.
 * Sessions without it (scheduled jobs, seeding, migrations) see all. Published wheels and their tasks are
 * readable by every municipality, as sharing needs. It binds the role `arshjul_app`; owners bypass RLS.
 */
export class TenantRowSecurity1764576000000 implements MigrationInterface {
  name = 'TenantRowSecurity1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION arshjul_tenant_visible(row_municipality uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('arshjul.municipality_id', true), '') = ''
            OR row_municipality = nullif(current_setting('arshjul.municipality_id', true), '')::uuid
      $$`);
    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (arshjul_tenant_visible(municipality_id)) WITH CHECK (arshjul_tenant_visible(municipality_id))`);
    }
    await q.query(`ALTER TABLE municipality ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON municipality USING (arshjul_tenant_visible(id)) WITH CHECK (arshjul_tenant_visible(id))`);
    await q.query(`ALTER TABLE wheel ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON wheel USING (arshjul_tenant_visible(municipality_id) OR published) WITH CHECK (arshjul_tenant_visible(municipality_id))`);
    await q.query(`ALTER TABLE task_definition ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY tenant_isolation ON task_definition
        USING (arshjul_tenant_visible(municipality_id) OR EXISTS (SELECT 1 FROM wheel w WHERE w.id = wheel_id AND w.published))
        WITH CHECK (arshjul_tenant_visible(municipality_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES, 'municipality', 'wheel', 'task_definition']) {
      await q.query(`DROP POLICY tenant_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`DROP FUNCTION arshjul_tenant_visible(uuid)`);
  }
}
