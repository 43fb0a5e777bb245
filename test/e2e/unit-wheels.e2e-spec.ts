import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, LEDERE, personId, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * The unit's own wheel (issue 13, part 2): a manager of Bo og habilitering shapes, publishes and assigns a
 * wheel of her unit without an administrator; a wheel in use is replaced from a date by a draft; a unit
 * below switches a task off for itself. Run as the demo people, against the real database.
 */
describe("a unit's own wheel", () => {
  let t: TestApp;
  let admin: string;
  let leder: string;
  let avdelingsleder: string;
  let ansatt: string;
  let bo: string;
  let fjellvegen: string;
  let sjogata: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    [admin, leder, avdelingsleder, ansatt] = await Promise.all([DEMO_PEOPLE.admin, DEMO_PEOPLE.leder, DEMO_PEOPLE.avdelingsleder, DEMO_PEOPLE.ansatt].map((e) => t.bearer(e)));
    bo = await unitId(t.db, 'Bo og habilitering');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    sjogata = await unitId(t.db, 'Avdeling Sjøgata');
    // Next year planned for the whole service, as the December job does.
    expect((await t.http.post(`/api/v1/units/${bo}/materialize?year=2027`).set('Authorization', leder)).status).toBe(200);
  });
  afterAll(() => t.close());

  const api = {
    post: (path: string, who: string, body: object = {}) => t.http.post(`/api/v1${path}`).set('Authorization', who).send(body),
    patch: (path: string, who: string, body: object) => t.http.patch(`/api/v1${path}`).set('Authorization', who).send(body),
    get: (path: string, who: string) => t.http.get(`/api/v1${path}`).set('Authorization', who),
  };

  /** The live (not cancelled) deadlines of a wheel's task in a unit. */
  const live = (taskId: string, unit: string) =>
    t.db
      .query(`SELECT deadline FROM occurrence WHERE task_id = $1 AND unit_id = $2 AND cancelled_at IS NULL ORDER BY deadline`, [taskId, unit])
      .then((rows: Array<{ deadline: string }>) => rows.map((r) => r.deadline));

  /** A published wheel of Bo og habilitering with one monthly task, made by its manager. */
  async function publishedWheel(name: string, rrule: string): Promise<{ wheel: string; task: string }> {
    const wheel = await api.post('/wheels', leder, { name, kind: 'manager', ownerUnitId: bo });
    expect(wheel.status).toBe(201);
    const task = await api.post(`/wheels/${wheel.body.id}/tasks`, leder, { title: `${name}: månedlig gjennomgang`, rrule, startsOn: '2027-01-01', responsibleRole: 'manager' });
    expect(task.status).toBe(201);
    expect((await api.post(`/wheels/${wheel.body.id}/publish`, leder)).status).toBe(200);
    return { wheel: wheel.body.id, task: task.body.id };
  }

  it('a manager of Bo og habilitering creates, shapes, publishes and assigns a wheel without an administrator', async () => {
    const created = await api.post('/wheels', leder, { name: 'Årshjul for ledere — Bo og habilitering', kind: 'manager', ownerUnitId: bo });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', ownerUnitId: bo, replacesWheelId: null });
    const wheel = created.body.id;
    // It goes into use only by publishing, which looks at its rows first.
    const straightIn = await api.post('/wheels', leder, { name: 'Rett i bruk', kind: 'manager', ownerUnitId: bo, status: 'active' });
    expect(straightIn.status).toBe(422);
    expect(straightIn.body.errors[0].field).toBe('status');

    const hms = await api.post(`/wheels/${wheel}/tasks`, leder, { title: 'Planlegg HMS-dag', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=20', startsOn: '2027-01-01', responsibleRole: 'manager', storedIn: 'Compilo' });
    expect(hms.status).toBe(201);
    // As the import leaves a row whose Ansvar it did not understand.
    const flagged = await api.post(`/wheels/${wheel}/tasks`, leder, {
      title: 'Ressursfordelingskartlegging',
      rrule: 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO',
      startsOn: '2027-01-01',
      responsibleRole: 'manager',
      reviewNote: 'Ansvar «Ressursfordelingsteam» er ikke en rolle i kommunen',
    });
    expect(flagged.status).toBe(201);
    const edited = await api.patch(`/wheels/${wheel}/tasks/${hms.body.id}`, leder, { title: 'Planlegg HMS-dag for avdelingene', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=20' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Planlegg HMS-dag for avdelingene', reviewNote: null });

    // Hers to shape; not the manager's of Avdeling Fjellvegen below.
    expect((await api.get('/wheels?editable=true', leder)).body.map((w: { id: string }) => w.id)).toContain(wheel);
    expect((await api.get('/wheels?editable=true', avdelingsleder)).body.map((w: { id: string }) => w.id)).not.toContain(wheel);
    expect((await api.get(`/wheels?ownerUnitId=${bo}&status=draft`, ansatt)).body.map((w: { id: string }) => w.id)).toEqual([wheel]);

    // A draft cannot be assigned, and yields no occurrences.
    const early = await api.post(`/units/${fjellvegen}/wheels`, leder, { wheelId: wheel, fromYear: 2027 });
    expect(early.status).toBe(409);
    expect(early.body.type).toBe('/problems/wheel-is-draft');
    expect(await count(t.db, 'wheel_assignment', 'wheel_id = $1', [wheel])).toBe(0);

    // Not published while a row must be looked at: the problem lists it, and nothing changes.
    const refused = await api.post(`/wheels/${wheel}/publish`, leder);
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.type).toBe('/problems/rows-need-review');
    expect(refused.body.errors).toEqual([{ field: `tasks.${flagged.body.id}`, message: expect.stringContaining('Ressursfordelingsteam') }]);
    expect((await api.get(`/wheels/${wheel}`, leder)).body.status).toBe('draft');

    // She resolves the row: a role chosen, the note cleared.
    expect((await api.patch(`/wheels/${wheel}/tasks/${flagged.body.id}`, leder, { responsibleRole: 'manager', reviewNote: null })).status).toBe(200);
    const published = await api.post(`/wheels/${wheel}/publish`, leder);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'active', assignments: [] });
    expect((await api.post(`/wheels/${wheel}/publish`, leder)).status).toBe(409);

    // In use: she changes it through a draft, not in place.
    const inPlace = await api.post(`/wheels/${wheel}/tasks`, leder, { title: 'Ny rad', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1', responsibleRole: 'manager' });
    expect(inPlace.status).toBe(409);
    expect(inPlace.body.type).toBe('/problems/wheel-in-use');

    const assigned = await api.post(`/units/${fjellvegen}/wheels`, leder, { wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect(assigned.status).toBe(201);
    expect(await live(hms.body.id, fjellvegen)).toEqual(['2027-03-20']);
    expect(await live(flagged.body.id, fjellvegen)).toEqual(['2027-11-22']);

    const lederId = await personId(t.db, DEMO_PEOPLE.leder);
    const logged = await t.db.query(`SELECT action, entity FROM audit_log WHERE actor_id = $1 AND (entity_id = $2 OR entity_id = $3 OR entity_id = $4) ORDER BY at, action`, [
      lederId,
      wheel,
      hms.body.id,
      assigned.body.id,
    ]);
    expect(logged.map((r: { action: string; entity: string }) => `${r.entity} ${r.action}`)).toEqual(
      expect.arrayContaining(['wheel created', 'task created', 'task updated', 'wheel published', 'wheel_assignment assigned']),
    );
  });

  it("she cannot shape a wheel of a unit outside her part of the tree, nor the municipality's own wheels", async () => {
    const helse = await unitId(t.db, 'Helse og omsorg');
    const outside = await api.post('/units', admin, { name: 'Helsestasjonen', parentId: helse });
    expect(outside.status).toBe(201);
    const theirs = await api.post('/wheels', admin, { name: 'Årshjul for helsestasjonen', kind: 'custom', ownerUnitId: outside.body.id });
    expect(theirs.status).toBe(201);
    expect(theirs.body.status).toBe('draft');
    const municipality = await wheelId(t.db, LEDERE);
    const before = await count(t.db, 'task_definition');

    const refusals = await Promise.all([
      api.patch(`/wheels/${theirs.body.id}`, leder, { name: 'Kapret' }),
      api.post(`/wheels/${theirs.body.id}/tasks`, leder, { title: 'Ny rad', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1', responsibleRole: 'manager' }),
      api.post(`/wheels/${theirs.body.id}/publish`, leder),
      api.post('/wheels', leder, { name: 'Mitt hjul', kind: 'custom', ownerUnitId: outside.body.id }),
      api.post('/wheels', leder, { name: 'Kommunens hjul', kind: 'custom' }),
      api.patch(`/wheels/${municipality}`, leder, { name: 'Kapret' }),
      api.post(`/wheels/${municipality}/drafts`, leder),
      api.post(`/wheels/${municipality}/copy`, leder, {}),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    expect(refusals[0].body.type).toBe('/problems/forbidden');
    expect(await count(t.db, 'task_definition')).toBe(before);

    // The manager of Avdeling Fjellvegen shapes his own unit's wheels, not those of the unit above.
    const boWheel = (await api.get(`/wheels?ownerUnitId=${bo}`, avdelingsleder)).body[0].id;
    expect((await api.patch(`/wheels/${boWheel}`, avdelingsleder, { name: 'Kapret' })).status).toBe(403);
    const his = await api.post('/wheels', avdelingsleder, { name: 'Fjellvegens årshjul', kind: 'custom', ownerUnitId: fjellvegen });
    expect(his.status).toBe(201);

    // Copies: from the library (the municipality's wheel) and from another unit's wheel she can read, into her unit.
    const fromLibrary = await api.post(`/wheels/${municipality}/copy`, leder, { ownerUnitId: bo, name: 'Lederhjulet, vår utgave' });
    expect(fromLibrary.status).toBe(201);
    expect(fromLibrary.body).toMatchObject({ status: 'draft', ownerUnitId: bo, copiedFromWheelId: municipality, name: 'Lederhjulet, vår utgave' });
    expect(await count(t.db, 'task_definition', 'wheel_id = $1', [fromLibrary.body.id])).toBe(await count(t.db, 'task_definition', 'wheel_id = $1 AND archived_at IS NULL', [municipality]));
    expect((await api.post(`/wheels/${theirs.body.id}/copy`, leder, { ownerUnitId: bo })).status).toBe(201);

    // A unit's wheel is used in its own part of the tree: Fjellvegen's wheel is not for Avdeling Sjøgata.
    await api.post(`/wheels/${his.body.id}/tasks`, avdelingsleder, { title: 'Brannøvelse', rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1', responsibleRole: 'manager' });
    expect((await api.post(`/wheels/${his.body.id}/publish`, avdelingsleder)).status).toBe(200);
    const elsewhere = await api.post(`/units/${sjogata}/wheels`, leder, { wheelId: his.body.id, fromYear: 2027 });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.errors[0].field).toBe('wheelId');
  });

  it('replacing a wheel in use from a date leaves past occurrences and records untouched and moves the future', async () => {
    t.clock.set('2026-12-15T08:00:00Z');
    const old = await publishedWheel('Brannvern', 'FREQ=MONTHLY;BYMONTHDAY=10');
    expect((await api.post(`/units/${fjellvegen}/wheels`, leder, { wheelId: old.wheel, fromYear: 2027, includeSubunits: false })).status).toBe(201);
    expect(await live(old.task, fjellvegen)).toHaveLength(12);

    t.clock.set('2027-02-20T09:00:00Z');
    const occurrence = async (deadline: string) =>
      (await t.db.query(`SELECT id FROM occurrence WHERE task_id = $1 AND unit_id = $2 AND deadline = $3`, [old.task, fjellvegen, deadline]))[0].id as string;
    // January signed late; April signed ahead of time (after the date it is replaced from).
    for (const day of ['2027-01-10', '2027-04-10']) {
      const signed = await api.post(`/occurrences/${await occurrence(day)}/sign-offs`, avdelingsleder, { outcome: 'done', comment: 'Gjennomført' });
      expect(signed.status).toBe(201);
    }
    const records = await count(t.db, 'sign_off');
    const before = await t.db.query(`SELECT id, deadline, cancelled_at, updated_at FROM occurrence WHERE task_id = $1 AND deadline < '2027-03-01' ORDER BY deadline`, [old.task]);

    const draft = await api.post(`/wheels/${old.wheel}/drafts`, leder);
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', replacesWheelId: old.wheel, ownerUnitId: bo, name: 'Brannvern' });
    expect((await api.post(`/wheels/${old.wheel}/drafts`, leder)).status).toBe(409); // one draft at a time
    const [copied] = (await api.get(`/wheels/${draft.body.id}/tasks`, leder)).body;
    expect((await api.patch(`/wheels/${draft.body.id}/tasks/${copied.id}`, leder, { rrule: 'FREQ=MONTHLY;BYMONTHDAY=20' })).status).toBe(200);
    const added = await api.post(`/wheels/${draft.body.id}/tasks`, leder, { title: 'Kontroller slokkeutstyr', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15', startsOn: '2027-01-01', responsibleRole: 'manager' });
    expect(added.status).toBe(201);

    const noDate = await api.post(`/wheels/${draft.body.id}/publish`, leder);
    expect(noDate.status).toBe(422);
    expect(noDate.body.errors[0].field).toBe('replacesFrom');
    expect((await api.post(`/wheels/${draft.body.id}/publish`, leder, { replacesFrom: '2027-02-01' })).status).toBe(422);
    expect((await api.get(`/wheels/${draft.body.id}`, leder)).body.status).toBe('draft');

    const published = await api.post(`/wheels/${draft.body.id}/publish`, leder, { replacesFrom: '2027-03-01' });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'active', replacesFrom: '2027-03-01' });
    expect(published.body.assignments).toEqual([expect.objectContaining({ unitId: fjellvegen, startsOn: '2027-03-01', fromYear: 2027 })]);

    // The old wheel: everything before the date as it was, the signed April record kept, the rest from March gone.
    expect(await live(old.task, fjellvegen)).toEqual(['2027-01-10', '2027-02-10', '2027-04-10']);
    expect(await t.db.query(`SELECT id, deadline, cancelled_at, updated_at FROM occurrence WHERE task_id = $1 AND deadline < '2027-03-01' ORDER BY deadline`, [old.task])).toEqual(before);
    expect(await count(t.db, 'sign_off')).toBe(records);
    // The new wheel from the date on.
    expect(await live(copied.id, fjellvegen)).toEqual(['2027-03-20', '2027-04-20', '2027-05-20', '2027-06-20', '2027-07-20', '2027-08-20', '2027-09-20', '2027-10-20', '2027-11-20', '2027-12-20']);
    expect(await live(added.body.id, fjellvegen)).toEqual(['2027-06-15']);

    // Traced: who and why.
    const lederId = await personId(t.db, DEMO_PEOPLE.leder);
    const traced = await count(t.db, 'occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id', `o.task_id = $1 AND c.reason = 'wheel-replaced' AND c.actor_id = $2`, [old.task, lederId]);
    expect(traced).toBe(9); // March, and May to December
    const wheels = (await api.get(`/units/${fjellvegen}/wheels`, leder)).body;
    expect(wheels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ wheelId: old.wheel, endsBefore: '2027-03-01' }),
        expect.objectContaining({ wheelId: draft.body.id, startsOn: '2027-03-01', endsBefore: null }),
      ]),
    );
    expect((await api.get(`/audit/verify?unitId=${fjellvegen}`, leder)).body.valid).toBe(true);

    // Replaced once: no second draft, no new assignment of the old wheel.
    expect((await api.post(`/wheels/${old.wheel}/drafts`, leder)).body.type).toBe('/problems/wheel-replaced');
    expect((await api.post(`/units/${sjogata}/wheels`, leder, { wheelId: old.wheel, fromYear: 2027 })).body.type).toBe('/problems/wheel-replaced');
  });

  it('a unit switches a task off for itself with a reason; its future occurrences go (traced) and come back when it ends; the unit above sees it', async () => {
    t.clock.set('2027-02-20T09:00:00Z');
    const wheel = await publishedWheel('Tilsyn med medisinrom', 'FREQ=MONTHLY;BYMONTHDAY=5');
    expect((await api.post(`/units/${bo}/wheels`, leder, { wheelId: wheel.wheel, fromYear: 2027, includeSubunits: true })).status).toBe(201);
    const months = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2027-${String(from + i).padStart(2, '0')}-05`);
    expect(await live(wheel.task, fjellvegen)).toEqual(months(3, 12));

    // Staff may not; a reason with a fødselsnummer is refused; the past cannot be switched off.
    const body = { taskId: wheel.task, reason: 'Gjøres sentralt av Bo og habilitering', from: '2027-05-01' };
    expect((await api.post(`/units/${fjellvegen}/task-opt-outs`, ansatt, body)).status).toBe(403);
    const fnr = await api.post(`/units/${fjellvegen}/task-opt-outs`, avdelingsleder, { ...body, reason: 'Gjelder 150765 00565' });
    expect(fnr.status).toBe(422);
    expect(fnr.body.errors[0].field).toBe('reason');
    expect((await api.post(`/units/${fjellvegen}/task-opt-outs`, avdelingsleder, { ...body, from: '2027-01-01' })).status).toBe(422);
    expect(await count(t.db, 'task_opt_out')).toBe(0);

    const optedOut = await api.post(`/units/${fjellvegen}/task-opt-outs`, avdelingsleder, body);
    expect(optedOut.status).toBe(201);
    expect(optedOut.body).toMatchObject({ unitName: 'Avdeling Fjellvegen', taskId: wheel.task, reason: body.reason, from: '2027-05-01', endedOn: null, createdBy: 'Anne Avdelingsleder' });
    expect(await live(wheel.task, fjellvegen)).toEqual(months(3, 4));
    expect(await live(wheel.task, sjogata)).toEqual(months(3, 12)); // the other departments keep it
    expect((await api.post(`/units/${fjellvegen}/task-opt-outs`, avdelingsleder, { ...body, from: '2027-06-01' })).status).toBe(409);
    const anneId = await personId(t.db, DEMO_PEOPLE.avdelingsleder);
    const cancelled = `o.task_id = $1 AND o.unit_id = $2 AND c.reason = $3 AND c.actor_id = $4`;
    expect(await count(t.db, 'occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id', cancelled, [wheel.task, fjellvegen, 'task-opted-out', anneId])).toBe(8);

    // The unit above sees which units did, and why.
    const seen = await api.get(`/units/${bo}/task-opt-outs?subtree=true`, leder);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual([expect.objectContaining({ unitId: fjellvegen, taskTitle: 'Tilsyn med medisinrom: månedlig gjennomgang', reason: body.reason, from: '2027-05-01' })]);
    expect((await api.get(`/units/${bo}/task-opt-outs`, leder)).body).toEqual([]);

    // On again from September: September to December come back, May to August stay off.
    const ended = await api.post(`/units/${fjellvegen}/task-opt-outs/${optedOut.body.id}/end`, avdelingsleder, { from: '2027-09-01' });
    expect(ended.status).toBe(200);
    expect(ended.body.endedOn).toBe('2027-09-01');
    expect(await live(wheel.task, fjellvegen)).toEqual([...months(3, 4), ...months(9, 12)]);
    expect(await count(t.db, 'occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id', cancelled, [wheel.task, fjellvegen, 'task-opt-out-ended', anneId])).toBe(4);
    expect((await api.get(`/units/${bo}/task-opt-outs?subtree=true&current=true`, leder)).body).toHaveLength(1); // in force until September
    const logged = await t.db.query(`SELECT action FROM audit_log WHERE entity = 'task_opt_out' AND entity_id = $1 ORDER BY at`, [optedOut.body.id]);
    expect(logged.map((r: { action: string }) => r.action)).toEqual(['opted-out', 'ended']);
  });
});
