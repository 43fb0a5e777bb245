import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { CONNECTION_FILE } from '../../src/database/embedded-postgres';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { WHEEL_LIBRARY } from '../../src/wheels/library/wheel-library';
import { ADMIN_URL_VARIABLE, withClient, withDatabase } from '../setup/test-postgres';
import { count, unitId } from '../utils/demo';
import { FakeEntra } from '../utils/fake-entra';
import { startTestApp, TestApp } from '../utils/test-app';

const root = join(__dirname, '..', '..');
const TENANT = new FakeEntra().tenantId; // the tenant the local Entra stand-in signs for

/** A command-line tool as an operator runs it: only the variables given (and PATH, HOME). */
function cli(tool: string, args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `src/cli/${tool}.ts`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('first start: npm run setup on an empty database, then the administrator signs in', () => {
  jest.setTimeout(120_000);
  const database = `arshjul_ops_${process.pid}`;
  let url: string;
  let t: TestApp | undefined;

  beforeAll(async () => {
    const adminUrl = process.env[ADMIN_URL_VARIABLE]!;
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${database}`));
    url = withDatabase(adminUrl, database);
  });
  afterAll(async () => {
    await t?.close();
    await withClient(process.env[ADMIN_URL_VARIABLE]!, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  const setup = (...extra: string[]) =>
    cli('setup', ['--municipality', 'Bergen kommune', '--tenant', TENANT, '--admin', 'it-sjef@bergen.kommune.no', ...extra], { DATABASE_URL: url });
  const snapshot = async () =>
    withClient(url, async (c) =>
      (await c.query(`SELECT (SELECT count(*) FROM municipality) m, (SELECT count(*) FROM unit) u, (SELECT count(*) FROM person) p,
                             (SELECT count(*) FROM role_assignment) r, (SELECT count(*) FROM wheel) w, (SELECT count(*) FROM task_definition) t`)).rows[0],
    );

  it('migrates a fresh database, creates the municipality, its root unit, the administrator and the seed wheels', async () => {
    const run = setup('--time-zone', 'Europe/Oslo', '--library');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('created the municipality "Bergen kommune"');
    expect(run.stdout).toContain('made it-sjef@bergen.kommune.no administrator');
    expect(await snapshot()).toMatchObject({ m: '1', u: '1', p: '1', r: '1', w: String(WHEEL_LIBRARY.length) });
    const [m] = (await withClient(url, (c) => c.query(`SELECT entra_tenant_id, time_zone FROM municipality`))).rows;
    expect(m).toEqual({ entra_tenant_id: TENANT, time_zone: 'Europe/Oslo' });
  });

  it('changes nothing the second time, and says so', async () => {
    const before = await snapshot();
    const run = setup('--library');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Nothing to do: "Bergen kommune" is already set up as asked/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses values that contradict what is there, with a clear message, and changes nothing', async () => {
    const before = await snapshot();
    const otherTenant = cli('setup', ['--municipality', 'Bergen kommune', '--tenant', '11111111-2222-4333-8444-555555555555', '--admin', 'ny@bergen.kommune.no'], { DATABASE_URL: url });
    expect(otherTenant.status).toBe(1);
    expect(otherTenant.stderr).toContain(`"Bergen kommune" exists with the Entra tenant ${TENANT}`);
    const otherZone = setup('--time-zone', 'Europe/Helsinki');
    expect(otherZone.status).toBe(1);
    expect(otherZone.stderr).toContain('time zone Europe/Oslo, not Europe/Helsinki');
    const tenantTaken = cli('setup', ['--municipality', 'Os kommune', '--tenant', TENANT, '--admin', 'a@os.kommune.no'], { DATABASE_URL: url });
    expect(tenantTaken.status).toBe(1);
    expect(tenantTaken.stderr).toContain('already belongs to "Bergen kommune"');
    const badZone = setup('--time-zone', 'Mars/Olympus');
    expect(badZone.status).toBe(2);
    expect(badZone.stderr).toContain('--time-zone must be an IANA time zone');
    expect(await snapshot()).toEqual(before);
  });

  it('with DEMO_DATA=false the administrator signs in, is led to build the unit tree, and builds it', async () => {
    t = await startTestApp({ DEMO_DATA: 'false' }, '2027-01-04T08:00:00Z', { databaseUrl: url });
    const admin = await t.bearer('it-sjef@bergen.kommune.no');
    const units = await t.http.get('/api/v1/units').set('Authorization', admin);
    expect(units.status).toBe(200);
    expect(units.body.map((u: { name: string }) => u.name)).toEqual(['Bergen kommune']);

    // Signing in in the browser (development sign-in lists people who hold a role: the administrator does).
    const signIn = await t.http.post('/logg-inn').type('form').send({ email: 'it-sjef@bergen.kommune.no', neste: '/administrasjon' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/administrasjon');
    const cookie = signIn.headers['set-cookie'] as unknown as string[];
    const page = await t.http.get('/administrasjon').set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Start med å lage enhetstreet');
    expect(page.text).toContain('action="/administrasjon/enheter"');
    expect((await t.http.get('/oppgaver').set('Cookie', cookie)).status).toBe(200);

    const helse = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Helse og omsorg', parentId: units.body[0].id });
    expect(helse.status).toBe(201);
    expect((await t.http.get('/administrasjon').set('Authorization', admin)).text).not.toContain('Start med å lage enhetstreet');
    expect(await count(t.db, 'municipality', `name = 'Demo kommune'`)).toBe(0);
  });

  it('signs the administrator in with an Entra ID token of the tenant given to setup', async () => {
    const entra = await new FakeEntra().start();
    const production = await startTestApp(
      { DEMO_DATA: 'false', AUTH_MODE: 'entra', ENTRA_AUTHORITY_HOST: entra.authorityHost, ENTRA_AUDIENCE: 'api://arshjul' },
      '2027-01-04T08:00:00Z',
      { databaseUrl: url },
    );
    try {
      const token = await entra.token({ oid: '5a5a5a5a-1b1b-4c2c-8d3d-4e4e4e4e4e4e', preferred_username: 'IT-sjef@bergen.kommune.no' });
      const units = await production.http.get('/api/v1/units').set('Authorization', `Bearer ${token}`);
      expect(units.status).toBe(200);
      expect(units.body.map((u: { name: string }) => u.name).sort()).toEqual(['Bergen kommune', 'Helse og omsorg']);
    } finally {
      await production.close();
      await entra.stop();
    }
  });
});

describe('the command-line tools find the database', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let dataDir: string;
  let fjellvegen: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    dataDir = mkdtempSync(join(tmpdir(), 'arshjul-cli-'));
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('without DATABASE_URL or a running service in DATA_DIR, says exactly what to set and exits 2', () => {
    const run = cli('verify', ['--all'], { DATA_DIR: dataDir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`there is no ${join(dataDir, CONNECTION_FILE)}, and DATABASE_URL is not set`);
    expect(run.stderr).toContain('set DATABASE_URL=postgres://');
    expect(run.stderr).toContain(`the same DATA_DIR (now ${dataDir})`);
  });

  it('from the note the service leaves in DATA_DIR alone, whatever its port', () => {
    writeFileSync(join(dataDir, CONNECTION_FILE), JSON.stringify({ url: t.databaseUrl, port: Number(new URL(t.databaseUrl).port), pid: process.pid }), { mode: 0o600 });
    const run = cli('verify', ['--all'], { DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ok {6}Demo kommune \/ Avdeling Fjellvegen \(/m);
    expect(run.stdout).toMatch(/unit\(s\) checked, 0 failed\./);
  });

  it('verify --all names a unit whose chain was tampered with, and exits 1', async () => {
    const manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', manager);
    const occurrence = await openManagerTask(t, fjellvegen);
    expect((await t.http.post(`/api/v1/occurrences/${occurrence.id}/sign-offs`).set('Authorization', manager).send({ outcome: 'done' })).status).toBe(201);
    await withClient(t.databaseUrl, async (superuser) => {
      await superuser.query(`SET session_replication_role = replica`);
      await superuser.query(`UPDATE sign_off SET comment = 'endret i ettertid' WHERE unit_id = $1`, [fjellvegen]);
    });
    const run = cli('verify', ['--all'], { DATABASE_URL: t.databaseUrl });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`FAILED  Demo kommune / Avdeling Fjellvegen (${fjellvegen}): 1 chain problem(s)`);
    expect(run.stdout).toMatch(/^ok {6}Demo kommune \/ Avdeling Sjøgata/m);
    expect(run.stdout).toMatch(/, 1 failed\.$/m);
  });
});

describe('GET /metrics', () => {
  jest.setTimeout(60_000);
  const TOKEN = 'metrics-0123456789abcdef';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN, METRICS_PORT: '0' }, '2026-12-15T08:00:00Z');
  });
  afterAll(() => t.close());

  it('is refused without the token (401), and does not exist where no token is set (404)', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length')).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', await t.bearer(DEMO_PEOPLE.admin))).status).toBe(401);
    const plain = await startTestApp({}, '2026-12-15T08:00:00Z');
    try {
      const res = await plain.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    } finally {
      await plain.close();
    }
  });

  it('after a sign-off and a reminder pass, reports them in Prometheus text format', async () => {
    const fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    const manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', manager);
    const occurrence = await openManagerTask(t, fjellvegen);
    expect((await t.http.post(`/api/v1/occurrences/${occurrence.id}/sign-offs`).set('Authorization', manager).send({ outcome: 'done' })).status).toBe(201);
    t.clock.set('2027-02-01T06:00:00Z'); // the first working day of a month: monthly checklists go out
    const pass = await t.app.get(RemindersService).pass();
    expect(pass.sent).toBeGreaterThan(0);

    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const samples = parseExposition(res.text);

    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
    expect(value('arshjul_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/occurrences/:id/sign-offs', status: '201' })).toBe(1);
    expect(samples.some((s) => s.labels.route?.includes(occurrence.id))).toBe(false); // templates, never raw URLs
    expect(value('arshjul_reminder_pass_duration_seconds_count')).toBe(1);
    expect(value('arshjul_reminder_messages_total', { channel: 'email', outcome: 'sent' })).toBe(pass.sent);
    expect(value('arshjul_materialise_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(samples.find((s) => s.name === 'arshjul_outbox_depth' && s.labels.channel === 'email')?.value).toBe(0);
    expect(samples.find((s) => s.name === 'arshjul_outbox_oldest_due_age_seconds')?.value).toBe(0);
    expect(value('arshjul_chain_verifications_failed_total')).toBe(0);
    expect(samples.some((s) => s.name === 'arshjul_process_resident_memory_bytes')).toBe(true);
  });

  it('counts a failed chain verification', async () => {
    const fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await withClient(t.databaseUrl, async (superuser) => {
      await superuser.query(`SET session_replication_role = replica`);
      await superuser.query(`UPDATE sign_off SET comment = 'endret' WHERE unit_id = $1`, [fjellvegen]);
    });
    const verify = await t.http.get(`/api/v1/audit/verify?unitId=${fjellvegen}`).set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet));
    expect(verify.body.valid).toBe(false);
    const samples = parseExposition((await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text);
    expect(samples.find((s) => s.name === 'arshjul_chain_verifications_failed_total')?.value).toBe(1);
  });

  it('is served without a token on METRICS_PORT, a listener of its own', async () => {
    const { Metrics } = await import('../../src/metrics/metrics');
    const port = t.app.get(Metrics).separatePort();
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(parseExposition(await res.text()).some((s) => s.name === 'arshjul_outbox_depth')).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/units`)).status).toBe(404);
  });
});

/** An open task of Avdeling Fjellvegen's manager on 20 January 2027 (the clock is set there). */
async function openManagerTask(t: TestApp, unit: string): Promise<{ id: string }> {
  t.clock.set('2027-01-20T10:00:00Z');
  const [occurrence] = await t.db.query(
    `SELECT o.id FROM occurrence o JOIN task_definition td ON td.id = o.task_id
      WHERE o.unit_id = $1 AND td.responsible_role = 'manager' AND td.scope = 'unit' AND o.recipient_id IS NULL AND o.cancelled_at IS NULL
        AND o.opens_on <= '2027-01-20' AND o.deadline >= '2027-01-20' AND NOT EXISTS (SELECT 1 FROM sign_off s WHERE s.occurrence_id = o.id)
      ORDER BY o.deadline LIMIT 1`,
    [unit],
  );
  expect(occurrence).toBeDefined();
  return occurrence;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' text exposition format, strictly: every line a comment (# HELP/# TYPE) or a well-formed sample. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(comment[3]);
        typed.add(comment[2]);
      }
      continue;
    }
    // Values as Go's ParseFloat reads them, as Prometheus does: NaN and Inf in any case (prom-client writes "Nan").
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.]+(?:e[+-]?[0-9]+)?|[+-]?inf|nan)$/i.exec(line);
    if (!sample) throw new Error(`Not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    const family = sample[1].replace(/_(bucket|sum|count)$/, '');
    if (!typed.has(sample[1]) && !typed.has(family)) throw new Error(`A sample without # TYPE: ${line}`);
    samples.push({ name: sample[1], labels, value: /nan/i.test(sample[3]) ? NaN : Number(sample[3].replace(/inf/i, 'Infinity')) });
  }
  return samples;
}
