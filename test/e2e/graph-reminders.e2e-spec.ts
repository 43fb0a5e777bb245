import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { OutboxService } from '../../src/notifications/services/outbox.service';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { unitId } from '../utils/demo';
import { FakeGraph } from '../utils/fake-graph';
import { startTestApp, TestApp } from '../utils/test-app';

describe('reminders through Microsoft Graph: e-mail by sendMail, Teams activity notifications', () => {
  let graph: FakeGraph;
  let t: TestApp;
  const pass = () => t.app.get(RemindersService).pass();

  beforeAll(async () => {
    graph = await new FakeGraph().start();
    t = await startTestApp(graph.environment({ MAIL_TRANSPORT: 'graph', GRAPH_SENDER: 'arshjul@demo.kommune.no' }), '2026-12-15T08:00:00Z');
    await t.http.post(`/api/v1/units/${await unitId(t.db, 'Avdeling Fjellvegen')}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    // Per wants Teams only; Siri wants Teams too, but has not installed the Årshjul app.
    for (const email of [DEMO_PEOPLE.primaer, DEMO_PEOPLE.ansatt]) {
      await t.http.put('/api/v1/me/notification-preferences').set('Authorization', await t.bearer(email)).send({ email: false, teams: true, dailyDigest: false, language: 'nb' });
    }
    graph.withoutTeamsApp.add(DEMO_PEOPLE.ansatt);
    // Anne wants both e-mail and Teams, and has not installed the app either.
    await t.http.put('/api/v1/me/notification-preferences').set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder)).send({ email: true, teams: true, dailyDigest: false, language: 'nb' });
    graph.withoutTeamsApp.add(DEMO_PEOPLE.avdelingsleder);
  });
  afterAll(async () => {
    await t.close();
    await graph.stop();
  });

  it('sends Teams activity notifications and e-mail with an app token from Entra ID', async () => {
    t.clock.set('2027-02-23T06:00:00Z');
    const result = await pass();
    expect(result.failed).toBe(0);
    const activities = graph.calls.filter((c) => c.path === `/v1.0/users/${encodeURIComponent(DEMO_PEOPLE.primaer)}/teamwork/sendActivityNotification`);
    expect(activities.length).toBeGreaterThanOrEqual(10);
    expect(activities[0].body).toMatchObject({ activityType: 'taskReminder', topic: { source: 'text', webUrl: expect.stringMatching(/\/oppgaver\//) } });
    expect(graph.tokensIssued).toBe(1); // MSAL caches the token
    // The token is asked for the Graph that GRAPH_BASE_URL names (a national cloud's, here the stand-in's), not graph.microsoft.com.
    expect(graph.tokenScopes).toEqual([`${graph.base}/.default`]);
    // The activity's text names the task, the recipient's code and the unit: a manager of several units can tell them apart.
    expect(activities.map((a) => (a.body.previewText as { content: string }).content)).toContain(
      'Årshjul – Frist snart: Påse at årskontroll hos fastlege er bestilt (FJV-001) – Avdeling Fjellvegen',
    );
    const mails = graph.calls.filter((c) => c.path === `/v1.0/users/${encodeURIComponent('arshjul@demo.kommune.no')}/sendMail`);
    const toAnne = mails.filter((c) => JSON.stringify(c.body).includes(DEMO_PEOPLE.avdelingsleder));
    expect(toAnne.length).toBeGreaterThan(0);
    expect(toAnne[0].body).toMatchObject({ message: { body: { contentType: 'HTML' } }, saveToSentItems: false });
    const statuses = await t.db.query(`SELECT channel, status, count(*)::int AS n FROM notification GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(statuses.filter((s: { status: string }) => !['sent', 'undeliverable'].includes(s.status))).toEqual([]);
  });

  it('sends someone who chose both e-mail and Teams, without the Teams app, each reminder once', async () => {
    const anne = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.avdelingsleder]))[0].id;
    const teams = await t.db.query(`SELECT status FROM notification WHERE person_id = $1 AND channel = 'teams'`, [anne]);
    expect(teams.length).toBeGreaterThan(0);
    expect(teams.every((n: { status: string }) => n.status === 'undeliverable')).toBe(true);
    const mails = graph.calls.filter((c) => c.path.endsWith('/sendMail') && JSON.stringify(c.body).includes(DEMO_PEOPLE.avdelingsleder));
    expect(mails).toHaveLength(teams.length);
    const subjects = mails.map((c) => (c.body.message as { subject: string }).subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('waits for Retry-After when Graph answers 429, then delivers', async () => {
    graph.throttle = { remaining: 1, retryAfter: '90', path: '/sendMail' };
    t.clock.set('2027-02-26T06:00:00Z');
    const first = await pass();
    expect(first.retrying).toBe(1);
    const [waiting] = await t.db.query(`SELECT id, next_attempt_at, last_error FROM notification WHERE status = 'pending'`);
    expect(new Date(waiting.next_attempt_at).toISOString()).toBe('2027-02-26T06:01:30.000Z');
    expect(waiting.last_error).toMatch(/429/);
    t.clock.set('2027-02-26T06:01:30Z');
    expect((await pass()).sent).toBe(1);
    const [done] = await t.db.query(`SELECT status, attempts FROM notification WHERE id = $1`, [waiting.id]);
    expect(done).toEqual({ status: 'sent', attempts: 2 });
  });

  it('reports Teams as undeliverable for someone without the app, and falls back to e-mail', async () => {
    // Siri's first reminder, «Ansatte registrerer ferieønsker i VFR, frist 1. mars.», went out as due soon on Friday 26 February.
    const [row] = await t.db.query(`SELECT status, last_error FROM notification WHERE channel = 'teams' AND address = $1 LIMIT 1`, [DEMO_PEOPLE.ansatt]);
    expect(row.status).toBe('undeliverable');
    expect(row.last_error).toMatch(/403/);
    const fallback = graph.calls.filter((c) => c.path.endsWith('/sendMail') && JSON.stringify(c.body).includes(DEMO_PEOPLE.ansatt));
    expect(fallback.length).toBeGreaterThan(0);
  });

  it('sends the e-mail a Teams message falls back to in the same drain, also when that message was the last one due', async () => {
    // One Teams message for Siri, due now and alone: the drain's first claim finds fewer than it asks for, and the
    // e-mail the 403 queues becomes due only after that claim. It goes out in this drain all the same.
    await t.db.query(
      `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, person_id, unit_id, occurrence_id, for_date, address, subject, body_text, body_html, next_attempt_at)
       SELECT municipality_id, 'last-' || dedupe_key, kind, channel, person_id, unit_id, occurrence_id, for_date, address, subject, body_text, body_html, $2
         FROM notification WHERE channel = 'teams' AND address = $1 LIMIT 1`,
      [DEMO_PEOPLE.ansatt, t.clock.now()],
    );
    const mailsBefore = graph.calls.filter((c) => c.path.endsWith('/sendMail')).length;
    expect(await t.app.get(OutboxService).drain()).toEqual({ sent: 1, retrying: 0, failed: 0, undeliverable: 1 });
    const rows = await t.db.query(`SELECT channel, status FROM notification WHERE dedupe_key LIKE 'last-%' ORDER BY channel`);
    expect(rows).toEqual([
      { channel: 'email', status: 'sent' },
      { channel: 'teams', status: 'undeliverable' },
    ]);
    expect(graph.calls.filter((c) => c.path.endsWith('/sendMail')).length).toBe(mailsBefore + 1);
    expect(await t.db.query(`SELECT id FROM notification WHERE status NOT IN ('sent', 'undeliverable')`)).toEqual([]);
  });

  it("links the monthly checklist's Teams notification to the unit's checklist of the month", async () => {
    // Lars, manager of Bo og habilitering, takes Teams and has the app.
    await t.http.put('/api/v1/me/notification-preferences').set('Authorization', await t.bearer(DEMO_PEOPLE.leder)).send({ email: false, teams: true, dailyDigest: false, language: 'nb' });
    t.clock.set('2027-03-01T06:00:00Z'); // Monday 1 March, 07:00 in Oslo
    await pass();
    const [checklist] = graph.calls.filter((c) => c.path === `/v1.0/users/${encodeURIComponent(DEMO_PEOPLE.leder)}/teamwork/sendActivityNotification`);
    const unit = await unitId(t.db, 'Bo og habilitering');
    expect(checklist.body).toMatchObject({
      previewText: { content: 'Årshjul – Månedens sjekkliste 03.2027 – Bo og habilitering' },
      topic: { webUrl: `http://localhost:3000/sjekkliste?enhet=${unit}&maned=2027-03&underenheter=1` },
    });
  });
});
