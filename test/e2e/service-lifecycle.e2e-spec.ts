import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { freePort } from '../utils/free-port';

/**
 * The real entry point (src/main.ts) as a newcomer starts it: its own embedded PostgreSQL in DATA_DIR,
 * migrations, demo data, a development token from the token command; then SIGTERM, and kill -9.
 */
describe('the service as a process', () => {
  jest.setTimeout(90_000);
  let dataDir: string;
  let environment: NodeJS.ProcessEnv;
  const root = join(__dirname, '..', '..');
  const tsNode = ['-r', 'ts-node/register/transpile-only'];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'arshjul-service-'));
    chmodSync(dataDir, 0o755);
    environment = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = () => spawn(process.execPath, [...tsNode, 'src/main.ts'], { cwd: root, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const base = () => `http://127.0.0.1:${environment.PORT}`;
  const postmasters = () => processesMentioning(join(dataDir, 'postgres'));

  it('refuses to boot with PORT=abc, naming PORT, and starts no database', async () => {
    const child = spawn(process.execPath, [...tsNode, 'src/main.ts'], { cwd: root, env: { ...environment, PORT: 'abc' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT must be a TCP port number/);
    expect(postmasters()).toEqual([]);
  });

  it('starts with demo data, signs a demo person in, and leaves no PostgreSQL behind after SIGTERM', async () => {
    const service = start();
    try {
      await waitUntilReady(base(), service);
      expect((await fetch(`${base()}/api/v1/units`)).status).toBe(401);
      // The token command finds the database from DATA_DIR alone: the service noted its port there, for its user only.
      const { EMBEDDED_PG_PORT: _port, ...withoutPort } = environment;
      expect(statSync(join(dataDir, 'postgres-connection.json')).mode & 0o777).toBe(0o600);
      const token = execFileSync(process.execPath, [...tsNode, 'src/cli/token.ts', '--email', DEMO_PEOPLE.leder], {
        cwd: root,
        env: withoutPort,
        encoding: 'utf8',
      }).trim();
      const units = await fetch(`${base()}/api/v1/units`, { headers: { Authorization: `Bearer ${token}` } });
      expect(units.status).toBe(200);
      expect(((await units.json()) as Array<{ name: string }>).map((u) => u.name)).toContain('Avdeling Fjellvegen');
      expect(postmasters().length).toBeGreaterThan(0);

      // The log is JSON lines with the request id, and never holds the token.
      const requestId = units.headers.get('x-request-id');
      const loggedRequest = () => jsonLines(outputOf(service)).some((e) => e.req?.id === requestId && e.res?.statusCode === 200);
      for (let i = 0; i < 20 && !loggedRequest(); i++) await new Promise((r) => setTimeout(r, 100)); // logged after the response
      expect(loggedRequest()).toBe(true);
      expect(outputOf(service)).not.toContain(token);
    } finally {
      service.kill('SIGTERM');
    }
    expect(await exitOf(service)).toBe(0);
    expect(postmasters()).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres-connection.json'))).toBe(false); // no note of a database that is gone
  });

  it('recovers after kill -9 left its PostgreSQL running, and keeps the data', async () => {
    const killed = start();
    await waitUntilReady(base(), killed);
    killed.kill('SIGKILL');
    await exitOf(killed);
    expect(postmasters().length).toBeGreaterThan(0); // the orphan, holding the port and postmaster.pid

    const restarted = start();
    try {
      await waitUntilReady(base(), restarted);
      const token = execFileSync(process.execPath, [...tsNode, 'src/cli/token.ts', '--email', DEMO_PEOPLE.admin], {
        cwd: root,
        env: environment,
        encoding: 'utf8',
      }).trim();
      const units = await fetch(`${base()}/api/v1/units`, { headers: { Authorization: `Bearer ${token}` } });
      expect(((await units.json()) as unknown[]).length).toBe(5); // demo data loaded once, not twice
    } finally {
      restarted.kill('SIGTERM');
    }
    expect(await exitOf(restarted)).toBe(0);
    expect(postmasters()).toEqual([]);
  });
});

function jsonLines(text: string): Array<{ req?: { id?: string }; res?: { statusCode?: number } }> {
  return text.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

const outputs = new WeakMap<ChildProcess, string[]>();

/** All the child has printed so far, stdout and stderr. */
function outputOf(child: ChildProcess): string {
  let chunks = outputs.get(child);
  if (!chunks) {
    const collected: string[] = (chunks = []);
    outputs.set(child, collected);
    child.stdout?.on('data', (d) => collected.push(String(d)));
    child.stderr?.on('data', (d) => collected.push(String(d)));
  }
  return chunks.join('');
}

async function waitUntilReady(base: string, child: ChildProcess): Promise<void> {
  outputOf(child);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`The service exited with ${child.exitCode}:\n${outputOf(child)}`);
    const ready = await fetch(`${base}/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The service did not get ready:\n${outputOf(child)}`);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Live processes whose command line mentions `text` (read from /proc, as `pgrep -f` would). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}
