import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { KeyObject } from 'node:crypto';
import { DevTokens } from '../src/auth/dev-tokens';
import { loadOrCreateDevSigningKey } from '../src/auth/dev-signing-key';
import { projectRoot } from '../src/config/project-root';
import { localDateAt } from '../src/schedule/local-date';
import { BENCH_DIR, benchDatabase, readDataset, withClient } from './lib/bench-db';
import { RunningStandby, startStandby } from './lib/standby';
import { gcPauses, load, LoadResult, startServer, tsNodeArgs, whileSamplingRss } from './lib/processes';
import { format, report } from './lib/report';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
/** The open load: requests per second offered over the same connections, below what both servers can take. */
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const UNITS = 50;
const SERVICE_PORT = 3901;
const BASELINE_PORT = 3902;
/** BENCH_STANDBY=1: both servers read from a streaming standby of the data set (issue 17 §5), on this port. */
const STANDBY_PORT = process.env.BENCH_STANDBY === '1' ? Number(process.env.BENCH_STANDBY_PORT ?? 54341) : undefined;

/**
 * The open load, once the closed load's last answers are out (a pause) and after a warm-up at the same
 * rate that is not counted: its latencies are those of a server taking RATE requests a second, not of
 * one still answering the 200 requests the closed load left in flight.
 */
async function openLoad(url: string, token: string | undefined, paths: string[], measuring = () => {}): Promise<LoadResult> {
  await new Promise((r) => setTimeout(r, 5_000));
  await load(url, CONNECTIONS, 5, RATE, token, paths);
  measuring();
  return load(url, CONNECTIONS, SECONDS, RATE, token, paths);
}

/**
 * npm run bench:checklist
 *
 * The month's checklist of departments of the large municipality, with the whole national data set
 * loaded, under CONNECTIONS concurrent requests from autocannon in a second process: the real service
 * (`node dist/main.js`: authentication, access check, row-level security, access log of the recipient
 * codes shown, JSON), against a minimal Fastify + pg server running the same SQL. A warm-up run first.
 * Twice: a closed load (each connection asks again as soon as it is answered: the most requests per
 * second each server can take, and its latency when saturated) and an open load of RATE requests per
 * second spread over the same connections (the latency people see when the server is not saturated).
 * With BENCH_STANDBY=1 a streaming standby of the data set is made first (bench/lib/standby.ts): the service
 * reads its checklists there (DATABASE_READ_URLS), the baseline runs its query there too.
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const month = dataset.today.slice(0, 7);
  const db = await benchDatabase();
  let standby: RunningStandby | undefined;
  try {
    if (STANDBY_PORT) standby = await startStandby(db.url, STANDBY_PORT);
    execFileSync('npx', ['nest', 'build'], { cwd: projectRoot(), stdio: 'inherit' });
    const { reader, units } = await withClient(db.url, async (client) => {
      const { rows: [reader] } = await client.query(
        `SELECT p.id, p.email FROM role_assignment ra JOIN person p ON p.id = ra.person_id WHERE ra.unit_id = $1 AND ra.role = 'manager' LIMIT 1`,
        [dataset.largeMunicipalityRootUnitId],
      );
      const { rows } = await client.query(
        `SELECT unit_id FROM recipient WHERE municipality_id = $1 GROUP BY unit_id ORDER BY md5(unit_id::text) LIMIT ${UNITS}`,
        [dataset.largeMunicipalityId],
      );
      return { reader, units: rows.map((r) => r.unit_id as string) };
    });
    const tokens = new DevTokens((await loadOrCreateDevSigningKey(BENCH_DIR)) as KeyObject, '12h');
    const token = await tokens.issue({ personId: reader.id, municipalityId: dataset.largeMunicipalityId, email: reader.email });

    const service = await startServer(
      process.execPath,
      // SERVICE_NODE_ARGS, e.g. "--cpu-prof", to see where the service spends its time under the load.
      // With the heap limit `npm start` and the container give it (package.json, docker/Dockerfile).
      ['--trace-gc', '--max-old-space-size=384', ...(process.env.SERVICE_NODE_ARGS?.split(' ') ?? []), 'dist/main.js'],
      {
        NODE_ENV: 'development',
        DATABASE_URL: db.url,
        DATA_DIR: BENCH_DIR,
        PORT: String(SERVICE_PORT),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'false',
        REMINDERS_ENABLED: 'false',
        // The benchmark is one person asking many times a second; in production the limits stay on.
        RATE_LIMIT_PER_PERSON: '1000000000',
        RATE_LIMIT_PER_IP: '1000000000',
        ...(standby ? { DATABASE_READ_URLS: standby.url } : {}),
      },
      async () => (await fetch(`http://127.0.0.1:${SERVICE_PORT}/health/ready`)).ok,
    );
    const servicePaths = units.map((u) => `/api/v1/units/${u}/checklist?month=${month}`);
    let ours: LoadResult;
    let oursOpen: LoadResult;
    let items: number;
    let rss: { peakMb: number; lastMb: number };
    let gc: { count: number; ms: number; longest: number };
    let gcOpen: { count: number; ms: number; longest: number };
    let standbyTransactions = 0;
    const standbyBefore = standby ? await standby.transactions() : 0;
    try {
      const answer = await fetch(`http://127.0.0.1:${SERVICE_PORT}${servicePaths[0]}`, { headers: { authorization: `Bearer ${token}` } });
      if (!answer.ok) throw new Error(`The service answered ${answer.status}: ${await answer.text()}`);
      items = ((await answer.json()) as { groups: Array<{ items: unknown[] }> }).groups.reduce((n, g) => n + g.items.length, 0);
      await load(`http://127.0.0.1:${SERVICE_PORT}`, CONNECTIONS, 5, 0, token, servicePaths);
      const closedFrom = service.output().length;
      const sampled = await whileSamplingRss(service.process.pid!, () => load(`http://127.0.0.1:${SERVICE_PORT}`, CONNECTIONS, SECONDS, 0, token, servicePaths));
      gc = gcPauses(service.output(), closedFrom);
      ours = sampled.result;
      rss = { peakMb: sampled.peakMb, lastMb: sampled.lastMb };
      let openFrom = 0;
      oursOpen = await openLoad(`http://127.0.0.1:${SERVICE_PORT}`, token, servicePaths, () => (openFrom = service.output().length));
      gcOpen = gcPauses(service.output(), openFrom);
      standbyTransactions = standby ? (await standby.transactions()) - standbyBefore : 0;
    } finally {
      await service.stop();
    }

    const baselineServer = await startServer(
      process.execPath,
      // The service runs on the real clock: the baseline takes its "today" (Oslo's date now), not the data set's.
      tsNodeArgs('checklist-baseline-server.ts', [standby?.url ?? db.url, String(BASELINE_PORT), localDateAt(new Date(), 'Europe/Oslo')]),
      {},
      async () => (await fetch(`http://127.0.0.1:${BASELINE_PORT}/units/${units[0]}/checklist?month=${month}&municipality=${dataset.largeMunicipalityId}`)).ok,
    );
    const baselinePaths = units.map((u) => `/units/${u}/checklist?month=${month}&municipality=${dataset.largeMunicipalityId}`);
    let baseline: LoadResult;
    let baselineOpen: LoadResult;
    let baselineRss: { peakMb: number };
    try {
      const rows = (await (await fetch(`http://127.0.0.1:${BASELINE_PORT}${baselinePaths[0]}`)).json()) as Array<{ person_id: string | null; task_id: string; unit_id: string; deadline: string }>;
      // The service shows a duty per person (issue 14) as one item per task, unit and deadline.
      const baselineItems = rows.filter((r) => !r.person_id).length + new Set(rows.filter((r) => r.person_id).map((r) => `${r.task_id}|${r.unit_id}|${r.deadline}`)).size;
      if (baselineItems !== items) throw new Error(`The baseline found ${baselineItems} items (${rows.length} rows), the service ${items}`);
      await load(`http://127.0.0.1:${BASELINE_PORT}`, CONNECTIONS, 5, 0, undefined, baselinePaths);
      const sampled = await whileSamplingRss(baselineServer.process.pid!, () => load(`http://127.0.0.1:${BASELINE_PORT}`, CONNECTIONS, SECONDS, 0, undefined, baselinePaths));
      baseline = sampled.result;
      baselineRss = { peakMb: sampled.peakMb };
      baselineOpen = await openLoad(`http://127.0.0.1:${BASELINE_PORT}`, undefined, baselinePaths);
    } finally {
      await baselineServer.stop();
    }

    for (const [name, result] of [['service', ours], ['baseline', baseline], ['service (open)', oursOpen], ['baseline (open)', baselineOpen]] as const) {
      if (result.non2xx || result.errors || result.timeouts) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    }
    report(
      standby ? 'Monthly checklist under concurrent load, reads on a streaming standby' : 'Monthly checklist under concurrent load',
      {
        scale: dataset.scale,
        'data set': `${format(dataset.counts.occurrence)} occurrences, ${format(dataset.counts.sign_off)} records, ${dataset.counts.municipality} municipalities`,
        request: `GET /api/v1/units/:id/checklist?month=${month}, ${UNITS} departments of Storby in turn, ${items} items in the first`,
        connections: CONNECTIONS,
        reads: standby ? `on a streaming standby (${format(standbyTransactions)} transactions there during the service's runs)` : 'on the primary',
        seconds: `${SECONDS} per load (after a 5 s warm-up)`,
        'requests (closed load)': `${format(ours.requests.total)} service, ${format(baseline.requests.total)} baseline`,
        'service GC under the closed load': `${gc.count} collections, ${format(gc.ms)} ms of pauses (${format((100 * gc.ms) / (SECONDS * 1000))} % of the run, ${format((1000 * gc.ms) / ours.requests.total)} µs a request), the longest ${format(gc.longest)} ms`,
        'service GC under the open load': `${gcOpen!.count} collections, ${format(gcOpen!.ms)} ms of pauses, the longest ${format(gcOpen!.longest)} ms`,
      },
      [
        { metric: 'closed load: requests/s', ours: ours.requests.average, baseline: baseline.requests.average, higherIsBetter: true, targetRatio: 0.6 },
        { metric: 'closed load: p50 ms', ours: ours.latency.p50, baseline: baseline.latency.p50, higherIsBetter: false },
        { metric: 'closed load: p99 ms', ours: ours.latency.p99, baseline: baseline.latency.p99, higherIsBetter: false },
        { metric: `open load ${RATE}/s: p50 ms`, ours: oursOpen.latency.p50, baseline: baselineOpen.latency.p50, higherIsBetter: false },
        { metric: `open load ${RATE}/s: p99 ms`, ours: oursOpen.latency.p99, baseline: baselineOpen.latency.p99, higherIsBetter: false },
        // The process's resident memory under the closed load (target < 300 MB); less is better.
        { metric: 'closed load: peak RSS MB', ours: rss.peakMb, baseline: baselineRss.peakMb, higherIsBetter: false },
        { metric: 'closed load: GC pause ms per s', ours: gc.ms / SECONDS, baseline: NaN, higherIsBetter: false },
      ],
      [
        `Target p99 under 50 ms at ${CONNECTIONS} concurrent: closed load ${ours.latency.p99 < 50 ? 'met' : 'MISSED'} (${ours.latency.p99} ms), ` +
          `open load of ${RATE}/s ${oursOpen.latency.p99 < 50 ? 'met' : 'MISSED'} (${oursOpen.latency.p99} ms).`,
        `Service RSS under the closed load: peak ${format(rss.peakMb)} MB, ${format(rss.lastMb)} MB at its end (target < 300 MB: ${rss.peakMb < 300 ? 'met' : 'MISSED'}).`,
        `With ${CONNECTIONS} requests always in flight, each waits for the others: p50 ≈ ${CONNECTIONS} / (requests/s).`,
      ],
    );
  } finally {
    await standby?.stop();
    await db.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
