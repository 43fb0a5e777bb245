import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createTransport } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { messageIdOf } from '../src/notifications/channels/channel';
import { OutboxService } from '../src/notifications/services/outbox.service';
import { morningBatches, MonthlyChecklists } from '../src/notifications/services/monthly-checklists';
import { MorningResult } from '../src/notifications/services/reminder-mornings';
import { mornings as morningsOf, PlannedMessage, ReminderPlanner } from '../src/notifications/services/reminder-planner';
import { firstWorkingDay } from '../src/schedule/holidays';
import { monthBounds } from '../src/schedule/local-date';
import { serviceContext } from './lib/app';
import { benchDatabase, readDataset, withClient } from './lib/bench-db';
import { inParallel } from './lib/parallel';
import { startServer, tsNodeArgs } from './lib/processes';
import { Figure, format, median, report, since } from './lib/report';

const SMTP_PORT = 3925;
const COUNT_PORT = 3926;
/** Messages the baseline keeps in flight over its five connections (the outbox has SENDERS on their way, and as many claimed ahead). */
const IN_FLIGHT = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 3);

/**
 * The planning baseline: one hand-written statement giving every (manager, occurrence) row of the morning's
 * monthly checklists, for all municipalities at once — each active manager of an active unit, the active
 * units below it, and their occurrences of the month and those still open from earlier months. It builds no
 * message. $1 and $2 the month's first and last day, $3 the day.
 */
const PLANNING_BASELINE_SQL = `
  WITH RECURSIVE managers AS (
    SELECT ra.person_id, ra.unit_id FROM role_assignment ra
      JOIN unit u ON u.id = ra.unit_id AND u.archived_at IS NULL JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
     WHERE ra.role = 'manager'
  ), scope AS (
    SELECT DISTINCT unit_id AS root, unit_id AS id FROM managers
    UNION
    SELECT scope.root, u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE u.archived_at IS NULL
  )
  SELECT m.person_id, o.id AS occurrence_id
    FROM managers m JOIN scope s ON s.root = m.unit_id JOIN occurrence o ON o.unit_id = s.id
   WHERE o.cancelled_at IS NULL AND (o.deadline BETWEEN $1 AND $2 OR (o.deadline < $1 AND o.deadline < $3 AND o.standing_outcome IS NULL))`;

const PLANNING_NOTE =
  'Planning: ours builds every message (three statements per claimed batch, then the checklists in Node); the baseline only selects the (manager, occurrence) rows.';

/** The (manager, occurrence) rows of planned monthly checklists: each manager's checklist once, whatever its channels. */
function managerOccurrenceRows(planned: PlannedMessage[]): number {
  const seen = new Set<string>();
  let rows = 0;
  for (const p of planned) {
    if (p.kind !== 'monthly_checklist' || !p.personId || seen.has(`${p.personId}|${p.unitId}`)) continue;
    seen.add(`${p.personId}|${p.unitId}`);
    rows += p.itemIds.length;
  }
  return rows;
}

/** How long replicas taking batches in the claims' order (largest first, next free one each) would take. */
function dividedMakespan(durations: number[], replicas: number): number {
  const busyUntil = Array.from({ length: replicas }, () => 0);
  for (const d of durations) {
    const next = busyUntil.indexOf(Math.min(...busyUntil));
    busyUntil[next] += d;
  }
  return Math.max(...busyUntil);
}

/**
 * npm run bench:reminders
 *
 * The morning of the first working day of the data set's month, for every municipality: the reminder
 * pass plans each manager's monthly checklist (and whatever occurrence reminders fall that day), queues
 * them in the outbox and sends them to a local SMTP server (smtp-server, in its own process). The
 * baseline sends the very same messages (address, subject, text, HTML, Message-ID) with nodemailer
 * directly, with the same pool of five connections and IN_FLIGHT messages handed to it at a time.
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

    // Planning the morning's monthly checklists, in the batches a replica claims (a large municipality alone,
    // small ones together), against the hand-written statement giving the same (manager, occurrence) rows;
    // rounds alternate, medians kept.
    const mornings = morningsOf(await planner.municipalitiesAt(new Date(at)));
    const checklists = app.get(MonthlyChecklists);
    const batches = morningBatches(await checklists.sized(mornings));
    const { first, last } = monthBounds(month);
    const planOursMs: number[] = [];
    const planBaselineMs: number[] = [];
    let perBatch: number[] = [];
    let oursRows = 0;
    let baselineRows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      baselineRows = await withClient(db.url, async (client) => (await client.query(PLANNING_BASELINE_SQL, [first, last, day])).rowCount ?? 0);
      planBaselineMs.push(since(start));
      const durations: number[] = [];
      oursRows = 0;
      start = performance.now();
      for (const batch of batches) {
        const one = performance.now();
        oursRows += managerOccurrenceRows(await checklists.planMornings(batch));
        durations.push(since(one));
      }
      planOursMs.push(since(start));
      perBatch = durations;
    }
    if (oursRows !== baselineRows) throw new Error(`The planning made ${oursRows} (manager, occurrence) rows, the hand-written statement ${baselineRows}`);
    const planningFigures: Figure[] = [
      { metric: 'planning the monthly checklists, s', ours: median(planOursMs) / 1000, baseline: median(planBaselineMs) / 1000, higherIsBetter: false, targetRatio: 0.5 },
    ];
    const slowest = [...perBatch].sort((a, b) => b - a);
    const planningContext = {
      scale: dataset.scale,
      morning: `${at} (first working day of ${month}), ${dataset.counts.municipality} municipalities`,
      '(manager, occurrence) rows of the monthly checklists': format(oursRows),
      'planning the monthly checklists: batches claimed (municipalities each)': `${batches.length} (${batches.map((b) => b.length).join(', ')})`,
      'planning the monthly checklists, slowest batches, s': slowest.slice(0, 3).map((d) => (d / 1000).toFixed(2)).join(', '),
      [`the monthly checklists divided by batch over ${REPLICAS} replicas (from each batch's time), s`]: (dividedMakespan(perBatch, REPLICAS) / 1000).toFixed(1),
    };
    if (process.env.BENCH_PLANNING_ONLY === 'true') {
      report('Planning the first working day', planningContext, planningFigures, [PLANNING_NOTE]);
      return;
    }

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
    // The pool itself: createTransport({ url, pool, … }) keeps only the URL's settings, and pools nothing.
    const transport = createTransport(new SMTPPool({ url: smtpUrl, pool: true, maxConnections: 5 }));
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

    // The morning divided between replicas: one, then REPLICAS replica processes (bench/lib/morning-replica.ts,
    // each the service's own modules in its own Node process) claiming municipalities side by side.
    const divided: Record<string, string> = {};
    const dividedFigures: Figure[] = [];
    if (REPLICAS > 1) {
      const runMorning = async (replicas: number) => {
        await withClient(db.url, async (client) => {
          await forget(client, day);
          await client.query(`DELETE FROM reminder_morning WHERE for_date = $1`, [day]);
        });
        const processes = await Promise.all(Array.from({ length: replicas }, () => morningReplica(db.url, at, smtpUrl)));
        const started = performance.now();
        const results = await Promise.all(processes.map((p) => p.go()));
        return { ms: since(started), municipalities: results.map((r) => r.municipalities) };
      };
      try {
        const one = await runMorning(1);
        const many = await runMorning(REPLICAS);
        divided['the morning planned and queued by 1 replica process, s'] = (one.ms / 1000).toFixed(1);
        divided[`the same by ${REPLICAS} replica processes, s`] = `${(many.ms / 1000).toFixed(1)} (municipalities each: ${many.municipalities.join(', ')})`;
        dividedFigures.push({ metric: `the morning planned and queued, ${REPLICAS} replicas against 1, s`, ours: many.ms / 1000, baseline: one.ms / 1000, higherIsBetter: false });
      } finally {
        await withClient(db.url, (client) => forget(client, day));
      }
    }

    const kinds = new Map<string, number>();
    for (const m of messages) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    const megabytes = messages.reduce((n, m) => n + m.body_html.length + m.body_text.length, 0) / 2 ** 20;
    report(
      'Reminder dispatch to a local SMTP server',
      {
        ...planningContext,
        messages: `${format(queued)} (${[...kinds].map(([k, n]) => `${k} ${format(n)}`).join(', ')}), ${megabytes.toFixed(1)} MB of text and HTML`,
        'planning (deciding what is due, building each manager\'s checklist), s': (planMs / 1000).toFixed(1),
        ...divided,
        'queueing in the outbox, s': (enqueueMs / 1000).toFixed(1),
        'sending from the outbox, s': (drainMs / 1000).toFixed(1),
      },
      [
        ...planningFigures,
        ...dividedFigures,
        { metric: 'messages/s, outbox to SMTP', ours: queued / (drainMs / 1000), baseline: queued / (baselineMs / 1000), higherIsBetter: true, targetRatio: 0.5 },
        { metric: 'messages/s, queue + send', ours: queued / ((enqueueMs + drainMs) / 1000), baseline: queued / (baselineMs / 1000), higherIsBetter: true, targetRatio: 0.5 },
      ],
      [
        'Ours: SENDERS (10) senders over five SMTP connections; rows claimed ahead in batches (FOR UPDATE SKIP LOCKED, a lease, committed, renewed while they wait), each marked sent on its sender\'s idle connection at the server\'s 250 (one commit a message, one a batch of claims).',
        PLANNING_NOTE,
      ],
    );
  } finally {
    await app.close();
    await sink.stop();
    await db.stop();
  }
}

/** A replica process of the morning, built and waiting; `go` starts its pass and gives what it did. */
async function morningReplica(databaseUrl: string, at: string, smtpUrl: string): Promise<{ go(): Promise<MorningResult & { ms: number }> }> {
  const child = spawn(process.execPath, tsNodeArgs('lib/morning-replica.ts', [databaseUrl, at, smtpUrl]), { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  // Its own lines start with "morning "; the service's logs may print between them.
  const next = async (): Promise<string> => {
    for (;;) {
      const line = await lines.next();
      if (line.done) throw new Error('A morning replica exited early');
      if ((line.value as string).startsWith('morning ')) return (line.value as string).slice('morning '.length);
    }
  };
  if ((await next()) !== 'ready') throw new Error('A morning replica did not start');
  return {
    go: async () => {
      child.stdin!.write('go\n');
      const result = JSON.parse(await next());
      child.stdin!.end();
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      return result;
    },
  };
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
