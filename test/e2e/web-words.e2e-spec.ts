import { randomUUID } from 'node:crypto';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, unitId } from '../utils/demo';
import { foreignWords } from '../utils/telltales';
import { startTestApp, TestApp } from '../utils/test-app';

type Lang = 'nb' | 'nn' | 'en';
const LANGS: Lang[] = ['nb', 'nn', 'en'];

/** Issue 16 §3: every refusal and error page speaks the page's language only; the menu and the words follow. */
describe('the web app in bokmål, nynorsk and English', () => {
  let t: TestApp;
  let fjellvegen: string;
  let task: string;

  const signIn = async (email: string) => {
    const res = await t.http.post('/logg-inn').type('form').send({ email, neste: '/oppgaver' });
    expect(res.status).toBe(303);
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };
  const as = (cookie: string, lang: Lang) => `${cookie}; arshjul_lang=${lang}`;
  const csrfOf = (pageHtml: string) => /name="_csrf" value="([^"]+)"/.exec(pageHtml)![1];
  const expectOnly = (html: string, lang: Lang) => {
    expect(html).toContain(`<html lang="${lang}">`);
    expect(foreignWords(html, lang)).toEqual([]);
  };
  /** The refusal on a task page: the page shows the task's own (Norwegian) data, so only the refusal is checked. */
  const refusalOf = (html: string) => /<p class="error"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', await t.bearer(DEMO_PEOPLE.avdelingsleder));
    t.clock.set('2027-02-20T09:00:00Z');
    [{ id: task }] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id WHERE r.code = 'FJV-001' AND o.deadline = '2027-02-26' LIMIT 1`,
    );
  });
  afterAll(() => t.close());

  it.each(LANGS)('words a page that needs a role the person lacks (403) from its type, in %s', async (lang) => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    const res = await t.http.get('/internkontroll').set('Cookie', as(per, lang));
    expect(res.status).toBe(403);
    expectOnly(res.text, lang);
    expect(res.text).toContain({ nb: 'Siden krever en rolle du ikke har', nn: 'Sida krev ei rolle du ikkje har', en: 'This page needs a role you do not have' }[lang]);
    // An administrators-only form, refused by the route's policy, says the same.
    const form = await t.http.post('/administrasjon/personer').set('Cookie', as(per, lang)).type('form').send({ _csrf: csrfOf((await t.http.get('/oppgaver').set('Cookie', per)).text), navn: 'X', epost: 'x@demo.kommune.no' });
    expect(form.status).toBe(403);
    expectOnly(form.text, lang);
  });

  it.each(LANGS)('words a missing task and a missing page (404) in %s', async (lang) => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    for (const path of [`/oppgaver/${randomUUID()}`, '/finnes-ikke']) {
      const res = await t.http.get(path).set('Cookie', as(per, lang));
      expect(res.status).toBe(404);
      expectOnly(res.text, lang);
      expect(res.text).toContain({ nb: 'Finnes ikke', nn: 'Finst ikkje', en: 'Page missing' }[lang]);
      expect(res.text).not.toMatch(/was not found|Cannot GET/);
    }
  });

  it.each(LANGS)('words a form that cannot be used (422) in %s, never with the API’s English detail', async (lang) => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    const csrf = csrfOf((await t.http.get('/administrasjon').set('Cookie', per)).text);
    const res = await t.http.post('/administrasjon/stedfortreder').set('Cookie', as(per, lang)).type('form').send({ _csrf: csrf, stedfortreder: 'nobody', fra: 'i går', til: '' });
    expect(res.status).toBe(422);
    expectOnly(res.text, lang);
    expect(res.text).toContain({ nb: 'Skjemaet har feil', nn: 'Skjemaet har feil', en: 'The form has mistakes' }[lang]);
  });

  it.each(LANGS)('?lang=%s alone words an error page, and is remembered', async (lang) => {
    const res = await t.http.get(`/finnes-ikke?lang=${lang}`).set('Cookie', await signIn(DEMO_PEOPLE.primaer));
    expectOnly(res.text, lang);
  });

  it('says on the task page, in the page’s language, why a sign-off was refused: not yours (403), already signed (409)', async () => {
    const siri = await signIn(DEMO_PEOPLE.ansatt);
    const per = await signIn(DEMO_PEOPLE.primaer);
    const words = {
      nb: ['Du kan ikke signere denne oppgaven', 'Oppgaven er allerede signert'],
      nn: ['Du kan ikkje signere denne oppgåva', 'Oppgåva er allereie signert'],
      en: ['You cannot sign this task off', 'The task is already signed off'],
    };
    for (const lang of LANGS) {
      const page = await t.http.get(`/oppgaver/${task}`).set('Cookie', as(siri, lang));
      expect(page.status).toBe(200);
      const refused = await t.http.post(`/oppgaver/${task}/signer`).set('Cookie', as(siri, lang)).type('form').send({ _csrf: csrfOf(page.text), outcome: 'done' });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain(`<html lang="${lang}">`);
      expect(refused.text).toContain('<h1>Påse at årskontroll hos fastlege er bestilt</h1>'); // the task page, not a bare error page
      expect(refusalOf(refused.text)).toContain(words[lang][0]);
      expect(foreignWords(refusalOf(refused.text), lang)).toEqual([]);
    }
    const csrf = csrfOf((await t.http.get(`/oppgaver/${task}`).set('Cookie', per)).text);
    expect((await t.http.post(`/oppgaver/${task}/signer`).set('Cookie', per).type('form').send({ _csrf: csrf, outcome: 'done' })).status).toBe(303);
    for (const lang of LANGS) {
      const again = await t.http.post(`/oppgaver/${task}/signer`).set('Cookie', as(per, lang)).type('form').send({ _csrf: csrf, outcome: 'done' });
      expect(again.status).toBe(409);
      expect(refusalOf(again.text)).toContain(words[lang][1]);
      expect(foreignWords(refusalOf(again.text), lang)).toEqual([]);
    }
    expect(await count(t.db, 'sign_off', 'occurrence_id = $1', [task])).toBe(1);
  });

  it('shows role names in words on the sign-in page, never the role keys', async () => {
    const nb = await t.http.get('/logg-inn');
    expect(nb.text).toContain('Primærkontakt');
    expect(nb.text).toContain('Kvalitetsrådgiver');
    expect(nb.text).not.toMatch(/primary_contact|quality_adviser|\(manager|staff\)/);
    const nn = await t.http.get('/logg-inn?lang=nn');
    expect(nn.text).toContain('<html lang="nn">');
    expect(nn.text).toContain('Kvalitetsrådgjevar');
    expect(nn.text).toContain('Leiar');
    const en = await t.http.get('/logg-inn?lang=en');
    expect(en.text).toContain('Primary contact');
    expect(en.text).not.toContain('primary_contact');
  });

  it('shows in the menu only what the person may open, and Administrasjon says why sections are missing', async () => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    const mine = await t.http.get('/oppgaver').set('Cookie', per);
    expect(mine.text).toContain('href="/sjekkliste"');
    expect(mine.text).not.toContain('href="/internkontroll"');
    expect((await t.http.get('/internkontroll').set('Cookie', per)).status).toBe(403);
    const kari = await signIn(DEMO_PEOPLE.kvalitet);
    expect((await t.http.get('/oppgaver').set('Cookie', kari)).text).toContain('href="/internkontroll"');
    const admin = await t.http.get('/administrasjon').set('Cookie', per);
    expect(admin.text).toContain('Du er ikke administrator:');
    expect(admin.text).toContain('Du er ikke leder for noen enhet:');
    const nn = await t.http.get('/administrasjon?lang=nn').set('Cookie', per);
    expect(nn.text).toContain('Du er ikkje administrator:');
    const leader = await t.http.get('/administrasjon').set('Cookie', await signIn(DEMO_PEOPLE.avdelingsleder));
    expect(leader.text).toContain('Du er ikke administrator:');
    expect(leader.text).not.toContain('Du er ikke leder for noen enhet');
  });

  it('the menu counts a role held on an archived unit by the active units below it, as the pages do', async () => {
    const anne = await signIn(DEMO_PEOPLE.avdelingsleder);
    const [{ id: fjellvegen, municipality_id: municipality }] = await t.db.query(`SELECT id, municipality_id FROM unit WHERE name = 'Avdeling Fjellvegen'`);
    const menu = async () => (await t.http.get('/oppgaver').set('Cookie', anne)).text;
    try {
      await t.db.query(`UPDATE unit SET archived_at = now() WHERE id = $1`, [fjellvegen]);
      expect(await menu()).not.toContain('href="/internkontroll"');
      expect(await menu()).not.toContain('href="/sjekkliste"');
      await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, 'Fjellvegen bolig 2')`, [municipality, fjellvegen]);
      expect(await menu()).toContain('href="/internkontroll"');
      expect(await menu()).toContain('href="/sjekkliste"');
      expect((await t.http.get('/internkontroll').set('Cookie', anne)).status).toBe(200);
    } finally {
      await t.db.query(`DELETE FROM unit WHERE parent_id = $1 AND name = 'Fjellvegen bolig 2'`, [fjellvegen]);
      await t.db.query(`UPDATE unit SET archived_at = NULL WHERE id = $1`, [fjellvegen]);
    }
  });

  it('speaks nynorsk from ?lang=nn and the remembered cookie, with the switch offering the other two', async () => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    const res = await t.http.get('/oppgaver?lang=nn').set('Cookie', per);
    expect(res.text).toContain('<html lang="nn">');
    expect(res.text).toContain('<h1>Mine oppgåver</h1>');
    expect(res.text).toContain('Sjekkliste for månaden');
    expect(res.text).toMatch(/<a href="\?lang=nb" lang="nb"[^>]*>Bokmål<\/a>/);
    expect(res.text).toMatch(/<a href="\?lang=en" lang="en"[^>]*>English<\/a>/);
    const remembered = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('arshjul_lang=nn'))!.split(';')[0];
    const checklist = await t.http.get('/sjekkliste?maned=2027-02').set('Cookie', `${per}; ${remembered}`);
    expect(checklist.text).toContain('<html lang="nn">');
    expect(checklist.text).toMatch(/\d+ oppgåver/);
    const leader = await signIn(DEMO_PEOPLE.avdelingsleder);
    const control = await t.http.get('/internkontroll?ar=2027&lang=nn').set('Cookie', leader);
    expect(control.text).toContain('Etterleving per månad');
    expect(control.text).toContain('februar 2027');
    expect(control.text).not.toMatch(/<th scope="row">2027-\d\d</);
  });

  /** The refusal a form shows beside its fields (role="alert"): the pages around it hold the municipality's own (Norwegian) data. */
  const alertOf = (html: string) => /class="error" role="alert">(?:<h2>[^<]*<\/h2><p>)?([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  const expectRefusal = (html: string, lang: Lang, expected: string | RegExp) => {
    const refusal = alertOf(html);
    expect(html).toContain(`<html lang="${lang}">`);
    if (typeof expected === 'string') expect(refusal).toBe(expected);
    else expect(refusal).toMatch(expected);
    expect({ refusal, foreign: foreignWords(refusal, lang) }).toEqual({ refusal, foreign: [] });
  };

  it.each(LANGS)('in %s, the task form of Administrasjon refuses in the page’s words: the builder, a rule with no dates, a field the API refuses', async (lang) => {
    const admin = as(await signIn(DEMO_PEOPLE.admin), lang);
    const csrf = csrfOf((await t.http.get('/administrasjon').set('Cookie', admin)).text);
    const week = await t.http.get('/administrasjon?handling=forhandsvis&monster=iso-week').set('Cookie', admin);
    expectRefusal(week.text, lang, { nb: 'Velg et ukenummer fra 1 til 53.', nn: 'Vel eit vekenummer frå 1 til 53.', en: 'Choose a week number from 1 to 53.' }[lang]);
    const noDates = await t.http.post('/administrasjon/oppgaver').set('Cookie', admin).type('form')
      .send({ _csrf: csrf, hjul: randomUUID(), tittel: 'Språkprøve', monster: 'custom', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' });
    expect(noDates.status).toBe(422);
    expectRefusal(noDates.text, lang, { nb: /^Ikke lagret: Regelen kan ikke brukes: /, nn: /^Ikkje lagra: Regelen kan ikkje brukast: /, en: /^Not saved: The rule cannot be used: / }[lang]);
    const untitled = await t.http.post('/administrasjon/oppgaver').set('Cookie', admin).type('form')
      .send({ _csrf: csrf, hjul: randomUUID(), tittel: '', monster: 'yearly-date', maned: '3', dag: '1' });
    expect(untitled.status).toBe(422);
    expectRefusal(untitled.text, lang, {
      nb: 'Ikke lagret: Skjemaet har feil. Felt som ikke kunne brukes: Oppgave.',
      nn: 'Ikkje lagra: Skjemaet har feil. Felt som ikkje kunne brukast: Oppgåve.',
      en: 'Not saved: The form has mistakes. Fields that could not be used: Task.',
    }[lang]);
  });

  it.each(LANGS)('in %s, the wheel editor and the import page refuse in the page’s words, never the API’s English', async (lang) => {
    const admin = as(await signIn(DEMO_PEOPLE.admin), lang);
    const csrf = csrfOf((await t.http.get('/administrasjon/arshjul').set('Cookie', admin)).text);
    const created = await t.http.post('/administrasjon/arshjul').set('Cookie', admin).type('form').send({ _csrf: csrf, navn: `Språkprøve ${lang}`, type: 'custom', ownerUnitId: '' });
    expect(created.status).toBe(303);
    const wheel = /arshjul\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
    const notSaved = { nb: 'Ikke lagret', nn: 'Ikkje lagra', en: 'Not saved' }[lang];
    const unnamed = await t.http.post('/administrasjon/arshjul').set('Cookie', admin).type('form').send({ _csrf: csrf, navn: '', type: 'custom', ownerUnitId: '' });
    expect(unnamed.status).toBe(422);
    expectRefusal(unnamed.text, lang, `${{ nb: 'Skjemaet har feil. Felt som ikke kunne brukes: Navn.', nn: 'Skjemaet har feil. Felt som ikkje kunne brukast: Namn.', en: 'The form has mistakes. Fields that could not be used: Name.' }[lang]}`);
    const week = await t.http.post(`/administrasjon/arshjul/${wheel}/rader`).set('Cookie', admin).type('form').send({ _csrf: csrf, tittel: 'Språkprøve', monster: 'iso-week' });
    expect(week.status).toBe(422);
    expectRefusal(week.text, lang, { nb: 'Velg et ukenummer fra 1 til 53.', nn: 'Vel eit vekenummer frå 1 til 53.', en: 'Choose a week number from 1 to 53.' }[lang]);
    const noDates = await t.http.post(`/administrasjon/arshjul/${wheel}/rader`).set('Cookie', admin).type('form')
      .send({ _csrf: csrf, handling: 'forhandsvis', tittel: 'Språkprøve', monster: 'custom', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' });
    expectRefusal(noDates.text, lang, { nb: /^Regelen kan ikke brukes: /, nn: /^Regelen kan ikkje brukast: /, en: /^The rule cannot be used: / }[lang]);
    const empty = await t.http.post(`/administrasjon/arshjul/${wheel}/publiser`).set('Cookie', admin).type('form').send({ _csrf: csrf });
    expect(empty.status).toBe(422);
    expectRefusal(empty.text, lang, `${notSaved}: ${{ nb: 'Skjemaet har feil. Felt som ikke kunne brukes: Rader.', nn: 'Skjemaet har feil. Felt som ikkje kunne brukast: Rader.', en: 'The form has mistakes. Fields that could not be used: Rows.' }[lang]}`);
    // Importing into the municipality's wheel for a unit: refused by the import's own check of the unit.
    const imported = await t.http.post('/administrasjon/import').set('Cookie', admin).field('_csrf', csrf).field('hjul', wheel).field('enhet', fjellvegen);
    expect(imported.status).toBe(422);
    expectRefusal(imported.text, lang, { nb: 'Skjemaet har feil. Felt som ikke kunne brukes: Enhet.', nn: 'Skjemaet har feil. Felt som ikkje kunne brukast: Eining.', en: 'The form has mistakes. Fields that could not be used: Unit.' }[lang]);
    expect(await count(t.db, 'task_definition', 'wheel_id = $1', [wheel])).toBe(0);
  });

  it.each(LANGS)('the Teams tab speaks %s: asked with ?lang=, or by Teams’ own locale', async (lang) => {
    for (const path of [`/teams?lang=${lang}`, `/teams?locale=${{ nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' }[lang]}`]) {
      const tab = await t.http.get(path);
      expect(tab.status).toBe(200);
      expectOnly(tab.text, lang);
      expect(tab.text).toContain({ nb: 'Logger deg inn med Microsoft Teams', nn: 'Loggar deg inn med Microsoft Teams', en: 'Signing you in with Microsoft Teams' }[lang]);
    }
  });
});

describe('the rate limit’s page (429)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '1', RATE_LIMIT_PER_IP: '2', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it.each(LANGS)('says there were too many requests, and when to try again, in %s', async (lang) => {
    const from = `198.51.100.${LANGS.indexOf(lang) + 10}`;
    let res = await t.http.get(`/logg-inn?lang=${lang}`).set('X-Forwarded-For', from);
    for (let i = 0; i < 3 && res.status !== 429; i++) res = await t.http.get(`/logg-inn?lang=${lang}`).set('X-Forwarded-For', from);
    expect(res.status).toBe(429);
    expectOnlyLang(res.text, lang);
    expect(res.text).toContain({ nb: 'For mange forespørsler', nn: 'For mange førespurnader', en: 'Too many requests' }[lang]);
  });

  function expectOnlyLang(html: string, lang: Lang) {
    expect(html).toContain(`<html lang="${lang}">`);
    expect(foreignWords(html, lang)).toEqual([]);
  }
});
