import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, LEDERE, MEDICINES_SELF_ASSESSMENT, PRIMAERKONTAKTER, SEED_FEBRUARY_ROWS, unitId, VACATION_WISHES } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

interface Item {
  title: string;
  unitName: string;
  recipientCode: string | null;
  owners: Array<{ displayName: string }>;
  deadline: string;
  status: string;
  storedIn: string | null;
  fromEarlierMonth: boolean;
}
interface Checklist {
  today: string;
  groups: Array<{ wheelName: string; items: Item[] }>;
}

describe('a unit’s annual cycle: materialise a year, then the month’s checklist', () => {
  let t: TestApp;
  let fjellvegen: string;
  let avdelingsleder: string;

  beforeAll(async () => {
    // Materialised in December, read on a Wednesday in February (in Oslo too).
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
  });
  afterAll(() => t.close());

  const materialise = (year: string | number, as = avdelingsleder, unit = fjellvegen) =>
    t.http.post(`/api/v1/units/${unit}/materialize?year=${year}`).set('Authorization', as);
  const checklist = async (month: string, as = avdelingsleder): Promise<Checklist> => {
    const res = await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=${month}`).set('Authorization', as);
    expect(res.status).toBe(200);
    return res.body;
  };
  const group = (list: Checklist, wheel: string) => list.groups.find((g) => g.wheelName === wheel)?.items ?? [];

  it('materialises 2027 for Avdeling Fjellvegen', async () => {
    const res = await materialise(2027);
    expect(res.status).toBe(200);
    expect(res.body.created).toBeGreaterThan(100);
    expect(res.body.created).toBe(res.body.total);
    t.clock.set('2027-02-10T08:00:00Z');
  });

  it("shows the seed's February rows in the February checklist, due the last working day; «frist 1. mars» in March's", async () => {
    const february = group(await checklist('2027-02'), LEDERE).filter((i) => !i.fromEarlierMonth);
    expect(february.map((i) => i.title).sort()).toEqual(SEED_FEBRUARY_ROWS.filter((r) => r !== VACATION_WISHES).sort());
    const march = group(await checklist('2027-03'), LEDERE);
    expect(march.filter((i) => i.title === VACATION_WISHES).map((i) => i.deadline)).toEqual(['2027-03-01']);
    // 28 February 2027 is a Sunday: the deadline moves back to Friday the 26th.
    expect(new Set(february.map((i) => i.deadline))).toEqual(new Set(['2027-02-26']));
    expect(february.every((i) => i.status === 'open' && i.unitName === 'Avdeling Fjellvegen')).toBe(true);
  });

  it('resolves Ansvar to the people holding the role in the unit, and shows Lagres', async () => {
    const february = [...group(await checklist('2027-02'), LEDERE), ...group(await checklist('2027-03'), LEDERE)];
    const row = (title: string) => february.find((i) => i.title === title)!;
    expect(row('Planlegg HMS-dag').owners.map((o) => o.displayName)).toEqual(['Anne Avdelingsleder']);
    expect(row(VACATION_WISHES).owners.map((o) => o.displayName)).toEqual([
      'Per Primærkontakt',
      'Siri Ansatt',
    ]);
    expect(row(MEDICINES_SELF_ASSESSMENT).storedIn).toBe('Compilo');
  });

  it('lists a recipient-scoped task once per recipient, owned by their primary contact', async () => {
    const checkups = group(await checklist('2027-02'), PRIMAERKONTAKTER).filter((i) => i.title === 'Påse at årskontroll hos fastlege er bestilt');
    expect(checkups.map((i) => i.recipientCode)).toEqual(Array.from({ length: 10 }, (_, n) => `FJV-${String(n + 1).padStart(3, '0')}`));
    expect(checkups.every((i) => i.owners.length === 1 && i.owners[0].displayName === 'Per Primærkontakt')).toBe(true);
  });

  it('lists what is overdue from earlier months on top, as overdue', async () => {
    const items = group(await checklist('2027-02'), LEDERE);
    const carried = items.filter((i) => i.fromEarlierMonth);
    expect(carried.map((i) => i.title)).toContain('Lyse ut etter sommervikarer'); // a January row, due 29 January
    expect(carried.every((i) => i.status === 'overdue' && i.deadline < '2027-02-01')).toBe(true);
    expect(items.slice(0, carried.length).every((i) => i.fromEarlierMonth)).toBe(true);
  });

  it('a second materialise creates nothing, and says so', async () => {
    const before = await count(t.db, 'occurrence');
    const res = await materialise(2027);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
    expect(res.body.message).toMatch(/^Nothing new/);
    expect(await count(t.db, 'occurrence')).toBe(before);
  });

  it('creates no occurrence in the past: a year materialised in February starts then', async () => {
    const asp = await unitId(t.db, 'Avdeling Åsen');
    const res = await materialise(2027, await t.bearer(DEMO_PEOPLE.leder), asp);
    expect(res.body.created).toBeGreaterThan(0);
    expect(await count(t.db, 'occurrence', `unit_id = $1 AND deadline < '2027-02-10'`, [asp])).toBe(0);
  });

  it('two materialise calls at the same instant create each occurrence once', async () => {
    const [a, b] = await Promise.all([materialise(2028), materialise(2028)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.created + b.body.created).toBe(a.body.total);
    const duplicates = await t.db.query(
      `SELECT task_id, unit_id, recipient_id, person_id, scheduled_on FROM occurrence GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
  });

  it('shows the sub-units’ items to the manager above with subtree=true', async () => {
    const boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    const leder = await t.bearer(DEMO_PEOPLE.leder);
    const res = await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist?month=2027-02&subtree=true`).set('Authorization', leder);
    expect(res.status).toBe(200);
    // With the units below, a page of rows (by deadline) and the total.
    expect(res.body).toMatchObject({ subtree: true, limit: 200, nextCursor: null, total: res.body.items.length });
    const units = new Set(res.body.items.map((i: Item) => i.unitName));
    expect(units).toEqual(new Set(['Avdeling Fjellvegen', 'Avdeling Åsen'])); // the two materialised above
    const own = await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist?month=2027-02`).set('Authorization', leder);
    expect(own.body.groups).toEqual([]);
    // A department manager cannot read the unit above.
    expect((await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist?month=2027-02`).set('Authorization', avdelingsleder)).status).toBe(403);
  });

  it("gives each person their own open and overdue tasks", async () => {
    const res = await t.http.get('/api/v1/me/tasks').set('Authorization', await t.bearer(DEMO_PEOPLE.primaer));
    expect(res.status).toBe(200);
    const items: Item[] = res.body;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.owners.some((o) => o.displayName === 'Per Primærkontakt'))).toBe(true);
    expect(items.filter((i) => i.title === 'Påse at årskontroll hos fastlege er bestilt')).toHaveLength(10);
    // Opens 27 days before its deadline: nothing due in March is open yet on 10 February.
    expect(items.every((i) => i.deadline <= '2027-03-09')).toBe(true);
  });

  it("takes today from the municipality's time zone: 23:30 UTC on 31 January is 1 February in Oslo", async () => {
    t.clock.set('2027-01-31T23:30:00Z');
    try {
      expect((await checklist('2027-02')).today).toBe('2027-02-01');
    } finally {
      t.clock.set('2027-02-10T08:00:00Z');
    }
  });

  it('lets a quality adviser read the checklist and refuses staff who try to materialise', async () => {
    expect((await t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=2027-02`).set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet))).status).toBe(200);
    const res = await materialise(2029, await t.bearer(DEMO_PEOPLE.ansatt));
    expect(res.status).toBe(403);
    expect(await count(t.db, 'occurrence', `scheduled_on >= '2029-01-01'`)).toBe(0);
  });

  it.each([
    ['a month like 2027-13', 'checklist?month=2027-13', 'month'],
    ['a month that is not a month', 'checklist?month=februar', 'month'],
    ['no month', 'checklist', 'month'],
    ['subtree that is not true or false', 'checklist?month=2027-02&subtree=kanskje', 'subtree'],
  ])('answers %s with 422 naming the field', async (_, path, field) => {
    const res = await t.http.get(`/api/v1/units/${fjellvegen}/${path}`).set('Authorization', avdelingsleder);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([['abc'], ['1999'], ['2027.5'], ['']])('refuses to materialise year=%j, and creates nothing', async (year) => {
    const before = await count(t.db, 'occurrence');
    const res = await materialise(year);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('year');
    expect(await count(t.db, 'occurrence')).toBe(before);
  });

  it('answers an unknown unit with 404', async () => {
    const res = await materialise(2027, avdelingsleder, '00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('/problems/not-found');
  });
});
