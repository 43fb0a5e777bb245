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
