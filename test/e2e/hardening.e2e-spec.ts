import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { startTestApp, TestApp } from '../utils/test-app';

describe('hardening: rate limits, security headers, body size, CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_PERSON: '5', RATE_LIMIT_PER_IP: '12', RATE_LIMIT_WINDOW_SECONDS: '60', CORS_ORIGINS: 'https://arshjul.kommune.no' });
  });
  afterAll(() => t.close());

  it('limits a person who hammers the API with 429 problem+json and Retry-After, and not their colleague', async () => {
    const leder = await t.bearer(DEMO_PEOPLE.leder);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.http.get('/api/v1/units').set('Authorization', leder)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await t.http.get('/api/v1/units').set('Authorization', leder);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.type).toBe('/problems/too-many-requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.http.get('/api/v1/units').set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet))).status).toBe(200);
  });

  it('limits a flood of forged tokens by address, before they are even checked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await t.http.get('/api/v1/units').set('Authorization', `Bearer not-a-token-${i}`)).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 15; i++) expect((await t.http.get('/health/live')).status).toBe(200);
  });
});

describe('security headers, body size and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://arshjul.kommune.no' });
  });
  afterAll(() => t.close());

  it('sends security headers that allow no inline or third-party scripts', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses a body over 100 kB with 413 problem+json, and stores nothing', async () => {
    const res = await t.http
      .post('/api/v1/units')
      .set('Authorization', await t.bearer(DEMO_PEOPLE.admin))
      .send({ name: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers CORS only for the configured origin', async () => {
    const allowed = await t.http.options('/api/v1/units').set('Origin', 'https://arshjul.kommune.no').set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://arshjul.kommune.no');
    const other = await t.http.options('/api/v1/units').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
