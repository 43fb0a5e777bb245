import { SignJWT } from 'jose';
import { Sessions } from '../../src/auth/sessions';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { FakeEntra } from '../utils/fake-entra';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Where `?neste=` may send a browser after sign-in: only to a page of Årshjul. Each value below is what an
 * attacker would put in a link to make the sign-in end on their own site.
 */
const HOSTILE_NEXT = [
  '//evil.example/phish',
  '///evil.example/phish',
  '/\\evil.example/phish',
  '\\\\evil.example/phish',
  '/\\/evil.example/phish',
  '/%5Cevil.example/phish',
  '/%5cevil.example/phish',
  '/%2F%2Fevil.example/phish',
  '/%2f/evil.example/phish',
  '%2F%2Fevil.example/phish',
  '/%252F%252Fevil.example/phish',
  '/\t/evil.example/phish',
  '/\n/evil.example/phish',
  '/\r\n/evil.example/phish',
  '\t//evil.example/phish',
  ' //evil.example/phish',
  '/%09/evil.example/phish',
  '/ /evil.example',
  '/\uff0fevil.example',
  'https://evil.example/phish',
  'HTTPS://evil.example',
  'http:evil.example',
  'javascript:alert(1)',
  'evil.example/phish',
  '',
];

/** The page a Location header sends the browser to, resolved as a browser does; null when it leaves Årshjul. */
function landing(location: string, origin = 'http://127.0.0.1:3000'): string | null {
  const url = new URL(location, `${origin}/logg-inn`);
  return url.origin === origin ? url.pathname + url.search : null;
}

describe('after development sign-in, `neste` sends the browser only within Årshjul', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each(HOSTILE_NEXT)('POST /logg-inn with neste=%j lands on a page of Årshjul', async (next) => {
    const res = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.primaer, neste: next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/oppgaver');
    expect(landing(res.headers.location)).toBe('/oppgaver');
  });

  it.each(HOSTILE_NEXT)('the sign-in form for neste=%j posts back only a page of Årshjul', async (next) => {
    const form = await t.http.get(`/logg-inn?neste=${encodeURIComponent(next)}`);
    expect(form.status).toBe(200);
    expect(/name="neste" value="([^"]*)"/.exec(form.text)![1]).toBe('/oppgaver');
  });

  it('refuses a neste holding NUL before it is read, like any text with NUL', async () => {
    for (const res of [
      await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.primaer, neste: '/oppgaver\u0000' }),
      await t.http.get(`/logg-inn?neste=${encodeURIComponent('/oppgaver\u0000')}`),
    ]) {
      expect(res.status).toBe(422);
      expect(res.headers.location).toBeUndefined();
    }
  });

  it('keeps an ordinary link to a page, with its query', async () => {
    const next = '/sjekkliste?maned=2027-02&status=ikke%20utf%C3%B8rt';
    const res = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.avdelingsleder, neste: next });
    expect(res.headers.location).toBe(next);
    const form = await t.http.get(`/logg-inn?neste=${encodeURIComponent(next)}`);
    expect(/name="neste" value="([^"]*)"/.exec(form.text)![1]).toBe(next.replace(/&/g, '&amp;'));
  });
});

describe('after Entra sign-in, `neste` sends the browser only within Årshjul', () => {
  let entra: FakeEntra;
  let t: TestApp;

  beforeAll(async () => {
    entra = await new FakeEntra().start();
    t = await startTestApp({
      AUTH_MODE: 'entra',
      ENTRA_AUTHORITY_HOST: entra.authorityHost,
      ENTRA_AUDIENCE: 'api://arshjul',
      ENTRA_WEB_CLIENT_ID: entra.webClient.id,
      ENTRA_WEB_CLIENT_SECRET: entra.webClient.secret,
    });
    await t.db.query(`UPDATE municipality SET entra_tenant_id = $1 WHERE name = 'Demo kommune'`, [entra.tenantId]);
  });
  afterAll(async () => {
    await t.close();
    await entra.stop();
  });

  /** /logg-inn?neste=… → Entra's authorize → back to /logg-inn/tilbake; `cookie` replaces the sign-in cookie. */
  async function signIn(next: string, cookie?: (real: string) => Promise<string>) {
    entra.nextUser = { oid: '3c3c3c3c-1b1b-4c2c-8d3d-4e4e4e4e4e4e', preferred_username: DEMO_PEOPLE.primaer, tid: entra.tenantId };
    const start = await t.http.get(`/logg-inn?neste=${encodeURIComponent(next)}`);
    expect(start.status).toBe(302);
    const signinCookie = (start.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const atEntra = await fetch(new URL(start.headers.location), { redirect: 'manual' });
    const callback = new URL(atEntra.headers.get('location')!);
    return t.http.get(`${callback.pathname}${callback.search}`).set('Cookie', cookie ? await cookie(signinCookie) : signinCookie);
  }

  it.each(HOSTILE_NEXT)('the return from Entra for neste=%j lands on a page of Årshjul', async (next) => {
    const back = await signIn(next);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/oppgaver');
  });

  it('checks `neste` again on the return, even in a sign-in cookie signed by Årshjul', async () => {
    const back = await signIn('/oppgaver', async (real) => {
      // The same verifier, state and nonce, but another destination, signed with the service's own key.
      const pending = JSON.parse(Buffer.from(real.split('=')[1].split('.')[1], 'base64url').toString());
      const forged = await new SignJWT({ ...pending, next: '/\\evil.example/phish' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('10m')
        .sign(t.app.get(Sessions).key);
      return `${real.split('=')[0]}=${forged}`;
    });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/oppgaver');
  });

  it('keeps an ordinary link to a page', async () => {
    const back = await signIn('/sjekkliste?maned=2027-02');
    expect(back.headers.location).toBe('/sjekkliste?maned=2027-02');
  });
});
