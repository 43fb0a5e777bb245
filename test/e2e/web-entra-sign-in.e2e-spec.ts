import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { FakeEntra } from '../utils/fake-entra';
import { startTestApp, TestApp } from '../utils/test-app';

/** Browser sign-in with Entra ID: authorisation code with PKCE, against a stand-in of Entra's endpoints. */
describe('signing in to the web app with Entra ID', () => {
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

  /** What the browser does: /logg-inn → Entra's authorize → back to /logg-inn/tilbake with the cookie. */
  async function signIn(next: string, tamper?: (callback: URL) => void) {
    const start = await t.http.get(`/logg-inn?neste=${encodeURIComponent(next)}`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.location);
    expect(authorize.pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const signinCookie = (start.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const atEntra = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(atEntra.headers.get('location')!);
    tamper?.(callback);
    return t.http.get(`${callback.pathname}${callback.search}`).set('Cookie', signinCookie);
  }

  it('signs a registered person in and sends them where they were going', async () => {
    entra.nextUser = { oid: '3c3c3c3c-1b1b-4c2c-8d3d-4e4e4e4e4e4e', preferred_username: DEMO_PEOPLE.primaer, tid: entra.tenantId };
    const back = await signIn('/oppgaver');
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/oppgaver');
    const session = (back.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('arshjul_session='))!.split(';')[0];
    const page = await t.http.get('/oppgaver').set('Cookie', session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Logg ut (Per Primærkontakt)');
  });

  it('refuses a callback whose state does not match, and a stranger', async () => {
    entra.nextUser = { oid: '4d4d4d4d-1b1b-4c2c-8d3d-4e4e4e4e4e4e', preferred_username: DEMO_PEOPLE.ansatt, tid: entra.tenantId };
    const forged = await signIn('/oppgaver', (callback) => callback.searchParams.set('state', 'forged'));
    expect(forged.status).toBe(401);
    expect(forged.text).toContain('Prøv å logge inn på nytt'); // worded from the problem's type, not the API's detail
    expect(forged.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^arshjul_session=/)]));

    entra.nextUser = { oid: '5e5e5e5e-1b1b-4c2c-8d3d-4e4e4e4e4e4e', preferred_username: 'stranger@demo.kommune.no', tid: entra.tenantId };
    const stranger = await signIn('/oppgaver');
    expect(stranger.status).toBe(403);
    expect(stranger.text).toContain('Du er ikke registrert i Årshjul');
  });

  it('has no development sign-in in Entra mode', async () => {
    expect((await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.admin })).status).toBe(403);
  });
});
