import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { seal } from '../../src/records/canonical';
import { ChainHead, ChainMovedError, contentOf, insertSealedTogether, RecordRow, sealAfter } from '../../src/records/services/record-chain';
import { count, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Sign-offs of a municipality's units that arrive together share their read and their insert: one statement,
 * one transaction and one commit for the batch (group commit, issue 18), while each answer is its own.
 */
describe('sign-offs of several units at once', () => {
  let t: TestApp;
  let leder: string;
  const units = ['Avdeling Fjellvegen', 'Avdeling Sjøgata', 'Avdeling Åsen'];
  const unitIds: string[] = [];
  /** Four open occurrences of February 2027 in each unit. */
  const open = new Map<string, string[]>();

  const signOff = (occurrenceId: string, body: object = { outcome: 'done', comment: 'Utført' }) =>
    t.http.post(`/api/v1/occurrences/${occurrenceId}/sign-offs`).set('Authorization', leder).send(body);

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    leder = await t.bearer(DEMO_PEOPLE.leder); // manager of Bo og habilitering: may sign in each of its units
    for (const name of units) {
      const unit = await unitId(t.db, name);
      unitIds.push(unit);
      expect((await t.http.post(`/api/v1/units/${unit}/materialize?year=2027`).set('Authorization', leder)).status).toBe(200);
    }
    t.clock.set('2027-02-24T13:00:00Z');
    for (const unit of unitIds) {
      const res = await t.http.get(`/api/v1/units/${unit}/checklist?month=2027-02`).set('Authorization', leder);
      const items = res.body.groups.flatMap((g: { items: Array<{ occurrenceId: string; status: string }> }) => g.items);
      open.set(unit, items.filter((i: { status: string }) => i.status !== 'done').slice(0, 4).map((i: { occurrenceId: string }) => i.occurrenceId));
      expect(open.get(unit)).toHaveLength(4);
    }
  });
  afterAll(() => t.close());

  it('gives each its own record, and keeps every chain whole', async () => {
    const occurrences = unitIds.flatMap((unit) => open.get(unit)!);
    const answers = await Promise.all(occurrences.map((id) => signOff(id)));
    expect(answers.map((a) => a.status)).toEqual(occurrences.map(() => 201));
    expect(answers.map((a) => a.body.occurrenceId)).toEqual(occurrences);

    const records: RecordRow[] = await t.db.query(
      `SELECT * FROM sign_off WHERE occurrence_id = ANY($1) ORDER BY unit_id, sequence`,
      [occurrences],
    );
    expect(records).toHaveLength(12);
    // Each answer is the record as stored.
    for (const answer of answers) expect(records.find((r) => r.id === answer.body.id)!.hash).toBe(answer.body.hash);
    // Each unit's chain: sequences 1..4, each record after the one before, each hash over its content.
    for (const unit of unitIds) {
      const chain = records.filter((r) => r.unit_id === unit);
      expect(chain.map((r) => Number(r.sequence))).toEqual([1, 2, 3, 4]);
      chain.forEach((r, i) => {
        expect(seal(contentOf(r)).hash).toBe(r.hash);
        expect(r.previous_hash).toBe(i === 0 ? '0'.repeat(64) : chain[i - 1].hash);
      });
    }
  });

  it('refuses only the sign-off that cannot be made, and lets the others of its batch through', async () => {
    const signed = open.get(unitIds[0])![0];
    const fresh = [];
    for (const unit of unitIds) {
      const res = await t.http.get(`/api/v1/units/${unit}/checklist?month=2027-02`).set('Authorization', leder);
      const items = res.body.groups.flatMap((g: { items: Array<{ occurrenceId: string; status: string }> }) => g.items);
      fresh.push(...items.filter((i: { status: string }) => i.status !== 'done').slice(0, 2).map((i: { occurrenceId: string }) => i.occurrenceId));
    }
    const before = await count(t.db, 'sign_off');
    const answers = await Promise.all([
      signOff(signed),
      signOff(fresh[0]),
      signOff(fresh[1], { outcome: 'not_applicable' }), // not applicable needs a comment saying why: 422
      ...fresh.slice(2).map((id) => signOff(id)),
    ]);
    expect(answers.map((a) => a.status)).toEqual([409, 201, 422, 201, 201, 201, 201]);
    expect(answers[0].body.type).toBe('/problems/already-signed');
    expect(await count(t.db, 'sign_off')).toBe(before + 5);
    expect(await count(t.db, 'sign_off', 'occurrence_id = $1', [signed])).toBe(1);
  });

  it('inserts records of several units in one transaction, and skips only the one whose place is taken', async () => {
    const [fjellvegen, sjogata, asen] = unitIds;
    const heads = new Map<string, ChainHead>();
    for (const unit of unitIds) {
      const [head] = await t.db.query(`SELECT sequence, hash FROM sign_off WHERE unit_id = $1 ORDER BY sequence DESC LIMIT 1`, [unit]);
      heads.set(unit, { sequence: Number(head.sequence), hash: head.hash });
    }
    const [{ id: municipalityId }] = await t.db.query(`SELECT municipality_id AS id FROM unit WHERE id = $1`, [fjellvegen]);
    const [{ id: signedBy }] = await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.leder]);
    const unsigned = async (unit: string): Promise<string> => {
      const [row] = await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 AND standing_outcome IS NULL AND cancelled_at IS NULL ORDER BY deadline LIMIT 1`, [unit]);
      return row.id;
    };
    const record = async (unit: string, head: ChainHead) =>
      sealAfter(
        {
          municipalityId, unitId: unit, occurrenceId: await unsigned(unit), kind: 'sign_off', outcome: 'done', late: false, comment: 'Utført',
          storedIn: null, evidenceUrl: null, signedBy, signedByName: 'Lars Enhetsleder', signedAt: '2027-02-24T13:00:00.000Z',
          supersedesId: null, reason: null, snapshot: { taskTitle: 'Test' },
        },
        head,
      );
    const stale = { sequence: heads.get(asen)!.sequence - 1, hash: 'f'.repeat(64) }; // Åsen's place after it is taken
    const batch = [await record(fjellvegen, heads.get(fjellvegen)!), await record(asen, stale), await record(sjogata, heads.get(sjogata)!)];
    const before = await count(t.db, 'sign_off');

    const results = await insertSealedTogether(t.db.manager, batch);

    expect(results[1]).toBeInstanceOf(ChainMovedError);
    const [inFjellvegen, inSjogata] = [results[0] as RecordRow, results[2] as RecordRow];
    expect([inFjellvegen.id, inSjogata.id]).toEqual([batch[0].content.id, batch[2].content.id]);
    expect([Number(inFjellvegen.sequence), Number(inSjogata.sequence)]).toEqual([heads.get(fjellvegen)!.sequence + 1, heads.get(sjogata)!.sequence + 1]);
    expect(await count(t.db, 'sign_off')).toBe(before + 2);
    const transactions = await t.db.query(`SELECT DISTINCT xmin::text FROM sign_off WHERE id = ANY($1)`, [[inFjellvegen.id, inSjogata.id]]);
    expect(transactions).toHaveLength(1); // one statement, one transaction, one commit
  });
});
