import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectNoSeriousAxeViolations, screenshot, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

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
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  async function signedInAsLars(width: number, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
    const page = await signedIn(browser, base, 'Lars Enhetsleder', { open: '/logg-inn', acceptDownloads: true, javaScriptEnabled, viewport: { width, height: 900 } });
    return { context: page.context(), page };
  }

  const pages = () => [
    { name: 'sjekkliste', path: `/sjekkliste?enhet=${fjellvegen}&maned=2027-02`, table: 'Påse at årskontroll hos fastlege blir bestilt' },
    // The month's list beside the wheel (the wheel's hidden month labels say «februar 2027: n oppgaver»).
    { name: 'arshjul', path: `/arshjul?enhet=${fjellvegen}&ar=2027`, table: 'februar 2027' },
  ];

  it('shows "Skriv ut / Last ned" with a print button and download links, downloads the year plan, and prints without menu or filters', async () => {
    for (const width of [1280, 375]) {
      const { context, page } = await signedInAsLars(width);
      for (const view of pages()) {
        await page.goto(view.path);
        const controls = page.getByRole('region', { name: 'Skriv ut / Last ned' });
        expect(await controls.getByRole('button', { name: 'Skriv ut denne siden' }).isVisible()).toBe(true);
        expect(await controls.getByRole('link', { name: 'PDF' }).count()).toBe(2);
        expect(await controls.getByRole('link', { name: 'Word' }).count()).toBe(2);
        expect(await controls.getByRole('link', { name: 'Excel' }).count()).toBe(2);
        await expectNoSeriousAxeViolations(page, `${view.name}-${width}`);
        await screenshot(page, `utskrift-${view.name}-${width}`);

        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('nav').isVisible()).toBe(false);
        expect(await controls.isVisible()).toBe(false);
        expect(await page.locator('form.filters').isVisible()).toBe(false);
        expect(await page.getByText(view.table, { exact: true }).first().isVisible()).toBe(true);
        await screenshot(page, `utskrift-${view.name}-${width}-papir`);
        await page.emulateMedia({ media: 'screen' });
      }
      await context.close();
    }

    // The links download the files themselves (the session cookie is enough for reading).
    const { context, page } = await signedInAsLars(1280);
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
    const { context, page } = await signedInAsLars(1280, false);
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
