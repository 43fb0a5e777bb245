import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, unitId } from '../utils/demo';
import { seed003Docx, SEED_003_ROWS } from '../utils/seed-003-wheel';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13 as its "Done when" tells it: the manager of Bo og habilitering brings in the Word table the
 * service keeps today, adjusts what was not understood, publishes it and gives it to Avdeling Fjellvegen,
 * where the year's occurrences appear — and no administrator takes part.
 */
describe('the unit head makes the wheel her own', () => {
  let t: TestApp;
  let leder: string;
  let bo: string;
  let fjellvegen: string;
  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    leder = await t.bearer(DEMO_PEOPLE.leder);
    bo = await unitId(t.db, 'Bo og habilitering');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
  });
  afterAll(() => t.close());

  it('imports the Word table, resolves the flagged rows, publishes and assigns it without an administrator', async () => {
    const imported = await t.http
      .post('/api/v1/wheels/import')
      .set('Authorization', leder)
      .field('unitId', bo)
      .field('name', 'Årshjul for ledere — Bo og habilitering (egen)')
      .attach('file', await seed003Docx(), 'arshjul.docx');
    expect(imported.status).toBe(201);
    expect(imported.body.status).toBe('draft');
    const wheel = imported.body.wheelId as string;
    expect(imported.body.rows.map((r: { title: string }) => r.title)).toEqual(SEED_003_ROWS.map((r) => r.title));

    // Not yet: the rows the import could not place must be looked at first.
    const early = await t.http.post(`/api/v1/wheels/${wheel}/publish`).set('Authorization', leder).send({});
    expect(early.status).toBe(422);
    const flagged = imported.body.rows.filter((r: { reviewNote: string | null }) => r.reviewNote);
    expect(flagged.length).toBeGreaterThan(0);
    for (const row of flagged) {
      const fixed = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${row.taskId}`).set('Authorization', leder).send({ responsibleRole: 'manager', reviewNote: null });
      expect(fixed.status).toBe(200);
    }

    expect((await t.http.post(`/api/v1/wheels/${wheel}/publish`).set('Authorization', leder).send({})).status).toBe(200);
    const assigned = await t.http.post(`/api/v1/units/${fjellvegen}/wheels`).set('Authorization', leder).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect(assigned.status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', leder)).status).toBe(200);

    const made = await count(t.db, 'occurrence o JOIN task_definition d ON d.id = o.task_id', `d.wheel_id = $1 AND o.unit_id = $2 AND o.cancelled_at IS NULL`, [wheel, fjellvegen]);
    // 23 rows: one occurrence each, the two Primærkontakt rows once per service recipient (ten in Fjellvegen), and
    // the «Alle ansatte» rows once per employee (Per and Siri are Fjellvegen's staff).
    const perRecipient = SEED_003_ROWS.filter((r) => /primærkontakt/i.test(r.ansvar)).length;
    const perEmployee = SEED_003_ROWS.filter((r) => r.ansvar === 'Alle ansatte').length;
    expect(made).toBe(23 - perRecipient - perEmployee + perRecipient * 10 + perEmployee * 2);
    const [march] = await t.db.query(
      `SELECT o.deadline FROM occurrence o JOIN task_definition d ON d.id = o.task_id WHERE d.wheel_id = $1 AND o.unit_id = $2 AND d.title LIKE '%frist 1. mars%'`,
      [wheel, fjellvegen],
    );
    expect(march.deadline).toBe('2027-03-01');
    // Nobody but the manager acted: the audit log names only her.
    const actors = await t.db.query(
      `SELECT DISTINCT p.email FROM audit_log a JOIN person p ON p.id = a.actor_id WHERE a.entity_id = $1 OR a.after::text LIKE '%' || $1 || '%'`,
      [wheel],
    );
    expect(actors.map((a: { email: string }) => a.email)).toEqual([DEMO_PEOPLE.leder]);
  });
});
