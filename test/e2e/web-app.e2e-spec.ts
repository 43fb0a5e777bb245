import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/** The pages as a person uses them, over HTTP: sign in, my tasks, one-step sign-off, the month's checklist. */
describe('the web app', () => {
  let t: TestApp;
  let fjellvegen: string;
  let checkup: string;

  const signIn = async (email: string, next = '/oppgaver') => {
    const res = await t.http.post('/logg-inn').type('form').send({ email, neste: next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(next);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/^arshjul_session=.+; .*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    return cookie.split(';')[0];
  };
  const csrfOf = (pageHtml: string) => /name="_csrf" value="([^"]+)"/.exec(pageHtml)![1];

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-20T09:00:00Z');
    [{ id: checkup }] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id JOIN task_definition t ON t.id = o.task_id
        WHERE r.code = 'FJV-001' AND t.title = 'Påse at årskontroll hos fastlege er bestilt' AND o.deadline = '2027-02-26'`,
    );
  });
  afterAll(() => t.close());

  it('sends someone who is not signed in to the sign-in page, and back to the link from the reminder afterwards', async () => {
    const res = await t.http.get(`/oppgaver/${checkup}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/logg-inn?neste=${encodeURIComponent(`/oppgaver/${checkup}`)}`);
    const form = await t.http.get(res.headers.location);
    expect(form.text).toContain('Per Primærkontakt');
    const cookie = await signIn(DEMO_PEOPLE.primaer, `/oppgaver/${checkup}`);
    const task = await t.http.get(`/oppgaver/${checkup}`).set('Cookie', cookie);
    expect(task.status).toBe(200);
    expect(task.text).toContain('Påse at årskontroll hos fastlege er bestilt');
    expect(task.text).toContain('FJV-001');
  });

  it("lists my tasks in Norwegian, with a sign-off form for each and no script of its own", async () => {
    const cookie = await signIn(DEMO_PEOPLE.primaer);
    const res = await t.http.get('/oppgaver').set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="nb">');
    expect(res.text).toContain('<main id="innhold"');
    expect((res.text.match(/action="\/oppgaver\/[0-9a-f-]{36}\/signer"/g) ?? []).length).toBeGreaterThanOrEqual(10);
    expect(res.text).not.toContain('<script');
    expect(res.text).toMatch(/<label for="kommentar-[0-9a-f-]{36}">Kommentar/);
    // Showing recipients' codes is a read that goes in the access log (Normen), on pages as in the API.
    const [logged] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /oppgaver' ORDER BY id DESC LIMIT 1`);
    expect(logged.recipient_codes).toEqual(expect.arrayContaining(['FJV-001', 'FJV-010']));
  });

  it('signs a task off in one step and shows it signed with time and name; then the manager sees it in the checklist', async () => {
    const cookie = await signIn(DEMO_PEOPLE.primaer);
    const csrf = csrfOf((await t.http.get(`/oppgaver/${checkup}`).set('Cookie', cookie)).text);
    const res = await t.http
      .post(`/oppgaver/${checkup}/signer`)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, outcome: 'done', comment: 'Time bestilt', storedIn: 'Helseplattformen', evidenceUrl: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/oppgaver/${checkup}?signert=1`);
    const task = await t.http.get(res.headers.location).set('Cookie', cookie);
    expect(task.text).toContain('Oppgaven er signert.');
    expect(task.text).toContain('Signert av <strong>Per Primærkontakt</strong> 20.02.2027 kl. 10:00');

    const leder = await signIn(DEMO_PEOPLE.avdelingsleder);
    const checklist = await t.http.get(`/sjekkliste?enhet=${fjellvegen}&maned=2027-02`).set('Cookie', leder);
    expect(checklist.status).toBe(200);
    const row = checklist.text.split('<tr>').find((r) => r.includes(`/oppgaver/${checkup}`))!;
    expect(row).toContain('<span class="status done">Utført</span>');
    expect(row).toContain('Per Primærkontakt<br>20.02.2027 kl. 10:00');
    expect(checklist.text).toContain('Månedens sjekkliste – Avdeling Fjellvegen, februar 2027');
  });

  it('refuses a form without the session’s CSRF token, and records nothing', async () => {
    const cookie = await signIn(DEMO_PEOPLE.primaer);
    const [{ id }] = await t.db.query(`SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id WHERE r.code = 'FJV-002' AND o.deadline = '2027-02-26'`);
    const before = await count(t.db, 'sign_off');
    for (const token of [undefined, 'forged']) {
      const res = await t.http.post(`/oppgaver/${id}/signer`).set('Cookie', cookie).type('form').send({ ...(token ? { _csrf: token } : {}), outcome: 'done' });
      expect([403, 422]).toContain(res.status);
    }
    const api = await t.http.post('/api/v1/units').set('Cookie', cookie).send({ name: 'Via cookie' });
    expect(api.status).toBe(403);
    expect(await count(t.db, 'sign_off')).toBe(before);
  });

  it('explains in Norwegian why a sign-off was refused, keeping what was typed', async () => {
    const cookie = await signIn(DEMO_PEOPLE.primaer);
    const [{ id }] = await t.db.query(`SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id WHERE r.code = 'FJV-003' AND o.deadline = '2027-02-26'`);
    const csrf = csrfOf((await t.http.get(`/oppgaver/${id}`).set('Cookie', cookie)).text);
    const res = await t.http.post(`/oppgaver/${id}/signer`).set('Cookie', cookie).type('form').send({ _csrf: csrf, outcome: 'not_applicable', storedIn: 'Perm' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Skriv en kommentar');
    expect(res.text).toContain('value="Perm"');
    expect(await count(t.db, 'sign_off', 'occurrence_id = $1', [id])).toBe(0);
  });

  it('keeps other units’ checklists and tasks from staff', async () => {
    const cookie = await signIn(DEMO_PEOPLE.ansatt);
    expect((await t.http.get(`/sjekkliste?enhet=${await unitId(t.db, 'Avdeling Åsen')}`).set('Cookie', cookie)).status).toBe(404);
    const own = await t.http.get('/sjekkliste').set('Cookie', cookie);
    expect(own.status).toBe(200);
    expect(own.text).toContain('Avdeling Fjellvegen');
  });

  it('serves its stylesheet itself, and signs out', async () => {
    const css = await t.http.get('/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const cookie = await signIn(DEMO_PEOPLE.primaer);
    const csrf = csrfOf((await t.http.get('/oppgaver').set('Cookie', cookie)).text);
    const out = await t.http.post('/logg-ut').set('Cookie', cookie).type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/arshjul_session=;/);
  });

  it('lets an administrator preview a rule with the recurrence builder and save the task, and a person name a deputy', async () => {
    const admin = await signIn(DEMO_PEOPLE.admin);
    const [{ id: wheel }] = await t.db.query(`SELECT id FROM wheel WHERE name = 'Ressursfordeling'`);
    const preview = await t.http
      .get('/administrasjon')
      .query({ handling: 'forhandsvis', hjul: wheel, tittel: 'Ressursfordeling, oppfølging', ansvar: 'manager', monster: 'iso-week', uke: '47', visningsar: '2026' })
      .set('Cookie', admin);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO');
    expect(preview.text).toContain('Frister i 2026: 16.11.2026');
    const csrf = csrfOf(preview.text);
    const saved = await t.http
      .post('/administrasjon/oppgaver')
      .set('Cookie', admin)
      .type('form')
      .send({ _csrf: csrf, hjul: wheel, tittel: 'Ressursfordeling, oppfølging', ansvar: 'manager', monster: 'iso-week', uke: '47', visningsar: '2026' });
    expect(saved.status).toBe(303);
    expect(await count(t.db, 'task_definition', `title = 'Ressursfordeling, oppfølging' AND rrule = 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO'`)).toBe(1);

    const bad = await t.http.get('/administrasjon').query({ handling: 'forhandsvis', monster: 'yearly-date', maned: '2', dag: '30' }).set('Cookie', admin);
    expect(bad.text).toContain('Regelen kan ikke brukes');

    const per = await signIn(DEMO_PEOPLE.primaer);
    const page = await t.http.get('/administrasjon').set('Cookie', per);
    expect(page.text).not.toContain('Ny oppgave i et årshjul'); // not an administrator
    const [{ id: siri }] = await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    const deputy = await t.http.post('/administrasjon/stedfortreder').set('Cookie', per).type('form').send({ _csrf: csrfOf(page.text), stedfortreder: siri, fra: '2027-07-01', til: '2027-07-21' });
    expect(deputy.status).toBe(303);
    expect((await t.http.get('/administrasjon').set('Cookie', per)).text).toContain('Siri Ansatt: 01.07.2027–21.07.2027');
  });

  it('lets a manager give and take roles and add a recipient by code, refusing a fødselsnummer', async () => {
    const anne = await signIn(DEMO_PEOPLE.avdelingsleder);
    const page = await t.http.get(`/administrasjon?enhet=${fjellvegen}`).set('Cookie', anne);
    expect(page.text).toContain('Avdeling Fjellvegen: roller og tjenestemottakere');
    expect(page.text).toContain('FJV-010');
    const csrf = csrfOf(page.text);
    const [{ id: siri }] = await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    const given = await t.http.post('/administrasjon/roller').set('Cookie', anne).type('form').send({ _csrf: csrf, enhet: fjellvegen, person: siri, rolle: 'primary_contact' });
    expect(given.status).toBe(303);
    const [{ id: assignment }] = await t.db.query(`SELECT id FROM role_assignment WHERE person_id = $1 AND role = 'primary_contact'`, [siri]);
    expect((await t.http.post(`/administrasjon/roller/${assignment}/fjern`).set('Cookie', anne).type('form').send({ _csrf: csrf, enhet: fjellvegen })).status).toBe(303);
    expect(await count(t.db, 'role_assignment', `person_id = $1 AND role = 'primary_contact'`, [siri])).toBe(0);

    const added = await t.http.post('/administrasjon/tjenestemottakere').set('Cookie', anne).type('form').send({ _csrf: csrf, enhet: fjellvegen, kode: 'FJV-011', primaerkontakt: siri });
    expect(added.status).toBe(303);
    const refused = await t.http.post('/administrasjon/tjenestemottakere').set('Cookie', anne).type('form').send({ _csrf: csrf, enhet: fjellvegen, kode: '01010112377', primaerkontakt: siri });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('fødselsnummer');
    expect(await count(t.db, 'recipient', `code IN ('FJV-011', '01010112377')`)).toBe(1);
  });

  it('speaks English when asked, remembers it, and follows the person’s own language setting', async () => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    const english = await t.http.get('/oppgaver?lang=en').set('Cookie', per);
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('<h1>My tasks</h1>');
    expect(english.text).toMatch(/Sign off “Påse at årskontroll hos fastlege er bestilt”/);
    const langCookie = (english.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('arshjul_lang=en'))!.split(';')[0];
    const checklist = await t.http.get('/sjekkliste').set('Cookie', `${per}; ${langCookie}`);
    expect(checklist.text).toContain('This month&#39;s checklist');
    expect(checklist.text).toContain('>Deadline<');
    const [{ id }] = await t.db.query(`SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id WHERE r.code = 'FJV-004' AND o.deadline = '2027-02-26'`);
    const refused = await t.http
      .post(`/oppgaver/${id}/signer`)
      .set('Cookie', `${per}; ${langCookie}`)
      .type('form')
      .send({ _csrf: csrfOf(english.text), outcome: 'not_applicable' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Write a comment');

    const siri = await signIn(DEMO_PEOPLE.ansatt);
    await t.http.put('/api/v1/me/notification-preferences').set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt)).send({ email: true, teams: false, dailyDigest: false, language: 'en' });
    const own = await t.http.get('/administrasjon').set('Cookie', siri);
    expect(own.text).toContain('<h1>Administration</h1>');
    expect(own.text).toContain('My deputy');
    const back = await t.http.get('/oppgaver?lang=nb').set('Cookie', siri);
    expect(back.text).toContain('<h1>Mine oppgaver</h1>');
  });

  it('lets an administrator add and archive people from the page', async () => {
    const admin = await signIn(DEMO_PEOPLE.admin);
    const csrf = csrfOf((await t.http.get('/administrasjon').set('Cookie', admin)).text);
    expect((await t.http.post('/administrasjon/personer').set('Cookie', admin).type('form').send({ _csrf: csrf, navn: 'Nina Ny', epost: 'nina@demo.kommune.no' })).status).toBe(303);
    const [{ id }] = await t.db.query(`SELECT id FROM person WHERE email = 'nina@demo.kommune.no'`);
    expect((await t.http.post(`/administrasjon/personer/${id}/arkiver`).set('Cookie', admin).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await t.db.query(`SELECT archived_at FROM person WHERE id = $1`, [id]))[0].archived_at).not.toBeNull();
    const bad = await t.http.post('/administrasjon/personer').set('Cookie', admin).type('form').send({ _csrf: csrf, navn: 'X', epost: 'ikke-en-adresse' });
    expect(bad.status).toBe(422);
  });
});
