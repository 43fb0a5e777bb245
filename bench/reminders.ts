import 'reflect-metadata';
import { createTransport } from 'nodemailer';
import { messageIdOf } from '../src/notifications/channels/channel';
import { OutboxService } from '../src/notifications/services/outbox.service';
import { ReminderPlanner } from '../src/notifications/services/reminder-planner';
import { firstWorkingDay } from '../src/schedule/holidays';
import { serviceContext } from './lib/app';
import { benchDatabase, readDataset, withClient } from './lib/bench-db';
import { inParallel } from './lib/parallel';
import { startServer, tsNodeArgs } from './lib/processes';
import { format, report, since } from './lib/report';

const SMTP_PORT = 3925;
const COUNT_PORT = 3926;
/** As many messages in flight as the outbox sends side by side (one claimed batch). */
const IN_FLIGHT = 20;

/**
 * npm run bench:reminders
 *
 * The morning of the first working day of the data set's month, for every municipality: the reminder
 * pass plans each manager's monthly checklist (and whatever occurrence reminders fall that day), queues
 * them in the outbox and sends them to a local SMTP server (smtp-server, in its own process). The
 * baseline sends the very same messages (address, subject, text, HTML, Message-ID) with nodemailer
 * directly, with the same pool of five connections and as many in flight as a claimed batch.
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const month = dataset.today.slice(0, 7);
  const day = firstWorkingDay(month);
  const at = `${day}T07:30:00+01:00`; // 07:30 in Oslo in winter, 08:30 in summer: after reminders may go out
  const db = await benchDatabase();
  const sink = await startServer(process.execPath, tsNodeArgs('lib/smtp-sink.ts', [String(SMTP_PORT), String(COUNT_PORT)]), {}, async () =>
    (await fetch(`http://127.0.0.1:${COUNT_PORT}/`)).ok,
  );
  const received = async () => Number(await (await fetch(`http://127.0.0.1:${COUNT_PORT}/`)).text());
  const smtpUrl = `smtp://127.0.0.1:${SMTP_PORT}`;
  const app = await serviceContext(db.url, at, { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtpUrl });
  try {
    await withClient(db.url, (client) => forget(client, day));
    const planner = app.get(ReminderPlanner);
    const outbox = app.get(OutboxService);

    let start = performance.now();
    const planned = await planner.plan(new Date(at));
    const planMs = since(start);
    start = performance.now();
    const queued = await outbox.enqueue(planned);
    const enqueueMs = since(start);
    const before = await received();
    start = performance.now();
    const result = await outbox.drain();
    const drainMs = since(start);
    const arrived = (await received()) - before;
    if (result.sent !== queued || arrived !== queued) throw new Error(`Queued ${queued}, sent ${result.sent}, the SMTP server received ${arrived}`);

    const messages = await withClient(db.url, async (client) => {
      const { rows } = await client.query(`SELECT id, address, subject, body_text, body_html, kind FROM notification WHERE for_date = $1 AND channel = 'email'`, [day]);
      await forget(client, day);
      return rows;
    });
    const transport = createTransport({ url: smtpUrl, pool: true, maxConnections: 5 });
    start = performance.now();
    await inParallel(messages, IN_FLIGHT, (m) =>
      transport.sendMail({
        from: 'Årshjul <arshjul@localhost>',
        to: m.address,
        subject: m.subject,
        text: m.body_text,
        html: m.body_html,
        messageId: messageIdOf(m.id),
        headers: { 'X-Arshjul-Kind': m.kind },
      }),
    );
    const baselineMs = since(start);
    transport.close();
    if ((await received()) - before !== 2 * queued) throw new Error('The SMTP server did not receive every baseline message');

    const kinds = new Map<string, number>();
    for (const m of messages) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    const megabytes = messages.reduce((n, m) => n + m.body_html.length + m.body_text.length, 0) / 2 ** 20;
    report(
      'Reminder dispatch to a local SMTP server',
      {
        scale: dataset.scale,
        morning: `${at} (first working day of ${month}), ${dataset.counts.municipality} municipalities`,
        messages: `${format(queued)} (${[...kinds].map(([k, n]) => `${k} ${format(n)}`).join(', ')}), ${megabytes.toFixed(1)} MB of text and HTML`,
        'planning (deciding what is due, building each manager\'s checklist), s': (planMs / 1000).toFixed(1),
        'queueing in the outbox, s': (enqueueMs / 1000).toFixed(1),
        'sending from the outbox, s': (drainMs / 1000).toFixed(1),
      },
      [
        { metric: 'messages/s, outbox to SMTP', ours: queued / (drainMs / 1000), baseline: queued / (baselineMs / 1000), higherIsBetter: true, targetRatio: 0.5 },
        { metric: 'messages/s, queue + send', ours: queued / ((enqueueMs + drainMs) / 1000), baseline: queued / (baselineMs / 1000), higherIsBetter: true, targetRatio: 0.5 },
      ],
      ['Ours claims batches with FOR UPDATE SKIP LOCKED and a lease, sends a batch side by side and records each outcome.'],
    );
  } finally {
    await app.close();
    await sink.stop();
    await db.stop();
  }
}

/** Removes that morning's messages, so each run plans and queues them anew. */
async function forget(client: import('pg').Client, day: string): Promise<void> {
  await client.query(`DELETE FROM notification_item WHERE notification_id IN (SELECT id FROM notification WHERE for_date = $1)`, [day]);
  await client.query(`DELETE FROM notification WHERE for_date = $1`, [day]);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
