import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId, unitId } from '../utils/demo';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

const TITLE = 'Legemiddelhåndtering: opplæring og kunnskapsprøve';

/**
 * A duty every employee must do (task scope `person`): in Avdeling Fjellvegen, whose staff are Per Primærkontakt
 * and Siri Ansatt, each gets their own occurrence, signed by them (or by the manager on their behalf). Set up in
 * December 2026; today is then Saturday 10 April 2027 in Oslo. Deadlines: the 15th of January, April, July, October.
 */
describe('duties per employee', () => {
  let t: TestApp;
  let admin: string;
  let avdelingsleder: string;
  let kvalitet: string;
  let fjellvegen: string;
  let per: string;
  let siri: string;
  let task: string;
  let plannedBefore: Record<string, number>;

  const occurrences = async (where = 'TRUE', parameters: unknown[] = []) =>
    t.db.query(
      `SELECT o.id, o.deadline, o.person_id, o.cancelled_at, array(SELECT person_id FROM occurrence_owner WHERE occurrence_id = o.id) AS owners
         FROM occurrence o WHERE o.task_id = $1 AND ${where} ORDER BY o.deadline, o.person_id`,
      [task, ...parameters],
    ) as Promise<Array<{ id: string; deadline: string; person_id: string; cancelled_at: Date | null; owners: string[] }>>;
  const occurrenceOf = async (person: string, deadline: string) => (await occurrences('o.person_id = $2 AND o.deadline = $3', [person, deadline]))[0].id;
  const sign = (occurrence: string, as: string, body: object = { outcome: 'done', comment: 'Kunnskapsprøve bestått' }) =>
    t.http.post(`/api/v1/occurrences/${occurrence}/sign-offs`).set('Authorization', as).send(body);
  const plannedByPerson = async (): Promise<Record<string, number>> => {
    const res = await t.http
      .get(`/api/v1/audit/compliance?unitId=${fjellvegen}&from=2027-01-01&to=2027-12-31&groupBy=person`)
      .set('Authorization', kvalitet);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.rows.map((r: { group: string; planned: number }) => [r.group, r.planned]));
  };
  // A table row, up to its end: a wheel's heading («2 av 3 utført» for the wheel) is no row.
  const rowWith = (page: string, text: string) => page.split('<tr').slice(1).map((row) => row.split('</tr>')[0]).find((row) => row.includes(text))!;
  const signIn = async (email: string) => {
    const res = await t.http.post('/logg-inn').type('form').send({ email, neste: '/oppgaver' });
    expect(res.status).toBe(303);
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T10:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    per = await personId(t.db, DEMO_PEOPLE.primaer);
    siri = await personId(t.db, DEMO_PEOPLE.ansatt);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder)).status).toBe(200);
    plannedBefore = await plannedByPerson();

    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kompetanse per ansatt', kind: 'custom' });
    expect(wheel.status).toBe(201);
    const added = await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({
      title: TITLE,
      rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15',
      startsOn: '2027-01-01',
      opensDaysBefore: 14,
      responsibleRole: 'staff',
      scope: 'person',
      storedIn: 'Kompetanseportalen',
    });
    expect(added.status).toBe(201);
    expect(added.body.scope).toBe('person');
    task = added.body.id;
    const assigned = await t.http
      .post(`/api/v1/units/${fjellvegen}/wheels`)
      .set('Authorization', avdelingsleder)
      .send({ wheelId: wheel.body.id, fromYear: 2027, includeSubunits: false });
    expect(assigned.status).toBe(201);
  });
  afterAll(() => t.close());

  it('makes one occurrence per staff member at each deadline, each owned by that person alone', async () => {
    const rows = await occurrences();
    expect(rows.map((r) => [r.deadline, r.person_id])).toEqual(
      ['2027-01-15', '2027-04-15', '2027-07-15', '2027-10-15'].flatMap((d) => [[d, per], [d, siri]].sort((a, b) => (a[1] < b[1] ? -1 : 1))),
    );
    expect(rows.every((r) => r.owners.length === 1 && r.owners[0] === r.person_id)).toBe(true);
  });

  it('a second materialise creates nothing', async () => {
    const res = await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder);
    expect(res.body).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
    expect(await occurrences()).toHaveLength(8);
  });

  it('counts each person’s own occurrences in compliance by person', async () => {
    const after = await plannedByPerson();
    expect(after['Per Primærkontakt'] - (plannedBefore['Per Primærkontakt'] ?? 0)).toBe(4);
    expect(after['Siri Ansatt'] - (plannedBefore['Siri Ansatt'] ?? 0)).toBe(4);
    expect(after['Anne Avdelingsleder']).toBe(plannedBefore['Anne Avdelingsleder']);
  });

  it('lets only the person sign their own: another employee gets 403, the manager signs on their behalf', async () => {
    t.clock.set('2027-04-10T08:00:00Z');
    const perApril = await occurrenceOf(per, '2027-04-15');
    const records = await count(t.db, 'sign_off');
    const refused = await sign(perApril, await t.bearer(DEMO_PEOPLE.ansatt));
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.type).toBe('/problems/not-your-task');
    expect(await count(t.db, 'sign_off')).toBe(records);

    const own = await sign(await occurrenceOf(siri, '2027-04-15'), await t.bearer(DEMO_PEOPLE.ansatt));
    expect(own.status).toBe(201);
    expect(own.body.onBehalfOf).toBeNull();
    expect(own.body.snapshot.person).toEqual({ id: siri, displayName: 'Siri Ansatt' });

    const onBehalf = await sign(perApril, avdelingsleder);
    expect(onBehalf.status).toBe(201);
    expect(onBehalf.body.signedBy.displayName).toBe('Anne Avdelingsleder');
    expect(onBehalf.body.onBehalfOf).toEqual({ id: per, displayName: 'Per Primærkontakt' });
    expect(onBehalf.body.snapshot.person).toEqual({ id: per, displayName: 'Per Primærkontakt' });
  });

  it('gives a new employee the year’s remaining occurrences when they take the role', async () => {
    const nora = await t.http.post('/api/v1/people').set('Authorization', admin).send({ email: 'nora@demo.kommune.no', displayName: 'Nora Ny' });
    expect(nora.status).toBe(201);
    const given = await t.http.post(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', avdelingsleder).send({ personId: nora.body.id, role: 'staff' });
    expect(given.status).toBe(201);
    const hers = await occurrences('o.person_id = $2', [nora.body.id]);
    // January passed before she came: nobody is overdue for what came before.
    expect(hers.map((r) => r.deadline)).toEqual(['2027-04-15', '2027-07-15', '2027-10-15']);
    expect(hers.every((r) => r.owners.length === 1 && r.owners[0] === nora.body.id)).toBe(true);
    const traced = await t.db.query(`SELECT DISTINCT reason FROM occurrence_change WHERE occurrence_id = ANY($1::uuid[])`, [hers.map((r) => r.id)]);
    expect(traced).toEqual([]); // created, not changed: the trace holds changes
  });

  it('shows the duty as one row "x av y utført" in the checklist API, opening to the people', async () => {
    const res = await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=2027-04`).set('Authorization', avdelingsleder);
    expect(res.status).toBe(200);
    const items = res.body.groups.flatMap((g: { items: unknown[] }) => g.items) as Array<Record<string, any>>;
    // (The demo's fag wheel has a shared task of the same title, which the seeds will make per person.)
    const ours = items.filter((i) => i.title === TITLE && i.wheelName === 'Kompetanse per ansatt');
    const april = ours.filter((i) => !i.fromEarlierMonth);
    expect(april).toHaveLength(1);
    expect(april[0]).toMatchObject({ occurrenceId: null, deadline: '2027-04-15', status: 'open', doneCount: 2, total: 3, person: null });
    expect(april[0].people.map((p: any) => [p.person.displayName, p.status])).toEqual([
      ['Nora Ny', 'open'],
      ['Per Primærkontakt', 'done'],
      ['Siri Ansatt', 'done'],
    ]);
    expect(april[0].people.every((p: any) => p.occurrenceId && p.owners.length === 1 && p.owners[0].id === p.person.id)).toBe(true);
    // January's, overdue: listed once, on top, with the people who have not signed and the count of all of them.
    const january = ours.filter((i) => i.fromEarlierMonth);
    expect(january).toHaveLength(1);
    expect(january[0]).toMatchObject({ deadline: '2027-01-15', status: 'overdue', doneCount: 0, total: 2 });
  });

  it('shows it on the checklist page as one row that opens (without script) to each person', async () => {
    const cookie = await signIn(DEMO_PEOPLE.avdelingsleder);
    const page = await t.http.get(`/sjekkliste?enhet=${fjellvegen}&maned=2027-04`).set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<details><summary>2 av 3 utført<\/summary>/);
    expect(page.text).toMatch(/<details><summary>0 av 2 utført<\/summary>/);
    const row = rowWith(page.text, '2 av 3 utført');
    expect(row).toContain(TITLE);
    for (const name of ['Nora Ny', 'Per Primærkontakt', 'Siri Ansatt']) expect(row).toContain(name);
    expect((row.match(/href="\/oppgaver\//g) ?? []).length).toBe(3);
    const english = await t.http.get(`/sjekkliste?enhet=${fjellvegen}&maned=2027-04&lang=en`).set('Cookie', cookie);
    expect(english.text).toContain('2 of 3 done');
    // Filtered to one person, the row opens to that person only.
    const filtered = await t.http.get(`/sjekkliste?enhet=${fjellvegen}&maned=2027-04&person=${siri}`).set('Cookie', cookie);
    const mine = rowWith(filtered.text, '2 av 3 utført');
    expect(mine).toContain('Siri Ansatt');
    expect(mine).not.toContain('Nora Ny');
  });

  it('shows the duties per employee on Internkontroll', async () => {
    const page = await t.http.get(`/internkontroll?enhet=${fjellvegen}&ar=2027`).set('Cookie', await signIn(DEMO_PEOPLE.kvalitet));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Oppgaver per ansatt');
    expect(page.text).toMatch(/<details><summary>2 av 3 utført<\/summary>/);
    expect(page.text).toMatch(/<details><summary>0 av 3 utført<\/summary>/); // July's
    expect(page.text).toContain(`${TITLE}</a> (Per Primærkontakt)`); // the record signed on his behalf says whose
  });

  it('cancels a leaver’s open occurrences from today on, with a trace, and keeps the signed and the overdue', async () => {
    const [assignment] = await t.db.query(`SELECT id FROM role_assignment WHERE person_id = $1 AND unit_id = $2 AND role = 'staff'`, [siri, fjellvegen]);
    const removed = await t.http.delete(`/api/v1/units/${fjellvegen}/roles/${assignment.id}`).set('Authorization', avdelingsleder);
    expect(removed.status).toBe(204);
    const hers = await occurrences('o.person_id = $2', [siri]);
    expect(hers.map((r) => [r.deadline, r.cancelled_at !== null])).toEqual([
      ['2027-01-15', false], // overdue and not signed: stays on the record as not done, still hers to sign
      ['2027-04-15', false], // signed: kept as it was signed
      ['2027-07-15', true],
      ['2027-10-15', true],
    ]);
    expect(hers[0].owners).toEqual([siri]);
    const trace = await t.db.query(
      `SELECT occurrence_id, reason, actor_id FROM occurrence_change WHERE occurrence_id = ANY($1::uuid[]) ORDER BY changed_at`,
      [hers.map((r) => r.id)],
    );
    const manager = await personId(t.db, DEMO_PEOPLE.avdelingsleder);
    expect(trace.map((r: { occurrence_id: string; reason: string; actor_id: string }) => [r.occurrence_id, r.reason, r.actor_id]).sort()).toEqual(
      [[hers[2].id, 'role-left', manager], [hers[3].id, 'role-left', manager]].sort(),
    );
    // Per's are untouched.
    expect((await occurrences('o.person_id = $2 AND o.cancelled_at IS NOT NULL', [per])).length).toBe(0);
  });

  it('cancels an archived person’s open occurrences, and brings them back when restored', async () => {
    const [nora] = await t.db.query(`SELECT id FROM person WHERE email = 'nora@demo.kommune.no'`);
    const archived = await t.http.patch(`/api/v1/people/${nora.id}`).set('Authorization', admin).send({ archived: true });
    expect(archived.status).toBe(200);
    expect((await occurrences('o.person_id = $2 AND o.cancelled_at IS NULL', [nora.id])).length).toBe(0);
    const reasons = await t.db.query(
      `SELECT DISTINCT c.reason FROM occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id WHERE o.person_id = $1`,
      [nora.id],
    );
    expect(reasons).toEqual([{ reason: 'person-archived' }]);
    await t.http.patch(`/api/v1/people/${nora.id}`).set('Authorization', admin).send({ archived: false });
    const back = await occurrences('o.person_id = $2 AND o.cancelled_at IS NULL', [nora.id]);
    expect(back.map((r) => r.deadline)).toEqual(['2027-04-15', '2027-07-15', '2027-10-15']);
    expect(back.every((r) => r.owners.length === 1 && r.owners[0] === nora.id)).toBe(true);
  });

  it('reminds each person of their own occurrence, and nobody of a cancelled one', async () => {
    const july = await occurrences(`o.deadline = '2027-07-15' AND o.cancelled_at IS NULL`);
    expect(july.map((r) => r.person_id).sort()).toEqual([per, (await personId(t.db, 'nora@demo.kommune.no'))].sort()); // Siri's is cancelled
    const planned = await t.app.get(RemindersService).dryRun(new Date('2027-07-01T07:00:00+02:00')); // the day they open
    const ours = planned.filter((p) => p.kind === 'opens' && july.some((r) => r.id === p.occurrenceId));
    expect(ours.map((p) => [p.occurrenceId, p.personId]).sort()).toEqual(july.map((r) => [r.id, r.person_id]).sort());
    const siriJuly = await occurrenceOf(siri, '2027-07-15');
    expect(planned.filter((p) => p.occurrenceId === siriJuly || p.itemIds.includes(siriJuly))).toEqual([]);
  });

  it('keeps whose duty it is: the service may not change it, a signed one is never given to another, a change is traced', async () => {
    const perApril = await occurrenceOf(per, '2027-04-15'); // signed on his behalf
    const perJuly = await occurrenceOf(per, '2027-07-15');
    await expect(t.db.query(`UPDATE occurrence SET person_id = $1 WHERE id = $2`, [siri, perJuly])).rejects.toThrow(/permission denied/);
    const anne = await personId(t.db, DEMO_PEOPLE.avdelingsleder); // has no occurrence of her own of this task
    await withClient(t.databaseUrl, async (owner) => {
      await expect(owner.query(`UPDATE occurrence SET person_id = $1 WHERE id = $2`, [anne, perApril])).rejects.toThrow(/has signed records/);
      await owner.query(`UPDATE occurrence SET person_id = $1 WHERE id = $2`, [anne, perJuly]);
      const {
        rows: [trace],
      } = await owner.query(`SELECT reason, before, after FROM occurrence_change WHERE occurrence_id = $1`, [perJuly]);
      expect(trace).toEqual({ reason: null, before: { personId: per }, after: { personId: anne } });
      await owner.query(`UPDATE occurrence SET person_id = $1 WHERE id = $2`, [per, perJuly]);
    });
  });

  it('refuses an unknown scope, naming the field', async () => {
    const [wheel] = await t.db.query(`SELECT wheel_id FROM task_definition WHERE id = $1`, [task]);
    const res = await t.http
      .post(`/api/v1/wheels/${wheel.wheel_id}/tasks`)
      .set('Authorization', admin)
      .send({ title: 'X', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', responsibleRole: 'staff', scope: 'everyone' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'scope', message: 'must be unit, recipient or person' }]);
  });
});
