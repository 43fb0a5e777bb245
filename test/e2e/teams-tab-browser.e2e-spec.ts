import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { join } from 'node:path';
import { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { ARTIFACTS, describeInBrowser, expectNoSeriousAxeViolations, expectNoSidewaysScroll, launchChromium, screenshot } from '../utils/browser';
import { FakeEntra } from '../utils/fake-entra';
import { freePort } from '../utils/free-port';
import { startTestApp, TestApp } from '../utils/test-app';

const TLS = join(ARTIFACTS, 'tls');

/** The Teams tab's app registration (webApplicationInfo.id), and Teams' own clients that ask for its tokens. */
const TAB_CLIENT_ID = '7a1c2b3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const TEAMS_WEB_CLIENT = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
const PER_OID = '3c3c3c3c-1b1b-4c2c-8d3d-4e4e4e4e4e4e';

/**
 * Plays the Teams host's side of the Teams JavaScript library's postMessage protocol, as far as the tab
 * needs: it answers `initialize` (frame context, host client type, runtime config, SDK version) and
 * `authentication.getAuthToken` ([success, token]), replying with the request's id and uuid as the library
 * matches them (communication.ts: handleIncomingMessageFromParent). The token comes from the test.
 */
const HOST_SCRIPT = `
window.hostCalls = [];
const frame = document.getElementById('tab');
const runtime = { apiVersion: 4, hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } }, isLegacyTeams: false,
  supports: { appInitialization: {}, authentication: {}, pages: { tabs: {}, config: {}, appButton: {}, backStack: {} }, teamsCore: {} } };
window.addEventListener('message', async (event) => {
  const m = event.data;
  if (event.source !== frame.contentWindow || !m || typeof m.func !== 'string') return;
  window.hostCalls.push(m.func);
  const reply = (args) => frame.contentWindow.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, event.origin);
  if (m.func === 'initialize') reply(['content', 'web', JSON.stringify(runtime), '2.58.0']);
  if (m.func === 'authentication.getAuthToken') reply([true, await (await fetch('/token')).text()]);
});`;

describeInBrowser('the Teams personal tab, framed by another site over HTTPS', () => {
  jest.setTimeout(120_000);
  let entra: FakeEntra;
  let t: TestApp;
  let browser: Browser;
  let appServer: Server;
  let hostServer: Server;
  let appBase: string;
  let hostBase: string;
  let appIdUri: string;
  /** What the stand-in Teams host hands the tab next. */
  let nextToken: () => Promise<string>;

  /** An access token as Entra issues it to Teams for the tab (Microsoft's tab SSO: aud, scp, v2.0 issuer). */
  const ssoToken = (claims: Record<string, unknown> = {}, options: Parameters<FakeEntra['token']>[1] = {}) =>
    entra.token(
      { oid: PER_OID, preferred_username: DEMO_PEOPLE.primaer, name: 'Per Primærkontakt', scp: 'access_as_user', azp: TEAMS_WEB_CLIENT, ...claims },
      { audience: appIdUri, ...options },
    );

  beforeAll(async () => {
    entra = await new FakeEntra().start();
    const [appPort, hostPort] = [await freePort(), await freePort()];
    appBase = `https://localhost:${appPort}`;
    hostBase = `https://teams.test:${hostPort}`;
    appIdUri = `api://localhost:${appPort}/${TAB_CLIENT_ID}`;
    t = await startTestApp({
      AUTH_MODE: 'entra',
      ENTRA_AUTHORITY_HOST: entra.authorityHost,
      ENTRA_AUDIENCE: 'api://arshjul',
      ENTRA_WEB_CLIENT_ID: entra.webClient.id,
      ENTRA_WEB_CLIENT_SECRET: entra.webClient.secret,
      TEAMS_SSO_CLIENT_ID: TAB_CLIENT_ID,
      PUBLIC_BASE_URL: appBase,
      TEAMS_FRAME_ANCESTORS: `https://teams.microsoft.com https://*.cloud.microsoft ${hostBase}`,
    });
    await t.db.query(`UPDATE municipality SET entra_tenant_id = $1 WHERE name = 'Demo kommune'`, [entra.tenantId]);
    nextToken = () => ssoToken();

    // Årshjul over HTTPS with the test certificate, as a Teams tab must be; the host on a site of its own.
    const tls = { key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(join(TLS, 'cert.pem')) };
    appServer = createServer(tls, t.app.getHttpAdapter().getInstance());
    await new Promise<void>((resolve) => appServer.listen(appPort, '127.0.0.1', resolve));
    hostServer = createServer(tls, (req, res) => {
      if (req.url === '/token') {
        void nextToken().then((token) => res.writeHead(200, { 'content-type': 'text/plain' }).end(token));
      } else if (req.url === '/host.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(HOST_SCRIPT);
      } else {
        const tab = new URL(req.url ?? '/', hostBase).searchParams.get('tab') ?? '/teams';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          `<!doctype html><html lang="nb"><title>Teams</title><body><h1>Teams (stand-in)</h1>` +
            `<iframe id="tab" title="Årshjul" src="${appBase}${tab}" width="1200" height="800"></iframe><script src="/host.js"></script></body></html>`,
        );
      }
    });
    await new Promise<void>((resolve) => hostServer.listen(hostPort, '127.0.0.1', resolve));

    // teams.test is this machine: a second site, so the tab is a cross-site frame as in Teams.
    browser = await launchChromium('--host-resolver-rules=MAP teams.test 127.0.0.1');
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => appServer?.close(resolve));
    await new Promise((resolve) => hostServer?.close(resolve));
    await t?.close();
    await entra?.stop();
  });

  async function openTeams(): Promise<{ context: BrowserContext; page: Page; setCookie: () => Promise<string | null> }> {
    // The certificate is for localhost only; teams.test uses it as well, hence ignoreHTTPSErrors.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const signIn = page.waitForResponse((r) => r.url() === `${appBase}/logg-inn/teams`);
    await page.goto(hostBase);
    return { context, page, setCookie: async () => (await signIn).headerValue('set-cookie') };
  }

  async function tabFrame(page: Page, path: string): Promise<Frame> {
    for (let i = 0; i < 100; i++) {
      const frame = page.frames().find((f) => f.url() === `${appBase}${path}`);
      if (frame) {
        await frame.waitForLoadState('load');
        return frame;
      }
      await page.waitForTimeout(100);
    }
    throw new Error(`the tab never reached ${path}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
  }

  it('signs in with the Teams token, opens Mine oppgaver in the frame, and stays signed in on reload', async () => {
    const { context, page, setCookie } = await openTeams();
    const cookieHeader = await setCookie();
    expect(cookieHeader).toMatch(/^arshjul_session=/);
    expect(cookieHeader).toMatch(/; SameSite=None/i);
    expect(cookieHeader).toMatch(/; Secure/i);
    expect(cookieHeader).toMatch(/; Partitioned/i);
    expect(cookieHeader).toMatch(/; HttpOnly/i);

    const tab = await tabFrame(page, '/oppgaver');
    expect(await tab.locator('h1').textContent()).toBe('Mine oppgaver');
    expect(await tab.locator('header').textContent()).toContain('Logg ut (Per Primærkontakt)');
    expect(await page.evaluate(() => (window as unknown as { hostCalls: string[] }).hostCalls)).toEqual(
      expect.arrayContaining(['initialize', 'authentication.getAuthToken']),
    );
    await screenshot(page, 'teams-tab-1280');

    // The browser keeps the cookie in the Teams host's partition, not in Årshjul's own jar.
    const [cookie] = (await context.cookies(appBase)).filter((c) => c.name === 'arshjul_session');
    expect(cookie).toMatchObject({ sameSite: 'None', secure: true, httpOnly: true });
    expect(cookie.partitionKey).toBe('https://teams.test');

    // Reloading the frame (as Teams does when the tab is opened again) keeps the session.
    await tab.evaluate(() => location.reload());
    const reloaded = await tabFrame(page, '/oppgaver');
    await reloaded.waitForSelector('h1');
    expect(await reloaded.locator('h1').textContent()).toBe('Mine oppgaver');
    expect(await reloaded.locator('header').textContent()).toContain('Logg ut (Per Primærkontakt)');

    // Opened on its own (not framed by Teams), Årshjul does not see the partitioned cookie.
    const alone = await context.newPage();
    await alone.goto(`${appBase}/oppgaver`);
    expect(alone.url()).not.toBe(`${appBase}/oppgaver`);
    await context.close();
  });

  it('a normal (SameSite=Lax) session does not reach Årshjul framed by the other site: why the tab signs in itself', async () => {
    entra.nextUser = { oid: PER_OID, preferred_username: DEMO_PEOPLE.primaer, tid: entra.tenantId };
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${appBase}/logg-inn?neste=/oppgaver`);
    expect(page.url()).toBe(`${appBase}/oppgaver`);
    const [session] = (await context.cookies(appBase)).filter((c) => c.name === 'arshjul_session');
    expect(session).toMatchObject({ sameSite: 'Lax' });
    expect(session.partitionKey).toBeUndefined();
    await page.goto(`${hostBase}/?tab=/oppgaver`);
    const frame = await tabFrame(page, '/oppgaver').catch(() => undefined);
    // Not signed in there: sent on to sign in (the frame leaves /oppgaver, or shows no sign-out).
    expect(frame ? await frame.locator('header').textContent().catch(() => '') : '').not.toContain('Logg ut');
    await context.close();
  });

  it('says in Norwegian what went wrong when Teams gives a token Årshjul refuses', async () => {
    nextToken = () => ssoToken({}, { audience: 'api://somebody-else' });
    try {
      const { context, page } = await openTeams();
      const tab = await tabFrame(page, '/teams');
      await tab.waitForSelector('#teams-refused:not([hidden])');
      expect(await tab.locator('#teams-refused').textContent()).toContain('Teams kunne ikke logge deg inn i Årshjul');
      expect((await context.cookies(appBase)).filter((c) => c.name === 'arshjul_session')).toEqual([]);
      await context.close();
    } finally {
      nextToken = () => ssoToken();
    }
  });

  it('outside Teams, /teams says so and links to the normal sign-in', async () => {
    // bypassCSP only so that the test can inject axe-core.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${appBase}/teams`);
    await page.waitForSelector('#teams-outside:not([hidden])');
    expect(await page.locator('#teams-outside').textContent()).toContain('logger deg inn bare når den er åpnet i Teams');
    expect(await page.getByRole('link', { name: 'Logg inn på vanlig måte' }).getAttribute('href')).toBe('/logg-inn?neste=%2Foppgaver');
    await expectNoSeriousAxeViolations(page, 'teams-outside');
    await page.setViewportSize({ width: 375, height: 700 });
    await expectNoSidewaysScroll(page, 'teams-outside-375');
    await screenshot(page, 'teams-outside-375');
    await context.close();
  });

  describe('POST /logg-inn/teams', () => {
    const post = (body: object | string, headers: Record<string, string> = {}) => {
      const request = t.http.post('/logg-inn/teams').set('Origin', appBase);
      for (const [name, value] of Object.entries(headers)) request.set(name, value);
      return typeof body === 'string' ? request.type('form').send(body) : request.send(body);
    };
    const sessionCount = async () => Number((await t.db.query(`SELECT count(*) AS n FROM web_session`))[0].n);

    it('accepts the Application ID URI or the client id as audience, and sets a partitioned SameSite=None cookie', async () => {
      for (const audience of [appIdUri, TAB_CLIENT_ID]) {
        const res = await post({ token: await ssoToken({}, { audience }) });
        expect(res.status).toBe(204);
        const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('arshjul_session='))!;
        expect(cookie.split('; ').slice(1).sort()).toEqual(expect.arrayContaining(['HttpOnly', 'Partitioned', 'Path=/', 'SameSite=None', 'Secure']));
        const page = await t.http.get('/oppgaver').set('Cookie', cookie.split(';')[0]);
        expect(page.status).toBe(200);
      }
    });

    it.each([
      ['another audience', () => ssoToken({}, { audience: 'api://arshjul' })],
      ['another issuer', () => ssoToken({}, { issuer: 'https://sts.windows.net/x/' })],
      ['an expired token', () => ssoToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
      ['a tenant Årshjul does not serve', () => ssoToken({ tid: '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e' })],
      ['no access_as_user scope', () => ssoToken({ scp: 'User.Read' })],
    ])('refuses %s with 401 problem+json and no session', async (_what, token) => {
      const before = await sessionCount();
      const res = await post({ token: await token() });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/unauthenticated', title: 'Ikke innlogget' });
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(await sessionCount()).toBe(before);
    });

    it('refuses a person Årshjul does not know with 403', async () => {
      const res = await post({ token: await ssoToken({ oid: '9f9f9f9f-1b1b-4c2c-8d3d-4e4e4e4e4e4e', preferred_username: 'fremmed@demo.kommune.no' }) });
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('/problems/unknown-person');
    });

    it('is no login-CSRF vector: another origin, no origin or a form post are refused', async () => {
      const token = await ssoToken();
      const before = await sessionCount();
      const foreign = await post({ token }, { Origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      const noOrigin = await t.http.post('/logg-inn/teams').send({ token });
      expect(noOrigin.status).toBe(403);
      const form = await post(`token=${token}`);
      expect(form.status).toBe(403);
      for (const res of [foreign, noOrigin, form]) expect(res.headers['set-cookie']).toBeUndefined();
      expect(await sessionCount()).toBe(before);
    });

    it('names the field when the body holds no token', async () => {
      const res = await post({ token: 'not a jwt' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'token' })]);
    });

    it('signing out in Teams ends the session and removes the partitioned cookie', async () => {
      const signedIn = await post({ token: await ssoToken() });
      const cookie = (signedIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const csrf = (await t.http.get('/oppgaver').set('Cookie', cookie)).text.match(/name="_csrf" value="([^"]+)"/)![1];
      const out = await t.http.post('/logg-ut').set('Cookie', cookie).type('form').send({ _csrf: csrf });
      expect(out.status).toBe(303);
      const cleared = (out.headers['set-cookie'] as unknown as string[]).filter((c) => c.startsWith('arshjul_session=;'));
      expect(cleared).toEqual(expect.arrayContaining([expect.stringMatching(/Partitioned/), expect.not.stringMatching(/Partitioned/)]));
      expect((await t.http.get('/api/v1/me/tasks').set('Cookie', cookie)).status).toBe(401);
    });

    it('leaves the normal sign-in with a SameSite=Lax, unpartitioned cookie', async () => {
      entra.nextUser = { oid: PER_OID, preferred_username: DEMO_PEOPLE.primaer, tid: entra.tenantId };
      const start = await t.http.get('/logg-inn?neste=/oppgaver');
      const signinCookie = (start.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const callback = new URL((await fetch(start.headers.location, { redirect: 'manual' })).headers.get('location')!);
      const back = await t.http.get(`${callback.pathname}${callback.search}`).set('Cookie', signinCookie);
      expect(back.status).toBe(303);
      const cookie = (back.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('arshjul_session='))!;
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/Partitioned|SameSite=None/);
    });

    it('the Teams app package opens /teams and asks Teams for tokens of the tab registration', () => {
      const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docker', 'teams-app', 'manifest.json'), 'utf8'));
      const [tab] = manifest.staticTabs;
      const host = new URL(tab.contentUrl).host;
      expect(new URL(tab.contentUrl).pathname).toBe('/teams');
      expect(manifest.validDomains).toContain(host);
      expect(manifest.webApplicationInfo.resource).toBe(`api://${host}/${manifest.webApplicationInfo.id}`);
    });

    it('allows the Teams hosts to frame the pages, without a contradicting X-Frame-Options', async () => {
      const res = await t.http.get('/teams');
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain(`frame-ancestors 'self' https://teams.microsoft.com https://*.cloud.microsoft ${hostBase}`);
      expect(res.headers['x-frame-options']).toBeUndefined();
      const library = await t.http.get(res.text.match(/src="(\/assets\/vendor\/teams-js\/[^"]+)"/)![1]);
      expect(library.status).toBe(200);
      expect(library.headers['content-type']).toMatch(/javascript/);
      expect(library.headers['cache-control']).toContain('immutable');
    });
  });
});
