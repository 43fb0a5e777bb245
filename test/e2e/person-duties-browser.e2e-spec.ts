import { Browser } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectAccessible, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

// Not a title of the demo's seed wheels (whose rows per employee are duties per person too), so the row is ours.
const TITLE = 'Hygieneopplæring: håndhygiene og smittevern';

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
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  it('shows one row "1 av 2 utført" that opens to each person, accessibly', async () => {
    const anne = await signedIn(browser, base, 'Anne Avdelingsleder');
    await anne.goto(`/sjekkliste?enhet=${fjellvegen}&maned=2027-04`);
    const row = anne.locator('tr.per-person', { hasText: TITLE });
    await expect(row.count()).resolves.toBe(1);
    const people = row.locator('ul.people');
    await expect(people.isVisible()).resolves.toBe(false);
    await row.getByText('1 av 2 utført').click();
    await expect(people.isVisible()).resolves.toBe(true);
    await expect(people.locator('li', { hasText: 'Siri Ansatt' }).textContent()).resolves.toMatch(/Utført/);
    await expect(people.locator('li', { hasText: 'Per Primærkontakt' }).textContent()).resolves.toMatch(/Åpen/);

    await expectAccessible(anne, 'per-ansatt-sjekkliste');
  });
});
