import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/** A wheel given to a unit is there at once, in every year already planned, without a materialise call. */
describe('assigning a wheel to a unit', () => {
  let t: TestApp;
  let admin: string;
  let wheel: string;
  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T10:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    // Next year planned for the whole service, as the December job does.
    expect((await t.http.post(`/api/v1/units/${await unitId(t.db, 'Bo og habilitering')}/materialize?year=2027`).set('Authorization', admin)).status).toBe(200);
    wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Brannvern', kind: 'custom' })).body.id;
    const task = await t.http
      .post(`/api/v1/wheels/${wheel}/tasks`)
      .set('Authorization', admin)
      .send({ title: 'Månedlig branngjennomgang', rrule: 'FREQ=MONTHLY;BYMONTHDAY=10', startsOn: '2026-01-01', responsibleRole: 'manager' });
    expect(task.status).toBe(201);
  });
  afterAll(() => t.close());

  const deadlines = (unit: string) =>
    t.db
      .query(`SELECT o.deadline FROM occurrence o JOIN task_definition d ON d.id = o.task_id WHERE d.wheel_id = $1 AND o.unit_id = $2 AND o.cancelled_at IS NULL ORDER BY 1`, [wheel, unit])
      .then((rows: Array<{ deadline: string }>) => rows.map((r) => r.deadline));

  it('creates the occurrences of the years already materialised for the unit', async () => {
    const asen = await unitId(t.db, 'Avdeling Åsen');
    const manager = await t.bearer(DEMO_PEOPLE.leder);
    const res = await t.http.post(`/api/v1/units/${asen}/wheels`).set('Authorization', manager).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect(res.status).toBe(201);
    expect(await deadlines(asen)).toEqual(Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}-10`));
  });

  it('a new department with nothing planned yet gets the years planned above it', async () => {
    const parent = await unitId(t.db, 'Bo og habilitering');
    const created = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Nyheim', parentId: parent });
    expect(created.status).toBe(201);
    expect(await count(t.db, 'occurrence', 'unit_id = $1', [created.body.id])).toBe(0);
    const res = await t.http.post(`/api/v1/units/${created.body.id}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027 });
    expect(res.status).toBe(201);
    expect(await deadlines(created.body.id)).toHaveLength(12);
  });
});
