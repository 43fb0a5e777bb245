import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describe('service recipients and people', () => {
  let t: TestApp;
  let avdelingsleder: string;
  let fjellvegen: string;
  let ansatt: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    ansatt = await personId(t.db, DEMO_PEOPLE.ansatt);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder)).status).toBe(200);
  });
  afterAll(() => t.close());

  const create = (body: object, as = avdelingsleder) => t.http.post('/api/v1/recipients').set('Authorization', as).send(body);

  it('lists the unit’s recipients by code only', async () => {
    const res = await t.http.get(`/api/v1/recipients?unitId=${fjellvegen}`).set('Authorization', await t.bearer(DEMO_PEOPLE.primaer));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 10, limit: 200, nextCursor: null });
    expect(res.body.items).toHaveLength(10);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['activeFrom', 'activeTo', 'archived', 'code', 'id', 'primaryContactIds', 'stays', 'unitId']);
  });

  it('gives a new recipient their tasks from the day they come, owned by their primary contact', async () => {
    const res = await create({ unitId: fjellvegen, code: 'FJV-011', primaryContactIds: [ansatt], activeFrom: '2027-03-01' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'FJV-011', primaryContactIds: [ansatt], activeFrom: '2027-03-01', archived: false });
    const rows = await t.db.query(
      `SELECT o.deadline, array_agg(oo.person_id) AS owners FROM occurrence o JOIN occurrence_owner oo ON oo.occurrence_id = o.id
        WHERE o.recipient_id = $1 GROUP BY o.id ORDER BY o.deadline`,
      [res.body.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].deadline >= '2027-03-01').toBe(true); // February's GP check-up came before them
    expect(rows.every((r: { owners: string[] }) => r.owners.length === 1 && r.owners[0] === ansatt)).toBe(true);
  });

  it('moves open tasks to the new primary contact', async () => {
    const [recipient] = await t.db.query(`SELECT id FROM recipient WHERE code = 'FJV-002'`);
    const primaer = await personId(t.db, DEMO_PEOPLE.primaer);
    const res = await t.http.patch(`/api/v1/recipients/${recipient.id}`).set('Authorization', avdelingsleder).send({ primaryContactIds: [ansatt] });
    expect(res.status).toBe(200);
    expect(await count(t.db, 'occurrence_owner oo JOIN occurrence o ON o.id = oo.occurrence_id', 'o.recipient_id = $1 AND oo.person_id = $2', [recipient.id, primaer])).toBe(0);
    expect(await count(t.db, 'occurrence_owner oo JOIN occurrence o ON o.id = oo.occurrence_id', 'o.recipient_id = $1 AND oo.person_id = $2', [recipient.id, ansatt])).toBeGreaterThan(0);
  });

  it('cancels the future tasks of a recipient who is archived', async () => {
    const [recipient] = await t.db.query(`SELECT id FROM recipient WHERE code = 'FJV-003'`);
    const res = await t.http.patch(`/api/v1/recipients/${recipient.id}`).set('Authorization', avdelingsleder).send({ archived: true });
    expect(res.status).toBe(200);
    expect(res.body.archived).toBe(true);
    expect(await count(t.db, 'occurrence', 'recipient_id = $1 AND cancelled_at IS NULL', [recipient.id])).toBe(0);
  });

  it.each([
    ['a fødselsnummer as the code', { code: '01010112377' }, 422, 'code', /fødselsnummer/],
    ['a fødselsnummer inside the code', { code: 'FJV-15076500565' }, 422, 'code', /fødselsnummer/],
    ['a name as the code', { code: 'Ola Nordmann' }, 422, 'code', /pseudonymous code/],
    ['an unknown primary contact', { code: 'FJV-099', primaryContactIds: ['00000000-0000-4000-8000-000000000000'] }, 422, 'primaryContactIds', /active people/],
    ['a code already in use', { code: 'FJV-001' }, 409, undefined, undefined],
  ])('refuses %s, and stores nothing', async (_, body, status, field, message) => {
    const before = await count(t.db, 'recipient');
    const occurrencesBefore = await count(t.db, 'occurrence');
    const res = await create({ unitId: fjellvegen, ...body });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (field) expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message!) }]);
    expect(await count(t.db, 'recipient')).toBe(before);
    expect(await count(t.db, 'occurrence')).toBe(occurrencesBefore);
  });

  it('refuses a recipient in a unit the caller does not manage', async () => {
    const res = await create({ unitId: await unitId(t.db, 'Avdeling Sjøgata'), code: 'SJ-001' });
    expect(res.status).toBe(403);
  });

  it('refuses a recipient in a unit that does not exist with 404', async () => {
    const res = await create({ unitId: '00000000-0000-4000-8000-000000000000', code: 'XX-001' });
    expect(res.status).toBe(404);
  });

  it('lets an administrator add and archive people, and refuses a duplicate e-mail', async () => {
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const added = await t.http.post('/api/v1/people').set('Authorization', admin).send({ email: 'ny@demo.kommune.no', displayName: 'Nora Ny' });
    expect(added.status).toBe(201);
    const duplicate = await t.http.post('/api/v1/people').set('Authorization', admin).send({ email: 'NY@demo.kommune.no', displayName: 'Nora To' });
    expect(duplicate.status).toBe(409);
    const bad = await t.http.post('/api/v1/people').set('Authorization', admin).send({ email: 'not-an-address', displayName: 'X' });
    expect(bad.status).toBe(422);
    const archived = await t.http.patch(`/api/v1/people/${added.body.id}`).set('Authorization', admin).send({ archived: true });
    expect(archived.body.archived).toBe(true);
    const asStaff = await t.http.post('/api/v1/people').set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt)).send({ email: 'x@demo.kommune.no', displayName: 'X' });
    expect(asStaff.status).toBe(403);
  });
});
