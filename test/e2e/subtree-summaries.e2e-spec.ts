import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

type Status = 'open' | 'done' | 'done_late' | 'not_applicable' | 'overdue';
interface Item {
  status: Status;
  fromEarlierMonth: boolean;
  unitId: string;
  recipientCode: string | null;
  people?: Item[];
}
interface Counts {
  planned: number;
  doneOnTime: number;
  doneLate: number;
  notApplicable: number;
  overdue: number;
  open: number;
  overdueEarlier: number;
}

const MONTH = '2027-03';

/** A flat checklist (subtree=true) counted per status, each person's own duty once: what a summary must add up to. */
function flatCounts(groups: Array<{ items: Item[] }>): Counts {
  const c: Counts = { planned: 0, doneOnTime: 0, doneLate: 0, notApplicable: 0, overdue: 0, open: 0, overdueEarlier: 0 };
  for (const item of groups.flatMap((g) => g.items).flatMap((i) => i.people ?? [i])) {
    if (item.fromEarlierMonth) {
      c.overdueEarlier += 1;
      continue;
    }
    c.planned += 1;
    c[({ done: 'doneOnTime', done_late: 'doneLate', not_applicable: 'notApplicable', overdue: 'overdue', open: 'open' } as const)[item.status]] += 1;
  }
  return c;
}

const figures = (row: Counts): Counts => ({
  planned: row.planned,
  doneOnTime: row.doneOnTime,
  doneLate: row.doneLate,
  notApplicable: row.notApplicable,
  overdue: row.overdue,
  open: row.open,
  overdueEarlier: row.overdueEarlier,
});
const sum = (rows: Counts[]): Counts =>
  rows.reduce((a, r) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Counts] + r[k as keyof Counts]])) as unknown as Counts, {
    planned: 0, doneOnTime: 0, doneLate: 0, notApplicable: 0, overdue: 0, open: 0, overdueEarlier: 0,
  });

/**
 * Demo kommune's Bo og habilitering with a fourth level (a team under Avdeling Sjøgata), its wheels
 * materialised for 2027, and a mix of records in Avdeling Fjellvegen and the team: on time, late, not
 * applicable and left overdue. Today is 15 March 2027: February's open items are carried over as overdue.
 */
describe('a unit with sub-units summarised, then drilled down', () => {
  let t: TestApp;
  let lars: string;
  let boOgHabilitering: string;
  let fjellvegen: string;
  let sjogata: string;
  let team: string;

  /** Signs `count` unsigned occurrences of the unit (shared ones, or duties per person) open by then, with a deadline in [from, to], earliest first, at the instant given. */
  const sign = async (where: string, body: object, count: number, at: string, from: string, to: string, perPerson = false) => {
    const rows: Array<{ id: string }> = await t.db.query(
      `SELECT o.id FROM occurrence o WHERE o.unit_id = $1 AND o.deadline BETWEEN $2 AND $3 AND o.standing_outcome IS NULL AND (o.person_id IS NULL) <> $6
          AND o.opens_on <= $5
        ORDER BY o.deadline, o.id LIMIT $4`,
      [where, from, to, count, at.slice(0, 10), perPerson],
    );
    expect(rows.length).toBeGreaterThan(0);
    t.clock.set(at);
    for (const { id } of rows) {
      const res = await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', lars).send(body);
      expect({ status: res.status, body: res.status === 201 ? {} : res.body }).toEqual({ status: 201, body: {} });
    }
  };

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-02T08:00:00Z');
    lars = await t.bearer(DEMO_PEOPLE.leder);
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    sjogata = await unitId(t.db, 'Avdeling Sjøgata');
    team = (await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Team Sjøgata nord', parentId: sjogata })).body.id;
    expect((await t.http.post(`/api/v1/units/${boOgHabilitering}/materialize?year=2027`).set('Authorization', lars)).status).toBe(200);
    // Fjellvegen: January and part of March on time, one person's duty of 1 March late. The team: some of
    // March not applicable, January late. Left: February (carried over), 1 March (overdue), 31 March (open).
    await sign(fjellvegen, { outcome: 'done', comment: 'Gjort' }, 12, '2027-01-05T10:00:00Z', '2027-01-01', '2027-01-31');
    await sign(fjellvegen, { outcome: 'done', comment: 'Gjort' }, 3, '2027-03-10T10:00:00Z', '2027-03-16', '2027-03-31');
    await sign(fjellvegen, { outcome: 'done', comment: 'Sent' }, 1, '2027-03-12T10:00:00Z', '2027-03-01', '2027-03-11', true);
    await sign(team, { outcome: 'not_applicable', comment: 'Ikke aktuelt her' }, 2, '2027-03-10T11:00:00Z', '2027-03-01', '2027-03-31');
    await sign(team, { outcome: 'done', comment: 'Sent' }, 3, '2027-03-10T12:00:00Z', '2027-01-01', '2027-01-31');
    t.clock.set('2027-03-15T10:00:00Z');
  });
  afterAll(() => t?.close());

  const summary = async (unit: string) => {
    const res = await t.http.get(`/api/v1/units/${unit}/checklist/summary?month=${MONTH}`).set('Authorization', lars);
    expect(res.status).toBe(200);
    return res.body as { own: Counts; subunits: Array<Counts & { unitId: string; unitName: string; units: number; shareOnTime: number | null }> };
  };
  const flat = async (unit: string, subtree = true) => {
    const res = await t.http.get(`/api/v1/units/${unit}/checklist?month=${MONTH}&subtree=${subtree}`).set('Authorization', lars);
    expect(res.status).toBe(200);
    return flatCounts(res.body.groups);
  };

  it('the sub-unit rows and the unit’s own add up to the flat checklist, status by status', async () => {
    const s = await summary(boOgHabilitering);
    expect(s.subunits.map((r) => r.unitName).sort()).toEqual(['Avdeling Fjellvegen', 'Avdeling Sjøgata', 'Avdeling Åsen']);
    const total = await flat(boOgHabilitering);
    // Something of every kind, or the sums prove little.
    for (const key of ['doneOnTime', 'doneLate', 'notApplicable', 'overdue', 'open', 'overdueEarlier'] as const) expect(total[key]).toBeGreaterThan(0);
    expect(sum([...s.subunits.map(figures), figures(s.own)])).toEqual(total);
    expect(figures(s.own)).toEqual(await flat(boOgHabilitering, false));
  });

  it('each row counts its sub-unit’s whole subtree, as that unit’s own flat checklist does', async () => {
    const s = await summary(boOgHabilitering);
    for (const row of s.subunits) expect(figures(row)).toEqual(await flat(row.unitId));
    expect(s.subunits.find((r) => r.unitId === sjogata)!.units).toBe(2);
    expect(s.subunits.find((r) => r.unitId === fjellvegen)!.units).toBe(1);
  });

  it('puts the worst first: lowest share on time, then most overdue', async () => {
    const s = await summary(boOgHabilitering);
    const shares = s.subunits.map((r) => r.shareOnTime ?? 2);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    // Fjellvegen signed part of March on time; Sjøgata has only overdue and not applicable: it comes first.
    const at = (unit: string) => s.subunits.findIndex((r) => r.unitId === unit);
    expect(s.subunits.find((r) => r.unitId === fjellvegen)!.shareOnTime).toBeGreaterThan(0);
    expect(s.subunits.find((r) => r.unitId === sjogata)!.shareOnTime).toBe(0);
    expect(at(sjogata)).toBeLessThan(at(fjellvegen));
  });

  it('names units only: no recipient codes in a summary', async () => {
    const res = await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist/summary?month=${MONTH}`).set('Authorization', lars);
    expect(JSON.stringify(res.body)).not.toMatch(/FJV-/);
  });

  it('refuses a month that is not one, naming the field, and a unit outside the reader’s', async () => {
    const bad = await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist/summary?month=2027-13`).set('Authorization', lars);
    expect(bad.status).toBe(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toMatch(/month/);
    const anne = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    expect((await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist/summary?month=${MONTH}`).set('Authorization', anne)).status).toBe(403);
  });
});
