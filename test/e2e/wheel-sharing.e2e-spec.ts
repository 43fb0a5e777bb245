import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, createMunicipality, LEDERE, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describe('sharing wheels between municipalities, as Molde and Kristiansund did', () => {
  let t: TestApp;
  let other: string;
  let ledere: string;

  beforeAll(async () => {
    t = await startTestApp();
    await createMunicipality(t.db, 'Kristiansund kommune', 'admin@kristiansund.kommune.no');
    other = await t.bearer('admin@kristiansund.kommune.no');
    ledere = await wheelId(t.db, LEDERE);
  });
  afterAll(() => t.close());

  it("shows another municipality the published wheels in the library, but not among its own", async () => {
    const library = await t.http.get('/api/v1/wheels?library=true').set('Authorization', other);
    expect(library.body.map((w: { name: string }) => w.name)).toContain(LEDERE);
    const own = await t.http.get('/api/v1/wheels').set('Authorization', other);
    expect(own.body).toEqual([]);
  });

  it('copies a published wheel with its tasks, remembering where it came from', async () => {
    const res = await t.http.post(`/api/v1/wheels/${ledere}/copy`).set('Authorization', other);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: LEDERE, copiedFromWheelId: ledere, published: false });
    const tasks = await t.http.get(`/api/v1/wheels/${res.body.id}/tasks`).set('Authorization', other);
    expect(tasks.body.length).toBe(await count(t.db, 'task_definition', 'wheel_id = $1', [ledere]));
    const own = await t.http.get('/api/v1/wheels').set('Authorization', other);
    expect(own.body.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
  });

  it("refuses to let another municipality change a wheel it does not own", async () => {
    const res = await t.http.patch(`/api/v1/wheels/${ledere}`).set('Authorization', other).send({ name: 'Kapret' });
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/not-your-wheel');
  });

  it('keeps unpublished wheels to their own municipality', async () => {
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const secret = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Internt', kind: 'custom' });
    expect((await t.http.get(`/api/v1/wheels/${secret.body.id}`).set('Authorization', other)).status).toBe(404);
    expect((await t.http.post(`/api/v1/wheels/${secret.body.id}/copy`).set('Authorization', other)).status).toBe(404);
    const published = await t.http.patch(`/api/v1/wheels/${secret.body.id}`).set('Authorization', admin).send({ published: true });
    expect(published.body.published).toBe(true);
    expect((await t.http.get(`/api/v1/wheels/${secret.body.id}`).set('Authorization', other)).status).toBe(200);
  });

  it('refuses a wheel with an unknown kind', async () => {
    const res = await t.http.post('/api/v1/wheels').set('Authorization', other).send({ name: 'X', kind: 'weekly' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('kind');
  });
});
