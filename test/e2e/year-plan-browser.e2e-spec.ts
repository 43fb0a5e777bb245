import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with: apt-get install chromium (CI does).`);

describeInBrowser('printing and downloading the year from the checklist and the wheel', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-20T09:00:00Z');
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(width: number, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP only so that the test can inject axe-core; the pages carry no inline script.
    const context = await browser.newContext({ baseURL: base, bypassCSP: true, acceptDownloads: true, javaScriptEnabled, locale: 'nb-NO', viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto('/logg-inn');
    await page.getByLabel(/Lars Enhetsleder/).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL('**/oppgaver');
    return { context, page };
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
  }

  const pages = () => [
    { name: 'sjekkliste', path: `/sjekkliste?enhet=${fjellvegen}&maned=2027-02`, table: 'Påse at årskontroll hos fastlege blir bestilt' },
    // The month's list beside the wheel (the wheel's hidden month labels say «februar 2027: n oppgaver»).
    { name: 'arshjul', path: `/arshjul?enhet=${fjellvegen}&ar=2027`, table: 'februar 2027' },
  ];

  it('shows "Skriv ut / Last ned" with a print button and download links, downloads the year plan, and prints without menu or filters', async () => {
    for (const width of [1280, 375]) {
      const { context, page } = await signedIn(width);
      for (const view of pages()) {
        await page.goto(view.path);
        const controls = page.getByRole('region', { name: 'Skriv ut / Last ned' });
        expect(await controls.getByRole('button', { name: 'Skriv ut denne siden' }).isVisible()).toBe(true);
        expect(await controls.getByRole('link', { name: 'PDF' }).count()).toBe(2);
        expect(await controls.getByRole('link', { name: 'Word' }).count()).toBe(2);
        expect(await controls.getByRole('link', { name: 'Excel' }).count()).toBe(2);
        await expectAccessible(page, `${view.name}-${width}`);
        await page.screenshot({ path: join(SCREENSHOTS, `utskrift-${view.name}-${width}.png`), fullPage: true });

        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('nav').isVisible()).toBe(false);
        expect(await controls.isVisible()).toBe(false);
        expect(await page.locator('form.filters').isVisible()).toBe(false);
        expect(await page.getByText(view.table, { exact: true }).first().isVisible()).toBe(true);
        await page.screenshot({ path: join(SCREENSHOTS, `utskrift-${view.name}-${width}-papir.png`), fullPage: true });
        await page.emulateMedia({ media: 'screen' });
      }
      await context.close();
    }

    // The links download the files themselves (the session cookie is enough for reading).
    const { context, page } = await signedIn(1280);
    await page.goto(pages()[0].path);
    const controls = page.getByRole('region', { name: 'Skriv ut / Last ned' });
    for (const [label, nth, file] of [['PDF', 0, 'arsplan-avdeling-fjellvegen-2027.pdf'], ['Excel', 1, 'arsplan-avdeling-fjellvegen-2027-utfylt.xlsx']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), controls.getByRole('link', { name: label }).nth(nth).click()]);
      expect(download.suggestedFilename()).toBe(file);
      const bytes = readFileSync((await download.path())!);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe(label === 'PDF' ? '%PDF' : 'PK\u0003\u0004');
    }

    // Printed by Chromium itself on A4: the table is there, the menu and the controls are not.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Påse at årskontroll hos fastlege blir bestilt');
    expect(text).toContain('Månedens sjekkliste');
    expect(text).not.toContain('Mine oppgaver');
    expect(text).not.toContain('Skriv ut / Last ned');
    const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)/);
    await context.close();
  });

  it('without JavaScript the download links still work and no dead print button is shown', async () => {
    const { context, page } = await signedIn(1280, false);
    await page.goto(pages()[1].path);
    const controls = page.getByRole('region', { name: 'Skriv ut / Last ned' });
    expect(await controls.getByRole('button').isVisible()).toBe(false);
    const [download] = await Promise.all([page.waitForEvent('download'), controls.getByRole('link', { name: 'Word' }).first().click()]);
    expect(download.suggestedFilename()).toBe('arsplan-avdeling-fjellvegen-2027.docx');

    // A year not made yet has no plan to download: the page says so instead of offering links that fail.
    await page.goto(`/arshjul?enhet=${fjellvegen}&ar=2031`);
    const later = page.getByRole('region', { name: 'Skriv ut / Last ned' });
    expect(await later.getByRole('link').count()).toBe(0);
    expect(await later.textContent()).toContain('Årsplanen for 2031 kan lastes ned når årets oppgaver er laget');
    await context.close();
  });
});
