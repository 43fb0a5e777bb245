import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/** The year was materialised in December; today is Monday 15 March 2027 in Oslo, so January to 10 March lie in the past. */
describe('changing a template changes future, unsigned occurrences only', () => {
  let t: TestApp;
  let admin: string;
  let avdelingsleder: string;
  let fjellvegen: string;
  let wheel: string;
  let task: string;

  const activeDeadlines = async (): Promise<string[]> =>
    (await t.db.query(`SELECT deadline FROM occurrence WHERE task_id = $1 AND cancelled_at IS NULL ORDER BY deadline`, [task])).map(
      (r: { deadline: string }) => r.deadline,
    );

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T10:00:00Z'); // set up and materialised in December
    admin = await t.bearer(DEMO_PEOPLE.admin);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');

    const created = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Brannvern', kind: 'custom' });
    expect(created.status).toBe(201);
    wheel = created.body.id;
    const added = await t.http
      .post(`/api/v1/wheels/${wheel}/tasks`)
      .set('Authorization', admin)
      .send({ title: 'Månedlig branngjennomgang', rrule: 'FREQ=MONTHLY;BYMONTHDAY=10', opensDaysBefore: 5, responsibleRole: 'manager', storedIn: 'Compilo' });
    expect(added.status).toBe(201);
    task = added.body.id;
    const assigned = await t.http
      .post(`/api/v1/units/${fjellvegen}/wheels`)
      .set('Authorization', avdelingsleder)
      .send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect(assigned.status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder)).status).toBe(200);
    t.clock.set('2027-03-15T10:00:00Z');
  });
  afterAll(() => t.close());

  it('starts with one occurrence a month', async () => {
    expect(await activeDeadlines()).toEqual(Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}-10`));
  });

  it('moves future occurrences when the rule changes, and leaves the past as it was', async () => {
    const res = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task}`).set('Authorization', admin).send({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=20' });
    expect(res.status).toBe(200);
    expect(await activeDeadlines()).toEqual([
      '2027-01-10', '2027-02-10', '2027-03-10', // past: untouched
      ...Array.from({ length: 10 }, (_, m) => `2027-${String(m + 3).padStart(2, '0')}-20`),
    ]);
  });

  it('moves future deadlines off weekends when the shift changes', async () => {
    await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task}`).set('Authorization', admin).send({ deadlineShift: 'previous' });
    const deadlines = await activeDeadlines();
    expect(deadlines).toContain('2027-03-19'); // Saturday 20 March → Friday 19
    expect(deadlines).toContain('2027-06-18'); // Sunday 20 June → Friday 18
    expect(deadlines.slice(0, 3)).toEqual(['2027-01-10', '2027-02-10', '2027-03-10']);
  });

  it('refuses a rule that does not parse, and changes nothing', async () => {
    const before = await activeDeadlines();
    const res = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task}`).set('Authorization', admin).send({ rrule: 'FREQ=YEARLY;BYMONTH=3;NONSENSE' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('rrule');
    const [row] = await t.db.query(`SELECT rrule FROM task_definition WHERE id = $1`, [task]);
    expect(row.rrule).toBe('FREQ=MONTHLY;BYMONTHDAY=20');
    expect(await activeDeadlines()).toEqual(before);
  });

  it.each([
    ['a task that would open after its deadline', { opensDaysBefore: -1 }, 'opensDaysBefore'],
    ['a rule that ends before it starts', { rrule: 'FREQ=YEARLY;UNTIL=20200101', startsOn: '2027-01-01' }, 'rrule'],
    ['a role that is not a role name', { responsibleRole: 'Leder!' }, 'responsibleRole'],
    ['a link that is not a link', { storedInUrl: 'compilo' }, 'storedInUrl'],
  ])('refuses %s with 422 and adds no task', async (_, change, field) => {
    const before = await count(t.db, 'task_definition');
    const res = await t.http
      .post(`/api/v1/wheels/${wheel}/tasks`)
      .set('Authorization', admin)
      .send({ title: 'Ny oppgave', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1', responsibleRole: 'manager', ...change });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count(t.db, 'task_definition')).toBe(before);
  });

  it('lets only administrators change templates', async () => {
    const res = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task}`).set('Authorization', avdelingsleder).send({ title: 'Endret' });
    expect(res.status).toBe(403);
  });

  it('hands open occurrences to the nearest manager above when the role is taken away, and back', async () => {
    const ownersOfMarch = async () =>
      (
        await t.db.query(
          `SELECT p.display_name FROM occurrence o JOIN occurrence_owner oo ON oo.occurrence_id = o.id JOIN person p ON p.id = oo.person_id
            WHERE o.task_id = $1 AND o.deadline = '2027-03-19'`,
          [task],
        )
      ).map((r: { display_name: string }) => r.display_name);
    expect(await ownersOfMarch()).toEqual(['Anne Avdelingsleder']);

    const leder = await t.bearer(DEMO_PEOPLE.leder);
    const roles = await t.http.get(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', leder);
    const annes = roles.body.find((r: { email: string; role: string }) => r.email === DEMO_PEOPLE.avdelingsleder && r.role === 'manager');
    expect((await t.http.delete(`/api/v1/units/${fjellvegen}/roles/${annes.id}`).set('Authorization', leder)).status).toBe(204);
    expect(await ownersOfMarch()).toEqual(['Lars Enhetsleder']);

    const back = await t.http
      .post(`/api/v1/units/${fjellvegen}/roles`)
      .set('Authorization', leder)
      .send({ personId: await personId(t.db, DEMO_PEOPLE.avdelingsleder), role: 'manager' });
    expect(back.status).toBe(201);
    expect(await ownersOfMarch()).toEqual(['Anne Avdelingsleder']);
  });

  it('refuses role changes that are not the caller’s to make', async () => {
    const ansatt = await personId(t.db, DEMO_PEOPLE.ansatt);
    const asStaff = await t.http.post(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', await t.bearer(DEMO_PEOPLE.primaer)).send({ personId: ansatt, role: 'manager' });
    expect(asStaff.status).toBe(403);
    const adviser = await t.http.post(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', avdelingsleder).send({ personId: ansatt, role: 'quality_adviser' });
    expect(adviser.status).toBe(403);
    const twice = await t.http.post(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', avdelingsleder).send({ personId: ansatt, role: 'staff' });
    expect(twice.status).toBe(409);
    const nobody = await t.http
      .post(`/api/v1/units/${fjellvegen}/roles`)
      .set('Authorization', avdelingsleder)
      .send({ personId: '00000000-0000-4000-8000-000000000000', role: 'staff' });
    expect(nobody.status).toBe(422);
  });

  it('cancels the future occurrences of an archived task and keeps the past', async () => {
    const res = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task}`).set('Authorization', admin).send({ archived: true });
    expect(res.status).toBe(200);
    expect(res.body.archived).toBe(true);
    expect(await activeDeadlines()).toEqual(['2027-01-10', '2027-02-10', '2027-03-10']);
  });
});
