import { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectAccessibleAndNoSidewaysScroll, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const RELATIVES = 'Kontakt med pårørende/verge om tjenestetilbudet';

/**
 * On 1 December in Chromium: the primary contact sees the month's tasks coming, the manager reads the month
 * as the paper table, and the wheel shows each month's tasks on hover and keyboard focus — at 1280 and
 * 375 px, without sideways scrolling, with no serious axe-core finding.
 */
describeInBrowser('the month at a glance in a real browser', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-01T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    const lars = await t.bearer(DEMO_PEOPLE.leder);
    const boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    for (const year of [2026, 2027]) await t.http.post(`/api/v1/units/${boOgHabilitering}/materialize?year=${year}`).set('Authorization', lars);
    // Per has done all that was due so far this year.
    const per = await t.bearer(DEMO_PEOPLE.primaer);
    for (const task of (await t.http.get('/api/v1/me/tasks').set('Authorization', per)).body as Array<{ occurrenceId: string }>) {
      await t.http.post(`/api/v1/occurrences/${task.occurrenceId}/sign-offs`).set('Authorization', per).send({ outcome: 'done', comment: 'Gjort' });
    }
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  const signedInAs = (name: string, width: number): Promise<Page> => signedIn(browser, base, name, { viewport: { width, height: 900 } });

  it('on 1 December Per Primærkontakt sees the month’s tasks under Kommende, each with its deadline and «åpner 4.12.»', async () => {
    for (const width of [1280, 375]) {
      const per = await signedInAs('Per Primærkontakt', width);
      const main = per.locator('main');
      expect(await main.textContent()).not.toContain('Godt jobbet');
      const coming = per.getByRole('region', { name: 'Kommende' });
      await expect(coming.locator('li', { hasText: RELATIVES }).count()).resolves.toBe(10);
      expect(await coming.locator('li', { hasText: 'FJV-001' }).textContent()).toMatch(/Frist 31\.12\.2026, åpner 4\.12\./);
      await expectAccessibleAndNoSidewaysScroll(per, `kommende-mine-oppgaver-${width}`);
      await per.context().close();
    }
  });

  it('the manager’s checklist is the paper table: its columns, its statuses, «x av y utført», a filter by code', async () => {
    for (const width of [1280, 375]) {
      const anne = await signedInAs('Anne Avdelingsleder', width);
      await anne.goto(`/sjekkliste?enhet=${fjellvegen}&maned=2026-12`);
      const table = anne.getByRole('region', { name: /Årshjul for primærkontakter/ }).locator('table');
      if (width === 1280) {
        expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Oppgave', 'Frist', 'Ansvar', 'Lagres', 'Utført', 'Kommentar']);
      }
      const row = table.locator('tr', { hasText: 'FJV-001' });
      expect(await row.textContent()).toContain('Ikke åpnet ennå');
      expect(await row.textContent()).toContain('Ikke utført');
      expect(await row.textContent()).toContain('forslag: Helseplattformen');
      expect(await anne.getByText('0 av 10 utført').isVisible()).toBe(true);
      expect(await anne.getByText(/Hele måneden: 0 av \d+ utført/).isVisible()).toBe(true);
      await expectAccessibleAndNoSidewaysScroll(anne, `sjekkliste-papirtabell-${width}`);
      await anne.getByLabel('Tjenestemottaker').selectOption('FJV-004');
      await anne.getByRole('button', { name: 'Vis' }).click();
      await anne.waitForURL(/kode=FJV-004/);
      expect(await anne.locator('tbody tr', { hasText: 'FJV-004' }).count()).toBeGreaterThan(0);
      expect(await anne.locator('tbody tr', { hasText: 'FJV-005' }).count()).toBe(0);
      await anne.context().close();
    }
  });

  it('the wheel opens on Per’s own unit; its dots are links, same-day tasks separate, 31 December inside December; hover and focus show the month', async () => {
    for (const width of [1280, 375]) {
      const per = await signedInAs('Per Primærkontakt', width);
      await per.goto('/arshjul');
      expect(await per.locator('h1').textContent()).toBe('Årshjulet 2026 – Avdeling Fjellvegen');
      const wheel = per.locator('svg.wheel-svg');
      const dots = wheel.locator('a.dot');
      expect(await dots.count()).toBeGreaterThanOrEqual(13); // materialised on 1 December: the year from today on
      expect((await dots.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).every((h) => /^\/oppgaver\/[0-9a-f-]{36}$/.test(h ?? ''))).toBe(true);

      // The dots of 31 December: separate on the screen, and left of twelve o'clock (inside December).
      const box = (await wheel.boundingBox())!;
      const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const lastDay = await wheel.locator('a.dot[data-deadline="2026-12-31"] circle').evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().toJSON() as DOMRect));
      expect(lastDay.length).toBeGreaterThanOrEqual(12);
      expect(new Set(lastDay.map((r) => `${Math.round(r.x * 2)},${Math.round(r.y * 2)}`)).size).toBe(lastDay.length);
      for (const r of lastDay) {
        expect(r.x + r.width).toBeLessThanOrEqual(centre.x);
        expect(r.y + r.height).toBeLessThan(centre.y);
      }

      // December's tasks in the picture: hidden until December is pointed at, or reached with the keyboard.
      const tip = wheel.locator('.tip[data-m="11"]');
      expect(await tip.isVisible()).toBe(false);
      await wheel.locator('.month[data-m="11"] a.month-seg').hover({ force: true });
      expect(await tip.isVisible()).toBe(true);
      expect(await tip.textContent()).toContain('desember 2026: 13 oppgaver');
      await per.mouse.move(0, 0);
      expect(await tip.isVisible()).toBe(false);
      const december = wheel.locator('.month[data-m="11"] a.month-seg');
      await december.focus();
      expect(await tip.isVisible()).toBe(true);
      await per.keyboard.press('Tab'); // on to December's first dot: December's tasks stay shown
      expect(await per.evaluate(() => document.activeElement?.getAttribute('class'))).toBe('dot');
      expect(await tip.isVisible()).toBe(true);
      await per.keyboard.press('Shift+Tab');
      await expectAccessibleAndNoSidewaysScroll(per, `arshjul-maned-${width}`);

      // Choosing a month lists it beside the wheel; a dot opens its task.
      expect(await per.locator('#maneden').textContent()).toBe('desember 2026');
      await wheel.locator('.month[data-m="2"] a.month-seg').focus();
      expect(await wheel.locator('.tip[data-m="2"]').isVisible()).toBe(true);
      await per.keyboard.press('Enter');
      await per.waitForURL(/maned=2026-03/);
      expect(await per.locator('#maneden').textContent()).toBe('mars 2026');
      await dots.first().click({ force: true });
      await per.waitForURL(/\/oppgaver\/[0-9a-f-]{36}$/);
      await per.context().close();
    }
  });

  it('the task page shows the description, accessibly, on a phone too', async () => {
    const anne = await signedInAs('Anne Avdelingsleder', 375);
    const [{ id }] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN task_definition t ON t.id = o.task_id JOIN unit u ON u.id = o.unit_id
        WHERE t.title = 'Internundervisning i avdelingen' AND o.deadline = '2026-12-31' AND u.name = 'Avdeling Fjellvegen'`,
    );
    await anne.goto(`/oppgaver/${id}`);
    expect(await anne.getByRole('heading', { name: 'Beskrivelse' }).isVisible()).toBe(true);
    expect(await anne.locator('main').textContent()).toContain('Ikke åpnet ennå');
    await expectAccessibleAndNoSidewaysScroll(anne, 'oppgave-beskrivelse-375');
    await anne.context().close();
  });
});
