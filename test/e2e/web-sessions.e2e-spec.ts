import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const SESSION_SECRET = 'a-session-secret-both-replicas-share-0123456789';

/** Signing out ends the session on the server: the cookie a browser (or a thief) kept is refused afterwards. */
describe('web sessions end on the server', () => {
  let t: TestApp;
  let replica: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SESSION_SECRET });
    // A second replica on the same database: what one signs out, the other refuses.
    replica = await startTestApp({ SESSION_SECRET }, undefined, { databaseUrl: t.databaseUrl });
  });
  afterAll(async () => {
    await replica.close();
    await t.close();
  });

  const signIn = async (app: TestApp, email: string) => {
    const res = await app.http.post('/logg-inn').type('form').send({ email });
    expect(res.status).toBe(303);
    return (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('arshjul_session='))!.split(';')[0];
  };
  const csrfOf = (pageHtml: string) => /name="_csrf" value="([^"]+)"/.exec(pageHtml)![1];

  /** Whether the cookie still signs someone in, on a page and on the API. */
  const stillSignedIn = async (app: TestApp, cookie: string) => {
    const page = await app.http.get('/oppgaver').set('Cookie', cookie);
    const api = await app.http.get('/api/v1/units').set('Cookie', cookie);
    return { page: page.status === 200 ? 200 : `${page.status} ${page.headers.location}`, api: api.status };
  };

  it('refuses the old cookie after signing out, on pages and on the API, on every replica', async () => {
    const cookie = await signIn(t, DEMO_PEOPLE.primaer);
    expect(await stillSignedIn(t, cookie)).toEqual({ page: 200, api: 200 });
    expect(await stillSignedIn(replica, cookie)).toEqual({ page: 200, api: 200 });

    const csrf = csrfOf((await t.http.get('/oppgaver').set('Cookie', cookie)).text);
    const out = await t.http.post('/logg-ut').set('Cookie', cookie).type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/logg-inn');

    const signedOut = { page: `303 /logg-inn?neste=${encodeURIComponent('/oppgaver')}`, api: 401 };
    expect(await stillSignedIn(t, cookie)).toEqual(signedOut);
    expect(await stillSignedIn(replica, cookie)).toEqual(signedOut);
    const api = await t.http.get('/api/v1/units').set('Cookie', cookie);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.body.type).toBe('/problems/unauthenticated');
  });

  it('ends only the session signed out of: the same person signed in elsewhere stays signed in', async () => {
    const laptop = await signIn(t, DEMO_PEOPLE.avdelingsleder);
    const phone = await signIn(replica, DEMO_PEOPLE.avdelingsleder);
    const csrf = csrfOf((await t.http.get('/oppgaver').set('Cookie', laptop)).text);
    expect((await t.http.post('/logg-ut').set('Cookie', laptop).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await stillSignedIn(t, laptop)).api).toBe(401);
    expect(await stillSignedIn(t, phone)).toEqual({ page: 200, api: 200 });
  });

  it('ends every session of a person who is archived, and they stay ended when the person is restored', async () => {
    const staff = await signIn(t, DEMO_PEOPLE.ansatt);
    expect(await stillSignedIn(t, staff)).toEqual({ page: 200, api: 200 });
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const id = await personId(t.db, DEMO_PEOPLE.ansatt);
    expect((await t.http.patch(`/api/v1/people/${id}`).set('Authorization', admin).send({ archived: true })).status).toBe(200);
    expect((await stillSignedIn(t, staff)).api).toBe(401);
    expect((await t.http.patch(`/api/v1/people/${id}`).set('Authorization', admin).send({ archived: false })).status).toBe(200);
    expect((await stillSignedIn(t, staff)).api).toBe(401);
    // Signing in again works as ever.
    expect(await stillSignedIn(t, await signIn(t, DEMO_PEOPLE.ansatt))).toEqual({ page: 200, api: 200 });
  });

  it('refuses a cookie whose session was never started here, even if correctly signed', async () => {
    const cookie = await signIn(t, DEMO_PEOPLE.kvalitet);
    await t.db.query(`DELETE FROM web_session`);
    expect(await stillSignedIn(t, cookie)).toEqual({ page: `303 /logg-inn?neste=${encodeURIComponent('/oppgaver')}`, api: 401 });
  });

  it('clears away sessions that have expired', async () => {
    await t.db.query(`DELETE FROM web_session`);
    await t.db.query(
      `INSERT INTO web_session (id, municipality_id, person_id, created_at, expires_at)
       SELECT gen_random_uuid(), municipality_id, id, now() - interval '2 days', now() - interval '1 day' FROM person`,
    );
    expect(await count(t.db, 'web_session', 'expires_at < now()')).toBeGreaterThan(5);
    await signIn(replica, DEMO_PEOPLE.leder);
    expect(await count(t.db, 'web_session', 'expires_at < now()')).toBe(0);
    expect(await count(t.db, 'web_session')).toBe(1);
  });

  it('lets the service end a session, never lengthen one', async () => {
    await signIn(t, DEMO_PEOPLE.leder);
    await expect(t.db.query(`UPDATE web_session SET expires_at = expires_at + interval '1 hour'`)).rejects.toThrow(/permission denied/);
  });
});
