import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const RELATIVES = 'Kontakt med pårørende/verge om tjenestetilbudet';
const REVIEW = 'Evaluer årshjulet og planlegg neste år';
const DEVIATIONS = 'Årsgjennomgang av avvik og uønskede hendelser (Compilo)';

/**
 * The month at a glance on 1 December: Per Primærkontakt has done all that was due, and ten tasks fall due
 * on 31 December (one per recipient, opening 4 December). He is not told that all is done; the manager's
 * checklist reads like the paper table; the wheel shows December's tasks inside December.
 */
describe('the month at a glance', () => {
  let t: TestApp;
  let fjellvegen: string;
  let boOgHabilitering: string;

  const signIn = async (email: string) => {
    const res = await t.http.post('/logg-inn').type('form').send({ email, neste: '/oppgaver' });
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };
  const occurrence = async (title: string, deadline: string, code?: string): Promise<string> => {
    const [row] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN task_definition t ON t.id = o.task_id JOIN unit u ON u.id = o.unit_id LEFT JOIN recipient r ON r.id = o.recipient_id
        WHERE t.title = $1 AND o.deadline = $2 AND u.name = 'Avdeling Fjellvegen' AND r.code IS NOT DISTINCT FROM $3 AND o.person_id IS NULL`,
      [title, deadline, code ?? null],
    );
    return row.id;
  };
  /** Table rows as text, one string per <tr>, without markup. */
  const rows = (page: string) => page.split(/<tr[ >]/).slice(1).map((r) => r.split('</tr>')[0]);

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-01T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    const lars = await t.bearer(DEMO_PEOPLE.leder);
    for (const year of [2026, 2027]) expect((await t.http.post(`/api/v1/units/${boOgHabilitering}/materialize?year=${year}`).set('Authorization', lars)).status).toBe(200);
    // Per has signed everything that was open or overdue: the year so far is done.
    const per = await t.bearer(DEMO_PEOPLE.primaer);
    const open = await t.http.get('/api/v1/me/tasks').set('Authorization', per);
    for (const task of open.body as Array<{ occurrenceId: string }>) {
      const signed = await t.http.post(`/api/v1/occurrences/${task.occurrenceId}/sign-offs`).set('Authorization', per).send({ outcome: 'done', comment: 'Gjort' });
      expect(signed.status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  it('GET /me/tasks?upcoming=true adds the tasks not open yet that fall due this month, each with when it opens', async () => {
    const per = await t.bearer(DEMO_PEOPLE.primaer);
    expect((await t.http.get('/api/v1/me/tasks').set('Authorization', per)).body).toEqual([]);
    const res = await t.http.get('/api/v1/me/tasks?upcoming=true').set('Authorization', per);
    expect(res.status).toBe(200);
    const relatives = (res.body as Array<{ title: string; deadline: string; opensOn: string; recipientCode: string }>).filter((i) => i.title === RELATIVES);
    expect(relatives).toHaveLength(10);
    expect(relatives.every((i) => i.deadline === '2026-12-31' && i.opensOn === '2026-12-04')).toBe(true);
    expect(relatives.map((i) => i.recipientCode)).toContain('FJV-010');
    // Nothing beyond this month and the next 30 days.
    expect((res.body as Array<{ deadline: string }>).every((i) => i.deadline <= '2026-12-31')).toBe(true);
    const bad = await t.http.get('/api/v1/me/tasks?upcoming=maybe').set('Authorization', per);
    expect(bad.status).toBe(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toContain('upcoming');
  });

  it('Mine oppgaver shows them under Kommende with their deadline and «åpner 4.12.», and never «Godt jobbet» while they wait', async () => {
    const per = await signIn(DEMO_PEOPLE.primaer);
    const page = await t.http.get('/oppgaver').set('Cookie', per);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Godt jobbet');
    expect(page.text).toContain('Ingen oppgaver er åpne akkurat nå');
    expect(page.text).toContain('<h2 id="kommende">Kommende</h2>');
    expect(page.text).toContain('Frist i desember 2026 eller de neste 30 dagene');
    const coming = page.text.split('<h2 id="kommende">')[1];
    expect((coming.match(new RegExp(RELATIVES, 'g')) ?? []).length).toBe(10);
    expect(coming).toContain('Frist <strong>31.12.2026</strong>, åpner 4.12.');
    expect(coming).toContain('(FJV-001)');
    const [logged] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /oppgaver' ORDER BY id DESC LIMIT 1`);
    expect(logged.recipient_codes).toEqual(expect.arrayContaining(['FJV-001', 'FJV-010']));
    const english = await t.http.get('/oppgaver?lang=en').set('Cookie', per);
    expect(english.text).toContain('Coming up');
    expect(english.text).toContain('opens 4.12.');
    expect(english.text).not.toContain('Well done');
  });

  it('the task page shows the task’s description and legal basis, and that it is not open yet', async () => {
    const anne = await signIn(DEMO_PEOPLE.avdelingsleder);
    const [{ id }] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN task_definition t ON t.id = o.task_id JOIN unit u ON u.id = o.unit_id
        WHERE t.title = 'Internundervisning i avdelingen' AND o.deadline = '2026-12-31' AND u.name = 'Avdeling Fjellvegen'`,
    );
    const page = await t.http.get(`/oppgaver/${id}`).set('Cookie', anne);
    expect(page.text).toContain('<h2>Beskrivelse</h2><p class="prose">Etter årets plan for internundervisning. Frist siste arbeidsdag i måneden.</p>');
    expect(page.text).toContain('Ikke åpnet ennå</span> <span class="muted">åpner 11.12.</span>');
    await t.db.query(`UPDATE task_definition SET legal_basis = 'Forskrift om ledelse og kvalitetsforbedring § 6' WHERE title = 'Internundervisning i avdelingen'`);
    expect((await t.http.get(`/oppgaver/${id}`).set('Cookie', anne)).text).toContain('<strong>Hjemmel:</strong> Forskrift om ledelse og kvalitetsforbedring § 6');
  });

  it('Månedens sjekkliste reads like the paper table, with every status, «x av y utført» and a filter by recipient code', async () => {
    const anne = await signIn(DEMO_PEOPLE.avdelingsleder);
    const december = `/sjekkliste?enhet=${fjellvegen}&maned=2026-12`;
    const first = await t.http.get(december).set('Cookie', anne);
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/<thead><tr><th scope="col">Oppgave<\/th><th scope="col">Frist<\/th><th scope="col">Ansvar<\/th><th scope="col">Lagres<\/th><th scope="col">Utført<\/th><th scope="col">Kommentar<\/th><\/tr><\/thead>/);
    const relatives = rows(first.text).find((r) => r.includes('(FJV-001)') && r.includes(RELATIVES))!;
    expect(relatives).toContain('<span class="status not_open">Ikke åpnet ennå</span>');
    expect(relatives).toContain('<td data-label="Lagres"><span class="muted">forslag: Helseplattformen</span></td>');
    expect(relatives).toContain('<td data-label="Utført"><span class="muted">Ikke utført</span></td>');

    // On 20 December they are open; Per signs one (done, with what he recorded) and Anne another not applicable.
    t.clock.set('2026-12-20T10:00:00Z');
    const per = await t.bearer(DEMO_PEOPLE.primaer);
    const one = await occurrence(RELATIVES, '2026-12-31', 'FJV-001');
    expect((await t.http.post(`/api/v1/occurrences/${one}/sign-offs`).set('Authorization', per).send({ outcome: 'done', comment: 'Ringte verge', storedIn: 'Helseplattformen, notat' })).status).toBe(201);
    const two = await occurrence(RELATIVES, '2026-12-31', 'FJV-002');
    expect((await t.http.post(`/api/v1/occurrences/${two}/sign-offs`).set('Authorization', per).send({ outcome: 'not_applicable', comment: 'Ingen pårørende' })).status).toBe(201);
    const open = await t.http.get(december).set('Cookie', anne);
    const signed = rows(open.text).find((r) => r.includes('(FJV-001)') && r.includes(RELATIVES))!;
    expect(signed).toContain('<span class="status done">Utført</span>');
    expect(signed).toContain('<td data-label="Lagres">Helseplattformen, notat</td>');
    expect(signed).toContain('<td data-label="Utført">Per Primærkontakt<br>20.12.2026 kl. 11:00</td>');
    expect(signed).toContain('<td data-label="Kommentar" class="comment">Ringte verge</td>');
    const notApplicable = rows(open.text).find((r) => r.includes('(FJV-002)') && r.includes(RELATIVES))!;
    expect(notApplicable).toContain('<td data-label="Utført">Ikke aktuelt<br>Per Primærkontakt<br>20.12.2026 kl. 11:00</td>');
    expect(rows(open.text).find((r) => r.includes('(FJV-003)') && r.includes(RELATIVES))).toContain('<span class="status open">Åpen</span>');
    expect(open.text).toMatch(/Årshjul for primærkontakter <span class="progress">2 av 10 utført<\/span>/);
    expect(open.text).toMatch(/Hele måneden: 2 av \d+ utført/);

    // In January: one signed late, the rest overdue.
    t.clock.set('2027-01-05T10:00:00Z');
    const three = await occurrence(RELATIVES, '2026-12-31', 'FJV-003');
    expect((await t.http.post(`/api/v1/occurrences/${three}/sign-offs`).set('Authorization', per).send({ outcome: 'done' })).status).toBe(201);
    const after = await t.http.get(december).set('Cookie', anne);
    expect(rows(after.text).find((r) => r.includes('(FJV-003)') && r.includes(RELATIVES))).toContain('<span class="status done_late">Utført for sent</span>');
    expect(rows(after.text).find((r) => r.includes('(FJV-004)') && r.includes(RELATIVES))).toContain('<span class="status overdue">Forfalt</span>');
    expect(rows(after.text).find((r) => r.includes(REVIEW))).toContain('<span class="status overdue">Forfalt</span>');
    expect(after.text).toMatch(/Årshjul for primærkontakter <span class="progress">3 av 10 utført<\/span>/);

    // Filtered by a recipient's code (codes only): that recipient's rows, and the read is logged.
    const filtered = await t.http.get(`${december}&kode=FJV-004`).set('Cookie', anne);
    expect(filtered.text).toContain('<option value="FJV-004" selected>FJV-004</option>');
    expect(filtered.text).toContain('(FJV-004)');
    expect(filtered.text).not.toContain('(FJV-005)');
    const [logged] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /sjekkliste' ORDER BY id DESC LIMIT 1`);
    expect(logged.recipient_codes).toContain('FJV-004');
    // «Ikke aktuelt» and «Utført for sent» are statuses to filter by, as are «Ikke åpnet ennå» and «Forfalt».
    const late = await t.http.get(`${december}&status=done_late`).set('Cookie', anne);
    expect(late.text).toContain('(FJV-003)');
    expect(late.text).not.toContain('(FJV-004)');
    expect(after.text).toContain('<option value="not_open">Ikke åpnet ennå</option>');

    // The unit column only with the sub-units.
    const withSubunits = await t.http.get(`/sjekkliste?enhet=${boOgHabilitering}&maned=2026-12&underenheter=1`).set('Cookie', await signIn(DEMO_PEOPLE.leder));
    expect(withSubunits.text).toContain('<th scope="col">Enhet</th>');
    expect(after.text).not.toContain('<th scope="col">Enhet</th>');
    expect(withSubunits.text).toContain('<td data-label="Enhet">Avdeling Sjøgata</td>');
    t.clock.set('2026-12-01T08:00:00Z');
  });

  it('Årshjulet: every dot a link to its task, tasks on one day separate dots, 31 December inside December, each month a link with its tasks', async () => {
    const anne = await signIn(DEMO_PEOPLE.avdelingsleder);
    const page = await t.http.get(`/arshjul?enhet=${fjellvegen}&ar=2026`).set('Cookie', anne);
    expect(page.status).toBe(200);
    const dots = [...page.text.matchAll(/<a class="dot" href="\/oppgaver\/([0-9a-f-]{36})" aria-label="([^"]*)" data-deadline="([\d-]+)"><circle cx="([\d.]+)" cy="([\d.]+)"/g)];
    const [{ n }] = await t.db.query(
      `WITH RECURSIVE below AS (SELECT id FROM unit WHERE id = $1 UNION SELECT u.id FROM unit u JOIN below ON u.parent_id = below.id)
       SELECT count(*)::int AS n FROM occurrence WHERE unit_id IN (SELECT id FROM below) AND cancelled_at IS NULL AND deadline BETWEEN '2026-01-01' AND '2026-12-31'`,
      [fjellvegen],
    );
    expect(dots).toHaveLength(n);
    expect(new Set(dots.map((d) => d[1])).size).toBe(n);
    // Ten recipients' tasks on 31 December, and the other December rows that day: no two dots in one place.
    const lastDay = dots.filter((d) => d[3] === '2026-12-31');
    expect(lastDay.length).toBeGreaterThanOrEqual(12);
    expect(new Set(lastDay.map((d) => `${d[4]},${d[5]}`)).size).toBe(lastDay.length);
    // December is the last twelfth of the circle, from 1 December to twelve o'clock: every dot of 31 December lies in it.
    const angle = (x: number, y: number) => ((Math.atan2(y - 260, x - 260) + Math.PI / 2 + 2 * Math.PI) % (2 * Math.PI)) / (2 * Math.PI);
    const decemberStarts = 334 / 365;
    for (const d of lastDay) {
      const [x, y] = [Number(d[4]), Number(d[5])];
      const a = angle(x, y);
      const halfDot = 3.5 / (2 * Math.PI * Math.hypot(x - 260, y - 260)); // the dot's radius, as a share of the circle there
      expect(a - halfDot).toBeGreaterThan(decemberStarts);
      expect(a + halfDot).toBeLessThan(1);
    }
    expect(lastDay.map((d) => d[2])).toContain(`31.12.2026: ${RELATIVES} (FJV-005) – Ikke åpnet ennå`);
    // Each month a link that chooses it for the list beside the wheel, named with its number of tasks.
    expect(page.text).toMatch(new RegExp(`<a class="month-seg chosen" href="/arshjul\\?enhet=${fjellvegen}&amp;ar=2026&amp;maned=2026-12#maneden" aria-label="desember 2026: \\d+ oppgaver">`));
    // The month's label in the picture: its tasks, the same task for ten recipients on one line.
    const tip = page.text.split('<g class="tip" data-m="11" aria-hidden="true">')[1].split('</g>')[0];
    expect(tip).toContain('desember 2026: 13 oppgaver');
    expect(tip).toMatch(/>31\.12\. Kontakt med pårørende\/verge om t[^<]*… \(10\)</);
    expect(tip).toMatch(/>31\.12\. Evaluer årshjulet og planlegg neste[^<]*</);
    // The side list follows the chosen year and month.
    const march = await t.http.get(`/arshjul?enhet=${fjellvegen}&ar=2027&maned=2027-03`).set('Cookie', anne);
    expect(march.text).toContain('<h2 id="maneden">mars 2027</h2>');
    const list = march.text.split('<h2 id="maneden">')[1];
    expect(list).toContain('ROS-analyse vold og trusler');
    expect(list).not.toContain(DEVIATIONS);
    expect(list).toContain('← februar 2027');
    const yearOnly = await t.http.get(`/arshjul?enhet=${fjellvegen}&ar=2027`).set('Cookie', anne);
    expect(yearOnly.text).toContain('<h2 id="maneden">desember 2027</h2>');
  });

  it('opens the wheel and the checklist on the person’s own unit, not the first name in the tree', async () => {
    const lars = await signIn(DEMO_PEOPLE.leder);
    expect((await t.http.get('/arshjul').set('Cookie', lars)).text).toContain('<h1>Årshjulet 2026 – Bo og habilitering</h1>');
    expect((await t.http.get('/sjekkliste').set('Cookie', lars)).text).toContain('Månedens sjekkliste – Bo og habilitering, desember 2026');
    const kari = await signIn(DEMO_PEOPLE.kvalitet);
    expect((await t.http.get('/arshjul').set('Cookie', kari)).text).toContain('<h1>Årshjulet 2026 – Helse og omsorg</h1>');
    const per = await signIn(DEMO_PEOPLE.primaer);
    expect((await t.http.get('/arshjul').set('Cookie', per)).text).toContain('<h1>Årshjulet 2026 – Avdeling Fjellvegen</h1>');
  });
});
