import { Browser, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { atEachSize, closeBrowserAndApp, describeInBrowser, DESKTOP, expectNoSeriousAxeViolations, PHONE, screenshot, serveAndLaunchChromium, sidewaysOverflow, signedIn } from '../utils/browser';
import { count, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const CHECKUP = 'Påse at årskontroll hos fastlege er bestilt';
const MANAGER_ROWS = ['Planlegg HMS-dag', 'Kalle inn til seniorsamtaler'];
const MEDICINES = 'Legemiddelhåndtering: opplæring og kunnskapsprøve';

/** Signing several rows at once: a manager in the month's checklist, a primary contact for several recipients. */
describeInBrowser('signing several rows at once in the browser', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let fjellvegen: string;
  let checkups: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    // A duty per employee (scope `person`) due in February too.
    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kompetanse per ansatt', kind: 'custom' });
    await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({
      title: MEDICINES, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=26', startsOn: '2027-01-01', responsibleRole: 'staff', scope: 'person',
    });
    await t.http.post(`/api/v1/units/${fjellvegen}/wheels`).set('Authorization', manager).send({ wheelId: wheel.body.id, fromYear: 2027 });
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', manager);
    t.clock.set('2027-02-24T13:00:00Z');
    const rows: Array<{ id: string; code: string }> = await t.db.query(
      `SELECT o.id, r.code FROM occurrence o JOIN task_definition td ON td.id = o.task_id JOIN recipient r ON r.id = o.recipient_id
        WHERE td.title = $1 AND o.unit_id = $2 AND o.deadline = '2027-02-26'`,
      [CHECKUP, fjellvegen],
    );
    checkups = new Map(rows.map((r) => [r.code, r.id]));
    ({ base, browser } = await serveAndLaunchChromium(t));
  });
  afterAll(() => closeBrowserAndApp(browser, t));

  const signedInAs = (name: string): Promise<Page> => signedIn(browser, base, name);

  /** Accessible, and photographed at 1280 and 375 px; at 375 px, whether the page scrolls sideways. */
  async function check(page: Page, name: string): Promise<{ sideways: boolean }> {
    await expectNoSeriousAxeViolations(page, name);
    let sideways = false;
    await atEachSize(page, [DESKTOP, PHONE], async (width) => {
      if (width === PHONE.width) sideways = (await sidewaysOverflow(page)) !== null;
      await screenshot(page, `${name}-${width}`);
    });
    return { sideways };
  }

  it('a manager ticks three rows of the checklist, signs them as done, and sees three records', async () => {
    const anne = await signedInAs('Anne Avdelingsleder');
    await anne.goto(`/sjekkliste?enhet=${fjellvegen}&maned=2027-02`);
    const before = await count(t.db, 'sign_off');
    for (const title of MANAGER_ROWS) await anne.getByLabel(`Velg «${title}»`, { exact: true }).check();
    await anne.getByLabel(`Velg «${CHECKUP}» (FJV-001)`, { exact: true }).check(); // a primary contact's row, on their behalf
    const form = anne.getByRole('group', { name: 'Signer de valgte radene som utført' });
    await form.getByLabel(/Felles kommentar/).fill('Gjennomgått på avdelingsmøtet 24.2.');
    await check(anne, 'signer-flere-sjekkliste');
    await form.getByRole('button', { name: 'Signer valgte som utført' }).click();

    await anne.waitForURL('**/oppgaver/signer-flere');
    await expect(anne.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Resultat av signeringen');
    await expect(anne.getByRole('status').textContent()).resolves.toBe('3 av 3 signert.');
    const answers = anne.locator('.bulk-results li');
    await expect(answers.count()).resolves.toBe(3);
    for (const title of [...MANAGER_ROWS, CHECKUP]) await expect(answers.filter({ hasText: title }).textContent()).resolves.toMatch(/Utført\s+Signert av Anne Avdelingsleder 24\.02\.2027 kl\. 14:00/);
    expect(await count(t.db, 'sign_off')).toBe(before + 3);
    expect(await count(t.db, 'sign_off', `comment = 'Gjennomgått på avdelingsmøtet 24.2.'`)).toBe(3);
    const { sideways } = await check(anne, 'signer-flere-resultat');
    expect(sideways).toBe(false);

    // Back in the checklist the rows are done and have no box any more.
    await anne.getByRole('link', { name: 'Tilbake til sjekklisten' }).click();
    await anne.waitForURL(/\/sjekkliste\?enhet=/);
    for (const title of MANAGER_ROWS) {
      const row = anne.locator('tr', { has: anne.getByRole('link', { name: title, exact: true }) });
      await expect(row.locator('.status').textContent()).resolves.toBe('Utført');
      await expect(row.getByRole('checkbox').count()).resolves.toBe(0);
    }
    // Internkontroll: three records, and the chain whole.
    await anne.goto(`/internkontroll?enhet=${fjellvegen}&ar=2027`);
    await expect(anne.getByRole('heading', { name: 'Signerte poster for årets frister (3)' }).count()).resolves.toBe(1);
    await expect(anne.getByText('Kjeden er hel: 3 signerte poster').count()).resolves.toBe(1);
    const records = anne.locator('section[aria-labelledby="poster"] tbody tr');
    await expect(records.filter({ hasText: 'FJV-001' }).textContent()).resolves.toMatch(/Utført.*Anne Avdelingsleder.*Gjennomgått på avdelingsmøtet/s);
  });

  it('a primary contact signs one task for two recipients at once; a row signed meanwhile is refused in Norwegian', async () => {
    const per = await signedInAs('Per Primærkontakt');
    await per.goto(`/oppgaver/${checkups.get('FJV-002')}`);
    const section = per.getByRole('region', { name: 'Signer for flere tjenestemottakere' });
    const recipients = section.getByRole('group', { name: `Tjenestemottakere der «${CHECKUP}» er åpen` });
    // FJV-001 was signed by the manager above: not offered again.
    await expect(recipients.getByRole('checkbox').count()).resolves.toBe(checkups.size - 1);
    await recipients.getByLabel(/FJV-002/).check();
    await recipients.getByLabel(/FJV-003/).check();
    await recipients.getByLabel(/FJV-004/).check();
    const { sideways } = await check(per, 'signer-flere-mottakere');
    expect(sideways).toBe(false);
    // Someone else signs FJV-004 before Per sends the form.
    const anne = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    expect((await t.http.post(`/api/v1/occurrences/${checkups.get('FJV-004')}/sign-offs`).set('Authorization', anne).send({ outcome: 'done' })).status).toBe(201);
    const before = await count(t.db, 'sign_off');
    await section.getByRole('button', { name: 'Signer valgte som utført' }).click();

    await per.waitForURL('**/oppgaver/signer-flere');
    await expect(per.getByRole('status').textContent()).resolves.toBe('2 av 3 signert.');
    const answers = per.locator('.bulk-results li');
    await expect(answers.filter({ hasText: 'FJV-002' }).textContent()).resolves.toMatch(/Utført\s+Signert av Per Primærkontakt/);
    await expect(answers.filter({ hasText: 'FJV-003' }).textContent()).resolves.toMatch(/Utført\s+Signert av Per Primærkontakt/);
    await expect(answers.filter({ hasText: 'FJV-004' }).textContent()).resolves.toMatch(/Ikke signert\s+Oppgaven er allerede signert\./);
    expect(await count(t.db, 'sign_off')).toBe(before + 2);
    await check(per, 'signer-flere-mottakere-resultat');

    // Each recipient's own record, signed by Per.
    const signed = await t.db.query(
      `SELECT snapshot->>'recipientCode' AS code, signed_by_name FROM sign_off WHERE occurrence_id = ANY($1) ORDER BY sequence`,
      [[checkups.get('FJV-002'), checkups.get('FJV-003')]],
    );
    expect(signed).toEqual([{ code: 'FJV-002', signed_by_name: 'Per Primærkontakt' }, { code: 'FJV-003', signed_by_name: 'Per Primærkontakt' }]);
    // The answer page showed three recipients' codes: that read is in the access log.
    const [read] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'POST /oppgaver/signer-flere' ORDER BY at DESC, id DESC LIMIT 1`);
    expect(read.recipient_codes).toEqual(['FJV-002', 'FJV-003', 'FJV-004']);
    await per.getByRole('link', { name: 'Tilbake til oppgaven' }).click();
    await per.waitForURL(`**/oppgaver/${checkups.get('FJV-002')}`);
    await expect(per.getByText('Signert av Per Primærkontakt').count()).resolves.toBe(1);
  });

  it('a manager signs an employee’s own duty from the checklist, on the employee’s behalf', async () => {
    const anne = await signedInAs('Anne Avdelingsleder');
    await anne.goto(`/sjekkliste?enhet=${fjellvegen}&maned=2027-02`);
    const row = anne.locator('tr.per-person', { hasText: MEDICINES });
    await row.getByText('0 av 2 utført').click();
    await row.getByLabel(`Velg «${MEDICINES}» (Siri Ansatt)`, { exact: true }).check();
    await anne.getByRole('button', { name: 'Signer valgte som utført' }).click();
    await anne.waitForURL('**/oppgaver/signer-flere');
    await expect(anne.getByRole('status').textContent()).resolves.toBe('1 av 1 signert.');
    await expect(anne.locator('.bulk-results li').textContent()).resolves.toMatch(/\(Siri Ansatt\).*Utført\s+Signert av Anne Avdelingsleder .* på vegne av Siri Ansatt/s);
    const [record] = await t.db.query(`SELECT on_behalf_of_name, snapshot->'person'->>'displayName' AS person FROM sign_off WHERE snapshot->>'taskTitle' = $1`, [MEDICINES]);
    expect(record).toEqual({ on_behalf_of_name: 'Siri Ansatt', person: 'Siri Ansatt' });
  });

  it('asks for a row when none is ticked, and changes nothing', async () => {
    const per = await signedInAs('Per Primærkontakt');
    await per.goto(`/oppgaver/${checkups.get('FJV-005')}`);
    const before = await count(t.db, 'sign_off');
    await per.getByRole('region', { name: 'Signer for flere tjenestemottakere' }).getByRole('button', { name: 'Signer valgte som utført' }).click();
    await expect(per.getByRole('alert').textContent()).resolves.toBe('Velg minst én rad å signere.');
    expect(await count(t.db, 'sign_off')).toBe(before);
  });
});
