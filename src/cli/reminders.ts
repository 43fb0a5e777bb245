import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { databaseUrl } from './database';
import { RemindersService } from '../notifications/services/reminders.service';

/**
 * npm run reminders -- --at 2027-03-01T07:00:00+01:00 [--dry-run]
 * Runs one reminder pass as if it were that instant: to replay a day missed during an outage, or to see
 * what would go out. The once-only guarantee is the scheduled pass's: what was queued before is not again.
 * Only what is due comes from --at; the process keeps the real clock for leases and retries, so live
 * replicas sending at the same time neither take over its messages nor it theirs.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const at = values.at ? new Date(values.at) : undefined;
  if (!at || Number.isNaN(at.getTime())) fail('Usage: npm run reminders -- --at <ISO date-time, e.g. 2027-03-01T07:00:00+01:00> [--dry-run]');
  const config = loadConfig({ ...process.env, REMINDERS_ENABLED: 'false', DEMO_DATA: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await NestFactory.createApplicationContext(
    AppModule.register({ config, databaseUrl: databaseUrl() }),
    { logger: ['error', 'warn'] },
  );
  try {
    const reminders = app.get(RemindersService);
    if (values['dry-run']) {
      const planned = await reminders.dryRun(at);
      for (const p of planned) process.stdout.write(`${p.channel}\t${p.address}\t${p.kind}\t${p.message.subject}\n`);
      process.stdout.write(`${planned.length} messages would be queued (those queued before are not queued again).\n`);
    } else {
      process.stdout.write(JSON.stringify(await reminders.pass(at)) + '\n');
    }
  } finally {
    await app.close();
  }
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
}

main().catch((error) => fail(String(error instanceof Error ? error.message : error)));
