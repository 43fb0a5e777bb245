import fc from 'fast-check';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, LEDERE, personId, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Random bodies, made of the real field names and any JSON values, against every write endpoint: each
 * gets a 2xx or a 4xx problem+json, never a 500; and a refused request leaves every table as it was.
 */
describe('bad input, fuzzed', () => {
  let t: TestApp;
  let admin: string;
  const ids: Record<string, string> = {};

  const TABLES = ['unit', 'person', 'role_assignment', 'recipient', 'recipient_primary_contact', 'wheel', 'task_definition', 'wheel_assignment',
    'occurrence', 'occurrence_change', 'sign_off', 'notification_preference', 'deputy', 'audit_log', 'municipality', 'task_opt_out', 'calendar_feed'];
  const snapshot = async () =>
    (await t.db.query(`SELECT ${TABLES.map((table) => `(SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ${table} x) AS "${table}"`).join(', ')}`))[0];

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    ids.unit = await unitId(t.db, 'Avdeling Fjellvegen');
    ids.person = await personId(t.db, DEMO_PEOPLE.ansatt);
    ids.wheel = await wheelId(t.db, LEDERE);
    ids.task = (await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1 LIMIT 1`, [ids.wheel]))[0].id;
    ids.recipient = (await t.db.query(`SELECT id FROM recipient LIMIT 1`))[0].id;
    await t.http.post(`/api/v1/units/${ids.unit}/materialize?year=2027`).set('Authorization', admin);
    ids.occurrence = (await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 LIMIT 1`, [ids.unit]))[0].id;
    const signed = await t.http.post(`/api/v1/occurrences/${ids.occurrence}/sign-offs`).set('Authorization', admin).send({ outcome: 'done' });
    ids.signOff = signed.body.id;
  });
  afterAll(() => t.close());

  const endpoints: Array<{ method: 'post' | 'patch' | 'put'; path: () => string; fields: string[]; itemFields?: string[] }> = [
    { method: 'post', path: () => '/api/v1/units', fields: ['name', 'parentId'] },
    { method: 'patch', path: () => `/api/v1/units/${ids.unit}`, fields: ['name', 'parentId', 'archived'] },
    { method: 'post', path: () => '/api/v1/people', fields: ['email', 'displayName'] },
    { method: 'patch', path: () => `/api/v1/people/${ids.person}`, fields: ['email', 'displayName', 'archived'] },
    { method: 'post', path: () => `/api/v1/units/${ids.unit}/roles`, fields: ['personId', 'role'] },
    { method: 'post', path: () => '/api/v1/recipients', fields: ['unitId', 'code', 'primaryContactIds', 'activeFrom'] },
    { method: 'patch', path: () => `/api/v1/recipients/${ids.recipient}`, fields: ['code', 'primaryContactIds', 'archived'] },
    { method: 'post', path: () => '/api/v1/wheels', fields: ['name', 'kind', 'description', 'ownerUnitId', 'status'] },
    { method: 'post', path: () => `/api/v1/wheels/${ids.wheel}/copy`, fields: ['ownerUnitId', 'name'] },
    { method: 'post', path: () => `/api/v1/wheels/${ids.wheel}/publish`, fields: ['replacesFrom'] },
    { method: 'post', path: () => `/api/v1/units/${ids.unit}/task-opt-outs`, fields: ['taskId', 'reason', 'from'] },
    { method: 'patch', path: () => `/api/v1/wheels/${ids.wheel}`, fields: ['name', 'description', 'published', 'archived', 'dueSoonDays', 'escalationDays'] },
    {
      method: 'post',
      path: () => `/api/v1/wheels/${ids.wheel}/tasks`,
      fields: ['title', 'rrule', 'startsOn', 'opensDaysBefore', 'deadlineShift', 'responsibleRole', 'storedIn', 'storedInUrl', 'commentRequired', 'scope'],
    },
    { method: 'patch', path: () => `/api/v1/wheels/${ids.wheel}/tasks/${ids.task}`, fields: ['title', 'rrule', 'startsOn', 'deadlineShift', 'archived'] },
    { method: 'post', path: () => `/api/v1/units/${ids.unit}/wheels`, fields: ['wheelId', 'includeSubunits', 'fromYear'] },
    { method: 'post', path: () => '/api/v1/schedules/preview', fields: ['rrule', 'year', 'timezone', 'shift', 'startsOn'] },
    { method: 'post', path: () => `/api/v1/occurrences/${ids.occurrence}/sign-offs`, fields: ['outcome', 'comment', 'storedIn', 'evidenceUrl'] },
    { method: 'post', path: () => `/api/v1/sign-offs/${ids.signOff}/corrections`, fields: ['reason', 'outcome', 'comment'] },
    // `items` also as a list of random sign-offs, so the checks inside each item are reached.
    { method: 'post', path: () => '/api/v1/sign-offs/batch', fields: ['items'], itemFields: ['occurrenceId', 'outcome', 'comment', 'storedIn', 'evidenceUrl'] },
    { method: 'put', path: () => '/api/v1/me/notification-preferences', fields: ['email', 'teams', 'dailyDigest', 'language'] },
    { method: 'post', path: () => '/api/v1/me/deputies', fields: ['deputyId', 'from', 'to'] },
    { method: 'post', path: () => '/api/v1/me/calendar-feeds', fields: ['includeSigned'] },
    { method: 'post', path: () => `/api/v1/units/${ids.unit}/calendar-feeds`, fields: ['includeSigned', 'includeSubunits'] },
    { method: 'patch', path: () => '/api/v1/municipality', fields: ['timeZone', 'dueSoonDays', 'escalationDays'] },
  ];

  // Values that come close to valid ones often, so the checks behind the first validation are reached too.
  const nearValid = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom('', ' ', 'FREQ=YEARLY;BYMONTH=13', 'FREQ=DAILY', '2027-02-30', '2027-13-01', '01010112377', 'not-a-uuid', 'manager', 'done',
      'not_applicable', 'https://x', 'Europe/Oslo', '00000000-0000-4000-8000-000000000000', 'x'.repeat(5000)),
    fc.integer({ min: -100000, max: 100000 }),
    fc.boolean(),
    fc.constant(null),
  );

  const bodies = (endpoint: (typeof endpoints)[number]) => {
    const body = fc.dictionary(fc.constantFrom(...endpoint.fields, 'unknownField'), nearValid, { maxKeys: 5 });
    if (!endpoint.itemFields) return body;
    const item = fc.dictionary(fc.constantFrom(...endpoint.itemFields, 'unknownField'), nearValid, { maxKeys: 5 });
    return fc.oneof(body, fc.record({ items: fc.array(item, { maxLength: 4 }) }));
  };

  it.each(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path().replace(/[0-9a-f-]{36}/g, ':id')}`, e]))('%s answers 2xx or 4xx problem+json, never 500', async (_, endpoint) => {
    await fc.assert(
      fc.asyncProperty(bodies(endpoint), async (body) => {
        const before = await snapshot();
        const res = await t.http[endpoint.method](endpoint.path()).set('Authorization', admin).send(body);
        if (res.status >= 500) throw new Error(`500 for ${JSON.stringify(body).slice(0, 300)}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await snapshot()).toEqual(before);
        }
      }),
      { numRuns: 30 },
    );
  });
});

/**
 * Recurrence rules made of random parts — negative, zero and huge numbers among them — in the preview and
 * in a new task: each is answered 200/201 or 422 within a second, and /health/live goes on answering.
 */
describe('recurrence rules, fuzzed', () => {
  let t: TestApp;
  let admin: string;
  let wheel: string;
  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    wheel = await wheelId(t.db, LEDERE);
  });
  afterAll(() => t.close());

  const number = fc.oneof(fc.integer({ min: -400, max: 400 }), fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31), 1e15, 99999999), fc.integer());
  const numbers = fc.array(number, { minLength: 1, maxLength: 4 }).map((n) => n.join(','));
  const part = fc.oneof(
    fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'yearly', '').map((f) => `FREQ=${f}`),
    number.map((n) => `INTERVAL=${n}`),
    number.map((n) => `COUNT=${n}`),
    numbers.map((n) => `BYMONTH=${n}`),
    numbers.map((n) => `BYMONTHDAY=${n}`),
    numbers.map((n) => `BYWEEKNO=${n}`),
    numbers.map((n) => `BYYEARDAY=${n}`),
    numbers.map((n) => `BYSETPOS=${n}`),
    number.map((n) => `BYEASTER=${n}`),
    fc.tuple(number, fc.constantFrom('MO', 'FR', 'SU', 'XX')).map(([n, d]) => `BYDAY=${n}${d}`),
    fc.constantFrom('BYDAY=MO,TU,WE,TH,FR', 'WKST=SU', 'WKST=ZZ', 'TZID=Europe/Oslo', 'BYHOUR=9'),
    fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
      ([y, m, d]) => `UNTIL=${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`,
    ),
  );
  const rule = fc.tuple(fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'), fc.array(part, { maxLength: 6 })).map(([freq, parts]) => [`FREQ=${freq}`, ...parts].join(';'));
  const startsOn = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(
    ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  );

  const timed = async (request: PromiseLike<{ status: number }>) => {
    const started = performance.now();
    const res = await request;
    return { status: res.status, ms: performance.now() - started };
  };

  it('every rule is answered 2xx or 422 within a second, and the service stays live', async () => {
    await fc.assert(
      fc.asyncProperty(rule, fc.option(startsOn, { nil: undefined }), fc.integer({ min: 2000, max: 2200 }), async (rrule, start, year) => {
        const [preview, health] = await Promise.all([
          timed(t.http.post('/api/v1/schedules/preview').set('Authorization', admin).send({ rrule, year, ...(start ? { startsOn: start } : {}) })),
          timed(t.http.get('/health/live')),
        ]);
        expect([200, 422]).toContain(preview.status);
        expect(preview.ms).toBeLessThan(1000);
        expect(health).toEqual({ status: 200, ms: expect.any(Number) });
        expect(health.ms).toBeLessThan(1000);

        const task = await timed(t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: 'Fuzz', responsibleRole: 'manager', rrule, ...(start ? { startsOn: start } : {}) }));
        expect([201, 422]).toContain(task.status);
        expect(task.ms).toBeLessThan(1000);
      }),
      { numRuns: 150 },
    );
    expect(await count(t.db, 'task_definition', `title = 'Fuzz'`)).toBeGreaterThan(0);
    // What was stored can be materialised, in bounded time too.
    const unit = (await t.db.query(`SELECT id FROM unit WHERE name = 'Avdeling Åsen'`))[0].id;
    const started = performance.now();
    const materialised = await t.http.post(`/api/v1/units/${unit}/materialize?year=2027`).set('Authorization', admin);
    expect(materialised.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(10000);
  });

  // Found by the property above: such a rule yielded its date twice, and the unit's whole materialising failed (500).
  it('a rule that names one position twice makes one occurrence of its date', async () => {
    const created = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: 'Twice', responsibleRole: 'manager', rrule: 'FREQ=YEARLY;BYSETPOS=-1,-1', startsOn: '2026-12-15' });
    expect(created.status).toBe(201);
    const unit = (await t.db.query(`SELECT id FROM unit WHERE name = 'Avdeling Åsen'`))[0].id;
    const materialised = await t.http.post(`/api/v1/units/${unit}/materialize?year=2027`).set('Authorization', admin);
    expect(materialised.status).toBe(200);
    const occurrences = await t.db.query(`SELECT o.scheduled_on::text AS day FROM occurrence o JOIN task_definition d ON d.id = o.task_id WHERE d.title = 'Twice' AND o.unit_id = $1`, [unit]);
    expect(occurrences).toEqual([{ day: '2027-12-15' }]);
  });
});

/**
 * Full-Unicode text in every free-text field of every write: lone surrogates, NUL and other control
 * characters, decomposed letters, emoji, and fødselsnummer-like digits with separators (Word's en dash,
 * zero-width spaces, full-width digits). Each gets a 2xx or a 4xx problem+json; a refused request leaves
 * every table as it was; and after every accepted write the unit's chain of records still verifies.
 */
describe('free text, fuzzed with full Unicode', () => {
  let t: TestApp;
  let admin: string;
  const ids: Record<string, string> = {};
  let occurrences: string[] = [];
  let emails = 0;

  const TABLES = ['unit', 'person', 'role_assignment', 'recipient', 'recipient_primary_contact', 'wheel', 'task_definition', 'wheel_assignment',
    'occurrence', 'sign_off', 'notification_preference', 'deputy', 'audit_log', 'municipality', 'task_opt_out'];
  const snapshot = async () =>
    (await t.db.query(`SELECT ${TABLES.map((table) => `(SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ${table} x) AS "${table}"`).join(', ')}`))[0];

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_PERSON: '100000', RATE_LIMIT_PER_IP: '100000' }, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    ids.unit = await unitId(t.db, 'Avdeling Fjellvegen');
    ids.person = await personId(t.db, DEMO_PEOPLE.ansatt);
    ids.wheel = await wheelId(t.db, LEDERE);
    ids.task = (await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1 ORDER BY sort_order LIMIT 1`, [ids.wheel]))[0].id;
    await t.http.post(`/api/v1/units/${ids.unit}/materialize?year=2027`).set('Authorization', admin);
    t.clock.set('2027-02-24T13:00:00Z');
    occurrences = (
      await t.db.query(
        `SELECT o.id FROM occurrence o JOIN task_definition t ON t.id = o.task_id WHERE o.unit_id = $1 AND NOT t.comment_required ORDER BY o.deadline, o.id`,
        [ids.unit],
      )
    ).map((r: { id: string }) => r.id);
    ids.latest = (await t.http.post(`/api/v1/occurrences/${occurrences.shift()}/sign-offs`).set('Authorization', admin).send({ outcome: 'done' })).body.id;
  });
  afterAll(() => t.close());

  // Synthetic numbers with valid check digits (an ordinary one, a D- and an H-number) and one without.
  const fodselsnummerLike = fc
    .tuple(
      fc.constantFrom('15076500565', '55076510007', '15476510187', '01010112377', '12345678901'),
      fc.array(fc.constantFrom('', '', ' ', '-', '–', '/', '_', '.', '\u200b', '\u00a0', '\u00ad'), { minLength: 10, maxLength: 10 }),
      fc.boolean(),
    )
    .map(([digits, separators, fullWidth]) => [...digits].map((d, i) => (fullWidth ? String.fromCharCode(0xff10 + Number(d)) : d) + (separators[i] ?? '')).join(''));
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
    fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0007', '\u009f', '\r', '\r\n', '\n', '\t', 'e\u0301', 'Å', 'a', ' ', '🙂'), minLength: 1, maxLength: 20 }),
    fodselsnummerLike.map((n) => `Gjelder ${n}`),
  );

  const rule = 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1';
  const writes: Array<{ name: string; method: 'post' | 'patch'; path: () => string; base: () => Record<string, unknown>; texts: string[]; signs?: 'sign-off' | 'correction' }> = [
    { name: 'POST /units', method: 'post', path: () => '/api/v1/units', base: () => ({ name: 'Avdeling Ny', parentId: ids.unit }), texts: ['name'] },
    { name: 'PATCH /units/:id', method: 'patch', path: () => `/api/v1/units/${ids.unit}`, base: () => ({}), texts: ['name'] },
    { name: 'POST /people', method: 'post', path: () => '/api/v1/people', base: () => ({ email: `fuzz${++emails}@demo.kommune.no`, displayName: 'Kari' }), texts: ['displayName', 'email'] },
    { name: 'PATCH /people/:id', method: 'patch', path: () => `/api/v1/people/${ids.person}`, base: () => ({}), texts: ['displayName'] },
    { name: 'POST /wheels', method: 'post', path: () => '/api/v1/wheels', base: () => ({ name: 'Hjul', kind: 'custom' }), texts: ['name', 'description'] },
    { name: 'PATCH /wheels/:id', method: 'patch', path: () => `/api/v1/wheels/${ids.wheel}`, base: () => ({}), texts: ['name', 'description'] },
    {
      name: 'POST /wheels/:id/tasks',
      method: 'post',
      path: () => `/api/v1/wheels/${ids.wheel}/tasks`,
      base: () => ({ title: 'Oppgave', rrule: rule, responsibleRole: 'manager' }),
      texts: ['title', 'description', 'storedIn', 'storedInUrl', 'legalBasis', 'rrule'],
    },
    {
      name: 'PATCH /wheels/:id/tasks/:taskId',
      method: 'patch',
      path: () => `/api/v1/wheels/${ids.wheel}/tasks/${ids.task}`,
      base: () => ({}),
      texts: ['title', 'description', 'storedIn', 'legalBasis'],
    },
    {
      name: 'POST /units/:id/task-opt-outs',
      method: 'post',
      path: () => `/api/v1/units/${ids.unit}/task-opt-outs`,
      base: () => ({ taskId: ids.task, from: '2027-03-01' }),
      texts: ['reason'],
    },
    { name: 'POST /recipients', method: 'post', path: () => '/api/v1/recipients', base: () => ({ unitId: ids.unit, code: 'FJV-100' }), texts: ['code'] },
    { name: 'POST /schedules/preview', method: 'post', path: () => '/api/v1/schedules/preview', base: () => ({ rrule: rule, year: 2027 }), texts: ['rrule', 'timezone'] },
    { name: 'PATCH /municipality', method: 'patch', path: () => '/api/v1/municipality', base: () => ({}), texts: ['timeZone'] },
    {
      name: 'POST /occurrences/:id/sign-offs',
      method: 'post',
      path: () => `/api/v1/occurrences/${occurrences[0]}/sign-offs`,
      base: () => ({ outcome: 'done' }),
      texts: ['comment', 'storedIn', 'evidenceUrl'],
      signs: 'sign-off',
    },
    {
      name: 'POST /sign-offs/:id/corrections',
      method: 'post',
      path: () => `/api/v1/sign-offs/${ids.latest}/corrections`,
      base: () => ({ reason: 'Feil kommentar', outcome: 'done' }),
      texts: ['reason', 'comment', 'storedIn', 'evidenceUrl'],
      signs: 'correction',
    },
  ];

  it.each(writes.map((w) => [w.name, w]))('%s: any text gets 2xx or 4xx problem+json; refused changes nothing; the record verifies', async (_, write) => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...write.texts), text, { minKeys: 1, maxKeys: 3 }), async (texts) => {
        const before = await snapshot();
        const body = { ...write.base(), ...texts };
        const res = await t.http[write.method](write.path()).set('Authorization', admin).send(body);
        if (res.status >= 500) throw new Error(`500 for ${JSON.stringify(body).slice(0, 300)}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await snapshot()).toEqual(before);
          return;
        }
        if (write.signs === 'sign-off') occurrences.shift();
        if (write.signs === 'correction') ids.latest = res.body.id;
        const chain = await t.http.get(`/api/v1/audit/verify?unitId=${ids.unit}`).set('Authorization', admin);
        expect(chain.body.valid).toBe(true);
      }),
      { numRuns: 25 },
    );
    // Records sealed after the renames above carry the new names in their snapshots: they verify too.
    await t.http.post(`/api/v1/occurrences/${occurrences.shift()}/sign-offs`).set('Authorization', admin).send({ outcome: 'done' }).expect(201);
    expect((await t.http.get(`/api/v1/audit/verify?unitId=${ids.unit}`).set('Authorization', admin)).body.valid).toBe(true);
  });

  it('POST /sign-offs/batch: any text in any item gets 200 or a 4xx problem+json; refused changes nothing; each record verifies', async () => {
    const item = fc.dictionary(fc.constantFrom('comment', 'storedIn', 'evidenceUrl'), text, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(fc.tuple(item, item), async (texts) => {
        const before = await snapshot();
        const body = { items: texts.map((x, i) => ({ occurrenceId: occurrences[i], outcome: 'done', ...x })) };
        const res = await t.http.post('/api/v1/sign-offs/batch').set('Authorization', admin).send(body);
        if (res.status >= 500) throw new Error(`500 for ${JSON.stringify(body).slice(0, 300)}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await snapshot()).toEqual(before);
          return;
        }
        // Text the DTO lets through is sealed: both items signed, each its own record.
        expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
        occurrences.splice(0, 2);
        expect((await t.http.get(`/api/v1/audit/verify?unitId=${ids.unit}`).set('Authorization', admin)).body.valid).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
