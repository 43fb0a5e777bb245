import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

interface Row {
  id: string;
  deadline: string;
  cancelled: boolean;
  outcome: string | null;
}

/**
 * Recurrence counted from the last time (issue 14, part 3): a task with `repeatAfterCompletion` is next
 * due that long after the day it was signed, in Oslo. Avdeling Fjellvegen follows a wheel of its own here.
 */
describe('a task repeating a duration after its last completion', () => {
  let t: TestApp;
  let admin: string;
  let avdelingsleder: string;
  let primaer: string;
  let fjellvegen: string;
  let wheel: string;
  let halfYearly: string;
  let endOfMonth: string;

  const chain = async (taskId: string, recipientId: string | null = null): Promise<Row[]> =>
    t.db.query(
      `SELECT id, deadline, cancelled_at IS NOT NULL AS cancelled, standing_outcome AS outcome FROM occurrence
        WHERE task_id = $1 AND unit_id = $2 AND recipient_id IS NOT DISTINCT FROM $3 ORDER BY scheduled_on`,
      [taskId, fjellvegen, recipientId],
    );
  const open = async (taskId: string, recipientId: string | null = null) => (await chain(taskId, recipientId)).filter((r) => !r.cancelled && !r.outcome);
  const signOff = (occurrenceId: string, body: Record<string, unknown>, as = avdelingsleder) =>
    t.http.post(`/api/v1/occurrences/${occurrenceId}/sign-offs`).set('Authorization', as).send(body);
  const addTask = (body: Record<string, unknown>) => t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send(body);

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-04T09:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    primaer = await t.bearer(DEMO_PEOPLE.primaer);
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');

    const created = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Etter forrige gang', kind: 'custom' });
    expect(created.status).toBe(201);
    wheel = created.body.id;
    const a = await addTask({ title: 'Brannvernrunde', repeatAfterCompletion: 'P6M', startsOn: '2027-03-01', responsibleRole: 'manager', opensDaysBefore: 14 });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ rrule: null, repeatAfterCompletion: 'P6M', startsOn: '2027-03-01' });
    halfYearly = a.body.id;
    const b = await addTask({ title: 'Gjennomgang av medisinrommet', repeatAfterCompletion: 'P6M', startsOn: '2027-03-31', responsibleRole: 'manager' });
    expect(b.status).toBe(201);
    endOfMonth = b.body.id;
    const assigned = await t.http
      .post(`/api/v1/units/${fjellvegen}/wheels`)
      .set('Authorization', avdelingsleder)
      .send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect(assigned.status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder)).status).toBe(200);
  });
  afterAll(() => t.close());

  it('is first due on its start date, once, and a second materialise creates nothing', async () => {
    expect((await chain(halfYearly)).map((r) => r.deadline)).toEqual(['2027-03-01']);
    const again = await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder);
    expect(again.body).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
  });

  it('a P6M task signed on 10 March 2027 is next due on 10 September 2027', async () => {
    t.clock.set('2027-03-10T10:00:00Z');
    const [first] = await chain(halfYearly);
    expect((await signOff(first.id, { outcome: 'done' })).status).toBe(201);
    expect((await chain(halfYearly)).map((r) => [r.deadline, r.cancelled, r.outcome])).toEqual([
      ['2027-03-01', false, 'done'],
      ['2027-09-10', false, null],
    ]);
    // The next one has owners, as any occurrence: the unit's manager.
    const [next] = await open(halfYearly);
    expect(await count(t.db, 'occurrence_owner', 'occurrence_id = $1', [next.id])).toBeGreaterThan(0);
  });

  it('materialising again keeps the next one: it is planned by the chain, not cancelled as unplanned', async () => {
    const res = await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder);
    expect(res.body).toMatchObject({ created: 0, cancelled: 0 });
    expect((await open(halfYearly)).map((r) => r.deadline)).toEqual(['2027-09-10']);
  });

  it('counts from the signing day in Oslo: 23:30 UTC on 31 March is 1 April, so next due 1 October', async () => {
    t.clock.set('2027-03-31T23:30:00Z');
    const [first] = await chain(endOfMonth);
    const signed = await signOff(first.id, { outcome: 'done' });
    expect(signed.status).toBe(201);
    expect(signed.body.late).toBe(true); // 1 April in Oslo, after the 31 March deadline
    expect((await open(endOfMonth)).map((r) => r.deadline)).toEqual(['2027-10-01']);
  });

  it('a correction that revokes the sign-off cancels the next one nobody has signed, with a trace', async () => {
    t.clock.set('2027-04-02T08:00:00Z');
    const [first] = await chain(halfYearly);
    const [record] = await t.db.query(`SELECT id FROM sign_off WHERE occurrence_id = $1`, [first.id]);
    const revoked = await t.http.post(`/api/v1/sign-offs/${record.id}/corrections`).set('Authorization', avdelingsleder).send({ reason: 'Runden ble ikke gjennomført' });
    expect(revoked.status).toBe(201);
    expect((await chain(halfYearly)).map((r) => [r.deadline, r.cancelled, r.outcome])).toEqual([
      ['2027-03-01', false, null], // open again, overdue
      ['2027-09-10', true, null],
    ]);
    const [trace] = await t.db.query(
      `SELECT c.reason, c.actor_id IS NOT NULL AS has_actor FROM occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id
        WHERE o.task_id = $1 AND o.deadline = '2027-09-10' ORDER BY c.id DESC LIMIT 1`,
      [halfYearly],
    );
    expect(trace).toEqual({ reason: 'completion-revoked', has_actor: true });
    // Materialising does not bring it back: nothing was completed since.
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder);
    expect((await open(halfYearly)).map((r) => r.deadline)).toEqual(['2027-03-01']);
  });

  it('signed again, the chain counts from the new signing day', async () => {
    const [first] = await chain(halfYearly);
    expect((await signOff(first.id, { outcome: 'done', comment: 'Gjennomført nå' })).status).toBe(201);
    expect((await open(halfYearly)).map((r) => r.deadline)).toEqual(['2027-10-02']);
  });

  it('counts "not applicable" as done', async () => {
    t.clock.set('2027-10-05T08:00:00Z');
    const [next] = await open(endOfMonth);
    expect((await signOff(next.id, { outcome: 'not_applicable', comment: 'Medisinrommet er stengt for ombygging' })).status).toBe(201);
    expect((await open(endOfMonth)).map((r) => r.deadline)).toEqual(['2028-04-05']);
  });

  it('moves the open next occurrence when the duration changes, with a trace', async () => {
    const res = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${endOfMonth}`).set('Authorization', admin).send({ repeatAfterCompletion: 'P3M' });
    expect(res.status).toBe(200);
    expect((await open(endOfMonth)).map((r) => r.deadline)).toEqual(['2028-01-05']); // 5 October + 3 months
    const [moved] = await t.db.query(
      `SELECT c.reason FROM occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id
        WHERE o.task_id = $1 AND o.deadline = '2028-04-05' AND o.cancelled_at IS NOT NULL`,
      [endOfMonth],
    );
    expect(moved.reason).toBe('task-changed');
  });

  it.each([
    ['no time at all', 'P0D'],
    ['a negative duration', '-P1M'],
    ['more than ten years', 'P100Y'],
    ['a time of day', 'PT12H'],
    ['garbage', 'every six months'],
  ])('refuses %s with 422 naming repeatAfterCompletion, and stores nothing', async (_, duration) => {
    const before = await count(t.db, 'task_definition', 'wheel_id = $1', [wheel]);
    const res = await addTask({ title: 'Ugyldig', repeatAfterCompletion: duration, startsOn: '2027-06-01', responsibleRole: 'manager' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('repeatAfterCompletion');
    expect(await count(t.db, 'task_definition', 'wheel_id = $1', [wheel])).toBe(before);
  });

  it('refuses a task with both an RRULE and a duration, and one with neither', async () => {
    const both = await addTask({ title: 'Begge', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', repeatAfterCompletion: 'P6M', responsibleRole: 'manager' });
    expect(both.status).toBe(422);
    expect(both.body.errors[0].field).toBe('repeatAfterCompletion');
    const neither = await addTask({ title: 'Ingen', responsibleRole: 'manager' });
    expect(neither.status).toBe(422);
    expect(neither.body.errors[0].field).toBe('rrule');
    const badUpdate = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${halfYearly}`).set('Authorization', admin).send({ repeatAfterCompletion: 'P0M' });
    expect(badUpdate.status).toBe(422);
    const [row] = await t.db.query(`SELECT repeat_after_completion FROM task_definition WHERE id = $1`, [halfYearly]);
    expect(row.repeat_after_completion).toBe('P6M');
  });

  it('the database itself refuses a task with no way of recurring', async () => {
    await expect(t.db.query(`UPDATE task_definition SET repeat_after_completion = NULL WHERE id = $1`, [halfYearly])).rejects.toThrow(/task_definition_one_recurrence/);
  });

  it('Administrasjon\'s builder offers «N måneder etter forrige gjennomføring»: it previews the first deadline, explains the next, and saves P6M', async () => {
    const signIn = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.admin });
    const cookie = (signIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const form = { hjul: wheel, tittel: 'Gjennomgang av brannalarmen', ansvar: 'manager', monster: 'after-completion', intervall: '6', maned: '11', dag: '15', startar: '2027' };
    const preview = await t.http.get('/administrasjon').query({ handling: 'forhandsvis', ...form }).set('Cookie', cookie);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('N måneder etter forrige gjennomføring');
    expect(preview.text).toContain('<code>P6M</code>');
    expect(preview.text).toContain('15.11.2027');
    expect(preview.text).toContain('neste frist 6 måneder etter hver gjennomføring');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)![1];
    const saved = await t.http.post('/administrasjon/oppgaver').set('Cookie', cookie).type('form').send({ _csrf: csrf, ...form });
    expect(saved.status).toBe(303);
    const [task] = await t.db.query(`SELECT id, rrule, repeat_after_completion, starts_on FROM task_definition WHERE title = 'Gjennomgang av brannalarmen'`);
    expect(task).toMatchObject({ rrule: null, repeat_after_completion: 'P6M', starts_on: '2027-11-15' });
    // The wheel is in use: its first deadline is made at once (it lies ahead), shifted like the builder's tasks.
    expect((await open(task.id)).map((r) => r.deadline)).toEqual(['2027-11-15']);
    const zero = await t.http.get('/administrasjon').query({ handling: 'forhandsvis', ...form, intervall: '0' }).set('Cookie', cookie);
    expect(zero.text).toContain('Velg antall måneder fra 1 til 120.');
  });

  describe('a duration after a date the recipient holds ("P1Y after vedtak kap. 9")', () => {
    let kap9: string;
    let recipient: string;
    let other: string;

    beforeAll(async () => {
      t.clock.set('2027-10-06T08:00:00Z');
      const res = await addTask({
        title: 'Fornye vedtak etter kapittel 9',
        scope: 'recipient',
        repeatAfterCompletion: 'P1Y',
        repeatAfterDate: 'vedtak kap. 9',
        startsOn: '2027-01-01',
        responsibleRole: 'primary_contact',
        legalBasis: 'Helse- og omsorgstjenesteloven kap. 9',
      });
      expect(res.status).toBe(201);
      kap9 = res.body.id;
      [{ id: recipient }, { id: other }] = await t.db.query(`SELECT id FROM recipient WHERE code IN ('FJV-001', 'FJV-002') ORDER BY code`);
    });

    it('makes nothing for a recipient without the date', async () => {
      expect(await chain(kap9, recipient)).toEqual([]);
      expect(await chain(kap9, other)).toEqual([]);
    });

    it('is due one year after the date once the recipient holds it', async () => {
      const res = await t.http.put(`/api/v1/recipients/${recipient}/dates`).set('Authorization', avdelingsleder).send({ dates: { 'vedtak kap. 9': '2027-01-15' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ dates: { 'vedtak kap. 9': '2027-01-15' } });
      expect((await open(kap9, recipient)).map((r) => r.deadline)).toEqual(['2028-01-15']);
      expect(await chain(kap9, other)).toEqual([]);
      const read = await t.http.get(`/api/v1/recipients/${recipient}/dates`).set('Authorization', primaer);
      expect(read.body).toEqual({ dates: { 'vedtak kap. 9': '2027-01-15' } });
    });

    it('after a sign-off, one year after the signing day', async () => {
      t.clock.set('2027-11-20T10:00:00Z');
      const [next] = await open(kap9, recipient);
      expect((await signOff(next.id, { outcome: 'done' }, primaer)).status).toBe(201);
      expect((await open(kap9, recipient)).map((r) => r.deadline)).toEqual(['2028-11-20']);
    });

    it('a renewed decision, dated later than the last completion, moves the open one', async () => {
      const res = await t.http.put(`/api/v1/recipients/${recipient}/dates`).set('Authorization', avdelingsleder).send({ dates: { 'vedtak kap. 9': '2027-12-01' } });
      expect(res.status).toBe(200);
      expect((await open(kap9, recipient)).map((r) => r.deadline)).toEqual(['2028-12-01']);
    });

    it.each([
      ['a date not in the calendar', { 'vedtak kap. 9': '2027-02-30' }, 'dates.vedtak kap. 9'],
      ['a name holding a fødselsnummer', { 'vedtak 15076500565': '2027-01-01' }, 'dates'],
      ['no dates', {}, 'dates'],
    ])('refuses %s with 422, and changes nothing', async (_, dates, field) => {
      const res = await t.http.put(`/api/v1/recipients/${recipient}/dates`).set('Authorization', avdelingsleder).send({ dates });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe(field);
      const [row] = await t.db.query(`SELECT named_dates FROM recipient WHERE id = $1`, [recipient]);
      expect(row.named_dates).toEqual({ 'vedtak kap. 9': '2027-12-01' });
    });

    it('only the unit’s managers set the dates', async () => {
      const res = await t.http.put(`/api/v1/recipients/${recipient}/dates`).set('Authorization', primaer).send({ dates: { 'vedtak kap. 9': '2028-01-01' } });
      expect(res.status).toBe(403);
    });

    it('refuses a named date on a task that is not a recipient task', async () => {
      const res = await addTask({ title: 'Feil omfang', repeatAfterCompletion: 'P1Y', repeatAfterDate: 'vedtak kap. 9', startsOn: '2027-06-01', responsibleRole: 'manager' });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('repeatAfterDate');
    });
  });
});

/**
 * A duty per employee that repeats after each one's last completion (scope `person` with
 * `repeatAfterCompletion`): in Avdeling Fjellvegen, whose staff are Per Primærkontakt and Siri Ansatt, each has a
 * chain of their own, counted from their own sign-off.
 */
describe('a duty per employee repeating after each one’s last completion', () => {
  let t: TestApp;
  let avdelingsleder: string;
  let siriToken: string;
  let fjellvegen: string;
  let per: string;
  let siri: string;
  let task: string;

  const chainOf = async (person: string): Promise<Row[]> =>
    t.db.query(
      `SELECT id, deadline, cancelled_at IS NOT NULL AS cancelled, standing_outcome AS outcome FROM occurrence
        WHERE task_id = $1 AND unit_id = $2 AND person_id = $3 ORDER BY scheduled_on`,
      [task, fjellvegen, person],
    );
  const shape = async (person: string) => (await chainOf(person)).map((r) => [r.deadline, r.cancelled, r.outcome]);
  const materialise = () => t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder);

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-04T09:00:00Z');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    siriToken = await t.bearer(DEMO_PEOPLE.ansatt);
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    per = await personId(t.db, DEMO_PEOPLE.primaer);
    siri = await personId(t.db, DEMO_PEOPLE.ansatt);
    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kompetanse etter forrige gang', kind: 'custom' });
    const added = await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({
      title: 'Hjerte-lunge-redning: oppfriskning',
      repeatAfterCompletion: 'P6M',
      startsOn: '2027-03-01',
      responsibleRole: 'staff',
      scope: 'person',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ scope: 'person', repeatAfterCompletion: 'P6M', rrule: null });
    task = added.body.id;
    const assigned = await t.http
      .post(`/api/v1/units/${fjellvegen}/wheels`)
      .set('Authorization', avdelingsleder)
      .send({ wheelId: wheel.body.id, fromYear: 2027, includeSubunits: false });
    expect(assigned.status).toBe(201);
    expect((await materialise()).status).toBe(200);
  });
  afterAll(() => t.close());

  it('gives each employee their own first occurrence on the start date, owned by them alone', async () => {
    expect(await shape(per)).toEqual([['2027-03-01', false, null]]);
    expect(await shape(siri)).toEqual([['2027-03-01', false, null]]);
    const [hers] = await chainOf(siri);
    const owners = await t.db.query(`SELECT person_id FROM occurrence_owner WHERE occurrence_id = $1`, [hers.id]);
    expect(owners).toEqual([{ person_id: siri }]);
  });

  it('counts each chain from its own sign-off: Siri signs on 10 March, her next is 10 September; Per’s stays', async () => {
    t.clock.set('2027-03-10T10:00:00Z');
    const [hers] = await chainOf(siri);
    expect((await t.http.post(`/api/v1/occurrences/${hers.id}/sign-offs`).set('Authorization', siriToken).send({ outcome: 'done' })).status).toBe(201);
    expect(await shape(siri)).toEqual([
      ['2027-03-01', false, 'done'],
      ['2027-09-10', false, null],
    ]);
    expect(await shape(per)).toEqual([['2027-03-01', false, null]]);
    const [next] = (await chainOf(siri)).slice(-1);
    const owners = await t.db.query(`SELECT person_id FROM occurrence_owner WHERE occurrence_id = $1`, [next.id]);
    expect(owners).toEqual([{ person_id: siri }]);
    // Materialising again keeps both chains where they stand.
    expect((await materialise()).body).toMatchObject({ created: 0, cancelled: 0 });
  });

  it('gives someone who takes the duty on after its start a month from that day, and keeps it there', async () => {
    t.clock.set('2027-03-12T09:00:00Z');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const nora = await t.http.post('/api/v1/people').set('Authorization', admin).send({ email: 'nora.hlr@demo.kommune.no', displayName: 'Nora Ny' });
    expect(nora.status).toBe(201);
    const given = await t.http.post(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', avdelingsleder).send({ personId: nora.body.id, role: 'staff' });
    expect(given.status).toBe(201);
    expect(await shape(nora.body.id)).toEqual([['2027-04-12', false, null]]);
    t.clock.set('2027-03-25T09:00:00Z');
    expect((await materialise()).body).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
    expect(await shape(nora.body.id)).toEqual([['2027-04-12', false, null]]);
  });

  it('a correction revoking Siri’s sign-off cancels her next one only', async () => {
    const [hers] = await chainOf(siri);
    const [record] = await t.db.query(`SELECT id FROM sign_off WHERE occurrence_id = $1`, [hers.id]);
    const revoked = await t.http.post(`/api/v1/sign-offs/${record.id}/corrections`).set('Authorization', avdelingsleder).send({ reason: 'Kurset ble avlyst' });
    expect(revoked.status).toBe(201);
    expect(await shape(siri)).toEqual([
      ['2027-03-01', false, null],
      ['2027-09-10', true, null],
    ]);
    expect(await shape(per)).toEqual([['2027-03-01', false, null]]);
  });

  it('cancels a leaver’s open chain from today on, and keeps the overdue one as not done', async () => {
    // Per signs on 25 March, so his next lies ahead (25 September); then he leaves the role.
    const perToken = await t.bearer(DEMO_PEOPLE.primaer);
    const [his] = await chainOf(per);
    expect((await t.http.post(`/api/v1/occurrences/${his.id}/sign-offs`).set('Authorization', perToken).send({ outcome: 'done' })).status).toBe(201);
    expect((await shape(per)).slice(-1)).toEqual([['2027-09-25', false, null]]);
    const [assignment] = await t.db.query(`SELECT id FROM role_assignment WHERE person_id = $1 AND unit_id = $2 AND role = 'staff'`, [per, fjellvegen]);
    expect((await t.http.delete(`/api/v1/units/${fjellvegen}/roles/${assignment.id}`).set('Authorization', avdelingsleder)).status).toBe(204);
    expect(await shape(per)).toEqual([
      ['2027-03-01', false, 'done'],
      ['2027-09-25', true, null],
    ]);
    // Siri's overdue one stays hers.
    expect(await shape(siri)).toEqual([
      ['2027-03-01', false, null],
      ['2027-09-10', true, null],
    ]);
  });
});
