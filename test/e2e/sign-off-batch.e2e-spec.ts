import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, createMunicipality, personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

interface Item {
  occurrenceId: string;
  title: string;
  recipientCode: string | null;
  status: string;
  person: { displayName: string } | null;
  people?: Item[];
}

const CHECKUP = 'Påse at årskontroll hos fastlege er bestilt';
const MEDICINES = 'Legemiddelhåndtering: opplæring og kunnskapsprøve';

describe('signing off many occurrences in one request', () => {
  let t: TestApp;
  let fjellvegen: string;
  let primaer: string;
  let avdelingsleder: string;
  let ansatt: string;
  let february: Item[];
  let april: Item[];
  let foreignOccurrence: string;

  const items = async (month: string): Promise<Item[]> => {
    const res = await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=${month}`).set('Authorization', avdelingsleder);
    return res.body.groups.flatMap((g: { items: Item[] }) => g.items);
  };
  const checkup = (code: string) => february.find((i) => i.title === CHECKUP && i.recipientCode === code)!.occurrenceId;
  const batch = (body: unknown, as = primaer) => t.http.post('/api/v1/sign-offs/batch').set('Authorization', as).send(body as object);
  const records = () => count(t.db, 'sign_off');

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    primaer = await t.bearer(DEMO_PEOPLE.primaer);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    ansatt = await t.bearer(DEMO_PEOPLE.ansatt);
    const admin = await t.bearer(DEMO_PEOPLE.admin);

    // A duty per employee (scope `person`), beside the seed wheels.
    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kompetanse per ansatt', kind: 'custom' });
    const task = await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({
      title: MEDICINES, rrule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15', startsOn: '2027-01-01', responsibleRole: 'staff', scope: 'person',
    });
    expect(task.status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/wheels`).set('Authorization', avdelingsleder).send({ wheelId: wheel.body.id, fromYear: 2027 })).status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder)).status).toBeLessThan(300);

    // Another municipality's occurrence: never found from Demo kommune.
    const other = await createMunicipality(t.db, 'Speilvik kommune', 'admin@speilvik.kommune.no');
    const otherAdmin = await t.bearer('admin@speilvik.kommune.no');
    const otherWheel = await t.http.post('/api/v1/wheels').set('Authorization', otherAdmin).send({ name: 'Speilviks årshjul', kind: 'manager' });
    await t.http.post(`/api/v1/wheels/${otherWheel.body.id}/tasks`).set('Authorization', otherAdmin).send({
      title: 'Planlegg HMS-dag', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=26', startsOn: '2027-01-01', responsibleRole: 'manager',
    });
    await t.http.post(`/api/v1/units/${other.unitId}/wheels`).set('Authorization', otherAdmin).send({ wheelId: otherWheel.body.id, fromYear: 2027 });
    await t.http.post(`/api/v1/units/${other.unitId}/materialize?year=2027`).set('Authorization', otherAdmin);
    [{ id: foreignOccurrence }] = await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 LIMIT 1`, [other.unitId]);

    t.clock.set('2027-02-24T13:00:00Z');
    february = await items('2027-02');
    april = await items('2027-04');
  });
  afterAll(() => t.close());

  it('signs three occurrences as three records, answered in order, and the chain verifies', async () => {
    const ids = ['FJV-001', 'FJV-002', 'FJV-003'].map(checkup);
    const before = await records();
    const res = await batch({ items: ids.map((occurrenceId, i) => ({ occurrenceId, outcome: 'done', comment: `Time bestilt ${i + 1}` })) });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { occurrenceId: string; status: number }) => [r.occurrenceId, r.status])).toEqual(ids.map((id) => [id, 201]));
    expect(res.body.results[1].signOff).toMatchObject({
      occurrenceId: ids[1],
      kind: 'sign_off',
      outcome: 'done',
      comment: 'Time bestilt 2',
      storedIn: 'Helseplattformen',
      signedBy: { displayName: 'Per Primærkontakt' },
      snapshot: { taskTitle: CHECKUP, recipientCode: 'FJV-002' },
    });
    expect(await records()).toBe(before + 3);
    // Each its own link in the unit's chain, one after the other.
    const sequences = res.body.results.map((r: { signOff: { sequence: number } }) => r.signOff.sequence);
    expect(sequences).toEqual([sequences[0], sequences[0] + 1, sequences[0] + 2]);
    expect(res.body.results[1].signOff.previousHash).toBe(res.body.results[0].signOff.hash);

    const verify = await t.http.get(`/api/v1/audit/verify?unitId=${fjellvegen}`).set('Authorization', avdelingsleder);
    expect(verify.body).toMatchObject({ valid: true, records: await count(t.db, 'sign_off', 'unit_id = $1', [fjellvegen]), problemCount: 0, standingProblemCount: 0 });
    const now = await items('2027-02');
    for (const id of ids) expect(now.find((i) => i.occurrenceId === id)!.status).toBe('done');
    // The answer showed three recipients' codes: that read is logged.
    const [read] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'POST /api/v1/sign-offs/batch' ORDER BY at DESC LIMIT 1`);
    expect(read.recipient_codes).toEqual(['FJV-001', 'FJV-002', 'FJV-003']);
  });

  it('answers a refused item with its own problem, and signs the others', async () => {
    const already = checkup('FJV-001'); // signed above
    const notYours = february.find((i) => i.title === 'Planlegg HMS-dag')!.occurrenceId; // the managers'
    const unknown = '00000000-0000-4000-8000-000000000000';
    const [open1, open2] = ['FJV-004', 'FJV-005'].map(checkup);
    const before = await records();
    const res = await batch({
      items: [open1, already, notYours, unknown, foreignOccurrence, open2].map((occurrenceId) => ({ occurrenceId, outcome: 'done' })),
    });
    expect(res.status).toBe(200);
    const answers = res.body.results.map((r: { occurrenceId: string; status: number; problem?: { type: string } }) => [r.occurrenceId, r.status, r.problem?.type]);
    expect(answers).toEqual([
      [open1, 201, undefined],
      [already, 409, '/problems/already-signed'],
      [notYours, 403, '/problems/not-your-task'],
      [unknown, 404, '/problems/not-found'],
      [foreignOccurrence, 404, '/problems/not-found'], // another municipality's: as if it did not exist
      [open2, 201, undefined],
    ]);
    expect(res.body.results[1].problem).toMatchObject({ title: 'Konflikt', detail: expect.stringMatching(/signed off already/) });
    expect(res.body.results[1].signOff).toBeUndefined();
    expect(await records()).toBe(before + 2);
    expect(await count(t.db, 'sign_off', 'occurrence_id = ANY($1)', [[notYours, foreignOccurrence]])).toBe(0);
  });

  it('checks each item’s content as the single sign-off does: not applicable needs a comment', async () => {
    const [a, b] = ['FJV-006', 'FJV-007'].map(checkup);
    const res = await batch({ items: [{ occurrenceId: a, outcome: 'not_applicable' }, { occurrenceId: b, outcome: 'not_applicable', comment: 'Flyttet ut i januar' }] });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ occurrenceId: a, status: 422, problem: { type: '/problems/validation', errors: [{ field: 'comment' }] } });
    expect(res.body.results[1]).toMatchObject({ occurrenceId: b, status: 201, signOff: { outcome: 'not_applicable' } });
  });

  it('lets a manager sign employees’ own duties in one batch, each on the person’s behalf', async () => {
    const row = april.find((i) => i.title === MEDICINES)!;
    const [siris, pers] = ['Siri Ansatt', 'Per Primærkontakt'].map((name) => row.people!.find((p) => p.person!.displayName === name)!.occurrenceId);
    // Another employee may not sign Per's duty, in a batch as alone.
    const refused = await batch({ items: [{ occurrenceId: pers, outcome: 'done' }] }, ansatt);
    expect(refused.body.results[0]).toMatchObject({ status: 403, problem: { type: '/problems/not-your-task' } });

    const res = await batch({ items: [siris, pers].map((occurrenceId) => ({ occurrenceId, outcome: 'done', comment: 'Kunnskapsprøve bestått' })) }, avdelingsleder);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
    expect(res.body.results[0].signOff).toMatchObject({
      signedBy: { displayName: 'Anne Avdelingsleder' },
      onBehalfOf: { id: await personId(t.db, DEMO_PEOPLE.ansatt), displayName: 'Siri Ansatt' },
      snapshot: { person: { displayName: 'Siri Ansatt' } },
    });
    expect(res.body.results[1].signOff.onBehalfOf).toMatchObject({ displayName: 'Per Primærkontakt' });
    const verify = await t.http.get(`/api/v1/audit/verify?unitId=${fjellvegen}`).set('Authorization', avdelingsleder);
    expect(verify.body).toMatchObject({ valid: true, problemCount: 0 });
  });

  describe('refuses a malformed request whole, with 422 naming the field, and records nothing', () => {
    const open = () => checkup('FJV-008');
    const cases: Array<[string, () => unknown, string]> = [
      ['no list', () => ({ items: { occurrenceId: open(), outcome: 'done' } }), 'items'],
      ['an empty list', () => ({ items: [] }), 'items'],
      ['more than 100 items', () => ({ items: Array.from({ length: 101 }, () => ({ occurrenceId: open(), outcome: 'done' })) }), 'items'],
      ['no body', () => ({}), 'items'],
      ['an unknown field beside the list', () => ({ items: [{ occurrenceId: open(), outcome: 'done' }], dryRun: true }), 'dryRun'],
      ['an unknown field in an item', () => ({ items: [{ occurrenceId: open(), outcome: 'done', signedBy: 'x' }] }), 'items.0.signedBy'],
      ['an id that is not a uuid', () => ({ items: [{ occurrenceId: open(), outcome: 'done' }, { occurrenceId: 'FJV-009', outcome: 'done' }] }), 'items.1.occurrenceId'],
      ['an item that is not an object', () => ({ items: [{ occurrenceId: open(), outcome: 'done' }, 'x'] }), 'items.1'],
      ['an unknown outcome', () => ({ items: [{ occurrenceId: open(), outcome: 'finished' }] }), 'items.0.outcome'],
      ['a fødselsnummer in a comment', () => ({ items: [{ occurrenceId: open(), outcome: 'done', comment: 'Gjelder 15076500565' }] }), 'items.0.comment'],
      [
        'the same occurrence twice',
        () => ({ items: [{ occurrenceId: open(), outcome: 'done' }, { occurrenceId: checkup('FJV-009'), outcome: 'done' }, { occurrenceId: open().toUpperCase(), outcome: 'done' }] }),
        'items.2.occurrenceId',
      ],
    ];
    it.each(cases)('%s', async (_name, body, field) => {
      const before = await records();
      const res = await batch(body());
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.type).toBe('/problems/validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await records()).toBe(before);
    });

    it('a body past the size limit: 413', async () => {
      const before = await records();
      const res = await batch({ items: Array.from({ length: 100 }, () => ({ occurrenceId: open(), outcome: 'done', comment: 'x'.repeat(1500) })) });
      expect(res.status).toBe(413);
      expect(await records()).toBe(before);
    });
  });
});
