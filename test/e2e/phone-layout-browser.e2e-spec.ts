import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { ARTIFACTS, closeBrowserAndApp, describeInBrowser, layoutProblems, openPage, PHONE, problemsOnDesktopAndPhone, screenshot, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { seed003Xlsx } from '../utils/seed-003-wheel';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Every page on a phone (375 × 800) and a desktop (1280 × 900), signed in as each demo persona with a
 * year of tasks and some of them signed: no sideways scrolling, no axe-core violations, every target at
 * least 44 × 44 px, and a focus ring that stands out (≥ 3:1) against what it sits on. Screenshots of each.
 */
describeInBrowser('the web app on a phone', () => {
  jest.setTimeout(600_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;
  let boOgHabilitering: string;
  let signedTask: string;
  let openTask: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-20T09:00:00Z');
    // Per signs some of February's tasks, so that pages show records, «Utført» and comments.
    const per = await t.bearer(DEMO_PEOPLE.primaer);
    const february: Array<{ id: string }> = await t.db.query(
      `SELECT o.id FROM occurrence o WHERE o.unit_id = $1 AND o.deadline BETWEEN '2027-02-01' AND '2027-02-28' ORDER BY o.deadline, o.id`,
      [fjellvegen],
    );
    const signed: string[] = [];
    for (const { id } of february) {
      if (signed.length === 3) {
        openTask = id;
        break;
      }
      const res = await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', per)
        .send({ outcome: 'done', comment: 'Gjennomført, lagret i https://sak.demo.kommune.no/arkiv/2027/02/journalpost-0123456789abcdef0123456789abcdef' });
      if (res.status === 201) signed.push(id);
    }
    expect(signed.length).toBe(3);
    signedTask = signed[0];
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  const visitor = (): Promise<Page> => openPage(browser, base);

  const signedInAs = (name: string): Promise<Page> => signedIn(browser, base, name, { open: '/logg-inn' });

  /** What the page gets wrong at the width it is shown at (sideways, axe-core, small targets); empty when all is well. */
  async function problemsAt(page: Page, name: string, width: number): Promise<unknown[]> {
    const problems = await layoutProblems(page);

    // Targets: the box one taps. A checkbox or radio button is tapped through its label. Links inside a
    // sentence are exempt (WCAG 2.5.8's inline exception): their height is the line's; so are the wheel's dots (below).
    const small = await page.evaluate(() => {
      const out: string[] = [];
      const hidden = (el: Element) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width <= 1 || r.height <= 1 || s.visibility === 'hidden' || r.right <= 0 || r.bottom <= 0;
      };
      for (const el of Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))) {
        let target: Element = el;
        if (el.matches('input[type=checkbox], input[type=radio]')) target = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null) ?? el;
        if (el.matches('a') && el.closest('p')) continue;
        // The wheel's dots are shortcuts in a picture of 165 deadlines: each month segment (a large link) lists
        // that month's tasks beside the wheel as full-size links — WCAG 2.5.8's "equivalent control" exception.
        if (el.matches('svg a.dot') && document.getElementById('maneden')) continue;
        if (hidden(target) && hidden(el)) continue;
        const r = target.getBoundingClientRect();
        if (r.width < 43.5 || r.height < 43.5) out.push(`${el.tagName.toLowerCase()} «${(el.textContent ?? '').trim().slice(0, 30)}» ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
      return out;
    });
    if (small.length) problems.push({ small: small.slice(0, 10), count: small.length });
    await screenshot(page, `phone-${name}-${width}`);
    return problems;
  }

  /** Visits a page at both widths and collects what is wrong, by page and width. */
  const visit = (page: Page, name: string, path: string, status = 200): Promise<Record<string, unknown[]>> =>
    problemsOnDesktopAndPhone(page, name, path, (width) => problemsAt(page, name, width), status);

  it('every page, as each persona, fits a phone and a desktop, with large targets and no axe violations', async () => {
    const found: Record<string, unknown[]> = {};
    try {
    const anonymous = await visitor();
    Object.assign(found, await visit(anonymous, 'logg-inn', '/logg-inn'));

    const per = await signedInAs('Per Primærkontakt');
    Object.assign(found, await visit(per, 'oppgaver', '/oppgaver'));
    Object.assign(found, await visit(per, 'oppgave-signert', `/oppgaver/${signedTask}`));
    Object.assign(found, await visit(per, 'oppgave-apen', `/oppgaver/${openTask}`));
    Object.assign(found, await visit(per, 'kalender', '/kalender'));
    Object.assign(found, await visit(per, 'feil-403', '/internkontroll', 403));
    Object.assign(found, await visit(per, 'feil-404', '/oppgaver/00000000-0000-4000-8000-000000000000', 404));

    const anne = await signedInAs('Anne Avdelingsleder');
    Object.assign(found, await visit(anne, 'sjekkliste', `/sjekkliste?enhet=${fjellvegen}&maned=2027-02`));
    Object.assign(found, await visit(anne, 'arshjul', `/arshjul?enhet=${fjellvegen}&ar=2027`));

    const lars = await signedInAs('Lars Enhetsleder');
    Object.assign(found, await visit(lars, 'sjekkliste-underenheter', `/sjekkliste?enhet=${boOgHabilitering}&maned=2027-02&underenheter=1`));
    Object.assign(found, await visit(lars, 'administrasjon', '/administrasjon'));
    Object.assign(found, await visit(lars, 'administrasjon-fravalg', '/administrasjon/fravalg'));
    Object.assign(found, await visit(lars, 'import', '/administrasjon/import'));
    await lars.getByLabel('Enheten som eier årshjulet').selectOption({ label: 'Bo og habilitering' });
    await lars.getByLabel(/^Fil/).setInputFiles({ name: 'årshjul.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await seed003Xlsx() });
    await lars.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await lars.getByRole('heading', { name: /^Utkast:/ }).waitFor();
    const [draft] = await t.db.query(`SELECT id FROM wheel WHERE status = 'draft' ORDER BY created_at DESC LIMIT 1`);
    Object.assign(found, await visit(lars, 'import-forhandsvis', `/administrasjon/import/${draft.id}`));
    // The imported draft is the unit's own wheel to shape.
    Object.assign(found, await visit(lars, 'administrasjon-arshjul', '/administrasjon/arshjul'));
    const wheel = await lars.locator('main a[href^="/administrasjon/arshjul/"]').first().getAttribute('href');
    Object.assign(found, await visit(lars, 'administrasjon-arshjul-rediger', wheel!));
    Object.assign(found, await visit(lars, 'administrasjon-arshjul-ny-rad', `${wheel!}?rad=ny#rad-skjema`));
    Object.assign(found, await visit(lars, 'tjenestemottakere', '/administrasjon/tjenestemottakere'));
    const recipient = await lars.locator('main a[href^="/administrasjon/tjenestemottakere/"]').first().getAttribute('href');
    Object.assign(found, await visit(lars, 'tjenestemottaker', recipient!));

    const kari = await signedInAs('Kari Kvalitetsrådgiver');
    Object.assign(found, await visit(kari, 'internkontroll', `/internkontroll?enhet=${fjellvegen}&ar=2027`));

    const ada = await signedInAs('Ada Administrator');
    Object.assign(found, await visit(ada, 'administrasjon-admin', '/administrasjon'));
    Object.assign(found, await visit(ada, 'organisasjon-import', '/administrasjon/organisasjon'));
    // A wheel in use with all its rows.
    await ada.goto('/administrasjon/arshjul');
    const inUse = await ada.locator('section[aria-labelledby="i-bruk"] a[href^="/administrasjon/arshjul/"]').first().getAttribute('href');
    Object.assign(found, await visit(ada, 'administrasjon-arshjul-i-bruk', inUse!));
    Object.assign(found, await visit(ada, 'oppgaver-english', '/oppgaver?lang=en'));

    } finally {
      writeFileSync(join(ARTIFACTS, 'phone-layout-problems.json'), JSON.stringify(found, null, 2));
    }
    expect(found).toEqual({});
  });

  it('the focus ring stands out (≥ 3:1) against whatever it sits on: the blue header, the page, a card, a button', async () => {
    const lars = await signedInAs('Lars Enhetsleder');
    await lars.setViewportSize(PHONE);
    await lars.goto(`/sjekkliste?enhet=${boOgHabilitering}&maned=2027-02&underenheter=1`);
    const rings: Array<{ what: string; background: string; ring: number; width: number }> = [];
    for (let i = 0; i < 14; i++) {
      await lars.keyboard.press('Tab');
      rings.push(
        await lars.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? ['255', '255', '255', '0']).map(Number);
          const luminance = ([r, g, b]: number[]) =>
            [r, g, b].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, v, k) => sum + v * [0.2126, 0.7152, 0.0722][k], 0);
          const contrast = (a: number[], b: number[]) => {
            const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
            return (x + 0.05) / (y + 0.05);
          };
          // The ring sits outside the element: on the first ancestor that paints a background.
          let background = [255, 255, 255];
          for (let node = el.parentElement; node; node = node.parentElement) {
            const c = rgb(getComputedStyle(node).backgroundColor);
            if (c.length < 4 || c[3] > 0) {
              background = c.slice(0, 3);
              break;
            }
          }
          const style = getComputedStyle(el);
          const outline = rgb(style.outlineColor);
          const shadow = rgb(style.boxShadow.match(/rgba?\([^)]*\)/)?.[0] ?? style.outlineColor);
          return {
            what: `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''} «${(el.textContent ?? '').trim().slice(0, 25)}» ${el.matches(':focus-visible')}`,
            background: `rgb(${background.join(', ')})`,
            ring: Math.round(Math.max(contrast(outline, background), contrast(shadow, background)) * 10) / 10,
            width: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
          };
        }),
      );
    }
    // The header (blue), the page (grey) and white cards are all among them.
    const backgrounds = new Set(rings.map((r) => r.background));
    expect(backgrounds.has('rgb(31, 92, 153)')).toBe(true); // the header
    expect(backgrounds.size).toBeGreaterThanOrEqual(2);
    for (const r of rings) expect({ ...r, ok: r.ring >= 3 && r.width >= 3 }).toEqual({ ...r, ok: true });
  });

  it('a favicon: linked from every page, and /favicon.ico is an image rather than a 404 page', async () => {
    const ico = await t.http.get('/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toMatch(/^image\//);
    const svg = await t.http.get('/assets/favicon.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const signIn = await t.http.get('/logg-inn');
    expect(signIn.text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });
});
