import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { projectRoot } from '../../src/config/project-root';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { typeOrmOptions } from '../../src/database/typeorm-options';

/** Everything the benchmarks keep between commands: the cluster, the data set's description, results. */
export const BENCH_DIR = process.env.BENCH_DATA_DIR ?? join(projectRoot(), 'bench-data');
const DATASET_FILE = join(BENCH_DIR, 'dataset.json');

/**
 * Settings for a small dedicated machine (2 cores, a few GB for PostgreSQL). Durability stays on
 * (fsync, synchronous_commit): sign-off and dispatch figures include the commit a user waits for.
 */
export const BENCH_SETTINGS = {
  shared_buffers: '2GB',
  effective_cache_size: '8GB',
  work_mem: '32MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '16GB',
  checkpoint_timeout: '30min',
  max_connections: '300',
  random_page_cost: '1.1',
  jit: 'off',
};

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The benchmark database: BENCH_DATABASE_URL if set, otherwise an embedded PostgreSQL in bench-data/
 * (port BENCH_PG_PORT, default 54339), apart from the service's own data. `fresh` starts from an empty cluster.
 */
export async function benchDatabase(options: { fresh?: boolean } = {}): Promise<BenchDatabase> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => undefined };
  if (options.fresh) rmSync(join(BENCH_DIR, 'postgres'), { recursive: true, force: true });
  mkdirSync(BENCH_DIR, { recursive: true });
  const running = await startEmbeddedPostgres({
    dataDir: BENCH_DIR,
    port: Number(process.env.BENCH_PG_PORT ?? 54339),
    log: () => undefined,
    settings: BENCH_SETTINGS,
  });
  return running;
}

/** Creates the schema (the service's own migrations) as the owner. */
export async function migrate(url: string): Promise<void> {
  const dataSource = await new DataSource(typeOrmOptions(url)).initialize();
  await dataSource.destroy();
}

/** What `npm run bench:generate` made: the benchmarks read it to know the scale, the day and whom to use. */
export interface Dataset {
  scale: number;
  today: string;
  year: number;
  largeMunicipalityId: string;
  largeMunicipalityRootUnitId: string;
  counts: Record<string, number>;
  generatedSeconds: number;
  databaseSizeBytes: number;
}

export function writeDataset(dataset: Dataset): void {
  writeFileSync(DATASET_FILE, JSON.stringify(dataset, null, 2) + '\n');
}

export function readDataset(): Dataset {
  if (!existsSync(DATASET_FILE)) {
    throw new Error('No benchmark data set: run `npm run bench:generate -- --scale 0.1` first.');
  }
  return JSON.parse(readFileSync(DATASET_FILE, 'utf8'));
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function pool(url: string, max: number): Pool {
  return new Pool({ connectionString: url, max });
}
