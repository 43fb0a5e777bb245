import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { FixedClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { BENCH_DIR } from './bench-db';

/**
 * The service's own modules, as `npm start` builds them, at the data set's day. Development settings
 * (for development sign-in tokens) with production's quiet logging.
 */
export async function serviceContext(databaseUrl: string, at: string, env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: BENCH_DIR,
    DATABASE_URL: databaseUrl,
    DEMO_DATA: 'false',
    REMINDERS_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    AUTH_MODE: 'development',
    // A whole large municipality's year is materialised in statements of ~8 s here; on a noisy machine
    // the service's default limit (15 s) would stop the benchmark rather than measure it.
    DATABASE_STATEMENT_TIMEOUT_MS: '120000',
    ...env,
  });
  return NestFactory.createApplicationContext(AppModule.register({ config, databaseUrl, clock: new FixedClock(new Date(at)) }), { logger: ['error', 'warn'] });
}
