import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectAccessible, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describeInBrowser('the three journeys in a real browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-20T09:00:00Z');
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  /** A fresh browser session signed in as a demo person through the sign-in page; downloads allowed. */
  const signedInAs = (name: string): Promise<Page> => signedIn(browser, base, name, { acceptDownloads: true });

  it('a primary contact signs off a task; the manager sees it signed; the quality adviser sees the figures change and exports the records', async () => {
    // The quality adviser's figures before.
    const kari = await signedInAs('Kari Kvalitetsrådgiver');
    await kari.goto(`/internkontroll?enhet=${fjellvegen}&ar=2027`);
    const doneBefore = Number(await kari.locator('#per-maned ~ table tbody tr', { hasText: 'februar 2027' }).locator('td').nth(1).textContent());

    // Per signs off the GP check-up of FJV-001 in one step.
    const per = await signedInAs('Per Primærkontakt');
    await expectAccessible(per, '1-mine-oppgaver');
    const task = per.locator('article', { hasText: 'FJV-001' }).filter({ hasText: 'Påse at årskontroll hos fastlege er bestilt' });
    await task.locator('summary').click();
    await task.getByLabel(/Kommentar/).fill('Time bestilt');
    await task.getByRole('button', { name: /Signer/ }).click();
    await per.waitForURL(/signert=1/);
    const signedPage = await per.locator('main').textContent();
    expect(signedPage).toContain('Oppgaven er signert.');
    expect(signedPage).toContain('Signert av Per Primærkontakt 20.02.2027 kl. 10:00');
    await expectAccessible(per, '2-oppgave-signert');

    // Lars sees it signed in the month's checklist of his unit and the ones below.
    const lars = await signedInAs('Lars Enhetsleder');
    await lars.goto(`/sjekkliste?enhet=${fjellvegen}&maned=2027-02`);
    const row = lars.locator('tr', { hasText: 'FJV-001' }).filter({ hasText: 'Påse at årskontroll hos fastlege er bestilt' });
    expect(await row.textContent()).toContain('Utført');
    expect(await row.textContent()).toContain('Per Primærkontakt');
    await expectAccessible(lars, '3-manedens-sjekkliste');
    await lars.goto(`/arshjul?enhet=${fjellvegen}&ar=2027`);
    expect(await lars.locator('svg.wheel-svg > title').first().textContent()).toBe('Årshjul 2027 for Avdeling Fjellvegen');
    await expectAccessible(lars, '4-arshjulet');

    // Kari sees one more done in February, and downloads the record with its manifest.
    await kari.reload();
    const doneAfter = Number(await kari.locator('#per-maned ~ table tbody tr', { hasText: 'februar 2027' }).locator('td').nth(1).textContent());
    expect(doneAfter).toBe(doneBefore + 1);
    expect(await kari.locator('#verifisering ~ p').textContent()).toContain('Kjeden er hel');
    await expectAccessible(kari, '5-internkontroll');
    const [download] = await Promise.all([kari.waitForEvent('download'), kari.getByRole('link', { name: /Signerte poster med manifest/ }).click()]);
    const exported = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(JSON.parse(exported[exported.length - 1]).manifest.records).toBeGreaterThanOrEqual(1);
    expect(exported.join('\n')).toContain('FJV-001');
  });

  it('the sign-in page and a guessed unit in another view are accessible and refused', async () => {
    const context = await browser.newContext({ baseURL: base, bypassCSP: true });
    const page = await context.newPage();
    await page.goto('/logg-inn');
    await expectAccessible(page, '0-logg-inn');
    const per = await signedInAs('Per Primærkontakt');
    const response = await per.goto('/internkontroll');
    expect(response?.status()).toBe(403);
  });

  it('the administration page previews a rule before it is saved', async () => {
    const page = await signedIn(browser, base, 'Ada Administrator', { open: '/logg-inn' });
    await page.goto('/administrasjon');
    await page.getByLabel('Oppgave', { exact: true }).fill('Ressursfordelingskartlegging, oppfølging');
    await page.getByLabel('Gjentas').selectOption('iso-week');
    await page.getByLabel('Uke (1–53)').fill('47');
    await page.getByLabel('Vis frister for år').fill('2027');
    await page.getByRole('button', { name: 'Forhåndsvis' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Frister i 2027: 22.11.2027');
    await expectAccessible(page, '6-administrasjon');
  });

  it('the pages in English are accessible too', async () => {
    const per = await signedInAs('Per Primærkontakt');
    await per.goto('/oppgaver?lang=en');
    expect(await per.locator('h1').textContent()).toBe('My tasks');
    await expectAccessible(per, '7-my-tasks-english');
    await per.goto(`/arshjul?enhet=${fjellvegen}&ar=2027`);
    expect(await per.locator('svg.wheel-svg > title').first().textContent()).toBe('Annual wheel 2027 for Avdeling Fjellvegen');
    await expectAccessible(per, '8-annual-wheel-english');
  });
});
