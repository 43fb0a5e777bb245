import { generateKeyPair, SignJWT } from 'jose';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { FakeEntra } from '../utils/fake-entra';
import { startTestApp, TestApp } from '../utils/test-app';

describe('signing in with a Microsoft Entra ID access token', () => {
  let entra: FakeEntra;
  let t: TestApp;
  const units = (token: string) => t.http.get('/api/v1/units').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    entra = await new FakeEntra().start();
    t = await startTestApp({ AUTH_MODE: 'entra', ENTRA_AUTHORITY_HOST: entra.authorityHost, ENTRA_AUDIENCE: 'api://arshjul' });
    await t.db.query(`UPDATE municipality SET entra_tenant_id = $1 WHERE name = 'Demo kommune'`, [entra.tenantId]);
  });
  afterAll(async () => {
    await t.close();
    await entra.stop();
  });

  it('signs a registered person in by e-mail the first time, then by object id', async () => {
    const oid = '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e';
    const first = await units(await entra.token({ oid, preferred_username: 'Leder@Demo.Kommune.no' }));
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(5);
    const [person] = await t.db.query(`SELECT entra_object_id FROM person WHERE email = $1`, [DEMO_PEOPLE.leder]);
    expect(person.entra_object_id).toBe(oid);
    // The e-mail may change in Entra; the object id keeps identifying the person.
    expect((await units(await entra.token({ oid, preferred_username: 'renamed@demo.kommune.no' }))).status).toBe(200);
  });

  it('answers a valid token for somebody Årshjul does not know with 403, not 500', async () => {
    const res = await units(await entra.token({ oid: '99999999-2222-4333-8444-555555555555', preferred_username: 'stranger@demo.kommune.no' }));
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/unknown-person');
  });

  it.each([
    ['an expired token', () => entra.token({ preferred_username: DEMO_PEOPLE.admin }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['a token for another audience', () => entra.token({ preferred_username: DEMO_PEOPLE.admin }, { audience: 'api://another-app' })],
    ['a token from a tenant Årshjul does not serve', () => entra.token({ tid: '00000000-0000-4000-8000-000000000000', preferred_username: DEMO_PEOPLE.admin })],
    ['a token with a foreign issuer', () => entra.token({ preferred_username: DEMO_PEOPLE.admin }, { issuer: 'https://evil.example/v2.0' })],
    [
      'a token signed with a key the tenant never published',
      async () => entra.token({ preferred_username: DEMO_PEOPLE.admin }, { key: (await generateKeyPair('RS256')).privateKey }),
    ],
  ])('refuses %s with 401', async (_, makeToken) => {
    const res = await units(await makeToken());
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('/problems/unauthenticated');
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      tid: entra.tenantId,
      oid: '11111111-2222-4333-8444-555555555555',
      aud: 'api://arshjul',
      iss: `${entra.authorityHost}/${entra.tenantId}/v2.0`,
      exp: Math.floor(Date.now() / 1000) + 3600,
      preferred_username: DEMO_PEOPLE.admin,
    })}.`;
    expect((await units(token)).status).toBe(401);
  });

  it('refuses an HS256 token signed with the tenant’s public key as the secret', async () => {
    const keys = (await (await fetch(`${entra.authorityHost}/${entra.tenantId}/discovery/v2.0/keys`)).json()) as { keys: Array<{ kid: string }> };
    const publicJwk = JSON.stringify(keys.keys[0]);
    const token = await new SignJWT({ tid: entra.tenantId, oid: '11111111-2222-4333-8444-555555555555', preferred_username: DEMO_PEOPLE.admin })
      .setProtectedHeader({ alg: 'HS256', kid: keys.keys[0].kid })
      .setIssuer(`${entra.authorityHost}/${entra.tenantId}/v2.0`)
      .setAudience('api://arshjul')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(publicJwk));
    expect((await units(token)).status).toBe(401);
  });

  it('refuses the token of a person who has been archived', async () => {
    const oid = '0b0b0b0b-1b1b-4c2c-8d3d-4e4e4e4e4e4e';
    expect((await units(await entra.token({ oid, preferred_username: DEMO_PEOPLE.ansatt }))).status).toBe(200);
    await t.db.query(`UPDATE person SET archived_at = now() WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    const res = await units(await entra.token({ oid, preferred_username: DEMO_PEOPLE.ansatt }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/no longer active/);
  });

  it('refuses development tokens when Entra ID is the sign-in', async () => {
    const dev = await startTestApp();
    const devToken = await dev.tokenFor(DEMO_PEOPLE.admin);
    await dev.close();
    expect((await units(devToken)).status).toBe(401);
  });
});
