import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { startTestApp, TestApp } from '../utils/test-app';

const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * Who a request counts against: a person only when Årshjul verified it is them (a signed token or session);
 * anything else counts against the address it came from. Behind one proxy (TRUST_PROXY=1) the address is
 * the one the proxy saw; with none trusted, X-Forwarded-For is the caller's word and means nothing.
 */
describe('rate limits count a person only when they are verified', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '1', RATE_LIMIT_PER_PERSON: '100', RATE_LIMIT_PER_IP: '120', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it('150 unsigned tokens naming the manager limit their sender, never the manager', async () => {
    const [manager] = await t.db.query(`SELECT id, municipality_id FROM person WHERE email = $1`, [DEMO_PEOPLE.leder]);
    const claims = { sub: manager.id, tid: manager.municipality_id, iss: 'arshjul-development', aud: 'arshjul', exp: Math.floor(Date.now() / 1000) + 3600 };
    const forgeries = [`${encode({ alg: 'none' })}.${encode(claims)}.`, `${encode({ alg: 'HS256' })}.${encode(claims)}.${encode({ sig: 'forged' })}`];
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) {
      const res = await t.http.get('/api/v1/units').set('X-Forwarded-For', '203.0.113.7').set('Authorization', `Bearer ${forgeries[i % 2]}`);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 120).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);

    const real = await t.http.get('/api/v1/units').set('X-Forwarded-For', '198.51.100.20').set('Authorization', await t.bearer(DEMO_PEOPLE.leder));
    expect(real.status).toBe(200);
  });

  it('counts a browser session against its person, from whatever address', async () => {
    const signIn = await t.http.post('/logg-inn').set('X-Forwarded-For', '198.51.100.30').type('form').send({ email: DEMO_PEOPLE.primaer });
    const cookie = (signIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) {
      statuses.push((await t.http.get('/api/v1/units').set('X-Forwarded-For', `198.51.100.${40 + (i % 50)}`).set('Cookie', cookie)).status);
    }
    expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
    expect(statuses[100]).toBe(429);
    // Their colleague, from the same addresses, is not held up.
    expect((await t.http.get('/api/v1/units').set('X-Forwarded-For', '198.51.100.40').set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet))).status).toBe(200);
  });

  it('limits guessing calendar feed URLs per address, as every request without a sign-in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) {
      const guess = `${String(i).padStart(3, '0')}${'A'.repeat(40)}`;
      statuses.push((await t.http.get(`/kalender/${guess}.ics`).set('X-Forwarded-For', '203.0.113.99')).status);
    }
    expect(statuses.slice(0, 120).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
  });

  it('takes the address the trusted proxy saw', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await t.http.get('/logg-inn').set('X-Forwarded-For', `192.0.2.${i % 200}`)).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });
});

describe('with no proxy trusted (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP: '20', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For: a caller cannot pose as many addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await t.http.get('/logg-inn').set('X-Forwarded-For', `192.0.2.${i}`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });
});

/** Pages and API answers carry personal data: no browser or proxy may keep a copy. The stylesheet may be. */
describe('caching', () => {
  let t: TestApp;
  let cookie: string;
  let unit: string;
  beforeAll(async () => {
    t = await startTestApp();
    const signIn = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.leder });
    cookie = (signIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    [{ id: unit }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Bo og habilitering'`);
  });
  afterAll(() => t.close());

  it('answers no-store on API answers, errors included, and on exports', async () => {
    const leder = await t.bearer(DEMO_PEOPLE.leder);
    const answers = [
      await t.http.get('/api/v1/units').set('Authorization', leder),
      await t.http.get('/api/v1/me/tasks').set('Authorization', leder),
      await t.http.get(`/api/v1/recipients?unitId=${unit}`).set('Authorization', leder),
      await t.http.get(`/api/v1/audit/compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&format=csv`).set('Authorization', leder),
      await t.http.get(`/api/v1/audit/compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&format=xlsx`).set('Authorization', leder),
      await t.http.get(`/api/v1/audit/records?unitId=${unit}&from=2027-01-01&to=2027-12-31&format=jsonl`).set('Authorization', leder),
      await t.http.get('/api/v1/units').set('Cookie', cookie),
      await t.http.get('/api/v1/units'),
      await t.http.get('/api/v1/units/00000000-0000-4000-8000-000000000000').set('Authorization', leder),
      await t.http.post('/api/v1/units').set('Authorization', leder).send({}),
    ];
    expect(answers.map((r) => [r.status, r.headers['cache-control']])).toEqual(answers.map((r) => [r.status, 'no-store']));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 401, 404, 403]);
  });

  it('answers no-store on pages after sign-in, redirects and error pages', async () => {
    const pages = [
      await t.http.get('/oppgaver').set('Cookie', cookie),
      await t.http.get('/sjekkliste').set('Cookie', cookie),
      await t.http.get('/arshjul').set('Cookie', cookie),
      await t.http.get('/internkontroll').set('Cookie', cookie),
      await t.http.get('/administrasjon').set('Cookie', cookie),
      await t.http.get('/oppgaver/00000000-0000-4000-8000-000000000000').set('Cookie', cookie),
      await t.http.get('/oppgaver'),
      await t.http.get('/logg-inn'),
    ];
    expect(pages.map((r) => [r.status, r.headers['cache-control']])).toEqual(pages.map((r) => [r.status, 'no-store']));
    expect(pages.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404, 303, 200]);
  });

  it('lets the stylesheet be cached', async () => {
    const css = await t.http.get('/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(css.headers['cache-control']).not.toContain('no-store');
  });
});

/**
 * Behind a proxy, three replicas share one PostgreSQL and one limit: the counters live in the database
 * (rate_limit_hit), so spreading requests over the replicas does not multiply what a person or an address
 * may send. Each replica has its own clock here; the tests move them together.
 */
describe('three replicas count against one limit', () => {
  const replicas: TestApp[] = [];
  const limits = { TRUST_PROXY: '1', RATE_LIMIT_PER_PERSON: '30', RATE_LIMIT_PER_IP: '45', RATE_LIMIT_WINDOW_SECONDS: '60' };
  beforeAll(async () => {
    replicas.push(await startTestApp(limits));
    for (let i = 0; i < 2; i++) replicas.push(await startTestApp(limits, undefined, { databaseUrl: replicas[0].databaseUrl }));
  });
  afterAll(async () => {
    for (const r of [...replicas].reverse()) await r.close();
  });
  const setClocks = (instant: string) => replicas.forEach((r) => r.clock.set(instant));

  it('stops a person after 30 requests however they are spread, with 429 problem+json and Retry-After, until the window ends', async () => {
    setClocks('2027-02-10T08:00:00Z');
    // Each replica's own token for the same manager (each signs with its own development key).
    const tokens = await Promise.all(replicas.map((r) => r.bearer(DEMO_PEOPLE.leder)));
    const get = (i: number) => replicas[i % 3].http.get('/api/v1/units').set('X-Forwarded-For', `198.51.100.${i}`).set('Authorization', tokens[i % 3]);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await get(i)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const refused = await get(30);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.type).toMatch(/\/problems\/too-many-requests$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect((await get(31)).status).toBe(429);
    expect((await get(32)).status).toBe(429);

    // Half a minute on, still held, and told how much longer.
    setClocks('2027-02-10T08:00:30Z');
    const later = await get(33);
    expect(later.status).toBe(429);
    expect(Number(later.headers['retry-after'])).toBeLessThanOrEqual(30);
    // When the window (and the block) ends, the person starts afresh on every replica.
    setClocks('2027-02-10T08:01:01Z');
    const again: number[] = [];
    for (let i = 0; i < 3; i++) again.push((await get(i)).status);
    expect(again).toEqual([200, 200, 200]);
  });

  it('stops an address after 45 requests spread over the replicas', async () => {
    setClocks('2027-02-10T09:00:00Z');
    const statuses: number[] = [];
    for (let i = 0; i < 48; i++) statuses.push((await replicas[i % 3].http.get('/logg-inn').set('X-Forwarded-For', '203.0.113.77')).status);
    expect(statuses.slice(0, 45).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(45)).toEqual([429, 429, 429]);
    // Another address is not held up.
    expect((await replicas[1].http.get('/logg-inn').set('X-Forwarded-For', '203.0.113.78')).status).toBe(200);
  });

  it('stores no address, person or e-mail in clear: only the SHA-256 of each key', async () => {
    const db = replicas[0].db;
    const columns = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'rate_limit_hit' ORDER BY ordinal_position`);
    expect(columns).toEqual([
      { column_name: 'key', data_type: 'bytea' },
      { column_name: 'hits', data_type: 'integer' },
      { column_name: 'window_ends_at', data_type: 'timestamp with time zone' },
      { column_name: 'blocked_until', data_type: 'timestamp with time zone' },
    ]);
    const [{ rows, lengths, dump }] = await db.query(
      `SELECT count(*)::int AS rows, array_agg(DISTINCT octet_length(key)) AS lengths, string_agg(encode(key, 'escape') || r::text, ' ') AS dump FROM rate_limit_hit r`,
    );
    expect(rows).toBeGreaterThan(3);
    expect(lengths).toEqual([32]);
    const [leder] = await db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.leder]);
    for (const clear of ['203.0.113.77', '198.51.100', leder.id, DEMO_PEOPLE.leder, 'person:', 'ip:']) expect(dump).not.toContain(clear);
  });

  it('clears away ended windows in bounded batches', async () => {
    const db = replicas[0].db;
    const before = (await db.query(`SELECT count(*)::int AS n FROM rate_limit_hit`))[0].n;
    setClocks('2027-02-10T12:00:00Z');
    const { SharedRateLimitStorage } = await import('../../src/auth/shared-rate-limits');
    expect(await replicas[2].app.get(SharedRateLimitStorage).clearEnded()).toBe(before);
    expect((await db.query(`SELECT count(*)::int AS n FROM rate_limit_hit`))[0].n).toBe(0);
  });
});

describe('when the database cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    if (!t.db.isInitialized) await t.db.initialize();
    await t.close();
  });

  it('fails the request as any database failure does, instead of letting it through unlimited', async () => {
    expect((await t.http.get('/api/v1/units').set('Accept', 'application/json')).status).toBe(401);
    await t.db.destroy();
    const res = await t.http.get('/api/v1/units');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
