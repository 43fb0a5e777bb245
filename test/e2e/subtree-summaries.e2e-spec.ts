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
  // The flat checklist: its groups, or with subtree=true (cursor pagination) every page's items.
  const flat = async (unit: string, subtree = true) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Item[]; nextCursor: string | null; groups: Array<{ items: Item[] }> } } = await t.http
        .get(`/api/v1/units/${unit}/checklist?month=${MONTH}&subtree=${subtree}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .set('Authorization', lars);
      expect(res.status).toBe(200);
      if (!subtree) return flatCounts(res.body.groups);
      items.push(...(res.body.items as Item[]));
      cursor = res.body.nextCursor;
    } while (cursor);
    return flatCounts([{ items }]);
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

  it('puts the worst first: lowest share on time (what is carried over counted as overdue), then most overdue', async () => {
    const s = await summary(boOgHabilitering);
    const rank = (r: Counts) => {
      const due = r.doneOnTime + r.doneLate + r.overdue + r.overdueEarlier;
      return due === 0 ? 2 : r.doneOnTime / due;
    };
    const ranks = s.subunits.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // Fjellvegen signed part of March on time; Sjøgata has nothing done on time and February still open.
    const at = (unit: string) => s.subunits.findIndex((r) => r.unitId === unit);
    expect(s.subunits.find((r) => r.unitId === fjellvegen)!.shareOnTime).toBeGreaterThan(0);
    expect(s.subunits.find((r) => r.unitId === sjogata)!.overdueEarlier).toBeGreaterThan(0);
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

  const signIn = async (email: string) => {
    const res = await t.http.post('/logg-inn').type('form').send({ email, neste: '/oppgaver' });
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };
  /** The summary table's rows as [unit name, href] in the order shown. */
  const summaryRows = (page: string) =>
    [...page.split('<table class="stack subunits">')[1].split('</table>')[0].matchAll(/<tr[^>]*><td data-label="[^"]+">(?:<a href="([^"]+)">)?([^<]+)/g)].map((m) => [m[2], m[1]?.replace(/&amp;/g, '&')]);

  it('/sjekkliste of a unit with sub-units opens on one row per sub-unit, worst first, with its own tasks below; no recipient codes', async () => {
    const page = await t.http.get(`/sjekkliste?enhet=${boOgHabilitering}&maned=${MONTH}`).set('Cookie', await signIn(DEMO_PEOPLE.leder));
    expect(page.status).toBe(200);
    const api = await summary(boOgHabilitering);
    expect(summaryRows(page.text).slice(0, 3)).toEqual(api.subunits.map((r) => [r.unitName, `/sjekkliste?enhet=${r.unitId}&maned=${MONTH}`]));
    expect(page.text).toContain('Enhetens egne oppgaver');
    expect(page.text).toContain(`href="/sjekkliste?enhet=${boOgHabilitering}&amp;maned=${MONTH}&amp;underenheter=1"`);
    expect(page.text).not.toMatch(/FJV-/);
  });

  it('a sub-unit’s row opens that unit’s own list', async () => {
    const lars = await signIn(DEMO_PEOPLE.leder);
    const page = await t.http.get(`/sjekkliste?enhet=${boOgHabilitering}&maned=${MONTH}`).set('Cookie', lars);
    const [, href] = summaryRows(page.text).find(([name]) => name === 'Avdeling Fjellvegen')!;
    const fjv = await t.http.get(href!).set('Cookie', lars);
    expect(fjv.status).toBe(200);
    expect(fjv.text).toContain('Månedens sjekkliste – Avdeling Fjellvegen, mars 2027');
    // Fjellvegen has no sub-units: its own list as before, with its recipients' codes.
    expect(fjv.text).not.toContain('class="stack subunits"');
    expect(fjv.text).toMatch(/FJV-0\d\d/);
    // And Avdeling Sjøgata, with its team below, summarises again.
    const [, sjogataHref] = summaryRows(page.text).find(([name]) => name === 'Avdeling Sjøgata')!;
    expect(summaryRows((await t.http.get(sjogataHref!).set('Cookie', lars)).text).map(([name]) => name)).toContain('Team Sjøgata nord');
  });

  it('/internkontroll of a unit with sub-units has a row per sub-unit, opening its Internkontroll', async () => {
    const page = await t.http.get(`/internkontroll?enhet=${boOgHabilitering}&ar=2027`).set('Cookie', await signIn(DEMO_PEOPLE.leder));
    expect(page.status).toBe(200);
    const rows = summaryRows(page.text);
    expect(rows.map(([, href]) => href).filter(Boolean).sort()).toEqual([fjellvegen, sjogata, await unitId(t.db, 'Avdeling Åsen')].map((u) => `/internkontroll?enhet=${u}&ar=2027`).sort());
    const year = await t.http.get(`/api/v1/audit/compliance?unitId=${boOgHabilitering}&from=2027-01-01&to=2027-12-31&subtree=true&groupBy=month`).set('Authorization', lars);
    const planned = (year.body.rows as Array<{ planned: number }>).reduce((n, r) => n + r.planned, 0);
    // The rows' «Planlagt» add up to the year's compliance of the whole subtree.
    const cells = [...page.text.split('<table class="stack subunits">')[1].split('</table>')[0].matchAll(/<td data-label="Planlagt">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(planned);
  });
});

/**
 * A sector of 50 units (each with the sector's wheel of five monthly tasks, 3,060 occurrences in 2027): its
 * wheel is one mark per task and month with "x av 51 enheter utført", small whatever the number of units;
 * each mark opens the checklist of that task and month; the flat list comes in pages of 200.
 */
describe('the wheel and the flat list of a sector with many units', () => {
  let t: TestApp;
  let ada: string;
  let sector: string;
  const units: string[] = [];
  const tasks: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-02T08:00:00Z');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const helse = await unitId(t.db, 'Helse og omsorg');
    sector = (await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Sektor Stor', parentId: helse })).body.id;
    for (let n = 1; n <= 50; n++) {
      units.push((await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: `Enhet ${String(n).padStart(2, '0')}`, parentId: sector })).body.id);
    }
    const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Sektorhjul', kind: 'custom' })).body.id;
    for (const day of [5, 10, 15, 20, 25]) {
      const res = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: `Månedlig kontroll ${day}.`, rrule: `FREQ=MONTHLY;BYMONTHDAY=${day}`, responsibleRole: 'manager' });
      expect(res.status).toBe(201);
      tasks.push(res.body.id);
    }
    expect((await t.http.post(`/api/v1/units/${sector}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027, includeSubunits: true })).status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${sector}/materialize?year=2027`).set('Authorization', admin)).body.created).toBe(51 * 5 * 12);
    // Three units sign the first task of January on time; the rest of January is overdue by 15 February.
    const occurrences: Array<{ id: string }> = await t.db.query(
      `SELECT id FROM occurrence WHERE task_id = $1 AND deadline = '2027-01-05' AND unit_id = ANY($2) ORDER BY id`,
      [tasks[0], units.slice(0, 3)],
    );
    for (const { id } of occurrences) expect((await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', admin).send({ outcome: 'done', comment: 'Gjort' })).status).toBe(201);
    t.clock.set('2027-02-15T09:00:00Z');
    const res = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.admin, neste: '/oppgaver' });
    ada = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  });
  afterAll(() => t?.close());

  const marks = (page: string) => [...page.matchAll(/<a class="dot" href="([^"]+)" aria-label="([^"]+)"/g)].map((m) => ({ href: m[1].replace(/&amp;/g, '&'), label: m[2] }));

  it('shows one mark per task and month with how many of the units have done it, and stays small', async () => {
    const page = await t.http.get(`/arshjul?enhet=${sector}&ar=2027&maned=2027-01`).set('Cookie', ada);
    expect(page.status).toBe(200);
    const shown = marks(page.text);
    expect(shown).toHaveLength(5 * 12);
    expect(shown.filter((m) => m.label.startsWith('januar 2027: Månedlig kontroll 5.'))).toEqual([
      { href: `/sjekkliste?enhet=${sector}&maned=2027-01&underenheter=1&oppgave=${tasks[0]}`, label: 'januar 2027: Månedlig kontroll 5. – 3 av 51 enheter utført, 48 med forfalte' },
    ]);
    expect(shown.find((m) => m.label.startsWith('mars 2027: Månedlig kontroll 10.'))!.label).toBe('mars 2027: Månedlig kontroll 10. – 0 av 51 enheter utført');
    // The month's list beside the wheel is aggregated the same way: five entries for January, not 255.
    const list = page.text.split('<ul class="month-list">')[1].split('</ul>')[0];
    expect(list.match(/<li>/g)).toHaveLength(5);
    expect(list).toContain('3 av 51 enheter utført');
    // A dot per occurrence would be 3,060 links; the marks keep the page at a size that does not grow with the units.
    expect(Buffer.byteLength(page.text)).toBeLessThan(120_000);
  });

  it('a mark opens the checklist of that task and month across the units', async () => {
    const page = await t.http.get(`/arshjul?enhet=${sector}&ar=2027&maned=2027-01`).set('Cookie', ada);
    const mark = marks(page.text).find((m) => m.label.startsWith('januar 2027: Månedlig kontroll 5.'))!;
    const list = await t.http.get(mark.href).set('Cookie', ada);
    expect(list.status).toBe(200);
    const rows = list.text.match(/<td data-label="Oppgave">/g) ?? [];
    expect(rows).toHaveLength(51);
    expect(list.text).not.toContain('Månedlig kontroll 10.');
  });

  it('the flat list of everything below comes in pages of 200, with links between them', async () => {
    const first = await t.http.get(`/sjekkliste?enhet=${sector}&maned=2027-01&underenheter=1`).set('Cookie', ada);
    expect(first.status).toBe(200);
    expect(first.text.match(/<td data-label="Oppgave">/g)).toHaveLength(200);
    expect(first.text).toContain('Side 1 av 2 (255 rader)');
    expect(first.text).not.toContain('rel="prev"');
    // Keyset pages: the next page is the rows after the last one shown.
    const next = /<a href="([^"]+)" rel="next">Neste side<\/a>/.exec(first.text)![1].replace(/&amp;/g, '&');
    expect(next).toMatch(new RegExp(`^/sjekkliste\\?enhet=${sector}&maned=2027-01&underenheter=1&etter=[\\w-]+\\.[\\w-]+$`));
    const second = await t.http.get(next).set('Cookie', ada);
    expect(second.text.match(/<td data-label="Oppgave">/g)).toHaveLength(55);
    expect(second.text).toContain('Side 2 av 2 (255 rader)');
    expect(second.text).not.toContain('rel="next"');
    // Back to the first page by its own address; together the two pages hold every row once.
    expect(second.text).toContain(`href="/sjekkliste?enhet=${sector}&amp;maned=2027-01&amp;underenheter=1" rel="prev"`);
    const ids = (page: string) => [...page.matchAll(/<a href="\/oppgaver\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
    const all = [...ids(first.text), ...ids(second.text)];
    expect(new Set(all).size).toBe(255);
    // A page address that is not one is refused with a page saying so, not a list of something else.
    const damaged = await t.http.get(`${next.slice(0, -3)}xyz`).set('Cookie', ada);
    expect(damaged.status).toBe(422);
    expect(damaged.text).toContain('Side');
  });

  it('the wheel of a unit without sub-units keeps a dot per occurrence, each opening its task', async () => {
    const page = await t.http.get(`/arshjul?enhet=${units[0]}&ar=2027`).set('Cookie', ada);
    const shown = marks(page.text);
    expect(shown).toHaveLength(5 * 12);
    expect(shown.every((m) => /^\/oppgaver\/[0-9a-f-]{36}$/.test(m.href))).toBe(true);
  });

  /**
   * The marks against the occurrences counted directly: what stands on each is read from its records (the
   * one no correction supersedes), not from the occurrence's summary columns the marks are made from; a
   * cancelled occurrence and an archived unit count nowhere. Runs last: it signs, corrects and cancels.
   */
  it('its marks equal the occurrences counted directly: not applicable, revoked, corrected, cancelled and archived', async () => {
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const occurrenceOf = async (task: string, unit: string, deadline: string) =>
      ((await t.db.query(`SELECT id FROM occurrence WHERE task_id = $1 AND unit_id = $2 AND deadline = $3`, [task, unit, deadline])) as Array<{ id: string }>)[0].id;
    const signOff = async (task: string, unit: string, deadline: string, outcome: string) => {
      const res = await t.http.post(`/api/v1/occurrences/${await occurrenceOf(task, unit, deadline)}/sign-offs`).set('Authorization', admin).send({ outcome, comment: 'Vurdert' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const correct = async (record: string, outcome?: string) => {
      const res = await t.http.post(`/api/v1/sign-offs/${record}/corrections`).set('Authorization', admin).send({ reason: 'Signert på feil forekomst', ...(outcome ? { outcome, comment: 'Ikke aktuelt her' } : {}) });
      expect({ status: res.status, body: res.status === 201 ? {} : res.body }).toEqual({ status: 201, body: {} });
    };
    // January's first task: not applicable in one unit, signed and then revoked (open, so overdue) in another,
    // signed and then corrected to not applicable in a third; February's: one unit done (not yet due today).
    await signOff(tasks[0], units[3], '2027-01-05', 'not_applicable');
    await correct(await signOff(tasks[0], units[4], '2027-01-05', 'done'));
    await correct(await signOff(tasks[0], units[5], '2027-01-05', 'done'), 'not_applicable');
    await signOff(tasks[2], units[8], '2027-02-15', 'done');
    // The second task switched off in one unit from March: its occurrences from then on are cancelled.
    expect((await t.http.post(`/api/v1/units/${units[6]}/task-opt-outs`).set('Authorization', admin).send({ taskId: tasks[1], reason: 'Gjøres sentralt', from: '2027-03-01' })).status).toBe(201);
    // A unit archived: its future is cancelled, and it is no longer below the sector (nor is its January, signed or not).
    await signOff(tasks[3], units[7], '2027-01-20', 'done');
    expect((await t.http.patch(`/api/v1/units/${units[7]}`).set('Authorization', admin).send({ archived: true })).status).toBe(200);
    const cancelled: Array<{ n: number }> = await t.db.query(`SELECT count(*)::int AS n FROM occurrence WHERE cancelled_at IS NOT NULL AND unit_id = $1 AND task_id = $2`, [units[6], tasks[1]]);
    expect(cancelled[0].n).toBe(10);

    // Counted directly: every occurrence of the sector's active units in 2027, what stands on it from its records.
    const rows: Array<{ task_id: string; unit_id: string; deadline: string; cancelled: boolean; outcome: string | null }> = await t.db.query(
      `SELECT o.task_id, o.unit_id, to_char(o.deadline, 'YYYY-MM-DD') AS deadline, o.cancelled_at IS NOT NULL AS cancelled,
              (SELECT s.outcome FROM sign_off s WHERE s.occurrence_id = o.id AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = s.id)) AS outcome
         FROM occurrence o JOIN unit u ON u.id = o.unit_id
        WHERE (u.id = $1 OR u.parent_id = $1) AND u.archived_at IS NULL AND o.deadline BETWEEN '2027-01-01' AND '2027-12-31'`,
      [sector],
    );
    const perUnit = new Map<string, { unsigned: number; overdue: number }>();
    for (const r of rows.filter((r) => !r.cancelled)) {
      const key = `${r.task_id}|${r.deadline.slice(0, 7)}|${r.unit_id}`;
      const u = perUnit.get(key) ?? { unsigned: 0, overdue: 0 };
      if (r.outcome === null) u.unsigned += 1;
      if (r.outcome === null && r.deadline < '2027-02-15') u.overdue += 1;
      perUnit.set(key, u);
    }
    const expected = new Map<string, { units: number; done: number; overdue: number }>();
    for (const [key, u] of perUnit) {
      const mark = key.split('|').slice(0, 2).join('|');
      const m = expected.get(mark) ?? { units: 0, done: 0, overdue: 0 };
      m.units += 1;
      if (u.unsigned === 0) m.done += 1;
      if (u.overdue > 0) m.overdue += 1;
      expected.set(mark, m);
    }

    const page = await t.http.get(`/arshjul?enhet=${sector}&ar=2027&maned=2027-01`).set('Cookie', ada);
    const shown = new Map(
      marks(page.text).map((m) => {
        const href = new URL(m.href, 'http://x');
        const [, done, of, overdue] = /– (\d+) av (\d+) enheter utført(?:, (\d+) med forfalte)?$/.exec(m.label)!;
        return [`${href.searchParams.get('oppgave')}|${href.searchParams.get('maned')}`, { units: Number(of), done: Number(done), overdue: Number(overdue ?? 0) }];
      }),
    );
    expect(shown).toEqual(expected);
    // The cases above, as the page says them.
    expect(shown.get(`${tasks[0]}|2027-01`)).toEqual({ units: 50, done: 5, overdue: 45 });
    expect(shown.get(`${tasks[1]}|2027-03`)).toEqual({ units: 49, done: 0, overdue: 0 });
    expect(shown.get(`${tasks[2]}|2027-02`)).toEqual({ units: 50, done: 1, overdue: 0 });
  });
});
