import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, createMunicipality, personId, PRIMAERKONTAKTER, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * A recipient's tasks follow the stay (issue 14): nothing after the day they leave, everything due by it;
 * a move keeps the history in the old unit and puts what comes later in the new one; tasks may count
 * from the day they came or the day they leave.
 */
describe('a recipient’s stay', () => {
  let t: TestApp;
  let admin: string;
  let leder: string;
  let avdelingsleder: string;
  let fjellvegen: string;
  let sjogata: string;
  let primaer: string;
  let ansatt: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-10T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    leder = await t.bearer(DEMO_PEOPLE.leder);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    sjogata = await unitId(t.db, 'Avdeling Sjøgata');
    primaer = await personId(t.db, DEMO_PEOPLE.primaer);
    ansatt = await personId(t.db, DEMO_PEOPLE.ansatt);
    const bo = await unitId(t.db, 'Bo og habilitering');
    expect((await t.http.post(`/api/v1/units/${bo}/materialize?year=2027`).set('Authorization', leder)).status).toBe(200);
  });
  afterAll(() => t.close());

  const addRecipient = async (code: string, body: object = {}) => {
    const res = await t.http
      .post('/api/v1/recipients')
      .set('Authorization', avdelingsleder)
      .send({ unitId: fjellvegen, code, activeFrom: '2027-01-01', primaryContactIds: [primaer], ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; activeTo: string | null; stays: object[] };
  };
  const occurrences = (recipientId: string): Promise<Array<{ id: string; unit_id: string; deadline: string; cancelled: boolean; title: string; reason: string | null }>> =>
    t.db.query(
      `SELECT o.id, o.unit_id, o.deadline, o.cancelled_at IS NOT NULL AS cancelled, td.title,
              (SELECT c.reason FROM occurrence_change c WHERE c.occurrence_id = o.id ORDER BY c.id DESC LIMIT 1) AS reason
         FROM occurrence o JOIN task_definition td ON td.id = o.task_id WHERE o.recipient_id = $1 ORDER BY o.deadline`,
      [recipientId],
    );
  const patch = (id: string, body: object, as = avdelingsleder) => t.http.patch(`/api/v1/recipients/${id}`).set('Authorization', as).send(body);

  it('keeps everything due by the day a recipient leaves, and nothing after; the trace says why', async () => {
    const recipient = await addRecipient('FJV-201');
    const all = await occurrences(recipient.id);
    expect(all.some((o) => o.deadline > '2027-06-15')).toBe(true);
    expect(all.some((o) => o.deadline > '2027-01-10' && o.deadline <= '2027-06-15')).toBe(true);

    const res = await patch(recipient.id, { activeTo: '2027-06-15' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ activeTo: '2027-06-15', archived: false });
    const after = await occurrences(recipient.id);
    expect(after.length).toBe(all.length); // cancelled, never deleted
    for (const o of after) {
      if (o.deadline <= '2027-06-15') expect(o).toMatchObject({ cancelled: false });
      else expect(o).toMatchObject({ cancelled: true, reason: 'recipient-left' });
    }
  });

  it('brings the later tasks back when the recipient stays on after all', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM recipient WHERE code = 'FJV-201'`);
    const res = await patch(id, { activeTo: null });
    expect(res.status).toBe(200);
    expect(res.body.activeTo).toBeNull();
    const after = await occurrences(id);
    expect(after.every((o) => !o.cancelled)).toBe(true);
    expect(after.filter((o) => o.deadline > '2027-06-15').every((o) => o.reason === 'recipient-reinstated')).toBe(true);
  });

  it('archiving without a leaving date leaves today: what is due today stays, and reinstating clears it', async () => {
    const recipient = await addRecipient('FJV-202');
    const archived = await patch(recipient.id, { archived: true });
    expect(archived.body).toMatchObject({ archived: true, activeTo: '2027-01-10' });
    expect((await occurrences(recipient.id)).filter((o) => !o.cancelled).every((o) => o.deadline <= '2027-01-10')).toBe(true);
    const reinstated = await patch(recipient.id, { archived: false });
    expect(reinstated.body).toMatchObject({ archived: false, activeTo: null });
    expect((await occurrences(recipient.id)).every((o) => !o.cancelled)).toBe(true);
  });

  it('a move keeps earlier occurrences and their records in the old unit, and puts later ones in the new unit with its primary contacts', async () => {
    const recipient = await addRecipient('FJV-203');
    const [first] = await occurrences(recipient.id);
    expect(first.deadline < '2027-04-01').toBe(true);
    t.clock.set(`${first.deadline}T08:00:00Z`);
    const signed = await t.http.post(`/api/v1/occurrences/${first.id}/sign-offs`).set('Authorization', leder).send({ outcome: 'done', comment: 'Utført før flytting' });
    expect(signed.status).toBe(201);

    const res = await t.http
      .post(`/api/v1/recipients/${recipient.id}/move`)
      .set('Authorization', leder)
      .send({ unitId: sjogata, from: '2027-04-01', primaryContactIds: [ansatt] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      unitId: sjogata,
      primaryContactIds: [ansatt],
      stays: [
        { unitId: fjellvegen, from: '2027-01-01', before: '2027-04-01' },
        { unitId: sjogata, from: '2027-04-01', before: null },
      ],
    });

    const after = await occurrences(recipient.id);
    const earlier = after.filter((o) => o.deadline < '2027-04-01');
    expect(earlier.length).toBeGreaterThan(0);
    expect(earlier.every((o) => o.unit_id === fjellvegen && !o.cancelled)).toBe(true);
    expect(await count(t.db, 'sign_off', 'occurrence_id = $1', [first.id])).toBe(1);
    const oldLater = after.filter((o) => o.unit_id === fjellvegen && o.deadline >= '2027-04-01');
    expect(oldLater.length).toBeGreaterThan(0);
    expect(oldLater.every((o) => o.cancelled && o.reason === 'recipient-moved')).toBe(true);
    const newLater = after.filter((o) => o.unit_id === sjogata);
    expect(newLater.length).toBe(oldLater.length); // the same wheels reach Sjøgata
    expect(newLater.every((o) => !o.cancelled && o.deadline >= '2027-04-01')).toBe(true);
    const owners = await t.db.query(
      `SELECT DISTINCT oo.person_id FROM occurrence_owner oo JOIN occurrence o ON o.id = oo.occurrence_id WHERE o.recipient_id = $1 AND o.unit_id = $2`,
      [recipient.id, sjogata],
    );
    expect(owners).toEqual([{ person_id: ansatt }]);
    expect(await count(t.db, 'audit_log', `entity = 'recipient' AND entity_id = $1 AND action = 'moved'`, [recipient.id])).toBe(1);
    t.clock.set('2027-01-10T08:00:00Z');
  });

  it('counts "Tjenesteplan innen 4 uker etter innflytting" from the day the recipient came', async () => {
    const wheel = await wheelId(t.db, PRIMAERKONTAKTER);
    const task = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({
      title: 'Tjenesteplan innen 4 uker etter innflytting',
      relativeTo: 'activeFrom',
      offset: 'P4W',
      scope: 'recipient',
      responsibleRole: 'primary_contact',
    });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({ rrule: null, relativeTo: 'activeFrom', offset: 'P4W' });
    const recipient = await addRecipient('FJV-204', { activeFrom: '2027-03-01' });
    const plans = (await occurrences(recipient.id)).filter((o) => o.title === task.body.title);
    expect(plans).toMatchObject([{ deadline: '2027-03-29', cancelled: false, unit_id: fjellvegen }]);
  });

  it('makes "Sluttsamtale ved utflytting" when the leaving date is set, and moves it when the date changes', async () => {
    const wheel = await wheelId(t.db, PRIMAERKONTAKTER);
    const task = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({
      title: 'Sluttsamtale/overføringsnotat ved utflytting',
      relativeTo: 'activeTo',
      offset: '-P1W',
      deadlineShift: 'previous',
      scope: 'recipient',
      responsibleRole: 'primary_contact',
    });
    expect(task.status).toBe(201);
    const recipient = await addRecipient('FJV-205');
    const sluttsamtale = async () => (await occurrences(recipient.id)).filter((o) => o.title === task.body.title);
    expect(await sluttsamtale()).toEqual([]);

    await patch(recipient.id, { activeTo: '2027-09-30' });
    expect(await sluttsamtale()).toMatchObject([{ deadline: '2027-09-23', cancelled: false }]);

    // Saturday 6 November: a week before is Saturday 30 October, moved back to Friday the 29th.
    await patch(recipient.id, { activeTo: '2027-11-06' });
    expect(await sluttsamtale()).toMatchObject([
      { deadline: '2027-09-23', cancelled: true, reason: 'recipient-reinstated' },
      { deadline: '2027-10-29', cancelled: false },
    ]);
  });

  it('materialising again after leaving, moving and relative tasks changes nothing', async () => {
    const bo = await unitId(t.db, 'Bo og habilitering');
    const res = await t.http.post(`/api/v1/units/${bo}/materialize?year=2027`).set('Authorization', leder);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
  });

  describe('refuses bad input with a problem naming the field, and changes nothing', () => {
    let recipient: { id: string };
    beforeAll(async () => {
      recipient = await addRecipient('FJV-206', { activeFrom: '2027-02-01' });
    });

    const unchanged = async (run: () => Promise<{ status: number; headers: Record<string, string>; body: { errors?: unknown } }>, status: number, field?: string) => {
      const snapshot = async () => [
        await t.db.query(`SELECT unit_id, active_to FROM recipient WHERE id = $1`, [recipient.id]),
        await t.db.query(`SELECT unit_id, from_date, before_date FROM recipient_stay WHERE recipient_id = $1 ORDER BY from_date`, [recipient.id]),
        await count(t.db, 'occurrence', 'cancelled_at IS NULL'),
        await count(t.db, 'task_definition'),
      ];
      const before = await snapshot();
      const res = await run();
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (field) expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await snapshot()).toEqual(before);
    };
    const move = (body: object, as = leder) => t.http.post(`/api/v1/recipients/${recipient.id}/move`).set('Authorization', as).send(body);
    const relativeTask = async (body: object) =>
      t.http.post(`/api/v1/wheels/${await wheelId(t.db, PRIMAERKONTAKTER)}/tasks`).set('Authorization', admin)
        .send({ title: 'Tjenesteplan', scope: 'recipient', responsibleRole: 'primary_contact', relativeTo: 'activeFrom', offset: 'P4W', ...body });

    it('a leaving date before the day they came', () => unchanged(() => patch(recipient.id, { activeTo: '2027-01-31' }), 422, 'activeTo'));
    it('a leaving date that is no date', () => unchanged(() => patch(recipient.id, { activeTo: '2027-02-30' }), 422, 'activeTo'));
    it('a move to another municipality’s unit', async () => {
      const other = await createMunicipality(t.db, 'Speilvik kommune', 'admin@speilvik.kommune.no');
      await unchanged(() => move({ unitId: other.unitId, from: '2027-05-01' }), 404);
    });
    it('a move by a manager of the old unit only', () => unchanged(() => move({ unitId: sjogata, from: '2027-05-01' }, avdelingsleder), 403));
    it('a move to the unit they are in', () => unchanged(() => move({ unitId: fjellvegen, from: '2027-05-01' }), 422, 'unitId'));
    it('a move dated before the current stay began', () => unchanged(() => move({ unitId: sjogata, from: '2027-01-15' }), 422, 'from'));
    it('a move without a date', () => unchanged(() => move({ unitId: sjogata }), 422, 'from'));
    it.each(['P4X', 'P2Y', 'PT1H', '4W'])('a bad duration %j', (offset) => unchanged(() => relativeTask({ offset }), 422, 'offset'));
    it('a relative task for the unit, not the recipient', () => unchanged(() => relativeTask({ scope: 'unit' }), 422, 'scope'));
    it('a relative task with an RRULE too', () => unchanged(() => relativeTask({ rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1' }), 422, 'rrule'));
    it('a task with neither an RRULE nor relativeTo', () => unchanged(() => relativeTask({ relativeTo: undefined, offset: undefined }), 422, 'rrule'));
    it('an anchor that is not part of the stay', () => unchanged(() => relativeTask({ relativeTo: 'birthday' }), 422, 'relativeTo'));
  });
});
