import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { loadDemoData } from '../../src/database/seeds/demo-data';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import { ADMIN_URL_VARIABLE, TEMPLATE_DATABASE, withClient, withDatabase } from './test-postgres';
import { freePort } from '../utils/free-port';

/**
 * Once per test run: start a real PostgreSQL (embedded, unless TEST_DATABASE_URL names one), and build
 * a template database with the real migrations and the demo data. Test files clone it (fast) so they
 * can run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'arshjul-test-'));
    chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as "postgres", who must be able to enter it
    const postgres = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      log: () => undefined,
      // A throw-away cluster: durability buys nothing here, speed does.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    (globalThis as Record<string, unknown>).__ARSHJUL_TEST_POSTGRES__ = { postgres, dataDir };
    adminUrl = postgres.url;
  }
  process.env[ADMIN_URL_VARIABLE] = adminUrl;

  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const template = new DataSource(typeOrmOptions(withDatabase(adminUrl, TEMPLATE_DATABASE)));
  await template.initialize(); // runs the migrations
  await loadDemoData(template);
  await template.destroy();
}

