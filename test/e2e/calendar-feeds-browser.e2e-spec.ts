import ICAL from 'ical.js';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with: apt-get install chromium (CI does).`);

/** «Abonner i Outlook» from Mine oppgaver: the address, how to subscribe, the feed it opens, and revoking it. */
describeInBrowser('subscribing in Outlook from Mine oppgaver, in the browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    const fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-10T09:00:00Z');
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(name: string, width: number): Promise<Page> {
    // bypassCSP only so that the test can inject axe-core; the pages themselves carry no inline script.
    const context = await browser.newContext({ baseURL: base, bypassCSP: true, locale: 'nb-NO', viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto('/oppgaver');
    await page.getByLabel(new RegExp(name)).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL('**/oppgaver');
    return page;
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    await page.evaluate(AXE);
    const violations: Array<{ id: string; impact: string }> = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
    });
    expect({ page: name, violations: violations.filter((v) => ['serious', 'critical'].includes(v.impact)) }).toEqual({ page: name, violations: [] });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  for (const width of [1280, 375]) {
    it(`makes a feed with one click, shows its address and how to subscribe, and revokes it (${width} px)`, async () => {
      const per = await signedIn('Per Primærkontakt', width);
      const card = per.getByRole('region', { name: 'Abonner i Outlook' });
      await expect(card.isVisible()).resolves.toBe(true);
      await card.screenshot({ path: join(SCREENSHOTS, `kalender-mine-oppgaver-${width}.png`) });
      const [response] = await Promise.all([per.waitForResponse((r) => r.url().endsWith('/kalender') && r.request().method() === 'POST'), card.getByRole('button', { name: 'Abonner i Outlook' }).click()]);
      expect(response.status()).toBe(201);
      const url = await per.getByRole('textbox', { name: /^Kalenderadresse/ }).inputValue();
      expect(url).toMatch(/^http:\/\/localhost:3000\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
      expect(await per.locator('main').textContent()).toContain('Legg til kalender → Abonner fra nettet');
      // No sideways scrolling, on a phone too.
      expect(await per.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await expectAccessible(per, `kalender-abonner-${width}`);

      // The address opens the feed (the configured base URL is another host here: the path is what counts).
      const feed = await per.request.get(new URL(url).pathname);
      expect(feed.status()).toBe(200);
      const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
      expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Årshjul – mine oppgaver');
      expect(calendar.getAllSubcomponents('vevent').length).toBeGreaterThan(0);

      await per.getByRole('button', { name: /^Trekk tilbake kalenderadressen Mine oppgaver/ }).first().click();
      await per.waitForURL('**/kalender?melding=trukket');
      expect(await per.getByRole('status').textContent()).toContain('trukket tilbake');
      expect(await per.locator('main').textContent()).toContain('Du har ingen kalenderadresser.');
      await expectAccessible(per, `kalender-trukket-${width}`);
      expect((await per.request.get(new URL(url).pathname)).status()).toBe(404);
    });
  }
});
