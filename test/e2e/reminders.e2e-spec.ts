import { execFile } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { OutboxService } from '../../src/notifications/services/outbox.service';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { count, personId, unitId } from '../utils/demo';
import { MailCatcher } from '../utils/mail-catcher';
import { startTestApp, TestApp } from '../utils/test-app';

const CHECKUP = 'Påse at årskontroll hos fastlege er bestilt';

describe('reminders by e-mail, each delivered once', () => {
  let mail: MailCatcher;
  let t: TestApp;
  let fjellvegen: string;
  const pass = () => t.app.get(RemindersService).pass();
  /** 07:00 in Oslo on a winter date. */
  const at = (date: string, time = '06:00:00Z') => t.clock.set(`${date}T${time}`);

  beforeAll(async () => {
    mail = await new MailCatcher().start();
    t = await startTestApp({ SMTP_URL: mail.url, MAIL_FROM: 'Årshjul <arshjul@demo.kommune.no>' }, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
  });
  afterAll(async () => {
    await t.close();
    await mail.stop();
  });

  it('sends owners a due-soon reminder three days before the deadline, in Norwegian, with both parts', async () => {
    at('2027-02-23');
    const result = await pass();
    expect(result.failed).toBe(0);
    const perMails = mail.to(DEMO_PEOPLE.primaer).filter((m) => m.subject.includes(CHECKUP));
    expect(perMails.map((m) => m.subject).sort()).toEqual(
      Array.from({ length: 10 }, (_, n) => `Årshjul – Frist snart: ${CHECKUP} (FJV-${String(n + 1).padStart(3, '0')}) – Avdeling Fjellvegen`).sort(),
    );
    const one = perMails.find((m) => m.subject.includes('(FJV-001)'))!;
    expect(one.text).toContain('Frist: 26.02.2027');
    expect(one.text).toContain('Enhet: Avdeling Fjellvegen');
    expect(one.html).toContain('lang="nb"');
    expect(one.html).toMatch(/href="http:\/\/localhost:3000\/oppgaver\/[0-9a-f-]{36}"/);
    expect(one.messageId).toMatch(/^<[0-9a-f-]{36}@arshjul>$/);
  });

  it('sends nothing twice when the pass runs again', async () => {
    const before = mail.received.length;
    const result = await pass();
    expect(result).toMatchObject({ queued: 0, sent: 0 });
    expect(mail.received.length).toBe(before);
  });

  it('reminds on the deadline day, then overdue, then escalates to the manager after seven days; never for what was signed', async () => {
    at('2027-02-24');
    const signed = (await t.db.query(
      `SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id JOIN task_definition t ON t.id = o.task_id
        WHERE r.code = 'FJV-002' AND t.title = $1 AND o.deadline = '2027-02-26'`,
      [CHECKUP],
    ))[0].id;
    expect((await t.http.post(`/api/v1/occurrences/${signed}/sign-offs`).set('Authorization', await t.bearer(DEMO_PEOPLE.primaer)).send({ outcome: 'done' })).status).toBe(201);

    for (const day of ['2027-02-26', '2027-02-27', '2027-03-05']) {
      at(day);
      await pass();
    }
    const subjects = (to: string) => mail.to(to).map((m) => m.subject);
    expect(subjects(DEMO_PEOPLE.primaer)).toContain(`Årshjul – Frist i dag: ${CHECKUP} (FJV-001) – Avdeling Fjellvegen`);
    expect(subjects(DEMO_PEOPLE.primaer)).toContain(`Årshjul – Fristen er passert: ${CHECKUP} (FJV-001) – Avdeling Fjellvegen`);
    expect(subjects(DEMO_PEOPLE.avdelingsleder)).toContain(`Årshjul – Forfalt oppgave i din enhet: ${CHECKUP} (FJV-001) – Avdeling Fjellvegen`);
    expect(subjects(DEMO_PEOPLE.primaer).filter((s) => s.includes('(FJV-002)') && !s.includes('Frist snart'))).toEqual([]);
  });

  it('sends the monthly checklist on the first working day at 07:00: Monday 2 August, as 1 August 2027 is a Sunday', async () => {
    at('2027-08-01', '06:00:00Z'); // Sunday 08:00 in Oslo
    await pass();
    const monthly = () => mail.to(DEMO_PEOPLE.avdelingsleder).filter((m) => m.subject.includes('Månedens sjekkliste 08.2027'));
    expect(monthly()).toHaveLength(0);
    at('2027-08-02', '04:30:00Z'); // 06:30 in Oslo: too early
    await pass();
    expect(monthly()).toHaveLength(0);
    at('2027-08-02', '05:00:00Z'); // 07:00 in Oslo (summer time)
    await pass();
    await pass();
    expect(monthly()).toHaveLength(1);
    const [checklist] = monthly();
    expect(checklist.subject).toBe('Årshjul – Månedens sjekkliste 08.2027 – Avdeling Fjellvegen');
    expect(checklist.text).toContain('Forfalt fra tidligere måneder');
    expect(checklist.text).toContain('Ansvarlig: Anne Avdelingsleder');
    // The unit manager above gets the checklist of the whole subtree.
    expect(mail.to(DEMO_PEOPLE.leder).some((m) => m.subject === 'Årshjul – Månedens sjekkliste 08.2027 – Bo og habilitering')).toBe(true);
  });

  it('waits for 1 May and the weekend in 2027: the checklist for May goes out on Monday 3 May', async () => {
    at('2027-04-30', '05:00:00Z');
    await pass();
    at('2027-05-01', '05:00:00Z');
    await pass();
    const may = () => mail.to(DEMO_PEOPLE.avdelingsleder).filter((m) => m.subject.includes('Månedens sjekkliste 05.2027'));
    expect(may()).toHaveLength(0);
    at('2027-05-03', '05:00:00Z');
    await pass();
    expect(may()).toHaveLength(1);
  });

  it('also reminds a deputy during the absence, and lets the deputy sign on the owner’s behalf', async () => {
    const siri = await personId(t.db, DEMO_PEOPLE.ansatt);
    at('2027-09-15');
    const deputy = await t.http.post('/api/v1/me/deputies').set('Authorization', await t.bearer(DEMO_PEOPLE.primaer)).send({ deputyId: siri, from: '2027-09-20', to: '2027-10-05' });
    expect(deputy.status).toBe(201);
    at('2027-09-30'); // Thursday: the quarterly contact with next of kin falls due today
    await pass();
    const forSiri = mail.to(DEMO_PEOPLE.ansatt).filter((m) => m.subject.startsWith('Årshjul – Frist i dag: Kontakt med pårørende/verge'));
    expect(forSiri).toHaveLength(10);
    expect(forSiri[0].text).toContain('Du får denne som stedfortreder for Per Primærkontakt.');

    const [occurrence] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id JOIN task_definition t ON t.id = o.task_id
        WHERE r.code = 'FJV-003' AND t.title LIKE 'Kontakt med pårørende%' AND o.deadline = '2027-09-30'`,
    );
    const signed = await t.http.post(`/api/v1/occurrences/${occurrence.id}/sign-offs`).set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt)).send({ outcome: 'done' });
    expect(signed.status).toBe(201);
    expect(signed.body.onBehalfOf).toEqual({ id: await personId(t.db, DEMO_PEOPLE.primaer), displayName: 'Per Primærkontakt' });
    expect(signed.body.signedBy.displayName).toBe('Siri Ansatt');
  });

  it('gathers everything into one message a day for someone who asks for a daily digest', async () => {
    const anne = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    const prefs = await t.http.put('/api/v1/me/notification-preferences').set('Authorization', anne).send({ email: true, teams: false, dailyDigest: true, language: 'nb' });
    expect(prefs.status).toBe(200);
    const before = mail.to(DEMO_PEOPLE.avdelingsleder).length;
    at('2027-10-26'); // three days before the last working day of October: several of Anne's tasks fall due soon
    await pass();
    const today = mail.to(DEMO_PEOPLE.avdelingsleder).slice(before);
    expect(today).toHaveLength(1);
    expect(today[0].subject).toMatch(/^Årshjul – Dine oppgaver i dag 26\.10\.2027 \(\d+\)$/);
    expect(today[0].text).toContain('Frist snart');
  });

  it('takes the due-soon days from the task when it has its own, then the wheel, then the municipality', async () => {
    const [task] = await t.db.query(`SELECT id, wheel_id FROM task_definition WHERE title = 'Planlegg HMS-dag'`);
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const changed = await t.http.patch(`/api/v1/wheels/${task.wheel_id}/tasks/${task.id}`).set('Authorization', admin).send({ dueSoonDays: 10 });
    expect(changed.body.dueSoonDays).toBe(10);
    at('2028-02-19'); // ten days before Tuesday 29 February 2028
    // Anne takes a daily digest (see above): her reminder may come alone or inside the digest.
    const dueSoonHms = (planned: Array<{ address: string; message: { text: string } }>) =>
      planned.filter((p) => /Frist snart:? ?\n?.*Planlegg HMS-dag/.test(p.message.text)).map((p) => p.address);
    expect(dueSoonHms(await t.app.get(RemindersService).dryRun())).toEqual([]); // 2028 is not materialised yet
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2028`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    expect(dueSoonHms(await t.app.get(RemindersService).dryRun())).toEqual([DEMO_PEOPLE.avdelingsleder]);
    expect(await count(t.db, 'notification', `for_date = '2028-02-19'`)).toBe(0); // a dry run queues nothing
    const bad = await t.http.patch(`/api/v1/wheels/${task.wheel_id}/tasks/${task.id}`).set('Authorization', admin).send({ escalationDays: 0 });
    expect(bad.status).toBe(422);
  });

  it('replays a pass from the command line, as if it were another time', async () => {
    // Asynchronously: the mail server that receives the command's messages runs in this very process.
    const cli = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', 'src/cli/reminders.ts', ...args],
          { cwd: join(__dirname, '../..'), env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test', SMTP_URL: mail.url }, timeout: 60_000 },
          (error, stdout) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
        );
      });
    const before = await count(t.db, 'notification');
    const dry = await cli(['--at', '2028-02-26T07:00:00+01:00', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/\d+ messages would be queued/);
    expect(await count(t.db, 'notification')).toBe(before);
    const real = await cli(['--at', '2028-02-26T07:00:00+01:00']);
    expect(real.status).toBe(0);
    const result = JSON.parse(real.stdout.trim().split('\n').pop()!);
    expect(result.queued).toBeGreaterThan(0);
    expect(result.sent).toBe(result.queued);
    expect(JSON.parse((await cli(['--at', '2028-02-26T07:00:00+01:00'])).stdout.trim().split('\n').pop()!).queued).toBe(0);
    expect((await cli(['--at', 'yesterday'])).status).toBe(2);
  }, 180_000); // four processes that compile the service with ts-node: slow on a busy machine

  it('refuses preferences without a channel and deputies out of order, with 422', async () => {
    const anne = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    expect((await t.http.put('/api/v1/me/notification-preferences').set('Authorization', anne).send({ email: false, teams: false, dailyDigest: false, language: 'nb' })).status).toBe(422);
    expect((await t.http.put('/api/v1/me/notification-preferences').set('Authorization', anne).send({ email: true, teams: false, dailyDigest: false, language: 'de' })).status).toBe(422);
    const siri = await personId(t.db, DEMO_PEOPLE.ansatt);
    const backwards = await t.http.post('/api/v1/me/deputies').set('Authorization', anne).send({ deputyId: siri, from: '2027-09-10', to: '2027-09-01' });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors[0].field).toBe('to');
  });
});

describe('an outage of the mail server delays messages and loses none', () => {
  let mail: MailCatcher;
  let t: TestApp;

  beforeAll(async () => {
    mail = await new MailCatcher().start();
    t = await startTestApp({ SMTP_URL: mail.url, REMINDER_MAX_ATTEMPTS: '10' }, '2026-12-15T08:00:00Z');
    const fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
  });
  afterAll(async () => {
    await t.close();
    await mail.stop();
  });

  it('retries with backoff while SMTP is down, shows every attempt, and delivers each message once when it is back', async () => {
    await mail.stop();
    t.clock.set('2027-02-23T06:00:00Z');
    const down = await t.app.get(RemindersService).pass();
    expect(down.sent).toBe(0);
    expect(down.retrying).toBe(down.queued);

    const [occurrence] = await t.db.query(`SELECT occurrence_id FROM notification WHERE occurrence_id IS NOT NULL LIMIT 1`);
    const log = await t.http.get(`/api/v1/notifications?occurrenceId=${occurrence.occurrence_id}`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ status: 'pending', attempts: 1, channel: 'email', sentAt: null });
    expect(log.body.items[0].lastError).toMatch(/SMTP/);
    expect(new Date(log.body.items[0].nextAttemptAt).getTime()).toBeGreaterThan(new Date('2027-02-23T06:00:00Z').getTime());

    // Still down a little later: a second attempt, further back off.
    t.clock.set('2027-02-23T07:00:00Z');
    await t.app.get(RemindersService).pass();
    await mail.start();
    t.clock.set('2027-02-23T10:00:00Z');
    const up = await t.app.get(RemindersService).pass();
    expect(up.sent).toBe(down.queued);
    expect(mail.received).toHaveLength(down.queued);
    expect(new Set(mail.received.map((m) => m.messageId)).size).toBe(down.queued);
    const after = await t.http.get(`/api/v1/notifications?occurrenceId=${occurrence.occurrence_id}`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    expect(after.body.items[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('sends a message again after its lease runs out when its sender died mid-send, with the same Message-ID', async () => {
    t.clock.set('2027-02-26T06:00:00Z');
    const planner = t.app.get(RemindersService);
    // Queue today's messages, then play a worker that claimed one and was killed before it finished.
    await planner.dryRun();
    await t.db.query(`UPDATE notification SET status = 'sent' WHERE status <> 'sent'`);
    const queuedBefore = await count(t.db, 'notification');
    const result = await planner.pass();
    expect(result.queued).toBeGreaterThan(0);
    const [victim] = await t.db.query(`SELECT id FROM notification ORDER BY created_at DESC LIMIT 1`);
    await t.db.query(`UPDATE notification SET status = 'sending', sent_at = NULL, lease_until = '2027-02-26T06:02:00Z' WHERE id = $1`, [victim.id]);
    mail.received.length = 0;
    t.clock.set('2027-02-26T06:01:00Z');
    await planner.pass();
    expect(mail.received.filter((m) => m.messageId === `<${victim.id}@arshjul>`)).toHaveLength(0); // lease still held
    t.clock.set('2027-02-26T06:03:00Z');
    await planner.pass();
    expect(mail.received.filter((m) => m.messageId === `<${victim.id}@arshjul>`)).toHaveLength(1);
    expect(await count(t.db, 'notification')).toBe(queuedBefore + result.queued);
  });
});

describe('three replicas on one database', () => {
  let mail: MailCatcher;
  const replicas: TestApp[] = [];

  beforeAll(async () => {
    mail = await new MailCatcher().start();
    const first = await startTestApp({ SMTP_URL: mail.url }, '2026-12-15T08:00:00Z');
    replicas.push(first);
    for (let i = 0; i < 2; i++) replicas.push(await startTestApp({ SMTP_URL: mail.url }, '2026-12-15T08:00:00Z', { databaseUrl: first.databaseUrl }));
    const fjellvegen = await unitId(first.db, 'Avdeling Fjellvegen');
    await first.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await first.bearer(DEMO_PEOPLE.avdelingsleder));
  });
  afterAll(async () => {
    for (const r of replicas.reverse()) await r.close();
    await mail.stop();
  });

  it('send a month of reminders with every message received exactly once', async () => {
    for (let day = 1; day <= 31; day++) {
      const instant = `2027-03-${String(day).padStart(2, '0')}T06:00:00Z`;
      for (const r of replicas) r.clock.set(instant);
      await Promise.all(replicas.map((r) => r.app.get(RemindersService).pass()));
    }
    const db = replicas[0].db;
    const sent = await count(db, 'notification', `status = 'sent'`);
    expect(sent).toBeGreaterThan(50);
    expect(await count(db, 'notification', `status <> 'sent'`)).toBe(0);
    expect(mail.received).toHaveLength(sent);
    expect(new Set(mail.received.map((m) => m.messageId)).size).toBe(sent);

    // On the right days: every message's date follows from its occurrence and kind.
    const wrongDay = await db.query(
      `SELECT n.kind, n.for_date, o.deadline, o.opens_on FROM notification n JOIN occurrence o ON o.id = n.occurrence_id
        WHERE NOT CASE n.kind WHEN 'opens' THEN n.for_date = o.opens_on
                              WHEN 'due_soon' THEN n.for_date = o.deadline - 3
                              WHEN 'due_today' THEN n.for_date = o.deadline
                              WHEN 'overdue' THEN n.for_date = o.deadline + 1
                              WHEN 'escalation' THEN n.for_date = o.deadline + 7 END`,
    );
    expect(wrongDay).toEqual([]);
    // And the expected ones, each once: every owner of every occurrence due in March got one due-today message.
    const missing = await db.query(
      `SELECT o.id, oo.person_id FROM occurrence o JOIN occurrence_owner oo ON oo.occurrence_id = o.id
        WHERE o.deadline BETWEEN '2027-03-01' AND '2027-03-31' AND o.cancelled_at IS NULL
          AND (SELECT count(*) FROM notification n WHERE n.occurrence_id = o.id AND n.person_id = oo.person_id AND n.kind = 'due_today') <> 1`,
    );
    expect(missing).toEqual([]);
    const monthly = await db.query(`SELECT for_date::text, count(*)::int AS n FROM notification WHERE kind = 'monthly_checklist' GROUP BY 1`);
    expect(monthly).toEqual([{ for_date: '2027-03-01', n: 2 }]); // Monday 1 March: Lars and Anne, the two managers
  });
});

describe('a replay of a missed day while a live replica sends', () => {
  // A slow mail server: a batch takes a while, so a worker that thought the replay's leases had run out
  // would take up messages the replay is still sending.
  let mail: MailCatcher;
  let live: TestApp;
  let replay: TestApp;

  beforeAll(async () => {
    mail = await new MailCatcher({ acceptAfterMs: 150 }).start();
    live = await startTestApp({ SMTP_URL: mail.url }, '2026-12-15T08:00:00Z');
    replay = await startTestApp({ SMTP_URL: mail.url }, '2026-12-15T08:00:00Z', { databaseUrl: live.databaseUrl });
    await live.http.post(`/api/v1/units/${await unitId(live.db, 'Avdeling Fjellvegen')}/materialize?year=2027`).set('Authorization', await live.bearer(DEMO_PEOPLE.avdelingsleder));
  });
  afterAll(async () => {
    await replay.close();
    await live.close();
    await mail.stop();
  });

  it('sends every message of the replayed day and of today exactly once', async () => {
    // Nothing went out on Tuesday 23 February. On Wednesday at 07:00 an operator replays it
    // (npm run reminders -- --at 2027-02-23T07:00:00+01:00) while the live replica does its own passes.
    for (const r of [live, replay]) r.clock.set('2027-02-24T06:00:00Z');
    let replaying = true;
    const replayed = replay.app
      .get(RemindersService)
      .pass(new Date('2027-02-23T06:00:00Z'))
      .finally(() => (replaying = false));
    while (replaying) {
      await live.app.get(RemindersService).pass();
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await replayed;
    await live.app.get(RemindersService).pass();

    expect(result.queued).toBeGreaterThan(15); // Anne's February rows and Per's ten check-ups, due soon
    expect(await count(live.db, 'notification', `for_date = '2027-02-23'`)).toBe(result.queued);
    const sent = await count(live.db, 'notification', `status = 'sent'`);
    expect(await count(live.db, 'notification', `status <> 'sent'`)).toBe(0);
    expect(new Set(mail.received.map((m) => m.messageId)).size).toBe(sent);
    expect(mail.received).toHaveLength(sent);
  });
});

describe('the monthly checklist in a unit’s Teams channel', () => {
  let webhook: Server;
  let calls: Array<{ body: { attachments: Array<{ contentType: string; content: { body: Array<{ text: string }>; actions: Array<{ url: string }> } }> } }> = [];
  let throttle = true;
  let t: TestApp;
  let fjellvegen: string;

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (throttle) {
          throttle = false;
          res.writeHead(429, { 'Retry-After': '120' }).end();
          return;
        }
        calls.push({ body: JSON.parse(body) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', () => r()));
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.db.query(`UPDATE unit SET teams_webhook_url = $2 WHERE id = $1`, [fjellvegen, `http://127.0.0.1:${(webhook.address() as { port: number }).port}/workflows/abc`]);
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    calls = [];
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => webhook.close(r));
  });

  it('posts an Adaptive Card, waiting for Retry-After when throttled', async () => {
    t.clock.set('2027-03-01T06:00:00Z');
    const first = await t.app.get(RemindersService).pass();
    expect(first.retrying).toBe(1);
    const [row] = await t.db.query(`SELECT next_attempt_at, attempts FROM notification WHERE channel = 'teams_channel'`);
    expect(new Date(row.next_attempt_at).toISOString()).toBe('2027-03-01T06:02:00.000Z');
    t.clock.set('2027-03-01T06:01:00Z');
    await t.app.get(RemindersService).pass();
    expect(calls).toHaveLength(0);
    t.clock.set('2027-03-01T06:02:00Z');
    await t.app.get(RemindersService).pass();
    expect(calls).toHaveLength(1);
    const card = calls[0].body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.body[0].text).toBe('Årshjul – Månedens sjekkliste 03.2027 – Avdeling Fjellvegen');
    // The button opens the unit's checklist of that month, sub-units included, as the card lists it.
    expect(card.content.actions[0].url).toBe(`http://localhost:3000/sjekkliste?enhet=${fjellvegen}&maned=2027-03&underenheter=1`);
  });
});

describe('rows claimed ahead while a slow mail server keeps the senders waiting', () => {
  // The replica's senders wait on `slow`, which answers nothing until the test lets it; another replica
  // sends to `quick`. Leases of 10 s, renewed every third of that while rows are held.
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let arrived = 0;
  const slow = new MailCatcher({ gate: async () => (arrived++, await opened, true) });
  const quick = new MailCatcher();
  let sender: TestApp;
  let other: TestApp;
  let draining: Promise<unknown> = Promise.resolve();
  const start = new Date('2027-02-26T06:00:00Z');
  const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

  beforeAll(async () => {
    await slow.start();
    await quick.start();
    sender = await startTestApp({ SMTP_URL: slow.url, REMINDER_LEASE_SECONDS: '10' }, start.toISOString());
    other = await startTestApp({ SMTP_URL: quick.url, REMINDER_LEASE_SECONDS: '10' }, start.toISOString(), { databaseUrl: sender.databaseUrl });
  });
  afterAll(async () => {
    open();
    await draining.catch(() => undefined);
    await other.close();
    await sender.close();
    await slow.stop();
    await quick.stop();
  });

  it('keeps the leases of the rows it claimed ahead as of those on their way, so no other replica sends them; every message goes once', async () => {
    const db = sender.db;
    const [{ id: municipality }] = await db.query(`SELECT id FROM municipality LIMIT 1`);
    await db.query(
      `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, for_date, address, subject, body_text, body_html, next_attempt_at)
       SELECT $1, 'ahead:' || n, 'due_soon', 'email', '2027-02-26', 'ahead' || n || '@example.no', 'Frist snart ' || n, 'Frist snart', '<p>Frist snart</p>', $2
         FROM generate_series(1, 30) AS n`,
      [municipality, start],
    );
    const sending = async () => (await db.query(`SELECT id, lease_until FROM notification WHERE status = 'sending'`)) as Array<{ id: string; lease_until: Date }>;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    draining = sender.app.get(OutboxService).drain();

    // Ten senders over five SMTP connections: five messages at the server, five in nodemailer's queue, and
    // more claimed ahead, all under a lease; the rest still pending.
    for (let i = 0; i < 400 && (arrived < 5 || (await sending()).length <= 10); i++) await sleep(25);
    await sleep(200);
    expect(arrived).toBe(5);
    const held = await sending();
    expect(held.length).toBeGreaterThan(10);
    expect(held.length).toBeLessThanOrEqual(20);
    expect(new Set(held.map((r) => r.lease_until.getTime()))).toEqual(new Set([later(10).getTime()]));

    // 8 s on, a renewal (every 3⅓ s) moves every held lease to 18 s: those waiting for a sender too.
    sender.clock.set(later(8));
    for (let i = 0; i < 200 && (await sending()).some((r) => r.lease_until.getTime() !== later(18).getTime()); i++) await sleep(25);
    expect(new Set((await sending()).map((r) => r.lease_until.getTime()))).toEqual(new Set([later(18).getTime()]));

    // At 12 s the first leases would have run out: the other replica takes only those never claimed.
    other.clock.set(later(12));
    expect(await other.app.get(OutboxService).drain()).toEqual({ sent: 30 - held.length, retrying: 0, failed: 0, undeliverable: 0 });
    const heldIds = new Set(held.map((r) => r.id));
    expect(quick.received.filter((m) => heldIds.has(/^<(.+)@arshjul>$/.exec(m.messageId)![1]))).toEqual([]);

    open();
    expect(await draining).toEqual({ sent: held.length, retrying: 0, failed: 0, undeliverable: 0 });
    const ids = [...slow.received, ...quick.received].map((m) => m.messageId);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(await count(db, 'notification', `status <> 'sent'`)).toBe(0);
  });
});
