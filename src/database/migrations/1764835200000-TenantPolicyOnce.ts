import { MigrationInterface, QueryRunner } from 'typeorm';
import { TENANT_TABLES } from './1764576000000-TenantRowSecurity';

/**
 * The same row-level security as TenantRowSecurity, written so that PostgreSQL reads the session's
 * municipality once per query instead of once per row: `(SELECT arshjul_tenant())` is an InitPlan,
 * evaluated once, and `municipality_id = <InitPlan>` can be used as an index condition. Per row, the
 * old form looked the setting up twice and parsed it as a uuid: it doubled the execution time of the
 * monthly checklist (bench/README.md). PARALLEL SAFE, so reports may use parallel workers.
 */
export class TenantPolicyOnce1764835200000 implements MigrationInterface {
  name = 'TenantPolicyOnce1764835200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION arshjul_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT nullif(current_setting('arshjul.municipality_id', true), '')::uuid
      $$`);
    const visible = (column: string) => `((SELECT arshjul_tenant()) IS NULL OR ${column} = (SELECT arshjul_tenant()))`;
    for (const table of TENANT_TABLES) {
      await q.query(`DROP POLICY tenant_isolation ON ${table}`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING ${visible('municipality_id')} WITH CHECK ${visible('municipality_id')}`);
    }
    await q.query(`DROP POLICY tenant_isolation ON municipality`);
    await q.query(`CREATE POLICY tenant_isolation ON municipality USING ${visible('id')} WITH CHECK ${visible('id')}`);
    await q.query(`DROP POLICY tenant_isolation ON wheel`);
    await q.query(`CREATE POLICY tenant_isolation ON wheel USING (${visible('municipality_id')} OR published) WITH CHECK ${visible('municipality_id')}`);
    await q.query(`DROP POLICY tenant_isolation ON task_definition`);
    await q.query(`
      CREATE POLICY tenant_isolation ON task_definition
        USING (${visible('municipality_id')} OR EXISTS (SELECT 1 FROM wheel w WHERE w.id = wheel_id AND w.published))
        WITH CHECK ${visible('municipality_id')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const visible = (column: string) => `arshjul_tenant_visible(${column})`;
    for (const table of TENANT_TABLES) {
      await q.query(`DROP POLICY tenant_isolation ON ${table}`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table} USING (${visible('municipality_id')}) WITH CHECK (${visible('municipality_id')})`);
    }
    await q.query(`DROP POLICY tenant_isolation ON municipality`);
    await q.query(`CREATE POLICY tenant_isolation ON municipality USING (${visible('id')}) WITH CHECK (${visible('id')})`);
    await q.query(`DROP POLICY tenant_isolation ON wheel`);
    await q.query(`CREATE POLICY tenant_isolation ON wheel USING (${visible('municipality_id')} OR published) WITH CHECK (${visible('municipality_id')})`);
    await q.query(`DROP POLICY tenant_isolation ON task_definition`);
    await q.query(`
      CREATE POLICY tenant_isolation ON task_definition
        USING (${visible('municipality_id')} OR EXISTS (SELECT 1 FROM wheel w WHERE w.id = wheel_id AND w.published))
        WITH CHECK (${visible('municipality_id')})`);
    await q.query(`DROP FUNCTION arshjul_tenant()`);
  }
}
