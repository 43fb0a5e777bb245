import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fails closed: a connection that carries no municipality sees no municipality's rows. Before, an empty
 * `arshjul.municipality_id` meant "every municipality" — harmless while the service owned its connections
 * and tagged each one, unsafe behind a transaction pooler or for anyone connecting as the service's login
 * by hand. Work that is meant to see every municipality (jobs, the service before a request is signed in)
 * now says so with the marker '*' (EVERY_MUNICIPALITY in src/auth/tenant-context.ts).
 *
 * Only the functions change: every policy reads `(SELECT arshjul_tenant())`, where NULL still means "every
 * municipality" (now only for '*'), and an unset or empty setting yields the nil uuid, which no row has.
 * The schema's owner, who runs migrations, seeds and the command-line tools, is not subject to the policies.
 */
export class TransactionPooler1766995200000 implements MigrationInterface {
  name = 'TransactionPooler1766995200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION arshjul_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE coalesce(current_setting('arshjul.municipality_id', true), '')
                 WHEN '*' THEN NULL
                 WHEN '' THEN '00000000-0000-0000-0000-000000000000'::uuid
                 ELSE current_setting('arshjul.municipality_id', true)::uuid
               END
      $$`);
    // Used by no policy since TenantPolicyOnce, but kept (its down() needs it): made to agree.
    await q.query(`
      CREATE OR REPLACE FUNCTION arshjul_tenant_visible(row_municipality uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT arshjul_tenant() IS NULL OR row_municipality = arshjul_tenant()
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION arshjul_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT nullif(current_setting('arshjul.municipality_id', true), '')::uuid
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION arshjul_tenant_visible(row_municipality uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('arshjul.municipality_id', true), '') = ''
            OR row_municipality = nullif(current_setting('arshjul.municipality_id', true), '')::uuid
      $$`);
  }
}
