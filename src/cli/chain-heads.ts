import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { resolveDatabaseUrl } from '../database/database-url';
import { ChainHeadsJob } from '../records/heads/chain-heads.job';

/**
 * npm run chain-heads [-- --weekly]
 * Does the night's work now: notes every unit's chain head that changed and has the new heads time-stamped
 * (TSA_URL). With --weekly, queues and sends this week's kjedeavtrykk instead (once per adviser and week,
 * whoever runs it). A replica doing the same work at the same time makes this one do nothing.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { weekly: { type: 'boolean', default: false } } });
  const config = loadConfig({ ...process.env, REMINDERS_ENABLED: 'false', DEMO_DATA: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, databaseUrl: resolveDatabaseUrl() }), { logger: ['error', 'warn'] });
  try {
    const job = app.get(ChainHeadsJob);
    const result = values.weekly ? await job.runWeekly() : await job.runNight();
    process.stdout.write((result ? JSON.stringify(result) : 'Another replica is noting the chain heads right now; nothing done.') + '\n');
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(String(error instanceof Error ? error.message : error) + '\n');
  process.exit(2);
});
