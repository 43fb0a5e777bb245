import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { ChecklistDto, ChecklistItemDto, OccurrenceItemDto } from '../../src/occurrences/dtos/checklist.dto';
import { ChecklistService, FlatChecklistPage } from '../../src/occurrences/services/checklist.service';
import { KEYSET_OF, RowStatusFilter } from '../../src/occurrences/services/checklist.sql';
import { shownStatus } from '../../src/web/layout';
import { count, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const MONTH = '2027-03';
const TODAY = '2027-03-15';
const FNR = '15076500565';

interface Filter {
  wheelId?: string;
  taskId?: string;
  status?: string;
  personId?: string;
  code?: string;
  ownerName?: string;
}

/**
 * The flat checklist's rows as the page chose them before it paged in SQL: the whole month of the subtree
 * (ChecklistService.checklist, unpaged), each filter applied per occurrence, a duty per person kept with the
 * people shown. `api`: the API's statuses (`open` whether its window has opened or not).
 */
function reference(checklist: ChecklistDto, f: Filter, api = false): { rows: ChecklistItemDto[]; ids: string[] } {
  const shown = (i: OccurrenceItemDto) =>
    (!f.status || (api ? i.status : shownStatus(i, checklist.today)) === f.status) &&
    (!f.personId || i.owners.some((o) => o.id === f.personId)) &&
    (!f.ownerName || i.owners.some((o) => o.displayName.toLowerCase().includes(f.ownerName!.toLowerCase()))) &&
    (!f.code || i.recipientCode === f.code) &&
    (!f.taskId || i.taskId === f.taskId);
  const rows: ChecklistItemDto[] = [];
  for (const g of checklist.groups.filter((g) => !f.wheelId || g.wheelId === f.wheelId))
    for (const i of g.items) {
      if (!i.people) {
        if (shown(i as OccurrenceItemDto)) rows.push(i);
        continue;
      }
      const kept = i.people.filter(shown);
      if (kept.length) rows.push({ ...i, people: kept });
    }
  return { rows, ids: rows.flatMap((r) => (r.people ? r.people.map((p) => p.occurrenceId) : [r.occurrenceId!])) };
}

/**
 * Demo kommune's Bo og habilitering, its wheels materialised for 2027, with records on time, late and not
 * applicable in Avdeling Fjellvegen; today 15 March 2027, so February's open rows are carried over as overdue.
 */
describe('the flat checklist of a unit and everything below, a page at a time in SQL', () => {
  let t: TestApp;
  let lars: string;
  let cookie: string;
  let municipality: string;
  let boOgHabilitering: string;
  let fjellvegen: string;
  let asen: string;
  let unpaged: ChecklistDto;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-02T08:00:00Z');
    lars = await t.bearer(DEMO_PEOPLE.leder);
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    asen = await unitId(t.db, 'Avdeling Åsen');
    [{ municipality_id: municipality }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [boOgHabilitering]);
    expect((await t.http.post(`/api/v1/units/${boOgHabilitering}/materialize?year=2027`).set('Authorization', lars)).status).toBe(200);
    const sign = async (body: object, n: number, at: string, from: string, to: string) => {
      const rows: Array<{ id: string }> = await t.db.query(
        `SELECT id FROM occurrence WHERE unit_id = $1 AND deadline BETWEEN $2 AND $3 AND standing_outcome IS NULL AND opens_on <= $5 ORDER BY deadline, id LIMIT $4`,
        [fjellvegen, from, to, n, at.slice(0, 10)],
      );
      expect(rows.length).toBeGreaterThan(0);
      t.clock.set(at);
      for (const { id } of rows) expect((await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', lars).send(body)).status).toBe(201);
    };
    await sign({ outcome: 'done', comment: 'Gjort' }, 6, '2027-03-10T10:00:00Z', '2027-03-10', '2027-03-31');
    await sign({ outcome: 'done', comment: 'Sent' }, 4, '2027-03-10T10:00:00Z', '2027-03-01', '2027-03-09');
    await sign({ outcome: 'not_applicable', comment: 'Ikke aktuelt her' }, 2, '2027-03-11T10:00:00Z', '2027-03-01', '2027-03-31');
    // A recipient's check-up whose window opens after today: «Ikke åpnet ennå».
    await t.db.query(
      `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
       SELECT $1, t.id, $2, r.id, '2027-03-30', '2027-03-30', '2027-03-20'
         FROM task_definition t, recipient r WHERE t.title = 'Påse at årskontroll hos fastlege er bestilt' AND r.unit_id = $2 ORDER BY t.id, r.code LIMIT 1`,
      [municipality, fjellvegen],
    );
    t.clock.set(`${TODAY}T10:00:00Z`);
    const login = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.leder, neste: '/oppgaver' });
    cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    unpaged = await t.app.get(ChecklistService).checklist(municipality, boOgHabilitering, MONTH, true, TODAY);
  }, 120_000);
  afterAll(() => t?.close());

  /** Every page of the API's rows with this query, `limit` at a time. */
  const apiRows = async (filter: string, limit = 7) => {
    const items: ChecklistItemDto[] = [];
    const totals = new Set<number>();
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: ChecklistItemDto[]; total: number; nextCursor: string | null } } = await t.http
        .get(`/api/v1/units/${boOgHabilitering}/checklist?month=${MONTH}&subtree=true&limit=${limit}${filter}${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', lars);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      totals.add(res.body.total);
      cursor = res.body.nextCursor;
    } while (cursor);
    return { items, totals: [...totals] };
  };
  const idsOf = (rows: ChecklistItemDto[]) => rows.flatMap((r) => (r.people ? r.people.map((p) => p.occurrenceId) : [r.occurrenceId!]));
  const page = (query: string) => t.http.get(`/sjekkliste?enhet=${boOgHabilitering}&maned=${MONTH}&underenheter=1${query}`).set('Cookie', cookie);
  /** The occurrences a page's rows open, in the order shown (a duty per person: each person's). */
  const pageIds = (html: string) => [...html.matchAll(/<a href="\/oppgaver\/([0-9a-f-]{36})">/g)].map((m) => m[1]);

  /** A filter of each kind, with values that select some rows and leave others out. */
  const filters = (): Array<[string, Filter, string]> => {
    const rows = unpaged.groups.flatMap((g) => g.items.flatMap((i) => i.people ?? [i as OccurrenceItemDto]));
    const owner = rows.find((r) => r.recipientCode && r.owners.length)!.owners[0];
    const code = rows.find((r) => r.recipientCode)!.recipientCode!;
    const wheel = unpaged.groups[1] ?? unpaged.groups[0];
    const task = rows.find((r) => r.person)?.taskId ?? rows[0].taskId;
    return [
      ['a wheel', { wheelId: wheel.wheelId }, `hjul=${wheel.wheelId}`],
      ['a task', { taskId: task }, `oppgave=${task}`],
      ['a person', { personId: owner.id }, `person=${owner.id}`],
      ['a recipient code', { code }, `kode=${code}`],
      ...(['open', 'not_open', 'overdue', 'done', 'done_late', 'not_applicable'] as const).map((s): [string, Filter, string] => [`status ${s}`, { status: s }, `status=${s}`]),
      ['status and wheel', { status: 'overdue', wheelId: wheel.wheelId }, `status=overdue&hjul=${wheel.wheelId}`],
    ];
  };

  it('the unpaged month has rows of every kind, or the comparisons prove little', () => {
    const rows = unpaged.groups.flatMap((g) => g.items.flatMap((i) => i.people ?? [i as OccurrenceItemDto]));
    const statuses = ['open', 'not_open', 'overdue', 'done', 'done_late', 'not_applicable'];
    expect(statuses.filter((status) => !rows.some((r) => shownStatus(r, TODAY) === status))).toEqual([]);
    expect(rows.some((r) => r.fromEarlierMonth)).toBe(true);
    expect(rows.some((r) => r.person)).toBe(true);
    expect(new Set(rows.map((r) => r.unitId)).size).toBeGreaterThan(1);
  });

  it('the page shows the unpaged rows in their order, and each wheel’s and the month’s progress as the unpaged list counts them', async () => {
    const res = await page('');
    expect(res.status).toBe(200);
    expect(pageIds(res.text)).toEqual(reference(unpaged, {}).ids);
    let done = 0;
    let total = 0;
    for (const g of unpaged.groups) {
      const month = g.items.filter((i) => !i.fromEarlierMonth).flatMap((i): Array<{ signedBy: unknown }> => i.people ?? [i]);
      const signed = month.filter((i) => i.signedBy).length;
      done += signed;
      total += month.length;
      expect(res.text).toContain(`${g.wheelName} <span class="progress">${signed} av ${month.length} utført</span>`);
    }
    expect(res.text).toContain(`Hele måneden: ${done} av ${total} utført`);
  });

  it('each filter gives the rows the page gave when it filtered the whole month itself', async () => {
    for (const [name, filter, query] of filters()) {
      const expected = reference(unpaged, filter).ids;
      const res = await page(`&${query}`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect({ name, ids: pageIds(res.text) }).toEqual({ name, ids: expected });
    }
  });

  /**
   * The page's order, a few rows at a time: its rows are counted per task and deadline and only the groups a
   * page reaches are read, so a cursor falls inside a group, between groups and on a duty per person; walking
   * back from the last page must meet the same pages.
   */
  it('walks the page’s order three rows at a time, forward and back, each filter too: every row once, in order, where it says it starts', async () => {
    const checklists = t.app.get(ChecklistService);
    const walk = async (filter: Filter) => {
      const filters = { ...filter, code: undefined, recipientCode: filter.code, status: (filter.status === 'open' ? 'opened' : filter.status) as RowStatusFilter | undefined };
      const at = (key: unknown[] | null, backward = false) => checklists.flatPage(municipality, boOgHabilitering, MONTH, true, { key, backward, limit: 3, filters });
      const forward: FlatChecklistPage[] = [];
      for (let key: unknown[] | null = null; ; ) {
        const p = await at(key);
        forward.push(p);
        if (!p.nextCursor) break;
        key = KEYSET_OF.wheel.decode(p.nextCursor);
      }
      const back: FlatChecklistPage[] = [forward[forward.length - 1]];
      while (back[0].previousCursor) back.unshift(await at(KEYSET_OF.wheel.decode(back[0].previousCursor), true));
      return { forward, back };
    };
    for (const [name, filter] of [['no filter', {}] as [string, Filter], ...filters().map(([n, f]): [string, Filter] => [n, f])]) {
      const expected = reference(unpaged, filter);
      const { forward, back } = await walk(filter);
      expect({ name, ids: forward.flatMap((p) => idsOf(p.items)) }).toEqual({ name, ids: expected.ids });
      expect({ name, totals: [...new Set(forward.map((p) => p.total))] }).toEqual({ name, totals: [expected.rows.length] });
      expect({ name, starts: forward.map((p) => p.start) }).toEqual({ name, starts: forward.map((_, i) => i * 3) });
      expect({ name, back: back.map((p) => [p.start, idsOf(p.items)]) }).toEqual({ name, back: forward.map((p) => [p.start, idsOf(p.items)]) });
    }
  });

  it('the API pages every filter in SQL: the same rows, each once, by deadline, with the total of the filter', async () => {
    const all = await apiRows('');
    expect(all.totals).toEqual([reference(unpaged, {}, true).rows.length]);
    expect(idsOf(all.items).sort()).toEqual(reference(unpaged, {}, true).ids.sort());
    const api = (f: Filter) =>
      [f.wheelId && `wheelId=${f.wheelId}`, f.taskId && `taskId=${f.taskId}`, f.status && `status=${f.status}`, f.personId && `personId=${f.personId}`, f.code && `recipientCode=${f.code}`]
        .filter(Boolean)
        .map((p) => `&${p}`)
        .join('');
    for (const [name, filter] of filters()) {
      if (filter.status === 'not_open') continue; // the API's «open» holds both
      const expected = reference(unpaged, filter, true);
      const got = await apiRows(api(filter), 5);
      expect({ name, totals: got.totals }).toEqual({ name, totals: [expected.rows.length] });
      expect({ name, ids: idsOf(got.items).sort() }).toEqual({ name, ids: [...expected.ids].sort() });
      const deadlines = got.items.map((i) => i.deadline);
      expect(deadlines).toEqual([...deadlines].sort());
    }
  });

  it('refuses a filter that is not one with a 422 naming it, on the API and as a Norwegian page', async () => {
    for (const [query, field] of [
      ['wheelId=x', 'wheelId'],
      ['taskId=1', 'taskId'],
      ['status=late', 'status'],
      ['personId=abc', 'personId'],
      ['recipientCode=%C3%86%C3%98', 'recipientCode'],
      ['recipientCode=a', 'recipientCode'],
    ]) {
      const res = await t.http.get(`/api/v1/units/${boOgHabilitering}/checklist?month=${MONTH}&subtree=true&${query}`).set('Authorization', lars);
      expect({ query, status: res.status, type: res.type, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        query,
        status: 422,
        type: 'application/problem+json',
        fields: [field],
      });
    }
    const before = await count(t.db, 'access_log');
    for (const [query, field] of [
      ['hjul=x', 'Årshjul'],
      ['status=ferdig', 'Status'],
      ['person=x', 'Ansvarlig'],
      ['kode=%00', 'Tjenestemottaker'],
      [`ansvarlig=${FNR}`, 'Ansvarlig'],
      [`ansvarlig=${'a'.repeat(101)}`, 'Ansvarlig'],
      ['ansvarlig=a%01b', 'Ansvarlig'],
      ['oppgave=1', 'Oppgave'],
      ['etter=garbage', 'Side'],
      ['forrige=WyJ4Il0.abc', 'Side'],
    ]) {
      const res = await page(`&${query}`);
      expect({ query, status: res.status, html: res.type }).toEqual({ query, status: 422, html: 'text/html' });
      expect(res.text).toContain('Skjemaet har feil');
      expect({ query, named: res.text.includes(field) }).toEqual({ query, named: true });
    }
    // Nothing was read, so nothing was logged.
    expect(await count(t.db, 'access_log')).toBe(before);
  });

  describe('under a unit with many recipients and people', () => {
    beforeAll(async () => {
      // 150 recipients in Avdeling Åsen, each with a check-up in March owned by a person of their own.
      await t.db.query(
        `INSERT INTO person (municipality_id, email, display_name)
         SELECT $1, 'mange' || g || '@demo.kommune.no', 'Mangfold ' || lpad(g::text, 3, '0') FROM generate_series(1, 150) g`,
        [municipality],
      );
      await t.db.query(
        `INSERT INTO recipient (municipality_id, unit_id, code, active_from) SELECT $1, $2, 'MNG-' || lpad(g::text, 3, '0'), '2026-01-01' FROM generate_series(1, 150) g`,
        [municipality, asen],
      );
      const [{ id: task }] = await t.db.query(`SELECT id FROM task_definition WHERE title = 'Påse at årskontroll hos fastlege er bestilt' LIMIT 1`);
      await t.db.query(
        `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
         SELECT $1, $2, $3, r.id, '2027-03-20', '2027-03-20', '2027-03-01' FROM recipient r WHERE r.unit_id = $3 AND r.code LIKE 'MNG-%'`,
        [municipality, task, asen],
      );
      await t.db.query(
        `INSERT INTO occurrence_owner (occurrence_id, person_id)
         SELECT o.id, p.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id
           JOIN person p ON p.email = 'mange' || ltrim(substr(r.code, 5), '0') || '@demo.kommune.no'
          WHERE r.code LIKE 'MNG-%'`,
      );
      unpaged = await t.app.get(ChecklistService).checklist(municipality, boOgHabilitering, MONTH, true, TODAY);
    });

    it('asks for a name or a code instead of listing them all, and logs only the codes it shows', async () => {
      const res = await page('');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<input type="search" id="kode" name="kode"');
      expect(res.text).toContain('<input type="search" id="ansvarlig" name="ansvarlig"');
      expect(res.text).not.toContain('<option value="MNG-001">');
      expect(res.text).toContain('Side 1 av 2');
      const [logged] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /sjekkliste' ORDER BY id DESC LIMIT 1`);
      const shown = [...new Set([...res.text.matchAll(/<span class="muted">\(([A-Z0-9-]+)\)<\/span>/g)].map((m) => m[1]))].sort();
      expect([...new Set(logged.recipient_codes as string[])].sort()).toEqual(shown);
    });

    it('a typed code or part of a name gives the rows the lists gave', async () => {
      const byCode = await page('&kode=MNG-042');
      expect(pageIds(byCode.text)).toEqual(reference(unpaged, { code: 'MNG-042' }).ids);
      expect(pageIds(byCode.text)).toHaveLength(1);
      const byName = await page('&ansvarlig=mangfold%2004');
      expect(pageIds(byName.text)).toEqual(reference(unpaged, { ownerName: 'mangfold 04' }).ids);
      expect(pageIds(byName.text)).toHaveLength(10);
      // The same over both pages of the whole list: every row once, in the unpaged order.
      const first = await page('');
      const next = /<a href="([^"]+)" rel="next">/.exec(first.text)![1].replace(/&amp;/g, '&');
      const second = await t.http.get(next).set('Cookie', cookie);
      expect([...pageIds(first.text), ...pageIds(second.text)]).toEqual(reference(unpaged, {}).ids);
      // And back: the previous page of the second is the first.
      const back = /<a href="([^"]+)" rel="prev">/.exec(second.text)![1].replace(/&amp;/g, '&');
      expect(pageIds((await t.http.get(back).set('Cookie', cookie)).text)).toEqual(pageIds(first.text));
    });
  });
});
