import { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, layoutProblems, PHONE, problemsOnDesktopAndPhone, screenshot, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * The summary of a unit with sub-units in a browser, as Lars Enhetsleder sees Bo og habilitering: the
 * checklist's and Internkontroll's rows per sub-unit and the wheel's marks, on a desktop (1280 px) and a
 * phone (375 px): no sideways scrolling, no axe-core violations, targets of 44 px; the row opens the sub-unit.
 */
describeInBrowser('a unit with sub-units, summarised, in a browser', () => {
  jest.setTimeout(600_000);
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let boOgHabilitering: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-02T08:00:00Z');
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    expect((await t.http.post(`/api/v1/units/${boOgHabilitering}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.leder))).status).toBe(200);
    t.clock.set('2027-03-15T09:00:00Z');
    const served = await serveAndLaunchChromium(t);
    browser = served.browser;
    page = await signedIn(browser, served.base, 'Lars Enhetsleder', { open: '/logg-inn' });
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  /** What the page gets wrong at the width it is shown at (sideways, axe-core, small links); empty when all is well. */
  async function problemsAt(name: string, width: number): Promise<unknown[]> {
    const problems = await layoutProblems(page);
    // The summary's links are what one taps to drill down: each at least 44 × 44 px.
    const small = await page.evaluate(() =>
      Array.from(document.querySelectorAll('table.subunits a'))
        .map((a) => a.getBoundingClientRect())
        .filter((r) => r.width < 43.5 || r.height < 43.5).length,
    );
    if (small) problems.push({ smallLinks: small });
    await screenshot(page, `subunits-${name}-${width}`);
    return problems;
  }

  const visit = (name: string, path: string): Promise<Record<string, unknown[]>> => problemsOnDesktopAndPhone(page, name, path, (width) => problemsAt(name, width));

  it('the checklist, Internkontroll and the wheel of Bo og habilitering fit a desktop and a phone, with no axe violations', async () => {
    const found = {
      ...(await visit('sjekkliste', `/sjekkliste?enhet=${boOgHabilitering}&maned=2027-03`)),
      ...(await visit('internkontroll', `/internkontroll?enhet=${boOgHabilitering}&ar=2027`)),
      ...(await visit('arshjul', `/arshjul?enhet=${boOgHabilitering}&ar=2027&maned=2027-03`)),
    };
    expect(found).toEqual({});
  });

  it('on a phone, a sub-unit’s row opens its own checklist', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`/sjekkliste?enhet=${boOgHabilitering}&maned=2027-03`);
    expect(await page.locator('table.subunits tbody tr a').count()).toBe(3);
    await page.getByRole('link', { name: 'Avdeling Fjellvegen' }).click();
    await page.waitForURL(/enhet=/);
    expect(await page.locator('h1').textContent()).toContain('Avdeling Fjellvegen, mars 2027');
  });
});
