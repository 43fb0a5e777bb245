import { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, DESKTOP, expectNoSeriousAxeViolations, PHONE_AT_DESKTOP_HEIGHT, screenshotsAt, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { foreignWords } from '../utils/telltales';
import { startTestApp, TestApp } from '../utils/test-app';

/** Issue 16 §3 in a real browser: nynorsk pages pass axe; refusal pages speak only the page's language. */
describeInBrowser('nynorsk and refusal pages in a real browser', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    const fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-20T09:00:00Z');
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  /** Signed in through the sign-in page in the language asked for (remembered by its cookie from then on). */
  const signedInSpeaking = (lang: string, name: string): Promise<Page> =>
    signedIn(browser, base, name, { open: `/logg-inn?lang=${lang}&neste=/oppgaver`, button: lang === 'en' ? 'Sign in' : 'Logg inn', locale: 'nn-NO' });

  /** Screenshots at desktop and phone width. */
  const shoot = (page: Page, name: string) => screenshotsAt(page, name, [DESKTOP, PHONE_AT_DESKTOP_HEIGHT]);

  it('a manager works in nynorsk: every page in nn, axe clean, the menu and language switch in place', async () => {
    const lars = await signedInSpeaking('nn', 'Anne Avdelingsleder');
    for (const [path, heading] of [
      ['/oppgaver', 'Mine oppgåver'],
      ['/sjekkliste', 'Sjekkliste for månaden'],
      ['/arshjul', 'Årshjulet'],
      ['/internkontroll', 'Internkontroll'],
      ['/administrasjon', 'Administrasjon'],
    ]) {
      await lars.goto(path);
      expect(await lars.getAttribute('html', 'lang')).toBe('nn');
      await expect(lars.locator('h1').textContent()).resolves.toContain(heading);
      await expectNoSeriousAxeViolations(lars, `nn${path.replace('/', '-')}`);
      await shoot(lars, `nn${path.replace('/', '-')}`);
    }
    await expect(lars.getByRole('link', { name: 'Bokmål' }).count()).resolves.toBe(1);
    await lars.getByRole('link', { name: 'Bokmål' }).click();
    expect(await lars.getAttribute('html', 'lang')).toBe('nb');
  });

  it('a refusal page in nn and en speaks only its language, axe clean, at 1280 and 375 px', async () => {
    for (const lang of ['nn', 'en'] as const) {
      const per = await signedInSpeaking(lang, 'Per Primærkontakt');
      // Per is no manager or quality adviser: Internkontroll is not in his menu, and refused if opened anyway.
      await expect(per.locator('nav a[href="/internkontroll"]').count()).resolves.toBe(0);
      const res = await per.goto('/internkontroll');
      expect(res?.status()).toBe(403);
      expect(await per.getAttribute('html', 'lang')).toBe(lang);
      expect(foreignWords(await per.content(), lang)).toEqual([]);
      await expectNoSeriousAxeViolations(per, `refusal-${lang}`);
      await shoot(per, `refusal-403-${lang}`);
    }
  });
  it('in-form refusals and the Teams tab in nn and en speak only their language, axe clean, at 1280 and 375 px', async () => {
    for (const lang of ['nn', 'en'] as const) {
      const admin = await signedInSpeaking(lang, 'Ada Administrator');
      // The task form of Administrasjon: a rule that yields no deadlines, refused in the page's words.
      await admin.goto('/administrasjon?handling=forhandsvis&monster=custom&rrule=FREQ%3DYEARLY%3BBYMONTH%3D2%3BBYMONTHDAY%3D30');
      const ruleRefusal = (await admin.getByRole('alert').first().textContent()) ?? '';
      expect(ruleRefusal).toMatch(lang === 'nn' ? /^Regelen kan ikkje brukast: / : /^The rule cannot be used: /);
      expect(foreignWords(ruleRefusal, lang)).toEqual([]);
      await expectNoSeriousAxeViolations(admin, `admin-refusal-${lang}`);
      await shoot(admin, `admin-rule-refusal-${lang}`);
      // The wheel editor: a new wheel without a name.
      await admin.goto('/administrasjon/arshjul');
      await admin.locator('form[action="/administrasjon/arshjul"] button[type="submit"]').first().click();
      const nameRefusal = (await admin.getByRole('alert').first().textContent()) ?? '';
      expect(foreignWords(nameRefusal, lang)).toEqual([]);
      expect(nameRefusal).toContain(lang === 'nn' ? 'Felt som ikkje kunne brukast' : 'Fields that could not be used');
      await expectNoSeriousAxeViolations(admin, `wheel-editor-refusal-${lang}`);
      await shoot(admin, `wheel-editor-refusal-${lang}`);
      await admin.context().close();
      // The Teams tab opened outside Teams says so in the language asked for.
      const visitor = await (await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })).newPage();
      await visitor.goto(`/teams?lang=${lang}`);
      await visitor.waitForSelector('#teams-outside:not([hidden])');
      expect(await visitor.getAttribute('html', 'lang')).toBe(lang);
      expect(foreignWords(await visitor.content(), lang)).toEqual([]);
      await expectNoSeriousAxeViolations(visitor, `teams-${lang}`);
      await shoot(visitor, `teams-outside-${lang}`);
      await visitor.context().close();
    }
  });
});
