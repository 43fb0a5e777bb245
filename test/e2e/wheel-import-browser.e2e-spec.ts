import { Browser, Page } from 'playwright-core';
import { closeBrowserAndApp, describeInBrowser, DESKTOP, expectAccessible, PHONE, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { seed003Docx, seed003Xlsx, SEED_003_ROWS, SEED_003_TITLE } from '../utils/seed-003-wheel';
import { startTestApp, TestApp } from '../utils/test-app';

/** The unit head brings the unit's Excel wheel in through the web page: upload, preview, choose a role, save. */
describeInBrowser('importing a wheel in the browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-05T09:00:00Z');
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  const signedInAsLeder = (width: number): Promise<Page> =>
    signedIn(browser, base, 'Lars Enhetsleder', { open: '/administrasjon', landOn: '/administrasjon', viewport: { width, height: 900 } });

  it('upload → preview of every row with its deadlines → choose the unknown role → save', async () => {
    const page = await signedInAsLeder(1280);
    await page.getByRole('link', { name: /Importer et årshjul/ }).click();
    await page.waitForURL('**/administrasjon/import');
    await expectAccessible(page, 'import-1-last-opp-1280');
    await page.getByLabel('Enheten som eier årshjulet').selectOption({ label: 'Bo og habilitering' });
    await page.getByLabel(/^Fil/).setInputFiles({ name: 'årshjul.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await seed003Xlsx() });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByRole('heading', { name: `Utkast: ${SEED_003_TITLE}` }).waitFor();

    const rows = page.locator('#rader ~ .table-scroll tbody tr');
    expect(await rows.count()).toBe(23);
    for (const row of SEED_003_ROWS) expect(await page.getByRole('cell', { name: row.title }).count()).toBeGreaterThan(0);
    // The two "frist" rows: 1 March and 1 April of the coming year; the others their month's last working day.
    const deadlinesOf = (text: string) => rows.filter({ hasText: text }).locator('td').nth(2).textContent();
    expect(await deadlinesOf('frist 1. mars')).toBe('01.03.2027');
    expect(await deadlinesOf('frist 1. april')).toBe('01.04.2027');
    expect(await deadlinesOf('Planlegg HMS-dag')).toBe('26.02.2027');
    expect(await page.getByText('1 må avklares før årshjulet kan tas i bruk').isVisible()).toBe(true);
    await expectAccessible(page, 'import-2-forhandsvis-1280');

    await page.setViewportSize(PHONE);
    await expectAccessible(page, 'import-2-forhandsvis-375');
    await page.setViewportSize(DESKTOP);

    const chooser = page.getByLabel(/Velg rolle for «Utarbeide årets plan/);
    await chooser.selectOption({ label: 'Ny rolle: fagkoordinator' });
    await page.getByRole('button', { name: 'Lagre valgte roller' }).click();
    await page.getByText('Rollene er lagret.').waitFor();
    expect(await page.getByText('Ingen må avklares.').isVisible()).toBe(true);
    await expectAccessible(page, 'import-3-lagret-1280');
    const [task] = await t.db.query(`SELECT responsible_role, review_note FROM task_definition WHERE title = $1 AND review_note IS NULL AND responsible_role = 'fagkoordinator'`, [SEED_003_ROWS[1].title]);
    expect(task).toEqual({ responsible_role: 'fagkoordinator', review_note: null });
  });

  it('a bad file is explained in Norwegian, and nothing is stored', async () => {
    const page = await signedInAsLeder(375);
    await page.goto('/administrasjon/import');
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM wheel`);
    await page.getByLabel(/^Fil/).setInputFiles({ name: 'årshjul.docx', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 3, 0, 255]) });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByRole('alert').waitFor();
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('Filen kunne ikke importeres');
    expect(alert).toContain('ikke et Excel-ark (.xlsx), et Word-dokument (.docx)');
    await expectAccessible(page, 'import-4-feil-375');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM wheel`))[0].n).toBe(before);
    // A Word document is read the same way.
    await page.getByLabel(/^Fil/).setInputFiles({ name: 'årshjul.docx', mimeType: 'application/octet-stream', buffer: await seed003Docx() });
    await page.getByRole('button', { name: 'Last opp og forhåndsvis' }).click();
    await page.getByRole('heading', { name: `Utkast: ${SEED_003_TITLE}` }).waitFor();
    // The page in English.
    await page.goto('/administrasjon/import?lang=en');
    await page.getByRole('button', { name: 'Upload and preview' }).waitFor();
    await expectAccessible(page, 'import-5-english-375');
  });
});
