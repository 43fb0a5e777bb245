import { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppHttpAdapter } from '../../src/app.http-adapter';
import { AppModule } from '../../src/app.module';
import { setUpApp } from '../../src/app.setup';
import { DEV_TOKENS } from '../../src/auth/auth.service';
import { DevTokens } from '../../src/auth/dev-tokens';
import { loadConfig } from '../../src/config/app-config';
import { FixedClock } from '../../src/common/clock';
import { ADMIN_URL_VARIABLE, TEMPLATE_DATABASE, withClient, withDatabase } from '../setup/test-postgres';

export interface TestApp {
  app: INestApplication;
  /** The application's clock, standing still at `now` until a test moves it. */
  clock: FixedClock;
  http: ReturnType<typeof request>;
  db: DataSource;
  databaseUrl: string;
  /** A development token for a person in this test's database, as `npm run token` prints. */
  tokenFor(email: string): Promise<string>;
  /** `Authorization` header value for the person. */
  bearer(email: string): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** A database of this test file's own, cloned from the migrated, demo-loaded template. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env[ADMIN_URL_VARIABLE];
  if (!adminUrl) throw new Error('Run the tests with jest (npm test): the global setup starts PostgreSQL.');
  const name = `arshjul_test_${process.pid}_${++counter}_${Date.now() % 100000}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  return {
    url: withDatabase(adminUrl, name),
    drop: () => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** The whole application, as main() builds it, on a database of its own. Only the environment differs. */
export async function startTestApp(
  environment: Record<string, string> = {},
  now = '2027-02-10T08:00:00Z',
  options: { databaseUrl?: string } = {},
): Promise<TestApp> {
  // Several application instances on one database play replicas; only the first owns (and drops) it.
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'arshjul-app-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...environment });
  const clock = new FixedClock(new Date(now));
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ config, databaseUrl: database.url, clock })],
  }).compile();
  const app = moduleRef.createNestApplication(new AppHttpAdapter(), { bufferLogs: true });
  setUpApp(app);
  await app.init();
  // Tests run the scheduled jobs themselves, on the test clock. Left running, a job's cron on the real clock
  // fires mid-test (the chain heads' night at 01:15 Oslo took its lock while a test ran that night: CI failed).
  for (const job of app.get(SchedulerRegistry).getCronJobs().values()) void job.stop();
  const db = app.get(DataSource);

  const tokenFor = async (email: string) => {
    const [person] = await db.query(`SELECT id, municipality_id, email FROM person WHERE email = $1`, [email]);
    if (!person) throw new Error(`No person ${email} in the test database`);
    const tokens = app.get<DevTokens>(DEV_TOKENS);
    return tokens.issue({ personId: person.id, municipalityId: person.municipality_id, email: person.email });
  };
  return {
    app,
    clock,
    http: request(app.getHttpServer()),
    db,
    databaseUrl: database.url,
    tokenFor,
    bearer: async (email) => `Bearer ${await tokenFor(email)}`,
    close: async () => {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
