import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

interface PageBody {
  items: Array<Record<string, unknown>>;
  total: number;
  limit: number;
  nextCursor: string | null;
}

/** One paginated list, as a caller meets it. */
interface List {
  name: string;
  /** The path with its filter, without limit or cursor. */
  path: () => string;
  as: () => Promise<string>;
  idOf: (item: Record<string, unknown>) => string;
  /** Every row matching the filter, counted in the database. */
  count: () => Promise<number>;
  /** Adds rows while someone pages: some sort before the rows already read, some after, where the order allows. */
  add: () => Promise<void>;
  /** Who must still be refused, and how. */
  refused: { path: () => string; as: () => Promise<string>; status: number };
}

const ROWS = 250; // more than a page of 200
const MONTH = '2027-02';
const CHECKUP = 'Påse at årskontroll hos fastlege er bestilt';

describe('lists that grow come a page at a time: limit, cursor, total', () => {
  let t: TestApp;
  let demo: string;
  let mange: string;
  let boOgHabilitering: string;
  let checkupTask: string;
  let admin: string;
  let kvalitet: string;
  let leder: string;
  let adminId: string;
  let kvalitetId: string;
  let added = 0;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    leder = await t.bearer(DEMO_PEOPLE.leder);
    adminId = await personId(t.db, DEMO_PEOPLE.admin);
    kvalitetId = await personId(t.db, DEMO_PEOPLE.kvalitet);
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    [{ municipality_id: demo }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [boOgHabilitering]);
    [{ id: checkupTask }] = await t.db.query(`SELECT id FROM task_definition WHERE title = $1 LIMIT 1`, [CHECKUP]);

    // One data set of more than a page for every list, written by SQL in a few statements.
    [{ id: mange }] = await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, 'Avdeling Mange') RETURNING id`, [demo, boOgHabilitering]);
    await t.db.query(
      `INSERT INTO person (municipality_id, email, display_name)
       SELECT $1, 'side' || g || '@demo.kommune.no', 'Sidefolk ' || lpad(g::text, 3, '0') FROM generate_series(1, ${ROWS}) g`,
      [demo],
    );
    await t.db.query(
      `INSERT INTO recipient (municipality_id, unit_id, code, active_from)
       SELECT $1, $2, 'MNG-' || lpad(g::text, 3, '0'), '2026-01-01' FROM generate_series(1, ${ROWS}) g`,
      [demo, mange],
    );
    // Every recipient's GP check-up on one deadline: the order's ties are broken by the id.
    await t.db.query(
      `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
       SELECT $1, $2, $3, r.id, '2027-02-26', '2027-02-26', '2027-01-30' FROM recipient r WHERE r.unit_id = $3`,
      [demo, checkupTask, mange],
    );
    await t.db.query(
      `INSERT INTO audit_log (municipality_id, actor_id, action, entity, entity_id, after, at)
       SELECT $1, $2, 'updated', 'unit', $3, jsonb_build_object('n', g), '2027-01-05T08:00:00Z'::timestamptz + g * interval '1 minute'
         FROM generate_series(1, ${ROWS}) g`,
      [demo, adminId, mange],
    );
    await t.db.query(
      `INSERT INTO access_log (municipality_id, person_id, at, endpoint, recipient_codes)
       SELECT $1, $2, '2027-01-05T08:00:00Z'::timestamptz + g * interval '1 minute', 'GET /api/v1/recipients', ARRAY['MNG-' || lpad(g::text, 3, '0')]
         FROM generate_series(1, ${ROWS}) g`,
      [demo, adminId],
    );
    await t.db.query(
      `INSERT INTO occurrence_change (municipality_id, occurrence_id, changed_at, actor_id, reason, database_role, before, after)
       SELECT $1, o.id, '2027-01-05T08:00:00Z', $2, 'moved', 'arshjul_app', '{"deadline": "2027-02-27"}', '{"deadline": "2027-02-26"}'
         FROM occurrence o WHERE o.unit_id = $3`,
      [demo, adminId, mange],
    );
    // Messages that failed, all made in the same instant but for one: ties again.
    await t.db.query(
      `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, for_date, address, subject, body_text, body_html, status, next_attempt_at, created_at)
       SELECT $1, 'side-' || g, 'overdue', 'email', '2027-02-01', 'x@demo.kommune.no', 'Forfalt', 'Forfalt', '<p>Forfalt</p>', 'failed',
              '2027-02-01T08:00:00Z', '2027-02-01T08:00:00Z'::timestamptz + (g / 100) * interval '1 hour'
         FROM generate_series(1, ${ROWS}) g`,
      [demo],
    );
    // Signed records, through the service: their chain is the service's to write.
    t.clock.set('2027-02-20T09:00:00Z');
    const occurrences: Array<{ id: string }> = await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 ORDER BY id`, [mange]);
    for (let i = 0; i < occurrences.length; i += 100) {
      const items = occurrences.slice(i, i + 100).map((o) => ({ occurrenceId: o.id, outcome: 'done' }));
      const res = await t.http.post('/api/v1/sign-offs/batch').set('Authorization', leder).send({ items });
      expect(res.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    }
  }, 120_000);
  afterAll(() => t.close());

  const get = (path: string, as: string) => t.http.get(`/api/v1${path}`).set('Authorization', as);
  const join = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
  /** A new, unique number for rows added while paging. */
  const next = () => ++added;

  const LISTS: List[] = [
    {
      name: 'people',
      path: () => '/people',
      as: async () => leder,
      idOf: (p) => p.id as string,
      count: () => count(t.db, 'person', 'municipality_id = $1', [demo]),
      add: async () => {
        const n = next();
        await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, $2, 'Aase Først'), ($1, $3, 'Åse Sist')`, [demo, `forst${n}@demo.kommune.no`, `sist${n}@demo.kommune.no`]);
      },
      refused: { path: () => '/people', as: async () => '', status: 401 },
    },
    {
      name: 'recipients',
      path: () => `/recipients?unitId=${mange}`,
      as: async () => leder,
      idOf: (r) => r.id as string,
      count: () => count(t.db, 'recipient', 'unit_id = $1', [mange]),
      add: async () => {
        const n = next();
        await t.db.query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) VALUES ($1, $2, $3, '2026-01-01'), ($1, $2, $4, '2026-01-01')`, [demo, mange, `AAA-${n}`, `ZZZ-${n}`]);
      },
      // A primary contact of another department does not read this one's recipients.
      refused: { path: () => `/recipients?unitId=${mange}`, as: () => t.bearer(DEMO_PEOPLE.primaer), status: 403 },
    },
    {
      name: 'the checklist of a subtree',
      path: () => `/units/${boOgHabilitering}/checklist?month=${MONTH}&subtree=true`,
      as: async () => leder,
      idOf: (i) => (i.occurrenceId as string | null) ?? `${i.taskId}/${i.unitId}/${i.deadline}`,
      count: async () => {
        const [{ n }] = await t.db.query(
          `WITH RECURSIVE scope AS (SELECT id FROM unit WHERE id = $1 UNION SELECT u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE u.archived_at IS NULL)
           SELECT count(DISTINCT CASE WHEN person_id IS NULL THEN id::text ELSE task_id || '/' || unit_id || '/' || deadline END) AS n
             FROM occurrence WHERE unit_id IN (SELECT id FROM scope) AND cancelled_at IS NULL
              AND (deadline BETWEEN '2027-02-01' AND '2027-02-28' OR (deadline < '2027-02-01' AND standing_outcome IS NULL))`,
          [boOgHabilitering],
        );
        return Number(n);
      },
      add: async () => {
        const n = next();
        // A new recipient's check-ups on the first and the last day of the month.
        const [{ id }] = await t.db.query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) VALUES ($1, $2, $3, '2026-01-01') RETURNING id`, [demo, mange, `NYE-${n}`]);
        await t.db.query(
          `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
           VALUES ($1, $2, $3, $4, '2027-02-01', '2027-02-01', '2027-01-05'), ($1, $2, $3, $4, '2027-02-28', '2027-02-28', '2027-02-01')`,
          [demo, checkupTask, mange, id],
        );
      },
      // A department manager does not read the unit above.
      refused: { path: () => `/units/${boOgHabilitering}/checklist?month=${MONTH}&subtree=true`, as: () => t.bearer(DEMO_PEOPLE.avdelingsleder), status: 403 },
    },
    {
      // Filtered in SQL before the page is taken: a page of one task's rows keeps its place as rows are added.
      name: 'the checklist of a subtree, one task',
      path: () => `/units/${boOgHabilitering}/checklist?month=${MONTH}&subtree=true&taskId=${checkupTask}`,
      as: async () => leder,
      idOf: (i) => i.occurrenceId as string,
      count: async () => {
        const [{ n }] = await t.db.query(
          `WITH RECURSIVE scope AS (SELECT id FROM unit WHERE id = $1 UNION SELECT u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE u.archived_at IS NULL)
           SELECT count(*) AS n FROM occurrence WHERE unit_id IN (SELECT id FROM scope) AND cancelled_at IS NULL AND task_id = $2
              AND (deadline BETWEEN '2027-02-01' AND '2027-02-28' OR (deadline < '2027-02-01' AND standing_outcome IS NULL))`,
          [boOgHabilitering, checkupTask],
        );
        return Number(n);
      },
      add: async () => {
        const n = next();
        // A new recipient's check-ups on the first and the last day of the month, and another task's row that the filter leaves out.
        const [{ id }] = await t.db.query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) VALUES ($1, $2, $3, '2026-01-01') RETURNING id`, [demo, mange, `FLT-${n}`]);
        await t.db.query(
          `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
           VALUES ($1, $2, $3, $4, '2027-02-01', '2027-02-01', '2027-01-05'), ($1, $2, $3, $4, '2027-02-28', '2027-02-28', '2027-02-01')`,
          [demo, checkupTask, mange, id],
        );
        await t.db.query(
          `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
           SELECT $1, t.id, $2, $3, '2027-02-10', '2027-02-10', '2027-02-01' FROM task_definition t WHERE t.id <> $4 AND t.scope = 'recipient' LIMIT 1`,
          [demo, mange, id, checkupTask],
        );
      },
      refused: { path: () => `/units/${boOgHabilitering}/checklist?month=${MONTH}&subtree=true&taskId=${checkupTask}`, as: () => t.bearer(DEMO_PEOPLE.avdelingsleder), status: 403 },
    },
    {
      name: 'records',
      path: () => `/audit/records?unitId=${mange}&from=2027-01-01&to=2027-12-31`,
      as: async () => kvalitet,
      idOf: (r) => r.id as string,
      count: () => count(t.db, 'sign_off', 'unit_id = $1', [mange]),
      add: async () => {
        // Records are signed now: they sort after those read.
        const [open] = await t.db.query(`SELECT o.id FROM occurrence o WHERE o.unit_id = $1 AND o.standing_outcome IS NULL AND o.deadline <= '2027-12-31' LIMIT 1`, [mange]);
        if (!open) return;
        t.clock.set(new Date(t.clock.now().getTime() + 60_000).toISOString());
        expect((await t.http.post(`/api/v1/occurrences/${open.id}/sign-offs`).set('Authorization', leder).send({ outcome: 'done' })).status).toBe(201);
      },
      refused: { path: () => `/audit/records?unitId=${mange}&from=2027-01-01&to=2027-12-31`, as: () => t.bearer(DEMO_PEOPLE.avdelingsleder), status: 403 },
    },
    {
      name: 'the audit log',
      path: () => '/audit/log?entity=unit',
      as: async () => kvalitet,
      idOf: (e) => String(e.id),
      count: () => count(t.db, 'audit_log', `municipality_id = $1 AND entity = 'unit'`, [demo]),
      add: async () => {
        await t.db.query(`INSERT INTO audit_log (municipality_id, actor_id, action, entity, entity_id, after) VALUES ($1, $2, 'updated', 'unit', $3, '{}')`, [demo, adminId, mange]);
      },
      refused: { path: () => '/audit/log?entity=unit', as: () => t.bearer(DEMO_PEOPLE.avdelingsleder), status: 403 },
    },
    {
      name: 'the access log',
      path: () => `/audit/access-log?personId=${adminId}`,
      as: async () => kvalitet,
      idOf: (e) => String(e.id),
      count: () => count(t.db, 'access_log', 'person_id = $1', [adminId]),
      add: async () => {
        await t.db.query(`INSERT INTO access_log (municipality_id, person_id, at, endpoint, recipient_codes) VALUES ($1, $2, now(), 'GET /api/v1/recipients', '{MNG-001}')`, [demo, adminId]);
      },
      refused: { path: () => `/audit/access-log?personId=${adminId}`, as: () => t.bearer(DEMO_PEOPLE.primaer), status: 403 },
    },
    {
      name: 'the trace of occurrence changes',
      path: () => `/audit/occurrence-changes?unitId=${mange}`,
      as: async () => kvalitet,
      idOf: (c) => String(c.id),
      count: async () => {
        const [{ n }] = await t.db.query(`SELECT count(*) AS n FROM occurrence_change c JOIN occurrence o ON o.id = c.occurrence_id WHERE o.unit_id = $1`, [mange]);
        return Number(n);
      },
      add: async () => {
        await t.db.query(
          `INSERT INTO occurrence_change (municipality_id, occurrence_id, actor_id, reason, database_role, before, after)
           SELECT $1, id, $2, 'moved', 'arshjul_app', '{}', '{}' FROM occurrence WHERE unit_id = $3 LIMIT 1`,
          [demo, adminId, mange],
        );
      },
      refused: { path: () => `/audit/occurrence-changes?unitId=${mange}`, as: () => t.bearer(DEMO_PEOPLE.avdelingsleder), status: 403 },
    },
    {
      name: 'the delivery log',
      path: () => '/notifications?status=failed',
      as: async () => admin,
      idOf: (m) => m.id as string,
      count: () => count(t.db, 'notification', `status = 'failed'`),
      add: async () => {
        const n = next();
        await t.db.query(
          `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, for_date, address, subject, body_text, body_html, status, next_attempt_at, created_at)
           SELECT $1, 'lagt-til-' || $2 || '-' || g, 'overdue', 'email', '2027-02-01', 'x@demo.kommune.no', 'Forfalt', 'Forfalt', '<p>Forfalt</p>', 'failed', now(),
                  CASE g WHEN 1 THEN '2026-01-01T00:00:00Z'::timestamptz ELSE '2028-01-01T00:00:00Z' END
             FROM generate_series(1, 2) g`,
          [demo, n],
        );
      },
      refused: { path: () => '/notifications?status=failed', as: () => t.bearer(DEMO_PEOPLE.leder), status: 403 },
    },
  ];

  describe.each(LISTS.map((list) => [list.name, list] as const))('%s', (_, list) => {
    it('gives 200 rows by default, the total of all, a cursor and a Link to the next page', async () => {
      const res = await get(list.path(), await list.as());
      expect(res.status).toBe(200);
      const body = res.body as PageBody;
      const total = await list.count();
      expect(total).toBeGreaterThan(200);
      expect(body).toMatchObject({ total, limit: 200 });
      expect(body.items).toHaveLength(200);
      expect(typeof body.nextCursor).toBe('string');
      expect(res.headers.link).toBe(`</api/v1${join(list.path(), `cursor=${body.nextCursor}`)}>; rel="next"`);
    });

    it('gives every row exactly once across the pages while rows are added, and the last page says there is no next', async () => {
      const as = await list.as();
      const before = new Set(await everyId(list, as));
      expect(before.size).toBe(await list.count());
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(join(list.path(), `limit=90${cursor ? `&cursor=${cursor}` : ''}`), as);
        expect(res.status).toBe(200);
        const body = res.body as PageBody;
        expect(body.limit).toBe(90);
        seen.push(...body.items.map(list.idOf));
        cursor = body.nextCursor;
        if (cursor === null) expect(res.headers.link).toBeUndefined();
        else {
          // What the Link header names is the next page.
          const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.link)![1];
          expect(new URL(link, 'http://x').searchParams.get('cursor')).toBe(cursor);
          expect(new URL(link, 'http://x').searchParams.get('limit')).toBe('90');
        }
        await list.add();
        pages += 1;
      } while (cursor && pages < 20);
      expect(cursor).toBeNull();
      expect(seen.length).toBe(new Set(seen).size); // none twice
      expect([...before].filter((id) => !seen.includes(id))).toEqual([]); // none skipped
    });

    it('refuses a limit or cursor it cannot use with a 422 naming the field, and the refused stay refused', async () => {
      const as = await list.as();
      const first = (await get(join(list.path(), 'limit=5'), as)).body as PageBody;
      const [body, check] = first.nextCursor!.split('.');
      const payload = Buffer.from(body, 'base64url').toString();
      const tampered = `${Buffer.from(payload.replace(/\d(?=[^\d]*$)/, (d) => String((Number(d) + 1) % 10))).toString('base64url')}.${check}`;
      const otherList = list.name === 'people' ? '/audit/log' : '/people';
      const foreign = ((await get(join(otherList, 'limit=1'), list.name === 'people' ? kvalitet : leder)).body as PageBody).nextCursor!;
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=2.5', 'limit'],
        ['limit=', 'limit'],
        ['cursor=garbage', 'cursor'],
        ['cursor=', 'cursor'],
        [`cursor=${encodeURIComponent(tampered)}`, 'cursor'],
        [`cursor=${first.nextCursor!.slice(0, -1)}`, 'cursor'],
        [`cursor=${foreign}`, 'cursor'],
        [`cursor=${'A'.repeat(1200)}`, 'cursor'],
      ]) {
        const res = await get(join(list.path(), query), as);
        expect({ query, status: res.status, type: res.type, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
          query,
          status: 422,
          type: 'application/problem+json',
          fields: [field],
        });
      }
      const refused = await get(join(list.refused.path(), 'limit=1'), await list.refused.as());
      expect(refused.status).toBe(list.refused.status);
    });
  });

  /** Every id of a list, a thousand at a time. */
  async function everyId(list: List, as: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const body = (await get(join(list.path(), `limit=1000${cursor ? `&cursor=${cursor}` : ''}`), as)).body as PageBody;
      ids.push(...body.items.map(list.idOf));
      cursor = body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('writes the codes a page of recipients shows to the access log before it answers', async () => {
    const before = await count(t.db, 'access_log', 'person_id = $1', [kvalitetId]);
    const page = (await get(`/recipients?unitId=${mange}&limit=3`, kvalitet)).body as PageBody;
    const [read] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE person_id = $1 ORDER BY id DESC LIMIT 1`, [kvalitetId]);
    expect(await count(t.db, 'access_log', 'person_id = $1', [kvalitetId])).toBe(before + 1);
    expect(read.recipient_codes).toEqual(page.items.map((r) => r.code));
  });

  it('keeps one unit’s own checklist grouped by wheel, and gives it as a page when asked', async () => {
    const grouped = await get(`/units/${mange}/checklist?month=${MONTH}`, leder);
    expect(grouped.body.groups.flatMap((g: { items: unknown[] }) => g.items).length).toBeGreaterThan(200);
    expect(grouped.body.items).toBeUndefined();
    const paged = await get(`/units/${mange}/checklist?month=${MONTH}&limit=10`, leder);
    expect(paged.body).toMatchObject({ unitId: mange, month: MONTH, subtree: false, limit: 10 });
    expect(paged.body.items).toHaveLength(10);
    expect(paged.body.total).toBe(grouped.body.groups.flatMap((g: { items: unknown[] }) => g.items).length);
    // By deadline: what is overdue from earlier months first.
    const deadlines = paged.body.items.map((i: { deadline: string }) => i.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
  });
});
