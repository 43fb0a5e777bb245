import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { recordId } from '../../src/records/services/record-chain';
import { count, PRIMAERKONTAKTER, unitId, WORK_ENVIRONMENT } from '../utils/demo';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

interface Item {
  occurrenceId: string;
  title: string;
  recipientCode: string | null;
  deadline: string;
  status: string;
  signedBy: { displayName: string } | null;
  signedAt: string | null;
}

describe('signing off a task: the internal control record', () => {
  let t: TestApp;
  let fjellvegen: string;
  let primaer: string;
  let avdelingsleder: string;
  let february: Item[];

  const items = async (month = '2027-02'): Promise<Item[]> => {
    const res = await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=${month}`).set('Authorization', avdelingsleder);
    return res.body.groups.flatMap((g: { items: Item[] }) => g.items);
  };
  const find = (title: string, code: string | null = null) => february.find((i) => i.title === title && i.recipientCode === code)!;
  const signOff = (occurrenceId: string, body: object, as = primaer) =>
    t.http.post(`/api/v1/occurrences/${occurrenceId}/sign-offs`).set('Authorization', as).send(body);

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    primaer = await t.bearer(DEMO_PEOPLE.primaer);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', avdelingsleder);
    t.clock.set('2027-02-24T13:00:00Z');
    february = await items();
  });
  afterAll(() => t.close());

  it('records a sign-off by an owner, with the time, the signer and what was signed', async () => {
    const checkup = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-001');
    const res = await signOff(checkup.occurrenceId, { outcome: 'done', comment: 'Time bestilt', evidenceUrl: 'https://helseplattformen.no/x' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'sign_off',
      outcome: 'done',
      late: false,
      comment: 'Time bestilt',
      storedIn: 'Helseplattformen', // the task's Lagres, since none was given
      signedBy: { displayName: 'Per Primærkontakt' },
      signedAt: '2027-02-24T13:00:00.000Z',
      sequence: 1,
      previousHash: '0'.repeat(64),
    });
    expect(res.body.snapshot).toMatchObject({
      taskTitle: 'Påse at årskontroll hos fastlege er bestilt',
      wheelName: PRIMAERKONTAKTER,
      unitName: 'Avdeling Fjellvegen',
      recipientCode: 'FJV-001',
      deadline: '2027-02-26',
    });
    const now = (await items()).find((i) => i.occurrenceId === checkup.occurrenceId)!;
    expect(now).toMatchObject({ status: 'done', signedBy: { displayName: 'Per Primærkontakt' }, signedAt: '2027-02-24T13:00:00.000Z' });
  });

  it('gives each record a UUIDv7 id, so that new records go to the end of the primary key (issue 18)', async () => {
    const checkup = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-001');
    const [record] = await t.db.query(`SELECT id FROM sign_off WHERE occurrence_id = $1`, [checkup.occurrenceId]);
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Its first 48 bits are the Unix time in milliseconds when it was made (the real time, not the test clock).
    const madeAt = parseInt(record.id.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(Date.now() - madeAt)).toBeLessThan(10 * 60_000);
    expect(recordId(0x0123456789ab)).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab]/);
    expect(new Set(Array.from({ length: 1000 }, () => recordId(0))).size).toBe(1000);
  });

  it('refuses a second first record of an occurrence in the database itself, whoever inserts it', async () => {
    // One unique index on (occurrence, what a record supersedes) keeps one line of records per occurrence
    // (migration SignOffIndexes); the service's check comes first, this holds also when it is bypassed.
    const checkup = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-001');
    await withClient(t.databaseUrl, async (psql) => {
      const insertCopy = psql.query(
        `INSERT INTO sign_off (id, municipality_id, unit_id, sequence, occurrence_id, kind, outcome, late, comment, stored_in, evidence_url,
                               signed_by, signed_by_name, signed_at, supersedes_id, reason, snapshot, previous_hash, hash)
         SELECT gen_random_uuid(), municipality_id, unit_id, (SELECT max(sequence) + 1 FROM sign_off m WHERE m.unit_id = s.unit_id), occurrence_id, kind,
                outcome, late, comment, stored_in, evidence_url, signed_by, signed_by_name, signed_at, NULL, reason, snapshot, hash, repeat('a', 64)
           FROM sign_off s WHERE occurrence_id = $1`,
        [checkup.occurrenceId],
      );
      await expect(insertCopy).rejects.toMatchObject({ code: '23505', constraint: 'sign_off_first_per_occurrence_idx' });
    });
    expect(await count(t.db, 'sign_off', 'occurrence_id = $1', [checkup.occurrenceId])).toBe(1);
  });

  it('plans each statement of a sign-off once per connection, not on each of its first calls', async () => {
    // Migration SignOffIndexes: a custom plan of the read cost ~8.5 ms at scale 0.01, many times running it.
    const settings = await t.db.query(
      `SELECT proname, 'plan_cache_mode=force_generic_plan' = ANY (proconfig) AS generic FROM pg_proc
        WHERE proname IN ('sign_off_signing_row', 'sign_off_insert_after', 'occurrence_takes_standing_record') ORDER BY proname`,
    );
    expect(settings).toEqual([
      { proname: 'occurrence_takes_standing_record', generic: true },
      { proname: 'sign_off_insert_after', generic: true },
      { proname: 'sign_off_signing_row', generic: true },
    ]);
  });

  it('answers a second sign-off of the same occurrence with 409 and records nothing', async () => {
    const checkup = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-001');
    const before = await count(t.db, 'sign_off');
    const res = await signOff(checkup.occurrenceId, { outcome: 'done' });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/already-signed');
    expect(await count(t.db, 'sign_off')).toBe(before);
  });

  it('lets exactly one of two sign-offs sent at the same instant through', async () => {
    const checkup = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-002');
    const manager = avdelingsleder;
    const results = await Promise.all([signOff(checkup.occurrenceId, { outcome: 'done' }), signOff(checkup.occurrenceId, { outcome: 'done' }, manager)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await count(t.db, 'sign_off', 'occurrence_id = $1', [checkup.occurrenceId])).toBe(1);
  });

  it('keeps one gap-free chain per unit when many sign off at once', async () => {
    const codes = ['FJV-003', 'FJV-004', 'FJV-005', 'FJV-006', 'FJV-007'];
    const results = await Promise.all(codes.map((code) => signOff(find('Påse at årskontroll hos fastlege er bestilt', code).occurrenceId, { outcome: 'done' })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const chain = await t.db.query(`SELECT sequence::int, previous_hash, hash FROM sign_off WHERE unit_id = $1 ORDER BY sequence`, [fjellvegen]);
    chain.forEach((r: { sequence: number; previous_hash: string }, i: number) => {
      expect(r.sequence).toBe(i + 1);
      if (i > 0) expect(r.previous_hash).toBe(chain[i - 1].hash);
    });
  });

  it('records a sign-off after the end of the deadline day in Oslo as late', async () => {
    const row = find('Planlegg HMS-dag');
    // 23:30 UTC on 26 February is 00:30 on the 27th in Oslo: the deadline day is over.
    t.clock.set('2027-02-26T23:30:00Z');
    try {
      const res = await signOff(row.occurrenceId, { outcome: 'done' }, avdelingsleder);
      expect(res.status).toBe(201);
      expect(res.body.late).toBe(true);
      expect((await items()).find((i) => i.occurrenceId === row.occurrenceId)!.status).toBe('done_late');
    } finally {
      t.clock.set('2027-02-24T13:00:00Z');
    }
  });

  it('counts 22:30 UTC on the deadline day, 23:30 in Oslo, as on time', async () => {
    const row = find('Kalle inn til seniorsamtaler');
    t.clock.set('2027-02-26T22:30:00Z');
    try {
      expect((await signOff(row.occurrenceId, { outcome: 'done' }, avdelingsleder)).body.late).toBe(false);
    } finally {
      t.clock.set('2027-02-24T13:00:00Z');
    }
  });

  it('records not applicable, but only with a comment saying why', async () => {
    const row = find('Påse at årskontroll hos fastlege blir bestilt');
    const without = await signOff(row.occurrenceId, { outcome: 'not_applicable' }, avdelingsleder);
    expect(without.status).toBe(422);
    expect(without.body.errors).toEqual([{ field: 'comment', message: expect.stringMatching(/required/) }]);
    const withComment = await signOff(row.occurrenceId, { outcome: 'not_applicable', comment: 'Ivaretatt av primærkontaktene' }, avdelingsleder);
    expect(withComment.status).toBe(201);
    expect((await items()).find((i) => i.occurrenceId === row.occurrenceId)!.status).toBe('not_applicable');
  });

  it('requires a comment where the task says so', async () => {
    const fagrapport = (await items('2027-03')).find((i) => i.title.startsWith('Halvårsevaluering av tjenestetilbudet') && i.recipientCode === 'FJV-001')!;
    const res = await signOff(fagrapport.occurrenceId, { outcome: 'done' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toEqual({ field: 'comment', message: 'is required for this task' });
  });

  it.each([
    ['staff who do not own the task', DEMO_PEOPLE.ansatt, 403],
    ['a quality adviser, who only reads', DEMO_PEOPLE.kvalitet, 403],
  ])('refuses a sign-off by %s', async (_, email, status) => {
    const row = find(WORK_ENVIRONMENT);
    const before = await count(t.db, 'sign_off');
    const res = await signOff(row.occurrenceId, { outcome: 'done' }, await t.bearer(email));
    expect(res.status).toBe(status);
    expect(res.body.type).toBe('/problems/not-your-task');
    expect(await count(t.db, 'sign_off')).toBe(before);
  });

  it.each([
    ['an unknown outcome', { outcome: 'half' }, 'outcome'],
    ['a fødselsnummer in the comment', { outcome: 'done', comment: 'Gjelder 01010112377' }, 'comment'],
    ['evidence that is not a link', { outcome: 'done', evidenceUrl: 'perm i hylla' }, 'evidenceUrl'],
    ['an unknown field', { outcome: 'done', signedAt: '2027-01-01T00:00:00Z' }, 'signedAt'],
  ])('refuses %s with 422 and records nothing', async (_, body, field) => {
    const row = find(WORK_ENVIRONMENT);
    const before = await count(t.db, 'sign_off');
    const res = await signOff(row.occurrenceId, body, avdelingsleder);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count(t.db, 'sign_off')).toBe(before);
  });

  it('answers an occurrence that does not exist with 404', async () => {
    expect((await signOff('00000000-0000-4000-8000-000000000000', { outcome: 'done' })).status).toBe(404);
  });

  it('corrects a mistake with a new record that revokes the old; both stay, and the task is open again', async () => {
    const row = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-008');
    const signed = await signOff(row.occurrenceId, { outcome: 'done' });
    const correction = await t.http
      .post(`/api/v1/sign-offs/${signed.body.id}/corrections`)
      .set('Authorization', primaer)
      .send({ reason: 'Signert på feil tjenestemottaker' });
    expect(correction.status).toBe(201);
    expect(correction.body).toMatchObject({ kind: 'correction', outcome: null, supersedesId: signed.body.id, reason: 'Signert på feil tjenestemottaker' });
    expect((await items()).find((i) => i.occurrenceId === row.occurrenceId)!.status).toBe('open');

    const again = await signOff(row.occurrenceId, { outcome: 'done', comment: 'Nå riktig' });
    expect(again.status).toBe(201);
    expect(again.body.supersedesId).toBe(correction.body.id);
    const history = await t.http.get(`/api/v1/occurrences/${row.occurrenceId}/sign-offs`).set('Authorization', avdelingsleder);
    expect(history.body.map((r: { kind: string; outcome: string | null }) => [r.kind, r.outcome])).toEqual([
      ['sign_off', 'done'],
      ['correction', null],
      ['sign_off', 'done'],
    ]);
  });

  it('lets a manager replace an outcome with a correction, and refuses to correct a record twice', async () => {
    const row = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-009');
    const signed = await signOff(row.occurrenceId, { outcome: 'done' });
    const replaced = await t.http
      .post(`/api/v1/sign-offs/${signed.body.id}/corrections`)
      .set('Authorization', avdelingsleder)
      .send({ reason: 'Fastlegen tar ikke årskontroll i år', outcome: 'not_applicable', comment: 'Avtalt med fastlege' });
    expect(replaced.status).toBe(201);
    expect((await items()).find((i) => i.occurrenceId === row.occurrenceId)!.status).toBe('not_applicable');
    const twice = await t.http.post(`/api/v1/sign-offs/${signed.body.id}/corrections`).set('Authorization', avdelingsleder).send({ reason: 'Igjen' });
    expect(twice.status).toBe(409);
    const byStranger = await t.http.post(`/api/v1/sign-offs/${replaced.body.id}/corrections`).set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt)).send({ reason: 'Fordi' });
    expect(byStranger.status).toBe(403);
    const noReason = await t.http.post(`/api/v1/sign-offs/${replaced.body.id}/corrections`).set('Authorization', avdelingsleder).send({});
    expect(noReason.status).toBe(422);
  });

  it('keeps on each occurrence the outcome of the record that stands, as the records themselves say', async () => {
    // The lists and reports read the summary on the occurrence; it must equal the tip of each line of records.
    const mismatches = await t.db.query(
      `SELECT o.id, o.standing_outcome, o.standing_late, tip.outcome, tip.late
         FROM occurrence o
         LEFT JOIN sign_off tip ON tip.occurrence_id = o.id AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = tip.id)
        WHERE o.standing_outcome IS DISTINCT FROM tip.outcome
           OR o.standing_late IS DISTINCT FROM (CASE WHEN tip.outcome IS NULL THEN NULL ELSE tip.late END)`,
    );
    expect(mismatches).toEqual([]);
    const [kinds] = await t.db.query(
      `SELECT count(*) FILTER (WHERE standing_outcome = 'done')::int AS done, count(*) FILTER (WHERE standing_outcome = 'not_applicable')::int AS na,
              count(*) FILTER (WHERE standing_outcome IS NULL AND EXISTS (SELECT 1 FROM sign_off s WHERE s.occurrence_id = occurrence.id))::int AS revoked
         FROM occurrence`,
    );
    expect(kinds.done).toBeGreaterThan(0);
    expect(kinds.na).toBeGreaterThan(0); // replaced by a correction
    // A revocation alone leaves the occurrence open, and overdue once its deadline has passed:
    const row = (await items()).find((i) => i.status === 'open' && i.recipientCode)!;
    const signed = await signOff(row.occurrenceId, { outcome: 'done' });
    expect(signed.status).toBe(201);
    const [between] = await t.db.query(`SELECT standing_outcome, standing_late FROM occurrence WHERE id = $1`, [row.occurrenceId]);
    expect(between).toEqual({ standing_outcome: 'done', standing_late: false });
    const revoked = await t.http.post(`/api/v1/sign-offs/${signed.body.id}/corrections`).set('Authorization', primaer).send({ reason: 'Feil' });
    expect(revoked.status).toBe(201);
    const [after] = await t.db.query(`SELECT standing_outcome, standing_late FROM occurrence WHERE id = $1`, [row.occurrenceId]);
    expect(after).toEqual({ standing_outcome: null, standing_late: null });
    t.clock.set('2027-03-10T09:00:00Z');
    const march = await items('2027-03');
    expect(march.find((i) => i.occurrenceId === row.occurrenceId)).toMatchObject({ status: 'overdue', fromEarlierMonth: true });
    t.clock.set('2027-02-24T13:00:00Z');
  });

  it('keeps what the record says when the template changes afterwards', async () => {
    const checkup = find('Påse at årskontroll hos fastlege er bestilt', 'FJV-001');
    const [task] = await t.db.query(`SELECT o.task_id, t.wheel_id FROM occurrence o JOIN task_definition t ON t.id = o.task_id WHERE o.id = $1`, [checkup.occurrenceId]);
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const changed = await t.http
      .patch(`/api/v1/wheels/${task.wheel_id}/tasks/${task.task_id}`)
      .set('Authorization', admin)
      .send({ title: 'Bestill årskontroll', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15' });
    expect(changed.status).toBe(200);
    const history = await t.http.get(`/api/v1/occurrences/${checkup.occurrenceId}/sign-offs`).set('Authorization', avdelingsleder);
    expect(history.body[0].snapshot.taskTitle).toBe('Påse at årskontroll hos fastlege er bestilt');
    const [occurrence] = await t.db.query(`SELECT deadline, cancelled_at FROM occurrence WHERE id = $1`, [checkup.occurrenceId]);
    expect(occurrence).toEqual({ deadline: '2027-02-26', cancelled_at: null }); // signed: never moved or cancelled
  });

  it('is refused by the database itself when anyone tries to update or delete a record', async () => {
    // The service's own role may not even try …
    await expect(t.db.query(`UPDATE sign_off SET comment = 'endret'`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM sign_off`)).rejects.toThrow(/permission denied/);
    // … and the schema's owner, as from psql, is stopped by the trigger.
    await withClient(t.databaseUrl, async (psql) => {
      await expect(psql.query(`UPDATE sign_off SET comment = 'endret'`)).rejects.toThrow(/append-only/);
      await expect(psql.query(`DELETE FROM sign_off`)).rejects.toThrow(/append-only/);
      await expect(psql.query(`TRUNCATE sign_off CASCADE`)).rejects.toThrow(/append-only/);
    });
  });

  it('runs as a role that cannot create, alter or drop tables', async () => {
    await expect(t.db.query(`CREATE TABLE shadow_records (id int)`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DROP TABLE occurrence`)).rejects.toThrow(/must be owner/);
    await expect(t.db.query(`ALTER TABLE sign_off DISABLE TRIGGER sign_off_append_only`)).rejects.toThrow(/must be owner/);
    // Its own login, holding arshjul_app's rights (see database-hardening.e2e-spec.ts).
    expect(await t.db.query(`SELECT current_user, pg_has_role('arshjul_app', 'MEMBER') AS app`)).toEqual([{ current_user: 'arshjul_service', app: true }]);
  });
});
