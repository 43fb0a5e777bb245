import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { tenantContext } from '../src/auth/tenant-context';
import { morningBatches, MonthlyChecklists } from '../src/notifications/services/monthly-checklists';
import { mornings as morningsOf, ReminderPlanner } from '../src/notifications/services/reminder-planner';
import { firstWorkingDay } from '../src/schedule/holidays';
import { serviceContext } from './lib/app';
import { benchDatabase, readDataset } from './lib/bench-db';

/**
 * Where the first working day's planning spends its time: each statement's time (as the service runs it:
 * arshjul_app, its pool) and the rest of plan() (Node: handing rows to checklists, building messages), for
 * the largest municipality and for all the others together; then EXPLAIN ANALYZE of each statement of the
 * largest, as arshjul_app with that municipality's tag. `npx ts-node --transpile-only bench/profile-planning.ts`
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const month = dataset.today.slice(0, 7);
  const day = firstWorkingDay(month);
  const at = `${day}T07:30:00+01:00`;
  const db = await benchDatabase();
  const app = await serviceContext(db.url, at);
  try {
    const dataSource = app.get(DataSource);
    const mornings = morningsOf(await app.get(ReminderPlanner).municipalitiesAt(new Date(at)));
    const checklists = app.get(MonthlyChecklists);

    // Every statement plan() sends, timed by its first line; the largest municipality's kept with their parameters.
    const statements = new Map<string, unknown[] | undefined>();
    let timing: Map<string, number> | undefined;
    let keep = false;
    const query = dataSource.query.bind(dataSource);
    dataSource.query = (async (sql: string, parameters?: unknown[]) => {
      const started = performance.now();
      try {
        return await query(sql, parameters);
      } finally {
        if (timing) {
          const key = sql.trim().split('\n')[0].slice(0, 60);
          timing.set(key, (timing.get(key) ?? 0) + performance.now() - started);
          // Only the planning's reads (the service's own housekeeping, e.g. rate-limit pruning, may run meanwhile).
          if (keep && /^\s*(WITH|SELECT)\b/.test(sql)) statements.set(sql, parameters);
        }
      }
    }) as typeof dataSource.query;

    const largest = mornings.find((m) => m.municipalityId === dataset.largeMunicipalityId) ?? mornings[0];
    const batches = morningBatches(await checklists.sized(mornings));
    for (const round of [1, 2]) {
      for (const [name, list] of [
        ['largest municipality', batches.filter((b) => b.some((m) => m.municipalityId === largest.municipalityId))],
        [`the other batches`, batches.filter((b) => !b.some((m) => m.municipalityId === largest.municipalityId))],
      ] as const) {
        timing = new Map();
        keep = name === 'largest municipality';
        let items = 0;
        const cpu = process.cpuUsage();
        const started = performance.now();
        for (const batch of list) items += (await checklists.planMornings(batch)).length;
        const total = performance.now() - started;
        const inSql = [...timing.values()].reduce((a, b) => a + b, 0);
        const used = process.cpuUsage(cpu);
        // Node's CPU time (this process's user + system, GC included) moves less with the machine's load than the wall time.
        process.stdout.write(
          `round ${round}, ${name}: ${(total / 1000).toFixed(2)} s for ${items} messages; Node ${((total - inSql) / 1000).toFixed(2)} s; Node's CPU ${((used.user + used.system) / 1e6).toFixed(2)} s\n`,
        );
        for (const [key, ms] of timing) process.stdout.write(`    ${(ms / 1000).toFixed(2)} s  ${key}\n`);
      }
    }
    timing = undefined;

    if (process.env.EXPLAIN !== 'false') {
      for (const [sql, parameters] of statements) {
        const plan = await tenantContext.run({ municipalityId: largest.municipalityId }, () =>
          dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters),
        );
        process.stdout.write(`\n--- ${sql.trim().split('\n')[0]}\n${plan.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}\n`);
      }
    }
  } finally {
    await app.close();
    await db.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
