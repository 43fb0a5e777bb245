import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, LEDERE, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * A recurrence rule is text from outside: wherever it enters (the preview, a task, the page's builder,
 * materialising) it is answered or refused in well under a second, and the service goes on answering.
 */
describe('no rule can stall the service', () => {
  let t: TestApp;
  let admin: string;
  let wheel: string;
  let adminCookie: string;
  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    wheel = await wheelId(t.db, LEDERE);
    const signIn = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.admin });
    adminCookie = (signIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  });
  afterAll(() => t.close());

  const timed = async <T>(work: () => PromiseLike<T>) => {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  };

  const ATTACKS: Array<[string, { rrule: string; startsOn?: string }, RegExp]> = [
    ...['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'].map((freq): [string, { rrule: string }, RegExp] => [`${freq} with INTERVAL=-1`, { rrule: `FREQ=${freq};INTERVAL=-1` }, /INTERVAL must be/]),
    ['INTERVAL=0', { rrule: 'FREQ=MONTHLY;INTERVAL=0' }, /INTERVAL must be/],
    ['a start in the year 100 with a date that never comes', { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', startsOn: '0100-01-01' }, /start in a year from 2000/],
    ['a date that never comes', { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', startsOn: '2027-01-01' }, /yields no dates/],
    ['an UNTIL in the year 100', { rrule: 'FREQ=DAILY;UNTIL=01000101', startsOn: '2027-01-01' }, /ends \(UNTIL\) before it starts/],
  ];

  it.each(ATTACKS)('the preview refuses %s with 422 in well under a second', async (_, rule, message) => {
    const { result: res, ms } = await timed(() => t.http.post('/api/v1/schedules/preview').set('Authorization', admin).send({ ...rule, year: 2027 }));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors[0].field).toMatch(/rrule|startsOn/);
    expect(res.body.errors[0].message).toMatch(message);
    expect(ms).toBeLessThan(1000);
  });

  it('names the field that holds the impossible start: startsOn, or the rule when its own DTSTART does', async () => {
    const fromField = await t.http.post('/api/v1/schedules/preview').set('Authorization', admin).send({ rrule: 'FREQ=YEARLY', startsOn: '0100-01-01', year: 2027 });
    expect(fromField.body.errors).toEqual([{ field: 'startsOn', message: 'the rule must start in a year from 2000 to 2200' }]);
    const fromRule = await t.http.post('/api/v1/schedules/preview').set('Authorization', admin).send({ rrule: 'DTSTART:01000101\nRRULE:FREQ=YEARLY', year: 2027 });
    expect(fromRule.body.errors).toEqual([{ field: 'rrule', message: 'the rule must start in a year from 2000 to 2200' }]);
  });

  it.each(ATTACKS)('a task with %s is not stored, when created or changed', async (_, rule) => {
    const tasksBefore = await count(t.db, 'task_definition');
    const { result: created, ms } = await timed(() =>
      t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: 'Angrep', responsibleRole: 'manager', ...rule }),
    );
    expect(created.status).toBe(422);
    expect(ms).toBeLessThan(1000);
    expect(await count(t.db, 'task_definition')).toBe(tasksBefore);

    const [task] = await t.db.query(`SELECT id, rrule, starts_on FROM task_definition WHERE wheel_id = $1 ORDER BY title LIMIT 1`, [wheel]);
    const patched = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task.id}`).set('Authorization', admin).send(rule);
    expect(patched.status).toBe(422);
    expect(await t.db.query(`SELECT id, rrule, starts_on FROM task_definition WHERE id = $1`, [task.id])).toEqual([task]);
  });

  it('the recurrence builder in Administrasjon refuses a negative interval and an unknown pattern on the page', async () => {
    const negative = await timed(() =>
      t.http.get('/administrasjon').query({ handling: 'forhandsvis', hjul: wheel, monster: 'every-n-months', intervall: '-1', maned: '3', dag: '1', startar: '2027' }).set('Cookie', adminCookie),
    );
    expect(negative.result.status).toBe(200);
    expect(negative.result.text).toContain('Regelen kan ikke brukes: intervallet må være et helt tall fra 1 til');
    expect(negative.ms).toBeLessThan(1000);

    const unknown = await t.http.get('/administrasjon').query({ handling: 'forhandsvis', hjul: wheel, monster: 'hver-fullmane' }).set('Cookie', adminCookie);
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('Velg et mønster fra listen.');

    const early = await t.http.get('/administrasjon').query({ handling: 'forhandsvis', hjul: wheel, monster: 'every-n-years', intervall: '4', maned: '3', dag: '1', startar: '0100' }).set('Cookie', adminCookie);
    expect(early.status).toBe(200);
    expect(early.text).toContain('Regelen kan ikke brukes');
  });

  it('a rule stored before these checks existed does not stop materialising: its task yields nothing, the rest are made', async () => {
    const unit = await unitId(t.db, 'Avdeling Sjøgata');
    await t.db.query(
      `INSERT INTO task_definition (municipality_id, wheel_id, title, rrule, starts_on, responsible_role)
       SELECT municipality_id, id, 'Gammel regel', 'FREQ=MONTHLY;INTERVAL=-1', '2026-01-01', 'manager' FROM wheel WHERE id = $1`,
      [wheel],
    );
    const { result: res, ms } = await timed(() => t.http.post(`/api/v1/units/${unit}/materialize?year=2028`).set('Authorization', admin));
    expect(res.status).toBe(200);
    expect(res.body.created).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5000);
    expect(await count(t.db, 'occurrence o JOIN task_definition d ON d.id = o.task_id', `d.title = 'Gammel regel'`)).toBe(0);
  });
});
