import { Browser } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectAccessibleOnDesktopAndPhone, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describeInBrowser('the wheel editor in a real browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let wheel: string;
  let flagged: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    const leder = await t.bearer(DEMO_PEOPLE.leder);
    const bo = await unitId(t.db, 'Bo og habilitering');
    // A draft as the import leaves it: rows under their months, one whose Ansvar was not understood.
    wheel = (await t.http.post('/api/v1/wheels').set('Authorization', leder).send({ name: 'Årshjul for ledere — Bo og habilitering', kind: 'manager', ownerUnitId: bo })).body.id;
    const rows = [
      { title: 'Heng opp informasjon om sommerpuljer (når delestrek er avklart)', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31', storedIn: 'Teams' },
      { title: 'Ansatte registrerer ferieønsker i VFR, frist 1. mars', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', storedIn: 'VFR', legalBasis: 'Ferieloven § 6' },
      { title: 'Ressursfordelingskartlegging', rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31', reviewNote: 'Ansvar «Ressursfordelingsteam» er ikke en rolle i kommunen' },
    ];
    for (const row of rows) {
      const res = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', leder).send({ ...row, startsOn: '2027-01-01', responsibleRole: 'manager', deadlineShift: 'previous' });
      expect(res.status).toBe(201);
      if (row.reviewNote) flagged = res.body.id;
    }
    await t.db.query(`UPDATE task_definition SET source_month = 1, source_line = 7, responsible_text = 'Ressursfordelingsteam' WHERE id = $1`, [flagged]);
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  it('the manager opens her draft, changes a row, previews its deadlines, resolves it and publishes the wheel', async () => {
    const page = await signedIn(browser, base, 'Lars Enhetsleder', { open: '/logg-inn' });

    // From Administrasjon to the wheels she may shape.
    await page.goto('/administrasjon');
    await page.getByRole('link', { name: /Forme årshjul/ }).click();
    await page.waitForURL('**/administrasjon/arshjul');
    expect(await page.locator('#utkast ~ ul').textContent()).toContain('1 må sees på');
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-1-arshjulene');

    // Her draft: rows under their months, the one to be looked at marked in words.
    await page.getByRole('link', { name: 'Åpne «Årshjul for ledere — Bo og habilitering»' }).click();
    await page.waitForURL(`**/administrasjon/arshjul/${wheel}`);
    expect(await page.locator('main h2').allTextContents()).toEqual(expect.arrayContaining(['Publiser', 'Januar', 'Mars']));
    const row = page.locator(`#rad-${flagged}`);
    expect(await row.textContent()).toContain('Må sees på (linje 7): Ansvar «Ressursfordelingsteam» er ikke en rolle i kommunen');
    expect(await page.locator('article', { hasText: 'frist 1. mars' }).textContent()).toContain('01.03.2027');
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-2-utkast');

    // She describes the wheel.
    await page.getByText('Navn og beskrivelse', { exact: true }).click();
    await page.locator('#hjul-beskrivelse').fill('Lederoppgaver i Bo og habilitering, måned for måned');
    await page.getByRole('button', { name: 'Lagre navn og beskrivelse' }).click();
    await page.waitForURL(/melding=lagret/);
    expect((await t.db.query(`SELECT description FROM wheel WHERE id = $1`, [wheel]))[0].description).toBe('Lederoppgaver i Bo og habilitering, måned for måned');

    // Publishing is refused while the row must be looked at.
    await page.getByRole('button', { name: 'Publiser' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain('Ressursfordelingskartlegging');

    // She moves the row to ISO week 47, previews, marks it looked at, and saves.
    await page.getByRole('link', { name: 'Endre «Ressursfordelingskartlegging»' }).click();
    const form = page.locator('#rad-skjema');
    await form.getByLabel('Gjentas', { exact: true }).selectOption('iso-week');
    await form.getByLabel('Uke (1–53)').fill('47');
    await form.getByLabel('Lagres').fill('Compilo');
    await form.getByRole('button', { name: 'Forhåndsvis fristene' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Frister i 2027: 22.11.2027');
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-3-rad-forhandsvist');
    await page.locator('#rad-skjema').getByLabel(/Raden er sett på/).check();
    await page.locator('#rad-skjema').getByRole('button', { name: 'Lagre raden' }).click();
    await page.waitForURL(/melding=lagret/);
    const saved = page.locator(`#rad-${flagged}`);
    expect(await saved.textContent()).not.toContain('Må sees på');
    expect(await saved.textContent()).toContain('22.11.2027');
    expect(await page.locator('#maned-11').textContent()).toContain('November');

    await page.getByRole('button', { name: 'Publiser' }).click();
    await page.waitForURL(/melding=publisert/);
    expect(await page.getByRole('status').textContent()).toBe('Årshjulet er publisert og i bruk.');
    expect(await page.getByRole('button', { name: 'Start et nytt utkast' }).count()).toBe(1);
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-4-publisert');
    const [stored] = await t.db.query(`SELECT w.status, t.rrule, t.review_note, t.stored_in FROM wheel w JOIN task_definition t ON t.wheel_id = w.id WHERE t.id = $1`, [flagged]);
    expect(stored).toEqual({ status: 'active', rrule: 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', review_note: null, stored_in: 'Compilo' });

    // In use for the whole service; then Avdeling Fjellvegen switches the new row off for itself, and on again.
    const bo = await unitId(t.db, 'Bo og habilitering');
    const assigned = await t.http.post(`/api/v1/units/${bo}/wheels`).set('Authorization', await t.bearer(DEMO_PEOPLE.leder)).send({ wheelId: wheel, fromYear: 2027 });
    expect(assigned.status).toBe(201);
    await page.goto(`/administrasjon/fravalg?enhet=${await unitId(t.db, 'Avdeling Fjellvegen')}`);
    await page.getByLabel('Oppgave', { exact: true }).selectOption({ label: 'Ressursfordelingskartlegging' });
    await page.getByLabel(/Begrunnelse/).fill('Gjøres sentralt av Bo og habilitering');
    await page.getByLabel('Fra', { exact: true }).fill('2027-03-01');
    await page.getByRole('button', { name: 'Slå av oppgaven' }).click();
    const listed = page.locator('#slatt-av ~ .scroll table tbody tr', { hasText: 'Ressursfordelingskartlegging' });
    expect(await listed.textContent()).toContain('Gjøres sentralt av Bo og habilitering');
    expect(await listed.textContent()).toContain('01.03.2027');
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-5-fravalg');
    await listed.getByLabel('På igjen fra').fill('2027-06-01');
    await listed.getByRole('button', { name: /Slå på igjen/ }).click();
    await page.waitForURL(/fravalg\?enhet=/);
    const [optOut] = await t.db.query(`SELECT reason, from_date, ended_on FROM task_opt_out WHERE task_id = $1`, [flagged]);
    expect(optOut).toEqual({ reason: 'Gjøres sentralt av Bo og habilitering', from_date: '2027-03-01', ended_on: '2027-06-01' });
  });
});
