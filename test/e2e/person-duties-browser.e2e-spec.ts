import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// Not a title of the demo's seed wheels (whose rows per employee are duties per person too), so the row is ours.
const TITLE = 'Hygieneopplæring: håndhygiene og smittevern';

const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with: apt-get install chromium (CI does).`);

/** The manager opens a duty per employee in the month's checklist and sees each person's status. */
describeInBrowser('a duty per employee in the browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kompetanse per ansatt', kind: 'custom' });
    const task = await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({
      title: TITLE, rrule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15', startsOn: '2027-01-01', responsibleRole: 'staff', scope: 'person',
    });
    expect(task.status).toBe(201);
    await t.http.post(`/api/v1/units/${fjellvegen}/wheels`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder)).send({ wheelId: wheel.body.id, fromYear: 2027 });
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-04-10T08:00:00Z');
    const [siris] = await t.db.query(`SELECT id FROM occurrence WHERE task_id = $1 AND person_id = $2`, [task.body.id, await personId(t.db, DEMO_PEOPLE.ansatt)]);
    const signed = await t.http.post(`/api/v1/occurrences/${siris.id}/sign-offs`).set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt)).send({ outcome: 'done' });
    expect(signed.status).toBe(201);
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(name: string): Promise<Page> {
    // bypassCSP only so that the test can inject axe-core; the pages themselves carry no inline script.
    const context = await browser.newContext({ baseURL: base, bypassCSP: true, locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/oppgaver');
    await page.getByLabel(new RegExp(name)).check();
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.waitForURL('**/oppgaver');
    return page;
  }

  it('shows one row "1 av 2 utført" that opens to each person, accessibly', async () => {
    const anne = await signedIn('Anne Avdelingsleder');
    await anne.goto(`/sjekkliste?enhet=${fjellvegen}&maned=2027-04`);
    const row = anne.locator('tr.per-person', { hasText: TITLE });
    await expect(row.count()).resolves.toBe(1);
    const people = row.locator('ul.people');
    await expect(people.isVisible()).resolves.toBe(false);
    await row.getByText('1 av 2 utført').click();
    await expect(people.isVisible()).resolves.toBe(true);
    await expect(people.locator('li', { hasText: 'Siri Ansatt' }).textContent()).resolves.toMatch(/Utført/);
    await expect(people.locator('li', { hasText: 'Per Primærkontakt' }).textContent()).resolves.toMatch(/Åpen/);

    await anne.evaluate(AXE);
    const violations: Array<{ id: string; impact: string }> = await anne.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
    });
    expect(violations.filter((v) => ['serious', 'critical'].includes(v.impact))).toEqual([]);
    await anne.screenshot({ path: join(SCREENSHOTS, 'per-ansatt-sjekkliste.png'), fullPage: true });
  });
});
