import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
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

  it('records nothing for reads that show no recipient', async () => {
    const before = await count(t.db, 'access_log');
    await t.http.get('/api/v1/units').set('Authorization', await t.bearer(DEMO_PEOPLE.leder));
    await t.http.get(`/api/v1/recipients?unitId=${await unitId(t.db, 'Avdeling Åsen')}`).set('Authorization', await t.bearer(DEMO_PEOPLE.leder));
    expect(await count(t.db, 'access_log')).toBe(before);
  });

  it('is for quality advisers and administrators only, and append-only', async () => {
    expect((await t.http.get('/api/v1/audit/access-log').set('Authorization', await t.bearer(DEMO_PEOPLE.primaer))).status).toBe(403);
    expect((await t.http.get('/api/v1/audit/access-log?code=Ola%20Nordmann').set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet))).status).toBe(422);
    await expect(t.db.query(`DELETE FROM access_log`)).rejects.toThrow(/permission denied/);
    await withClient(t.databaseUrl, (psql) => expect(psql.query(`DELETE FROM access_log`)).rejects.toThrow(/append-only/));
  });
});
