import ICAL from 'ical.js';
import { Browser } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectAccessible, expectAccessibleAndNoSidewaysScroll, screenshotPath, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

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
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  for (const width of [1280, 375]) {
    it(`makes a feed with one click, shows its address and how to subscribe, and revokes it (${width} px)`, async () => {
      const per = await signedIn(browser, base, 'Per Primærkontakt', { viewport: { width, height: 900 } });
      const card = per.getByRole('region', { name: 'Abonner i Outlook' });
      await expect(card.isVisible()).resolves.toBe(true);
      await card.screenshot({ path: screenshotPath(`kalender-mine-oppgaver-${width}`) });
      const [response] = await Promise.all([per.waitForResponse((r) => r.url().endsWith('/kalender') && r.request().method() === 'POST'), card.getByRole('button', { name: 'Abonner i Outlook' }).click()]);
      expect(response.status()).toBe(201);
      const url = await per.getByRole('textbox', { name: /^Kalenderadresse/ }).inputValue();
      expect(url).toMatch(/^http:\/\/localhost:3000\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
      expect(await per.locator('main').textContent()).toContain('Legg til kalender → Abonner fra nettet');
      // No sideways scrolling, on a phone too.
      await expectAccessibleAndNoSidewaysScroll(per, `kalender-abonner-${width}`);

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
