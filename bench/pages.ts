import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { KeyObject } from 'node:crypto';
import { DevTokens } from '../src/auth/dev-tokens';
import { loadOrCreateDevSigningKey } from '../src/auth/dev-signing-key';
import { projectRoot } from '../src/config/project-root';
import { outsideAnyMunicipality } from '../src/auth/tenant-context';
import { UnitVerificationService } from '../src/records/checkpoints/unit-verification.service';
import { serviceContext } from './lib/app';
import { BENCH_DIR, benchDatabase, migrate, readDataset, withClient } from './lib/bench-db';
import { startServer } from './lib/processes';
import { Figure, format, median, report, since } from './lib/report';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERVICE_PORT = Number(process.env.BENCH_SERVICE_PORT ?? 3911);
/** Issue 19's targets at scale 0.1: the top unit's pages under 1 MB and within 5× the department's time. */
const MAX_BYTES = 1_000_000;
const MAX_TIMES = 5;
/**
 * The built service to measure: this checkout's (built first), or BENCH_SERVICE_DIR, another checkout's
 * own build (e.g. the commit before a change, for figures before and after on the same data and machine).
 */
const SERVICE_DIR = process.env.BENCH_SERVICE_DIR;
const LABEL = process.env.BENCH_LABEL ?? (SERVICE_DIR ? `service in ${SERVICE_DIR}` : 'this checkout');

interface Level {
  name: 'department' | 'area' | 'top';
  unitId: string;
  units: number;
  token: string;
}

interface Measured {
  ms: number;
  bytes: number;
  status: number;
}

/**
 * npm run bench:pages
 *
 * The pages and API calls of issue 19 for three units of the large municipality, each asked by that unit's
 * own manager: the top unit (all of Storby), an area (about a hundred units) and one department. The real
 * service (`node dist/main.js`) with the whole data set loaded; each request once to warm up, then ROUNDS
 * times one after another: the median time (until the last byte) and the bytes of the answer. The ratio
 * is the top unit's (or the area's) time over the department's: what the larger unit costs more.
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const month = dataset.today.slice(0, 7);
  const db = await benchDatabase();
  try {
    if (!SERVICE_DIR && process.env.BENCH_SKIP_BUILD !== '1') execFileSync('npx', ['nest', 'build'], { cwd: projectRoot(), stdio: 'inherit' });
    const tokens = new DevTokens((await loadOrCreateDevSigningKey(BENCH_DIR)) as KeyObject, '12h');
    const levels = await withClient(db.url, async (client) => {
      const root = dataset.largeMunicipalityRootUnitId;
      // The area with the most units, and a department (a unit with recipients) inside it.
      const { rows: [area] } = await client.query(
        `WITH RECURSIVE below AS (SELECT id, id AS area FROM unit WHERE parent_id = $1 UNION ALL SELECT u.id, b.area FROM unit u JOIN below b ON u.parent_id = b.id)
         SELECT area AS id, count(*)::int AS units FROM below GROUP BY area ORDER BY count(*) DESC, area LIMIT 1`,
        [root],
      );
      const { rows: [department] } = await client.query(
        `WITH RECURSIVE below AS (SELECT id FROM unit WHERE id = $1 UNION ALL SELECT u.id FROM unit u JOIN below b ON u.parent_id = b.id)
         SELECT r.unit_id AS id FROM recipient r JOIN below b ON b.id = r.unit_id GROUP BY r.unit_id ORDER BY r.unit_id LIMIT 1`,
        [area.id],
      );
      const { rows: [{ units: top }] } = await client.query(`SELECT count(*)::int AS units FROM unit WHERE municipality_id = $1`, [dataset.largeMunicipalityId]);
      const managerOf = async (unitId: string) => {
        const { rows: [m] } = await client.query(
          `SELECT p.id, p.email FROM role_assignment ra JOIN person p ON p.id = ra.person_id WHERE ra.unit_id = $1 AND ra.role = 'manager' ORDER BY p.id LIMIT 1`,
          [unitId],
        );
        if (!m) throw new Error(`No manager of unit ${unitId}`);
        return tokens.issue({ personId: m.id, municipalityId: dataset.largeMunicipalityId, email: m.email });
      };
      return [
        { name: 'department', unitId: department.id, units: 1, token: await managerOf(department.id) },
        { name: 'area', unitId: area.id, units: area.units, token: await managerOf(area.id) },
        { name: 'top', unitId: root, units: top, token: await managerOf(root) },
      ] as Level[];
    });

    // As the nightly job would have: the schema up to date (verification checkpoints) and a checkpoint at each
    // measured unit's head (a full verification), so the Internkontroll page verifies only what came after it.
    await migrate(db.url);
    // Only the Internkontroll page verifies (a full verification of the top unit takes minutes at scale 0.1).
    const only = process.env.BENCH_REQUESTS ? new RegExp(process.env.BENCH_REQUESTS) : undefined;
    if (!only || only.test('/internkontroll')) {
      const context = await serviceContext(db.url, `${dataset.today}T12:00:00Z`);
      try {
        for (const level of levels) await outsideAnyMunicipality(() => context.get(UnitVerificationService).verify(level.unitId, { full: true }));
      } finally {
        await context.close();
      }
    }

    const requests: Array<[string, (unit: string) => string]> = [
      ['GET /api/v1/units/:id/checklist?subtree=true', (u) => `/api/v1/units/${u}/checklist?month=${month}&subtree=true`],
      ['GET /api/v1/units/:id/checklist/summary', (u) => `/api/v1/units/${u}/checklist/summary?month=${month}`],
      ['/sjekkliste (summary of the sub-units)', (u) => `/sjekkliste?enhet=${u}&maned=${month}`],
      ['/sjekkliste with sub-units (flat, first page)', (u) => `/sjekkliste?enhet=${u}&maned=${month}&underenheter=1`],
      ['/arshjul', (u) => `/arshjul?enhet=${u}`],
      ['/internkontroll', (u) => `/internkontroll?enhet=${u}`],
    ];

    // BENCH_REQUESTS, a regular expression, measures only the requests whose names match.
    if (only) requests.splice(0, requests.length, ...requests.filter(([name]) => only.test(name)));

    const service = await startServer(
      process.execPath,
      [join(SERVICE_DIR ?? projectRoot(), 'dist/main.js')],
      {
        NODE_ENV: 'development',
        DATABASE_URL: db.url,
        DATA_DIR: BENCH_DIR,
        PORT: String(SERVICE_PORT),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'false',
        REMINDERS_ENABLED: 'false',
        RATE_LIMIT_PER_PERSON: '1000000000',
        RATE_LIMIT_PER_IP: '1000000000',
        DATABASE_STATEMENT_TIMEOUT_MS: '120000',
      },
      async () => (await fetch(`http://127.0.0.1:${SERVICE_PORT}/health/ready`)).ok,
    );
    const results = new Map<string, Measured>();
    try {
      const once = async (path: string, token: string): Promise<Measured> => {
        const start = performance.now();
        const answer = await fetch(`http://127.0.0.1:${SERVICE_PORT}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const body = Buffer.from(await answer.arrayBuffer());
        return { ms: since(start), bytes: body.length, status: answer.status };
      };
      for (const [name, path] of requests) {
        const measured: Array<{ level: Level; warm: Measured; times: number[] }> = [];
        for (const level of levels) {
          const warm = await once(path(level.unitId), level.token);
          // A service from before the summaries has no summary route: noted, not measured.
          if (warm.status === 404 && SERVICE_DIR) {
            process.stdout.write(`  ${name}, ${level.name}: not in this service (404)\n`);
            continue;
          }
          if (warm.status !== 200) throw new Error(`${name} for the ${level.name}: ${warm.status}`);
          measured.push({ level, warm, times: [] });
        }
        // The levels take turns in each round, so that a busy minute of a shared machine weighs on all of them
        // alike and not only on the one measured in it: the ratio is what the targets judge.
        for (let round = 0; round < ROUNDS; round++) for (const m of measured) m.times.push((await once(path(m.level.unitId), m.level.token)).ms);
        for (const { level, warm, times } of measured) {
          results.set(`${name}|${level.name}`, { ms: median(times), bytes: warm.bytes, status: warm.status });
          process.stdout.write(`  ${name}, ${level.name}: ${format(median(times))} ms, ${format(warm.bytes / 1e6)} MB\n`);
        }
      }
    } finally {
      await service.stop();
    }

    const figures: Figure[] = [];
    const notes: string[] = [];
    for (const [name] of requests) {
      const department = results.get(`${name}|department`);
      if (!department) continue;
      for (const level of ['area', 'top'] as const) {
        const m = results.get(`${name}|${level}`)!;
        figures.push({ metric: `${name}, ${level}: median ms (baseline: the department's)`, ours: m.ms, baseline: department.ms, higherIsBetter: false, ratio: m.ms / department.ms });
        figures.push({ metric: `${name}, ${level}: bytes (baseline: the department's)`, ours: m.bytes, baseline: department.bytes, higherIsBetter: false, ratio: m.bytes / department.bytes });
      }
      const top = results.get(`${name}|top`)!;
      const misses = [top.bytes >= MAX_BYTES ? `${format(top.bytes / 1e6)} MB ≥ 1 MB` : '', top.ms > MAX_TIMES * department.ms ? `${(top.ms / department.ms).toFixed(1)}× the department's time` : '']
        .filter(Boolean)
        .join(', ');
      notes.push(`${name}: top unit ${misses ? `MISSES (${misses})` : 'meets'} the targets (< 1 MB, ≤ ${MAX_TIMES}× the department's time).`);
    }
    const internkontroll = results.get('/internkontroll|department');
    if (internkontroll) notes.push(`The department's Internkontroll page: ${format(internkontroll.ms)} ms (target < 200 ms at scale 0.1).`);
    report(
      'Pages of large units',
      {
        service: LABEL,
        scale: dataset.scale,
        'data set': `${format(dataset.counts.occurrence)} occurrences, ${format(dataset.counts.sign_off)} records, ${dataset.counts.municipality} municipalities`,
        month,
        units: levels.map((l) => `${l.name} ${l.units}`).join(', '),
        rounds: `${ROUNDS} after one warm-up, one request at a time, each by the unit's own manager`,
        ratio: "the area's or top unit's time (or bytes) over the department's",
      },
      figures,
      notes,
    );
  } finally {
    await db.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
