import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { closeBrowserAndApp, describeInBrowser, DESKTOP, expectAccessibleAndNoSidewaysScroll, PHONE, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { startTestApp, TestApp } from '../utils/test-app';

const EXCEL_FILE = readFileSync(join(__dirname, '..', 'fixtures', 'organisation', 'fjordvik-excel-semikolon.csv'));

/** The administrator brings HR's units and people in through Administrasjon: upload, preview, import, import again. */
describeInBrowser('importing units and people in the browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-05T09:00:00Z');
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  const signedInAsAdmin = (width: number): Promise<Page> =>
    signedIn(browser, base, 'Ada Administrator', { open: '/administrasjon', landOn: '/administrasjon', viewport: { width, height: 900 } });

  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('upload → preview in tables → import → the same file again changes nothing', async () => {
    const page = await signedInAsAdmin(1280);
    await page.getByRole('link', { name: 'Importer enheter og personer fra HR (CSV)' }).click();
    await page.waitForURL('**/administrasjon/organisasjon');
    await expectAccessibleAndNoSidewaysScroll(page, 'organisasjon-1-last-opp-1280');
    const before = { units: await count('unit'), people: await count('person'), roles: await count('role_assignment') };

    await page.getByLabel(/^CSV-fil/).setInputFiles({ name: 'ansatte.csv', mimeType: 'text/csv', buffer: EXCEL_FILE });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByRole('heading', { name: 'Enheter', exact: true }).waitFor();
    // Demo kommune's units made by hand are found by name and get their codes; Fjellvegen and Sjøgata move under the new BH.
    expect(await page.getByRole('cell', { name: 'Bo- og habiliteringstjenesten' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('cell', { name: 'Kåre Ødegård' }).isVisible()).toBe(true);
    expect(await page.getByText('Ikke i filen').isVisible()).toBe(true);
    expect({ units: await count('unit'), people: await count('person'), roles: await count('role_assignment') }).toEqual(before);
    await expectAccessibleAndNoSidewaysScroll(page, 'organisasjon-2-forhandsvis-1280');
    await page.setViewportSize(PHONE);
    await expectAccessibleAndNoSidewaysScroll(page, 'organisasjon-2-forhandsvis-375');
    await page.setViewportSize(DESKTOP);

    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByText('Importert.').waitFor();
    expect(await count('person')).toBe(before.people + 5);
    expect((await t.db.query(`SELECT name FROM unit WHERE code = 'BH'`))[0].name).toBe('Bo- og habiliteringstjenesten');
    expect((await t.db.query(`SELECT p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.name = 'Avdeling Fjellvegen'`))[0].code).toBe('BH');
    await expectAccessibleAndNoSidewaysScroll(page, 'organisasjon-3-importert-1280');

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
    await expectAccessibleAndNoSidewaysScroll(page, 'organisasjon-4-feil-375');
    expect(await count('person')).toBe(before);
    // In English.
    await page.goto('/administrasjon/organisasjon?lang=en');
    await page.getByRole('button', { name: 'Upload and preview' }).waitFor();
    await expectAccessibleAndNoSidewaysScroll(page, 'organisasjon-5-english-375');
  });
});
