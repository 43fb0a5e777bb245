import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { startTestApp, TestApp } from '../utils/test-app';

describe('adding units to the organisation tree', () => {
  let t: TestApp;
  let admin: string;
  let boOgHabilitering: string;
  const unitCount = async () => Number((await t.db.query(`SELECT count(*) FROM unit`))[0].count);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.bearer(DEMO_PEOPLE.admin);
    [{ id: boOgHabilitering }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Bo og habilitering'`);
  });
  afterAll(() => t.close());

  it('lets an administrator add a department under Bo og habilitering', async () => {
    const res = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: '  Avdeling Øya ', parentId: boOgHabilitering });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Avdeling Øya', parentId: boOgHabilitering });
    const list = await t.http.get('/api/v1/units').set('Authorization', admin);
    expect(list.body.map((u: { name: string }) => u.name)).toContain('Avdeling Øya');
  });

  it('refuses a staff member with 403 and adds nothing', async () => {
    const before = await unitCount();
    const res = await t.http
      .post('/api/v1/units')
      .set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt))
      .send({ name: 'Avdeling X', parentId: boOgHabilitering });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await unitCount()).toBe(before);
  });

  it('refuses an unknown field, naming it, and adds nothing', async () => {
    const before = await unitCount();
    const res = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Y', colour: 'red' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: '/problems/validation', status: 422 });
    expect(res.body.errors).toEqual([{ field: 'colour', message: 'is not a known field' }]);
    expect(await unitCount()).toBe(before);
  });

  it('lists every wrong field at once', async () => {
    const res = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: '', parentId: 'not-an-id' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must be 1 to 120 characters' },
        { field: 'parentId', message: 'must be the id of a unit' },
      ]),
    );
  });

  it('refuses a parent that does not exist with 422, and adds nothing', async () => {
    const before = await unitCount();
    const res = await t.http
      .post('/api/v1/units')
      .set('Authorization', admin)
      .send({ name: 'Avdeling Z', parentId: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'parentId', message: 'is not a unit of your municipality' }]);
    expect(await unitCount()).toBe(before);
  });

  it('answers malformed JSON with a 400 problem+json', async () => {
    const res = await t.http.post('/api/v1/units').set('Authorization', admin).set('Content-Type', 'application/json').send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('moves a unit, but never under itself or a unit below it', async () => {
    const [{ id: helse }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`);
    const [{ id: fjellvegen }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Avdeling Fjellvegen'`);
    const loop = await t.http.patch(`/api/v1/units/${boOgHabilitering}`).set('Authorization', admin).send({ parentId: fjellvegen });
    expect(loop.status).toBe(422);
    expect(loop.body.errors).toEqual([{ field: 'parentId', message: 'cannot be the unit itself or a unit below it' }]);
    const [{ parent_id }] = await t.db.query(`SELECT parent_id FROM unit WHERE id = $1`, [boOgHabilitering]);
    expect(parent_id).toBe(helse);
    const renamed = await t.http.patch(`/api/v1/units/${fjellvegen}`).set('Authorization', admin).send({ name: 'Avdeling Fjellvegen 2' });
    expect(renamed.body.name).toBe('Avdeling Fjellvegen 2');
  });

  it('archives a unit: it leaves the list but stays on record', async () => {
    const created = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Nedlagt', parentId: boOgHabilitering });
    const res = await t.http.patch(`/api/v1/units/${created.body.id}`).set('Authorization', admin).send({ archived: true });
    expect(res.status).toBe(200);
    const list = await t.http.get('/api/v1/units').set('Authorization', admin);
    expect(list.body.map((u: { name: string }) => u.name)).not.toContain('Avdeling Nedlagt');
    expect(await unitCount()).toBeGreaterThan(0);
    expect((await t.db.query(`SELECT archived_at FROM unit WHERE id = $1`, [created.body.id]))[0].archived_at).not.toBeNull();
  });

  it("lets an administrator set the municipality's time zone and reminder defaults, and refuses nonsense", async () => {
    const changed = await t.http.patch('/api/v1/municipality').set('Authorization', admin).send({ dueSoonDays: 5, escalationDays: 10 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Demo kommune', timeZone: 'Europe/Oslo', dueSoonDays: 5, escalationDays: 10 });
    const zone = await t.http.patch('/api/v1/municipality').set('Authorization', admin).send({ timeZone: 'Europe/Molde' });
    expect(zone.status).toBe(422);
    expect(zone.body.errors[0].field).toBe('timeZone');
    const asStaff = await t.http.patch('/api/v1/municipality').set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt)).send({ dueSoonDays: 1 });
    expect(asStaff.status).toBe(403);
    expect((await t.http.get('/api/v1/municipality').set('Authorization', admin)).body.dueSoonDays).toBe(5);
  });
});
