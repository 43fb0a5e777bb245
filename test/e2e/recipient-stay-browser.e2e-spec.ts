import { Browser, Page, Response } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { closeBrowserAndApp, describeInBrowser, expectAccessibleOnDesktopAndPhone, serveAndLaunchChromium, signedIn } from '../utils/browser';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 14 in the web app: a manager manages a recipient's stay (leaving, moving, named dates) under
 * Administrasjon › Tjenestemottakere; the wheel editor makes rows counted from the stay, from a named date and
 * from the last completion; an imported row for «Alle ansatte» is a duty per employee. Bad input on every
 * form is answered on the page in Norwegian and changes nothing.
 */
describeInBrowser("a recipient's stay, and rows that follow it, in a real browser", () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;
  let sjogata: string;
  let bo: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    sjogata = await unitId(t.db, 'Avdeling Sjøgata');
    bo = await unitId(t.db, 'Bo og habilitering');
    const made = await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    expect(made.status).toBe(200);
    t.clock.set('2027-03-01T08:00:00Z');
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  /** Clicks a submit button and answers the response to the form's POST. */
  async function submit(page: Page, button: ReturnType<Page['getByRole']>): Promise<Response> {
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), button.click()]);
    await page.waitForLoadState();
    return response;
  }

  const recipient = async (code: string) => (await t.db.query(`SELECT id, unit_id, active_to, named_dates FROM recipient WHERE code = $1`, [code]))[0];
  const occurrences = (id: string) =>
    t.db.query(`SELECT deadline, unit_id, cancelled_at IS NOT NULL AS cancelled FROM occurrence WHERE recipient_id = $1 ORDER BY deadline, unit_id, cancelled`, [id]);

  it('a manager sets a leaving date of 15 June and sees the later occurrences cancelled; a named date; bad input changes nothing', async () => {
    const page = await signedIn(browser, base, 'Lars Enhetsleder', { open: '/logg-inn' });
    await page.goto('/administrasjon');
    await page.getByRole('link', { name: /Tjenestemottakere: utflytting, flytting og datoer/ }).click();
    await page.waitForURL(`**/administrasjon/tjenestemottakere?enhet=${fjellvegen}`);
    const list = await page.locator('#mottakere ~ table').textContent();
    expect(list).toContain('FJV-001');
    expect(list).toContain('FJV-010');
    expect(list).toContain('01.01.2026');
    // Showing the codes is a read of recipients' data, in the access log like the API's.
    const [logged] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /administrasjon/tjenestemottakere' ORDER BY at DESC LIMIT 1`);
    expect(logged.recipient_codes).toContain('FJV-003');
    await expectAccessibleOnDesktopAndPhone(page, 'tjenestemottakere-1-liste');

    await page.getByRole('link', { name: 'Opphold og datoer for FJV-003' }).click();
    const fjv3 = await recipient('FJV-003');
    await page.waitForURL(`**/administrasjon/tjenestemottakere/${fjv3.id}`);
    const before = await occurrences(fjv3.id);
    expect(before.some((o: { deadline: string }) => o.deadline > '2027-06-15')).toBe(true);

    // Leaving before they came: refused on the page, in Norwegian, and nothing changes.
    await page.getByLabel('Utflyttingsdato').fill('2025-06-15');
    const refused = await submit(page, page.getByRole('button', { name: 'Lagre utflyttingsdato' }));
    expect(refused.status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toBe('Ikke lagret: Utflyttingsdatoen kan ikke være før innflyttingsdagen 01.01.2026.');
    expect((await recipient('FJV-003')).active_to).toBeNull();
    expect(await occurrences(fjv3.id)).toEqual(before);

    await page.getByLabel('Utflyttingsdato').fill('2027-06-15');
    await submit(page, page.getByRole('button', { name: 'Lagre utflyttingsdato' }));
    await page.waitForURL(/melding=lagret/);
    expect(await page.getByRole('status').textContent()).toBe('Lagret.');
    expect((await recipient('FJV-003')).active_to).toBe('2027-06-15');
    // On the page: everything due by 15 June stands, everything after it is cancelled.
    const rows = await page.locator('#oppgaver ~ table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())),
    );
    const iso = (d: string) => d.split('.').reverse().join('-');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.filter(([, , deadline]) => iso(deadline) > '2027-06-15').every(([, , , status]) => status === 'Avlyst')).toBe(true);
    expect(rows.filter(([, , deadline]) => iso(deadline) <= '2027-06-15').some(([, , , status]) => status !== 'Avlyst')).toBe(true);
    expect(rows.filter(([, , deadline]) => iso(deadline) <= '2027-06-15').every(([, , , status]) => status !== 'Avlyst')).toBe(true);
    const after = await occurrences(fjv3.id);
    expect(after.filter((o: { deadline: string; cancelled: boolean }) => o.deadline > '2027-06-15' && !o.cancelled)).toEqual([]);
    expect(after.filter((o: { deadline: string; cancelled: boolean }) => o.deadline <= '2027-06-15' && !o.cancelled).length).toBeGreaterThan(0);
    await expectAccessibleOnDesktopAndPhone(page, 'tjenestemottakere-2-utflytting');

    // A named date: a name without a date is refused and nothing is stored; then «vedtak kap. 9» of 15 January.
    await page.getByLabel(/Navn på ny dato/).fill('vedtak kap. 9');
    const noDate = await submit(page, page.getByRole('button', { name: 'Lagre datoene' }));
    expect(noDate.status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toBe('Ikke lagret: Skriv både navnet på datoen og datoen, for eksempel «vedtak kap. 9» og 15.01.2027.');
    expect((await recipient('FJV-003')).named_dates).toEqual({});
    await page.getByLabel(/Navn på ny dato/).fill('vedtak kap. 9 for 15076500565');
    await page.getByLabel('Dato for ny dato').fill('2027-01-15');
    expect((await submit(page, page.getByRole('button', { name: 'Lagre datoene' }))).status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toContain('uten fødselsnummer');
    expect((await recipient('FJV-003')).named_dates).toEqual({});
    await page.getByLabel(/Navn på ny dato/).fill('vedtak kap. 9');
    await page.getByLabel('Dato for ny dato').fill('2027-01-15');
    await submit(page, page.getByRole('button', { name: 'Lagre datoene' }));
    await page.waitForURL(/melding=lagret/);
    expect((await recipient('FJV-003')).named_dates).toEqual({ 'vedtak kap. 9': '2027-01-15' });
    expect(await page.getByLabel('Dato for «vedtak kap. 9»').inputValue()).toBe('2027-01-15');
    await expectAccessibleOnDesktopAndPhone(page, 'tjenestemottakere-3-datoer');

    // Clearing the leaving date brings the cancelled ones back.
    await submit(page, page.getByRole('button', { name: 'Fjern utflyttingsdatoen' }));
    await page.waitForURL(/melding=lagret/);
    expect((await recipient('FJV-003')).active_to).toBeNull();
    expect((await occurrences(fjv3.id)).filter((o: { deadline: string; cancelled: boolean }) => o.deadline > '2027-06-15' && !o.cancelled).length).toBeGreaterThan(0);
  });

  it('a manager moves a recipient to Avdeling Sjøgata from 1 April with a new primary contact; the history stays', async () => {
    const page = await signedIn(browser, base, 'Lars Enhetsleder', { open: '/logg-inn' });
    const fjv4 = await recipient('FJV-004');
    await page.goto(`/administrasjon/tjenestemottakere/${fjv4.id}`);
    const before = await occurrences(fjv4.id);

    // A move dated before the current stay began: refused in Norwegian, nothing moved.
    await page.getByLabel('Ny enhet').selectOption({ label: 'Avdeling Sjøgata' });
    await page.getByLabel('Bor i den nye enheten fra og med').fill('2025-12-01');
    const refused = await submit(page, page.getByRole('button', { name: 'Flytt', exact: true }));
    expect(refused.status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toBe('Ikke lagret: Flyttedatoen må være etter at det nåværende oppholdet begynte (01.01.2026).');
    expect((await recipient('FJV-004')).unit_id).toBe(fjellvegen);
    expect(await occurrences(fjv4.id)).toEqual(before);
    expect(await page.getByLabel('Ny enhet').inputValue()).toBe(sjogata);

    await page.getByLabel('Bor i den nye enheten fra og med').fill('2027-04-01');
    await page.getByLabel(/Siri Ansatt/).check();
    await expectAccessibleOnDesktopAndPhone(page, 'tjenestemottakere-4-flytt');
    await submit(page, page.getByRole('button', { name: 'Flytt', exact: true }));
    await page.waitForURL(/melding=flyttet/);
    expect(await page.getByRole('status').textContent()).toBe('Tjenestemottakeren er flyttet.');
    const stays = await page.locator('#opphold ~ table tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim()).join(' | ')));
    expect(stays).toEqual(['Avdeling Fjellvegen | 01.01.2026 | 31.03.2027', 'Avdeling Sjøgata | 01.04.2027 | fortsatt']);
    expect(await page.locator('#opphold ~ p').textContent()).toContain('Siri Ansatt');

    const moved = await recipient('FJV-004');
    expect(moved.unit_id).toBe(sjogata);
    const after: Array<{ deadline: string; unit_id: string; cancelled: boolean }> = await occurrences(fjv4.id);
    // Before 1 April: where they were. From 1 April: in Sjøgata (those in Fjellvegen cancelled).
    expect(after.filter((o) => o.deadline < '2027-04-01' && !o.cancelled).every((o) => o.unit_id === fjellvegen)).toBe(true);
    expect(after.filter((o) => o.deadline >= '2027-04-01' && !o.cancelled).every((o) => o.unit_id === sjogata)).toBe(true);
    expect(after.filter((o) => o.deadline >= '2027-04-01' && !o.cancelled).length).toBeGreaterThan(0);
    const rows = await page.locator('#oppgaver ~ table tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('Avdeling Sjøgata'))).toBe(true);
    expect(rows.some((r) => r.includes('Avdeling Fjellvegen') && r.includes('Avlyst'))).toBe(true);
    const [owner] = await t.db.query(
      `SELECT p.display_name FROM occurrence o JOIN occurrence_owner oo ON oo.occurrence_id = o.id JOIN person p ON p.id = oo.person_id
        WHERE o.recipient_id = $1 AND o.unit_id = $2 AND o.cancelled_at IS NULL LIMIT 1`,
      [fjv4.id, sjogata],
    );
    expect(owner.display_name).toBe('Siri Ansatt');
  });

  it('the wheel editor makes rows counted from the stay, from a named date and from the last completion, and the API has them', async () => {
    const leder = await t.bearer(DEMO_PEOPLE.leder);
    const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', leder).send({ name: 'Primærkontakt: opphold', kind: 'primary_contact', ownerUnitId: bo })).body.id as string;
    const page = await signedIn(browser, base, 'Lars Enhetsleder', { open: '/logg-inn' });
    await page.goto(`/administrasjon/arshjul/${wheel}?rad=ny#rad-skjema`);
    const form = () => page.locator('#rad-skjema');

    // «4 uker etter innflytting» for the unit as a whole: refused, in words, and nothing stored.
    await form().getByLabel('Oppgave', { exact: true }).fill('Tjenesteplan innen 4 uker etter innflytting');
    await form().getByLabel('Ansvar', { exact: true }).selectOption('primary_contact');
    await form().getByLabel('Gjentas', { exact: true }).selectOption('stay-relative');
    await form().getByLabel('Regnet fra').selectOption('activeFrom');
    await form().getByLabel(/Antall \(n\)/).fill('4');
    await form().getByLabel('Tidsenhet').selectOption('W');
    const refused = await submit(page, form().getByRole('button', { name: 'Legg til raden' }));
    expect(refused.status()).toBe(422);
    expect(await form().getByRole('alert').textContent()).toBe('En frist regnet fra oppholdet eller fra en dato hos tjenestemottakeren gjelder hver tjenestemottaker: velg omfang «Én per tjenestemottaker».');
    expect(await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1`, [wheel])).toEqual([]);

    // Two years after moving in is longer than a stay offset may be: refused by the builder.
    await form().getByLabel('Omfang').selectOption('recipient');
    await form().getByLabel(/Antall \(n\)/).fill('2');
    await form().getByLabel('Tidsenhet').selectOption('Y');
    expect((await submit(page, form().getByRole('button', { name: 'Legg til raden' }))).status()).toBe(422);
    expect(await form().getByRole('alert').textContent()).toContain('høyst ett år');
    expect(await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1`, [wheel])).toEqual([]);

    await form().getByLabel(/Antall \(n\)/).fill('4');
    await form().getByLabel('Tidsenhet').selectOption('W');
    await submit(page, form().getByRole('button', { name: 'Forhåndsvis fristene' }));
    expect(await form().getByRole('status').textContent()).toContain('fristen er 4 uker etter innflytting for hver tjenestemottaker');
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-opphold-1-forhandsvist');
    await submit(page, form().getByRole('button', { name: 'Legg til raden' }));
    await page.waitForURL(/melding=lagret/);

    // «Sluttsamtale ved utflytting»: the day itself.
    await page.goto(`/administrasjon/arshjul/${wheel}?rad=ny#rad-skjema`);
    await form().getByLabel('Oppgave', { exact: true }).fill('Sluttsamtale/overføringsnotat ved utflytting');
    await form().getByLabel('Ansvar', { exact: true }).selectOption('primary_contact');
    await form().getByLabel('Omfang').selectOption('recipient');
    await form().getByLabel('Gjentas', { exact: true }).selectOption('stay-relative');
    await form().getByLabel('Regnet fra').selectOption('activeTo');
    await form().getByLabel(/Antall \(n\)/).fill('0');
    await submit(page, form().getByRole('button', { name: 'Legg til raden' }));
    await page.waitForURL(/melding=lagret/);

    // «6 måneder etter forrige gjennomføring», first due 10 March 2027.
    await page.goto(`/administrasjon/arshjul/${wheel}?rad=ny#rad-skjema`);
    await form().getByLabel('Oppgave', { exact: true }).fill('Gjennomgang av tiltaksplan');
    await form().getByLabel('Omfang').selectOption('recipient');
    await form().getByLabel('Ansvar', { exact: true }).selectOption('primary_contact');
    await form().getByLabel('Gjentas', { exact: true }).selectOption('after-completion');
    await form().getByLabel(/Antall \(n\)/).fill('6');
    await form().getByLabel('Måned (1–12)').fill('3');
    await form().getByLabel('Dag (1–31, –1 = siste)').fill('10');
    await form().getByLabel('Startår').fill('2027');
    await submit(page, form().getByRole('button', { name: 'Legg til raden' }));
    await page.waitForURL(/melding=lagret/);

    // «1 år etter vedtak kap. 9»: a name is needed, then saved.
    await page.goto(`/administrasjon/arshjul/${wheel}?rad=ny#rad-skjema`);
    await form().getByLabel('Oppgave', { exact: true }).fill('Fornye vedtak etter kap. 9');
    await form().getByLabel('Omfang').selectOption('recipient');
    await form().getByLabel('Ansvar', { exact: true }).selectOption('manager');
    await form().getByLabel('Gjentas', { exact: true }).selectOption('after-date');
    await form().getByLabel(/Antall \(n\)/).fill('1');
    await form().getByLabel('Tidsenhet').selectOption('Y');
    expect((await submit(page, form().getByRole('button', { name: 'Legg til raden' }))).status()).toBe(422);
    expect(await form().getByRole('alert').textContent()).toContain('navnet på datoen hos tjenestemottakeren');
    await form().getByLabel(/Dato hos tjenestemottakeren/).fill('vedtak kap. 9');
    await submit(page, form().getByRole('button', { name: 'Forhåndsvis fristene' }));
    expect(await form().getByRole('status').textContent()).toContain('1 år etter datoen «vedtak kap. 9»');
    await submit(page, form().getByRole('button', { name: 'Legg til raden' }));
    await page.waitForURL(/melding=lagret/);
    expect(await page.locator('article', { hasText: 'Fornye vedtak etter kap. 9' }).textContent()).toContain('etter «vedtak kap. 9», deretter etter forrige gjennomføring');
    expect(await page.locator('article', { hasText: 'Sluttsamtale' }).textContent()).toContain('ved utflytting');
    await expectAccessibleOnDesktopAndPhone(page, 'hjulredigering-opphold-2-rader');

    const tasks = await t.http.get(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', leder);
    expect(tasks.status).toBe(200);
    const byTitle = (title: string) => tasks.body.find((x: { title: string }) => x.title === title);
    expect(byTitle('Tjenesteplan innen 4 uker etter innflytting')).toMatchObject({ rrule: null, relativeTo: 'activeFrom', offset: 'P4W', repeatAfterCompletion: null, scope: 'recipient', responsibleRole: 'primary_contact' });
    expect(byTitle('Sluttsamtale/overføringsnotat ved utflytting')).toMatchObject({ rrule: null, relativeTo: 'activeTo', offset: 'P0D', scope: 'recipient' });
    expect(byTitle('Gjennomgang av tiltaksplan')).toMatchObject({ rrule: null, repeatAfterCompletion: 'P6M', startsOn: '2027-03-10', relativeTo: null });
    expect(byTitle('Fornye vedtak etter kap. 9')).toMatchObject({ rrule: null, repeatAfterCompletion: 'P1Y', repeatAfterDate: 'vedtak kap. 9', relativeTo: null, scope: 'recipient' });

    // A stored row opens in its own pattern, and changes from the stay to a rule.
    const stayRow = byTitle('Tjenesteplan innen 4 uker etter innflytting');
    await page.goto(`/administrasjon/arshjul/${wheel}?rad=${stayRow.id}#rad-skjema`);
    expect(await form().getByLabel('Gjentas', { exact: true }).inputValue()).toBe('stay-relative');
    expect(await form().getByLabel(/Antall \(n\)/).inputValue()).toBe('4');
    expect(await form().getByLabel('Tidsenhet').inputValue()).toBe('W');
    await form().getByLabel('Gjentas', { exact: true }).selectOption('yearly-date');
    await form().getByLabel('Måned (1–12)').fill('9');
    await form().getByLabel('Dag (1–31, –1 = siste)').fill('1');
    await submit(page, form().getByRole('button', { name: 'Lagre raden' }));
    await page.waitForURL(/melding=lagret/);
    const changed = await t.http.get(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', leder);
    expect(changed.body.find((x: { id: string }) => x.id === stayRow.id)).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1', relativeTo: null, offset: null });
  });

  it('an imported row whose Ansvar is «Alle ansatte» is a duty per employee, and the preview says «hver ansatt»; a bad file changes nothing', async () => {
    const page = await signedIn(browser, base, 'Lars Enhetsleder', { open: '/logg-inn' });
    await page.goto('/administrasjon/import');
    const wheelsBefore = (await t.db.query(`SELECT count(*)::int AS n FROM wheel`))[0].n;
    await page.getByLabel('Enheten som eier årshjulet').selectOption({ label: 'Bo og habilitering' });
    await page.getByLabel(/^Fil/).setInputFiles({ name: 'ikke-et-arshjul.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]) });
    const refused = await submit(page, page.getByRole('button', { name: 'Last opp og forhåndsvis' }));
    expect(refused.status()).toBe(415);
    expect(await page.getByRole('alert').textContent()).toContain('Filen er ikke et Excel-ark');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM wheel`))[0].n).toBe(wheelsBefore);

    const table = ['Årshjul for fag', 'Februar\tAnsvar\tLagres', 'Legemiddelhåndtering: opplæring og kunnskapsprøve\tAlle ansatte\tKompetanseportalen', 'Planlegg HMS-dag\tAvdelingsleder\t', 'Rydde personalrommet\tAnsatte\t'].join('\n');
    await page.getByLabel('Enheten som eier årshjulet').selectOption({ label: 'Bo og habilitering' });
    await page.getByLabel(/^Fil/).setInputFiles({ name: 'arshjul.txt', mimeType: 'text/plain', buffer: Buffer.from(table) });
    const created = await submit(page, page.getByRole('button', { name: 'Last opp og forhåndsvis' }));
    expect(created.status()).toBe(201);
    const row = page.locator('#rader ~ .table-scroll tbody tr', { hasText: 'Legemiddelhåndtering' });
    expect(await row.textContent()).toContain('hver ansatt');
    expect(await page.locator('#rader ~ .table-scroll tbody tr', { hasText: 'Rydde personalrommet' }).textContent()).not.toContain('hver ansatt');
    await expectAccessibleOnDesktopAndPhone(page, 'import-hver-ansatt');
    const tasks = await t.db.query(
      `SELECT t.title, t.responsible_role, t.scope FROM task_definition t JOIN wheel w ON w.id = t.wheel_id
        WHERE w.name = 'Årshjul for fag' AND w.status = 'draft' AND t.title IN ('Legemiddelhåndtering: opplæring og kunnskapsprøve', 'Rydde personalrommet') ORDER BY t.title`,
    );
    expect(tasks).toEqual([
      { title: 'Legemiddelhåndtering: opplæring og kunnskapsprøve', responsible_role: 'staff', scope: 'person' },
      { title: 'Rydde personalrommet', responsible_role: 'staff', scope: 'unit' },
    ]);
  });
});
