import { generateKeyPair, SignJWT } from 'jose';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { startTestApp, TestApp } from '../utils/test-app';

describe('signing in with a development token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses an API call without a token with a 401 problem+json', async () => {
    const res = await t.http.get('/api/v1/units');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/unauthenticated', status: 401, title: 'Ikke innlogget' });
    expect(res.body.detail).toContain('Authorization: Bearer');
  });

  it('lists the demo units to a signed-in manager', async () => {
    const res = await t.http.get('/api/v1/units').set('Authorization', await t.bearer(DEMO_PEOPLE.leder));
    expect(res.status).toBe(200);
    const byName = new Map(res.body.map((u: { name: string }) => [u.name, u]));
    expect([...byName.keys()].sort()).toEqual(
      ['Avdeling Fjellvegen', 'Avdeling Sjøgata', 'Avdeling Åsen', 'Bo og habilitering', 'Helse og omsorg'].sort(),
    );
    const parentName = (name: string) => {
      const parentId = (byName.get(name) as { parentId: string | null }).parentId;
      return res.body.find((u: { id: string }) => u.id === parentId)?.name ?? null;
    };
    expect(parentName('Helse og omsorg')).toBeNull();
    expect(parentName('Bo og habilitering')).toBe('Helse og omsorg');
    expect(parentName('Avdeling Åsen')).toBe('Bo og habilitering');
  });

  it('refuses a token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const [person] = await t.db.query(`SELECT id, municipality_id FROM person WHERE email = $1`, [DEMO_PEOPLE.admin]);
    const forged = await new SignJWT({ tid: person.municipality_id })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(person.id)
      .setIssuer('arshjul-development')
      .setAudience('arshjul')
      .setExpirationTime('1h')
      .sign(privateKey);
    const res = await t.http.get('/api/v1/units').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('/problems/unauthenticated');
  });

  it('refuses a token whose signature was tampered with', async () => {
    const token = await t.tokenFor(DEMO_PEOPLE.ansatt);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const res = await t.http.get('/api/v1/units').set('Authorization', `Bearer ${tampered}`);
    expect(res.status).toBe(401);
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const [person] = await t.db.query(`SELECT id, municipality_id FROM person WHERE email = $1`, [DEMO_PEOPLE.admin]);
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${encode({ alg: 'none' })}.${encode({
      sub: person.id,
      tid: person.municipality_id,
      iss: 'arshjul-development',
      aud: 'arshjul',
      exp: Math.floor(Date.now() / 1000) + 3600,
    })}.`;
    const res = await t.http.get('/api/v1/units').set('Authorization', `Bearer ${unsigned}`);
    expect(res.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    // Five seconds, not one: `exp` is in whole seconds, so a token of one second made late in a second (or on a
    // busy machine) had expired before its first use.
    const expiring = await startTestApp({ DEV_TOKEN_TTL: '5s' });
    try {
      const token = await expiring.tokenFor(DEMO_PEOPLE.leder);
      expect((await expiring.http.get('/api/v1/units').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 6100)); // jose has no clock to inject
      const res = await expiring.http.get('/api/v1/units').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
    } finally {
      await expiring.close();
    }
  });

  it('refuses the token of a person who has been archived', async () => {
    const token = await t.tokenFor(DEMO_PEOPLE.ansatt);
    await t.db.query(`UPDATE person SET archived_at = now() WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    try {
      const res = await t.http.get('/api/v1/units').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/no longer active/);
    } finally {
      await t.db.query(`UPDATE person SET archived_at = NULL WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    }
  });

  it('refuses a header that is not a bearer token', async () => {
    const res = await t.http.get('/api/v1/units').set('Authorization', 'Basic YWRtaW46YWRtaW4=');
    expect(res.status).toBe(401);
  });
});
