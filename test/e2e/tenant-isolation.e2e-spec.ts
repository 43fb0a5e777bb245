import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { LEDERE, unitId, wheelId } from '../utils/demo';
import { tenantContext } from '../../src/auth/tenant-context';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Two municipalities with the same unit names and the same recipient codes. Whatever another
 * municipality's administrator lists, reports, exports or guesses, nothing of Demo kommune comes back.
 */
describe('one municipality never sees another’s data', () => {
  let t: TestApp;
  let other: string;
  const a: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    a.unit = await unitId(t.db, 'Avdeling Fjellvegen');
    a.wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Internt hjul', kind: 'custom' })).body.id;
    a.publishedWheel = await wheelId(t.db, LEDERE);
    a.task = (await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1 LIMIT 1`, [a.publishedWheel]))[0].id;
    a.recipient = (await t.db.query(`SELECT id FROM recipient WHERE code = 'FJV-001'`))[0].id;
    a.person = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.ansatt]))[0].id;
    await t.http.post(`/api/v1/units/${a.unit}/materialize?year=2027`).set('Authorization', admin);
    a.occurrence = (await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 AND recipient_id IS NOT NULL LIMIT 1`, [a.unit]))[0].id;
    a.signOff = (await t.http.post(`/api/v1/occurrences/${a.occurrence}/sign-offs`).set('Authorization', admin).send({ outcome: 'done' })).body.id;
    a.role = (await t.db.query(`SELECT id FROM role_assignment WHERE unit_id = $1 LIMIT 1`, [a.unit]))[0].id;

    // "Speilvik kommune": the same tree, the same codes, its own admin, manager and quality adviser.
    const [{ id: m }] = await t.db.query(`INSERT INTO municipality (name) VALUES ('Speilvik kommune') RETURNING id`);
    const unit = async (name: string, parent: string | null) =>
      (await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id`, [m, parent, name]))[0].id;
    const helse = await unit('Helse og omsorg', null);
    const bo = await unit('Bo og habilitering', helse);
    const fjell = await unit('Avdeling Fjellvegen', bo);
    const [{ id: adminB }] = await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'admin@speilvik.kommune.no', 'Admin Speilvik') RETURNING id`, [m]);
    await t.db.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, 'admin'), ($1, $2, $3, 'quality_adviser')`, [m, adminB, helse]);
    for (let n = 1; n <= 3; n++) {
      await t.db.query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) VALUES ($1, $2, $3, '2026-01-01')`, [m, fjell, `FJV-00${n}`]);
    }
    other = await t.bearer('admin@speilvik.kommune.no');
  });
  afterAll(() => t.close());

  it('lets PostgreSQL itself hide other municipalities’ rows from a query that forgot its where', async () => {
    const [{ id: speilvik }] = await t.db.query(`SELECT id FROM municipality WHERE name = 'Speilvik kommune'`);
    const [{ id: demo }] = await t.db.query(`SELECT id FROM municipality WHERE name = 'Demo kommune'`);
    const asSpeilvik = <T>(work: () => Promise<T>) => tenantContext.run({ municipalityId: speilvik }, work);
    const units = await asSpeilvik(() => t.db.query(`SELECT name FROM unit ORDER BY name`));
    expect(units.map((u: { name: string }) => u.name)).toEqual(['Avdeling Fjellvegen', 'Bo og habilitering', 'Helse og omsorg']);
    expect(await asSpeilvik(() => t.db.query(`SELECT count(*)::int AS n FROM sign_off`))).toEqual([{ n: 0 }]);
    expect(await asSpeilvik(() => t.db.query(`SELECT name FROM municipality`))).toEqual([{ name: 'Speilvik kommune' }]);
    // Published wheels are shared; the rest is not.
    const wheels = (await asSpeilvik(() => t.db.query(`SELECT name FROM wheel`))).map((w: { name: string }) => w.name);
    expect(wheels).toContain(LEDERE);
    expect(wheels).not.toContain('Internt hjul');
    await expect(asSpeilvik(() => t.db.query(`INSERT INTO unit (municipality_id, name) VALUES ($1, 'Innbrudd')`, [demo]))).rejects.toThrow(/row-level security/);
    await expect(asSpeilvik(() => t.db.query(`UPDATE person SET display_name = 'Kapret'`))).resolves.toBeDefined();
    expect((await t.db.query(`SELECT count(*)::int AS n FROM person WHERE display_name = 'Kapret'`))[0].n).toBe(1); // only Speilvik's own
  });

  const get = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', other);

  it('lists only its own units, people, wheels and log entries', async () => {
    const units = (await get('/units')).body;
    expect(units).toHaveLength(3);
    expect(units.map((u: { id: string }) => u.id)).not.toContain(a.unit);
    expect((await get('/people')).body.items.map((p: { email: string }) => p.email)).toEqual(['admin@speilvik.kommune.no']);
    expect((await get('/wheels')).body).toEqual([]);
    expect((await get('/audit/log')).body.total).toBe(0);
    expect((await get('/audit/access-log')).body.total).toBe(0);
    expect((await get('/me/tasks')).body).toEqual([]);
  });

  it.each([
    ['a unit', () => `/units/${a.unit}`],
    ['its checklist', () => `/units/${a.unit}/checklist?month=2027-02`],
    ['its roles', () => `/units/${a.unit}/roles`],
    ['its wheels', () => `/units/${a.unit}/wheels`],
    ['its recipients', () => `/recipients?unitId=${a.unit}`],
    ['a recipient', () => `/recipients/${a.recipient}`],
    ['a person', () => `/people/${a.person}`],
    ['an unpublished wheel', () => `/wheels/${a.wheel}`],
    ['its tasks', () => `/wheels/${a.wheel}/tasks`],
    ['an occurrence’s records', () => `/occurrences/${a.occurrence}/sign-offs`],
    ['its messages', () => `/notifications?occurrenceId=${a.occurrence}`],
    ['compliance', () => `/audit/compliance?unitId=${a.unit}&from=2027-01-01&to=2027-12-31`],
    ['a CSV report', () => `/audit/compliance?unitId=${a.unit}&from=2027-01-01&to=2027-12-31&format=csv`],
    ['the records', () => `/audit/records?unitId=${a.unit}&from=2026-01-01&to=2027-12-31`],
    ['the export', () => `/audit/records?unitId=${a.unit}&from=2026-01-01&to=2027-12-31&format=jsonl`],
    ['the chain', () => `/audit/verify?unitId=${a.unit}`],
    ['the trace of its occurrences', () => `/audit/occurrence-changes?unitId=${a.unit}`],
  ])('answers a guessed id of another municipality’s %s with 404', async (_, path) => {
    const res = await get(path());
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/FJV-0|Fjellvegen|Anne|Per Primærkontakt/);
  });

  const writes: Array<[string, 'post' | 'patch' | 'delete', () => string, object | undefined]> = [
    ['sign its occurrence', 'post', () => `/occurrences/${a.occurrence}/sign-offs`, { outcome: 'done' }],
    ['correct its record', 'post', () => `/sign-offs/${a.signOff}/corrections`, { reason: 'Overtakelse' }],
    ['rename its unit', 'patch', () => `/units/${a.unit}`, { name: 'Kapret' }],
    ['archive its person', 'patch', () => `/people/${a.person}`, { archived: true }],
    ['change its recipient', 'patch', () => `/recipients/${a.recipient}`, { code: 'HIJACK-1' }],
    ['change its task', 'patch', () => `/wheels/${a.publishedWheel}/tasks/${a.task}`, { title: 'Kapret' }],
    ['materialise its unit', 'post', () => `/units/${a.unit}/materialize?year=2028`, {}],
    ['take away its roles', 'delete', () => `/units/${a.unit}/roles/${a.role}`, undefined],
    ['add a recipient to its unit', 'post', () => '/recipients', { unitId: a.unit, code: 'FJV-099' }],
  ];
  it.each(writes)('refuses to %s, and changes nothing', async (_, method, path, body) => {
    const before = await t.db.query(`SELECT (SELECT count(*) FROM sign_off) AS s, (SELECT string_agg(name, ',' ORDER BY id) FROM unit) AS u,
      (SELECT count(*) FROM occurrence) AS o, (SELECT string_agg(code, ',' ORDER BY id) FROM recipient) AS r, (SELECT count(*) FROM role_assignment) AS ra`);
    const request = t.http[method](`/api/v1${path()}`).set('Authorization', other);
    const res = body === undefined ? await request : await request.send(body);
    expect([403, 404]).toContain(res.status);
    expect(await t.db.query(`SELECT (SELECT count(*) FROM sign_off) AS s, (SELECT string_agg(name, ',' ORDER BY id) FROM unit) AS u,
      (SELECT count(*) FROM occurrence) AS o, (SELECT string_agg(code, ',' ORDER BY id) FROM recipient) AS r, (SELECT count(*) FROM role_assignment) AS ra`)).toEqual(before);
  });
});
