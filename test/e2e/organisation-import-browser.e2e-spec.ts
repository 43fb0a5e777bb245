import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const EXCEL_FILE = readFileSync(join(__dirname, '..', 'fixtures', 'organisation', 'fjordvik-excel-semikolon.csv'));

const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with: apt-get install chromium (CI does).`);

/** The administrator brings HR's units and people in through Administrasjon: upload, preview, import, import again. */
describeInBrowser('importing units and people in the browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-05T09:00:00Z');
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

  async function signedInAsAdmin(width: number): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, bypassCSP: true, locale: 'nb-NO', viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto('/administrasjon');
    await page.getByLabel(/Ada Administrator/).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL('**/administrasjon');
    return page;
  }

  /** No serious WCAG 2.1 AA violation, no sideways scrolling, and a screenshot at this width. */
  async function expectAccessible(page: Page, name: string): Promise<void> {
    await page.evaluate(AXE);
    const violations: Array<{ id: string; impact: string }> = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3) }));
    });
    expect({ page: name, violations: violations.filter((v) => ['serious', 'critical'].includes(v.impact)) }).toEqual({ page: name, violations: [] });
    expect({ page: name, sideways: await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) }).toEqual({ page: name, sideways: 0 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('upload → preview in tables → import → the same file again changes nothing', async () => {
    const page = await signedInAsAdmin(1280);
    await page.getByRole('link', { name: 'Importer enheter og personer fra HR (CSV)' }).click();
    await page.waitForURL('**/administrasjon/organisasjon');
    await expectAccessible(page, 'organisasjon-1-last-opp-1280');
    const before = { units: await count('unit'), people: await count('person'), roles: await count('role_assignment') };

    await page.getByLabel(/^CSV-fil/).setInputFiles({ name: 'ansatte.csv', mimeType: 'text/csv', buffer: EXCEL_FILE });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByRole('heading', { name: 'Enheter', exact: true }).waitFor();
    // Demo kommune's units made by hand are found by name and get their codes; Fjellvegen and Sjøgata move under the new BH.
    expect(await page.getByRole('cell', { name: 'Bo- og habiliteringstjenesten' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('cell', { name: 'Kåre Ødegård' }).isVisible()).toBe(true);
    expect(await page.getByText('Ikke i filen').isVisible()).toBe(true);
    expect({ units: await count('unit'), people: await count('person'), roles: await count('role_assignment') }).toEqual(before);
    await expectAccessible(page, 'organisasjon-2-forhandsvis-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    await expectAccessible(page, 'organisasjon-2-forhandsvis-375');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByText('Importert.').waitFor();
    expect(await count('person')).toBe(before.people + 5);
    expect((await t.db.query(`SELECT name FROM unit WHERE code = 'BH'`))[0].name).toBe('Bo- og habiliteringstjenesten');
    expect((await t.db.query(`SELECT p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.name = 'Avdeling Fjellvegen'`))[0].code).toBe('BH');
    await expectAccessible(page, 'organisasjon-3-importert-1280');

    const after = { units: await count('unit'), people: await count('person'), roles: await count('role_assignment'), audit: await count('audit_log') };
    await page.goto('/administrasjon/organisasjon');
    await page.getByLabel(/^CSV-fil/).setInputFiles({ name: 'ansatte.csv', mimeType: 'text/csv', buffer: EXCEL_FILE });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByText('Ingenting å endre: enhetene og personene stemmer allerede med filen.').waitFor();
    expect(await page.getByRole('button', { name: 'Importer', exact: true }).count()).toBe(0);
    expect({ units: await count('unit'), people: await count('person'), roles: await count('role_assignment'), audit: await count('audit_log') }).toEqual(after);
  });

  it('a file with problems is shown row by row at 375 px, cannot be imported, and stores nothing', async () => {
    const page = await signedInAsAdmin(375);
    await page.goto('/administrasjon/organisasjon');
    const before = await count('person');
    const bad = Buffer.from('Enhetskode;Enhet;Overordnet enhet;Navn;E-post;Rolle\r\nNY;Ny enhet;FINNES-IKKE;;;\r\nNY;Ny enhet;FINNES-IKKE;Kari 15076500565;kari@demo.kommune.no;sjef\r\n', 'utf-8');
    await page.getByLabel(/^CSV-fil/).setInputFiles({ name: 'feil.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByRole('heading', { name: /Feil i filen/ }).waitFor();
    const problems = await page.locator('#problemer ~ .table-scroll tbody tr').allTextContents();
    expect(problems.join('\n')).toContain('Overordnet enhet');
    expect(problems.join('\n')).toContain('fødselsnummer');
    expect(await page.content()).not.toContain('15076500565');
    expect(await page.getByRole('button', { name: 'Importer', exact: true }).count()).toBe(0);
    await expectAccessible(page, 'organisasjon-4-feil-375');
    expect(await count('person')).toBe(before);
    // In English.
    await page.goto('/administrasjon/organisasjon?lang=en');
    await page.getByRole('button', { name: 'Upload and preview' }).waitFor();
    await expectAccessible(page, 'organisasjon-5-english-375');
  });
});
