import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { tenantContext } from '../src/auth/tenant-context';
import { PoolMode, tagConnectionsWithTenant } from '../src/database/tenant-tagging';
import { typeOrmOptions } from '../src/database/typeorm-options';

/**
 * npx ts-node --transpile-only bench/pooler.ts <service login URL> <session|transaction> [statements, default 4000]
 *
 * What the municipality costs per statement in each pool mode (src/database/tenant-tagging.ts): one request's
 * worth of autocommit statements (a small indexed read of the municipality's units) one after another, and
 * the same in explicit transactions of five statements. Point the URL at PostgreSQL directly, or at PgBouncer
 * in transaction mode, as the service's login (arshjul_service), on a database with the demo data.
 */
async function main(): Promise<void> {
  const [url, mode = 'session', count = '4000'] = process.argv.slice(2);
  if (!url) throw new Error('Usage: bench/pooler.ts <postgres://arshjul_service:…@host:port/arshjul> <session|transaction> [statements]');
  const dataSource = await new DataSource({ ...typeOrmOptions(url), migrationsRun: false, extra: { max: 4 } }).initialize();
  tagConnectionsWithTenant(dataSource, { mode: mode as PoolMode, statementTimeoutMs: 15_000 });
  const [{ id }] = await tenantContext.run({}, () => dataSource.query(`SELECT id FROM municipality ORDER BY name LIMIT 1`));
  const n = Number(count);
  const BATCH = 100;
  // On a shared machine, the fastest of many short batches is the cost itself; the rest is waiting for a core.
  const timed = async (label: string, batch: () => Promise<unknown>) => {
    await batch(); // warm-up
    let best = Infinity;
    for (let b = 0; b < n / BATCH; b++) {
      const started = process.hrtime.bigint();
      await batch();
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e3 / BATCH);
    }
    process.stdout.write(`${mode}\t${label}\t${best.toFixed(0)} µs per statement (fastest batch of ${BATCH})\n`);
  };
  await tenantContext.run({ municipalityId: id }, async () => {
    await timed('autocommit', async () => {
      for (let i = 0; i < BATCH; i++) await dataSource.query(`SELECT count(*) FROM unit WHERE municipality_id = $1`, [id]);
    });
    await timed('transactions of 5', async () => {
      for (let i = 0; i < BATCH / 5; i++) {
        await dataSource.transaction(async (tx) => {
          for (let j = 0; j < 5; j++) await tx.query(`SELECT count(*) FROM unit WHERE municipality_id = $1`, [id]);
        });
      }
    });
  });
  await dataSource.destroy();
}

main().catch((error) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});
