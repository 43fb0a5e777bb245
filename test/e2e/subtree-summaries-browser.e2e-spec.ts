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
    await t.app.listen(0, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // bypassCSP only so that the test can inject axe-core; the pages themselves carry no inline script.
    const context = await browser.newContext({ baseURL: await t.app.getUrl(), bypassCSP: true, locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto('/logg-inn');
    await page.getByLabel(/Lars Enhetsleder/).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL('**/oppgaver');
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** What the page gets wrong at the width it is shown at; empty when all is well. */
  async function problemsAt(name: string, width: number): Promise<unknown[]> {
    await page.setViewportSize({ width, height: width === 375 ? 800 : 900 });
    const problems: unknown[] = [];
    const sideways = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    if (sideways.scrollWidth > sideways.innerWidth) problems.push({ sideways });
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, targets: v.nodes.slice(0, 3).map((n) => n.target) }));
    });
    if (violations.length) problems.push({ violations });
    // The summary's links are what one taps to drill down: each at least 44 × 44 px.
    const small = await page.evaluate(() =>
      Array.from(document.querySelectorAll('table.subunits a'))
        .map((a) => a.getBoundingClientRect())
        .filter((r) => r.width < 43.5 || r.height < 43.5).length,
    );
    if (small) problems.push({ smallLinks: small });
    await page.screenshot({ path: join(SCREENSHOTS, `subunits-${name}-${width}.png`), fullPage: true });
    return problems;
  }

  async function visit(name: string, path: string): Promise<Record<string, unknown[]>> {
    const response = await page.goto(path);
    expect({ name, status: response?.status() }).toEqual({ name, status: 200 });
    const found: Record<string, unknown[]> = {};
    for (const width of [1280, 375]) {
      const problems = await problemsAt(name, width);
      if (problems.length) found[`${name}-${width}`] = problems;
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    return found;
  }

  it('the checklist, Internkontroll and the wheel of Bo og habilitering fit a desktop and a phone, with no axe violations', async () => {
    const found = {
      ...(await visit('sjekkliste', `/sjekkliste?enhet=${boOgHabilitering}&maned=2027-03`)),
      ...(await visit('internkontroll', `/internkontroll?enhet=${boOgHabilitering}&ar=2027`)),
      ...(await visit('arshjul', `/arshjul?enhet=${boOgHabilitering}&ar=2027&maned=2027-03`)),
    };
    expect(found).toEqual({});
  });

  it('on a phone, a sub-unit’s row opens its own checklist', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`/sjekkliste?enhet=${boOgHabilitering}&maned=2027-03`);
    expect(await page.locator('table.subunits tbody tr a').count()).toBe(3);
    await page.getByRole('link', { name: 'Avdeling Fjellvegen' }).click();
    await page.waitForURL(/enhet=/);
    expect(await page.locator('h1').textContent()).toContain('Avdeling Fjellvegen, mars 2027');
  });
});
