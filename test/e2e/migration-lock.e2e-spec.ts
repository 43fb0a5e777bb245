import { migrations } from '../../src/database/typeorm-options';
import { openMigrated } from '../../src/database/migration-lock';
import { ADMIN_URL_VARIABLE, withClient, withDatabase } from '../setup/test-postgres';

jest.setTimeout(180_000);

/**
 * Replicas started together on an empty database (compose's three, a rolling deploy's new ones) each open the
 * schema owner's connection and run what is pending. One runs the migrations; the others wait for it and
 * find nothing left, rather than failing on objects that already exist.
 */
describe('migrations when several processes start at once', () => {
  const adminUrl = process.env[ADMIN_URL_VARIABLE]!;
  const name = `arshjul_migrations_${process.pid}`;
  const url = withDatabase(adminUrl, name);

  beforeAll(() => withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`)));
  afterAll(() => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));

  it('runs each migration once, and every process starts', async () => {
    const opened = await Promise.allSettled([openMigrated(url), openMigrated(url), openMigrated(url)]);
    const failures = opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    for (const o of opened) if (o.status === 'fulfilled') await o.value.destroy();
    expect(failures).toEqual([]);
    const rows = await withClient(url, (c) => c.query(`SELECT name, count(*)::int AS times FROM migrations GROUP BY name`));
    expect(rows.rows).toHaveLength(migrations.length);
    expect(rows.rows.every((r: { times: number }) => r.times === 1)).toBe(true);
  });
});
