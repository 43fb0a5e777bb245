import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { ReminderMornings } from '../../src/notifications/services/reminder-mornings';
import { mornings as morningsOf, ReminderPlanner } from '../../src/notifications/services/reminder-planner';
import { serviceContext } from './app';

/**
 * One replica of the reminder morning, as its own Node process (bench/reminders.ts starts several):
 * `morning-replica.ts <database URL> <instant> <SMTP URL>`. It builds the service's modules, prints "morning ready",
 * waits for a line on stdin so all replicas start together, then plans and queues every morning it can claim
 * and prints what it did as JSON on a line starting "morning ".
 */
async function main(): Promise<void> {
  const [databaseUrl, at, smtpUrl] = process.argv.slice(2);
  const app = await serviceContext(databaseUrl, at, { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtpUrl });
  try {
    const mornings = morningsOf(await app.get(ReminderPlanner).municipalitiesAt(new Date(at)));
    process.stdout.write('morning ready\n');
    await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
    const started = performance.now();
    const result = await app.get(ReminderMornings).run(mornings);
    process.stdout.write(`morning ${JSON.stringify({ ms: performance.now() - started, ...result })}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
