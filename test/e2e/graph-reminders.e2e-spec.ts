import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
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
    const mails = graph.calls.filter((c) => c.path === `/v1.0/users/${encodeURIComponent('arshjul@demo.kommune.no')}/sendMail`);
    const toAnne = mails.filter((c) => JSON.stringify(c.body).includes(DEMO_PEOPLE.avdelingsleder));
    expect(toAnne.length).toBeGreaterThan(0);
    expect(toAnne[0].body).toMatchObject({ message: { body: { contentType: 'HTML' } }, saveToSentItems: false });
    const statuses = await t.db.query(`SELECT channel, status, count(*)::int AS n FROM notification GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(statuses.filter((s: { status: string }) => !['sent', 'undeliverable'].includes(s.status))).toEqual([]);
  });

  it('reports Teams as undeliverable for someone without the app, and falls back to e-mail', async () => {
    const [row] = await t.db.query(`SELECT status, last_error FROM notification WHERE channel = 'teams' AND address = $1 LIMIT 1`, [DEMO_PEOPLE.ansatt]);
    expect(row.status).toBe('undeliverable');
    expect(row.last_error).toMatch(/403/);
    const fallback = graph.calls.filter((c) => c.path.endsWith('/sendMail') && JSON.stringify(c.body).includes(DEMO_PEOPLE.ansatt));
    expect(fallback.length).toBeGreaterThan(0);
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
});
