import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { count, personId, unitId } from '../utils/demo';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

describe('the access log (Normen): every read of recipients’ data is recorded', () => {
  let t: TestApp;
  let fjellvegen: string;
  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-10T08:00:00Z');
  });
  afterAll(() => t.close());

  it('records who read which codes, when and through which endpoint', async () => {
    const primaer = await t.bearer(DEMO_PEOPLE.primaer);
    expect((await t.http.get(`/api/v1/recipients?unitId=${fjellvegen}`).set('Authorization', primaer)).status).toBe(200);
    expect((await t.http.get('/api/v1/me/tasks').set('Authorization', primaer)).status).toBe(200);
    expect((await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=2027-02`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder))).status).toBe(200);

    const res = await t.http.get('/api/v1/audit/access-log?code=FJV-004').set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet));
    expect(res.status).toBe(200);
    const entries = res.body.items.map((e: { reader: { displayName: string }; endpoint: string }) => `${e.reader.displayName} ${e.endpoint}`).sort();
    expect(entries).toEqual([
      'Anne Avdelingsleder GET /api/v1/units/:id/checklist',
      'Per Primærkontakt GET /api/v1/me/tasks',
      'Per Primærkontakt GET /api/v1/recipients',
    ]);
    const [listing] = res.body.items.filter((e: { endpoint: string }) => e.endpoint === 'GET /api/v1/recipients');
    expect(listing.recipientCodes).toHaveLength(10);
    expect(listing.at).toBe('2027-02-10T08:00:00.000Z');
    const byPer = await t.http.get(`/api/v1/audit/access-log?personId=${await personId(t.db, DEMO_PEOPLE.primaer)}`).set('Authorization', await t.bearer(DEMO_PEOPLE.admin));
    expect(byPer.body.total).toBe(2);
  });

  it('records exactly the codes the month’s checklist shows', async () => {
    const answer = await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=2027-02`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    type Item = { recipientCode: string | null; people?: Item[] };
    const shown = new Set<string>();
    const note = (i: Item) => (i.recipientCode && shown.add(i.recipientCode), i.people?.forEach(note));
    (answer.body.groups as Array<{ items: Item[] }>).forEach((g) => g.items.forEach(note));
    expect(shown.size).toBeGreaterThan(5);
    const [row] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /api/v1/units/:id/checklist' ORDER BY id DESC LIMIT 1`);
    expect(row.recipient_codes).toEqual([...shown].sort());
  });

  it('records nothing for reads that show no recipient', async () => {
    const before = await count(t.db, 'access_log');
    await t.http.get('/api/v1/units').set('Authorization', await t.bearer(DEMO_PEOPLE.leder));
    await t.http.get(`/api/v1/recipients?unitId=${await unitId(t.db, 'Avdeling Åsen')}`).set('Authorization', await t.bearer(DEMO_PEOPLE.leder));
    expect(await count(t.db, 'access_log')).toBe(before);
  });

  it('records a read of the delivery log, whose messages name a recipient’s code', async () => {
    t.clock.set('2027-02-23T06:00:00Z'); // three days before the GP check-ups of 26 February: due-soon reminders
    await t.app.get(RemindersService).pass();
    const [message] = await t.db.query(
      `SELECT n.occurrence_id FROM notification n JOIN occurrence o ON o.id = n.occurrence_id JOIN recipient r ON r.id = o.recipient_id WHERE r.code = 'FJV-007' LIMIT 1`,
    );
    const read = await t.http.get(`/api/v1/notifications?occurrenceId=${message.occurrence_id}`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    expect(read.status).toBe(200);
    expect(read.body.items[0].subject).toContain('(FJV-007)');
    expect(read.body.items[0].recipientCode).toBe('FJV-007');

    const log = await t.http.get('/api/v1/audit/access-log?code=FJV-007').set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet));
    expect(log.body.items.map((e: { reader: { displayName: string }; endpoint: string }) => `${e.reader.displayName} ${e.endpoint}`)).toContain(
      'Anne Avdelingsleder GET /api/v1/notifications',
    );
  });

  it('records a read of the audit log, whose recipient changes show codes before and after', async () => {
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const [recipient] = await t.db.query(`SELECT id FROM recipient WHERE code = 'FJV-009'`);
    expect((await t.http.patch(`/api/v1/recipients/${recipient.id}`).set('Authorization', admin).send({ code: 'FJV-109' })).status).toBe(200);

    const kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    const changes = await t.http.get('/api/v1/audit/log?entity=recipient').set('Authorization', kvalitet);
    expect(changes.status).toBe(200);
    expect(changes.body.items[0]).toMatchObject({ before: { code: 'FJV-009' }, after: { code: 'FJV-109' } });

    const log = await t.http.get(`/api/v1/audit/access-log?personId=${await personId(t.db, DEMO_PEOPLE.kvalitet)}`).set('Authorization', kvalitet);
    const [read] = log.body.items.filter((e: { endpoint: string }) => e.endpoint === 'GET /api/v1/audit/log');
    expect(read.recipientCodes).toEqual(['FJV-009', 'FJV-109']);
  });

  it('is for quality advisers and administrators only, and append-only', async () => {
    expect((await t.http.get('/api/v1/audit/access-log').set('Authorization', await t.bearer(DEMO_PEOPLE.primaer))).status).toBe(403);
    expect((await t.http.get('/api/v1/audit/access-log?code=Ola%20Nordmann').set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet))).status).toBe(422);
    await expect(t.db.query(`DELETE FROM access_log`)).rejects.toThrow(/permission denied/);
    await withClient(t.databaseUrl, (psql) => expect(psql.query(`DELETE FROM access_log`)).rejects.toThrow(/append-only/));
  });
});
