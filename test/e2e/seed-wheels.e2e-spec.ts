import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { LEDERE, unitId, wheelId } from '../utils/demo';
import { MailCatcher } from '../utils/mail-catcher';
import { startTestApp, TestApp } from '../utils/test-app';

const ROOT = join(__dirname, '..', '..');
/** Seed 003's "Årshjul enhet bo og habilitering", copied verbatim from ../shared/seeds/003_*.txt (see test/fixtures/README.md). */
const FIXTURE = join(ROOT, 'test', 'fixtures', 'seed-003-arshjul-for-ledere.txt');
/** The two typos of the source the library corrects; nothing else is changed. */
const TYPOS: Array<[string, string]> = [['ferieansker', 'ferieønsker'], ['fulfjer', 'fullfør']];
const MONTH_HEADINGS = /^(Januar|Februar|Mars|April)\t/;

/** The seed's table as it stands in seed 003: from its heading to the last row of April. */
function tableOf(seedText: string): string {
  const lines = seedText.split('\n');
  const first = lines.indexOf('Årshjul enhet bo og habilitering');
  const last = lines.findIndex((l, n) => n > first && l.startsWith('Planlegg sommeravslutning/sosialt arrangement'));
  return lines.slice(first, last + 1).join('\n') + '\n';
}

/** The task texts of the table: the first cell of each row that is not a month heading, typos corrected. */
function seedRows(table: string): string[] {
  return table
    .split('\n')
    .slice(1)
    .filter((line) => line.includes('\t') && !MONTH_HEADINGS.test(line))
    .map((line) => TYPOS.reduce((text, [typo, fixed]) => text.replace(typo, fixed), line.split('\t')[0].trim()));
}

/** The shared seeds folder, where this checkout sits beside it (a clean clone elsewhere has only the fixture). */
function sharedSeed003(): string | undefined {
  for (const dir of [join(ROOT, '..', 'shared', 'seeds'), join(ROOT, '..', '..', 'shared', 'seeds')]) {
    const file = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('003_')) : undefined;
    if (file) return join(dir, file);
  }
  return undefined;
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'arsplan-'));
  writeFileSync(join(dir, 'plan.pdf'), pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'plan.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('the seed wheels, whole and verbatim, in the demo', () => {
  jest.setTimeout(120_000);
  let mail: MailCatcher;
  let t: TestApp;
  let leder: string;
  let boOgHabilitering: string;
  let sjogata: string;
  const pass = () => t.app.get(RemindersService).pass();

  const signIn = async (email: string) => {
    const res = await t.http.post('/logg-inn').type('form').send({ email, neste: '/oppgaver' });
    expect(res.status).toBe(303);
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };

  beforeAll(async () => {
    mail = await new MailCatcher().start();
    t = await startTestApp({ SMTP_URL: mail.url, MAIL_FROM: 'Årshjul <arshjul@demo.kommune.no>' }, '2026-12-15T08:00:00Z');
    leder = await t.bearer(DEMO_PEOPLE.leder);
    boOgHabilitering = await unitId(t.db, 'Bo og habilitering');
    sjogata = await unitId(t.db, 'Avdeling Sjøgata');

    // A task of a role nobody holds in Avdeling Sjøgata or above it: its occurrence has no owner.
    const [{ municipality_id: municipalityId }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [sjogata]);
    const [{ id: wheel }] = await t.db.query(
      `INSERT INTO wheel (municipality_id, name, kind, description, published) VALUES ($1, 'Sjøgatas eget årshjul', 'custom', '', false) RETURNING id`,
      [municipalityId],
    );
    await t.db.query(
      `INSERT INTO task_definition (municipality_id, wheel_id, title, rrule, starts_on, deadline_shift, responsible_role)
       VALUES ($1, $2, 'Brannøvelse i avdelingen', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15', '2027-01-01', 'previous', 'staff')`,
      [municipalityId, wheel],
    );
    await t.db.query(`INSERT INTO wheel_assignment (municipality_id, wheel_id, unit_id, include_subunits, from_year) VALUES ($1, $2, $3, false, 2027)`, [
      municipalityId,
      wheel,
      sjogata,
    ]);
    const res = await t.http.post(`/api/v1/units/${boOgHabilitering}/materialize?year=2027`).set('Authorization', leder);
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await mail?.stop();
  });

  it("holds seed 003's 23 January–April rows as the leader wheel's titles, exactly, in the seed's order", async () => {
    const fixture = readFileSync(FIXTURE, 'utf8');
    const shared = sharedSeed003();
    // The copy in the repository is the seed's table verbatim (checked wherever the seeds folder is at hand).
    if (shared) expect(fixture).toBe(tableOf(readFileSync(shared, 'utf8')));
    const seed = seedRows(fixture);
    expect(seed).toHaveLength(23);

    const rows: Array<{ title: string; example: boolean }> = await t.db.query(
      `SELECT title, example FROM task_definition WHERE wheel_id = $1 AND source_month BETWEEN 1 AND 4 ORDER BY sort_order`,
      [await wheelId(t.db, LEDERE)],
    );
    expect(rows.map((r) => r.title)).toEqual(seed);
    expect(rows.every((r) => !r.example)).toBe(true);
  });

  it('makes «frist 1. mars» and «frist 1. april» those rows\' deadlines, moved back to a working day', async () => {
    const deadline = async (title: string) =>
      (await t.db.query(
        `SELECT DISTINCT o.deadline FROM occurrence o JOIN task_definition td ON td.id = o.task_id JOIN unit u ON u.id = o.unit_id
          WHERE td.title = $1 AND u.name = 'Avdeling Fjellvegen'`,
        [title],
      )).map((r: { deadline: string }) => r.deadline);
    expect(await deadline('Ansatte registrerer ferieønsker i VFR, frist 1. mars.')).toEqual(['2027-03-01']);
    expect(await deadline('Hovedferien plasseres, frist 1. april')).toEqual(['2027-04-01']);
    // Each employee registers their own wishes: one occurrence for each of Fjellvegen's two staff, owned by them.
    const each = await t.db.query(
      `SELECT p.display_name, array(SELECT oo.person_id FROM occurrence_owner oo WHERE oo.occurrence_id = o.id) = ARRAY[o.person_id] AS own
         FROM occurrence o JOIN task_definition td ON td.id = o.task_id JOIN unit u ON u.id = o.unit_id JOIN person p ON p.id = o.person_id
        WHERE td.title = 'Ansatte registrerer ferieønsker i VFR, frist 1. mars.' AND u.name = 'Avdeling Fjellvegen' ORDER BY 1`,
    );
    expect(each).toEqual([{ display_name: 'Per Primærkontakt', own: true }, { display_name: 'Siri Ansatt', own: true }]);
  });

  it('makes the rows that concern each employee for each staff member, and none for a unit without staff', async () => {
    const perUnit = await t.db.query(
      `SELECT u.name, td.title, count(o.id)::int AS occurrences, count(DISTINCT o.person_id)::int AS people
         FROM task_definition td JOIN occurrence o ON o.task_id = td.id JOIN unit u ON u.id = o.unit_id
        WHERE td.scope = 'person' AND td.wheel_id IN (SELECT id FROM wheel WHERE name = $1)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [LEDERE],
    );
    // The leader wheel reaches all three departments; only Fjellvegen has staff (Per and Siri).
    expect(perUnit).toEqual([{ name: 'Avdeling Fjellvegen', title: 'Ansatte registrerer ferieønsker i VFR, frist 1. mars.', occurrences: 2, people: 2 }]);
    const ownerless = await t.db.query(
      `SELECT count(*)::int AS n FROM occurrence o JOIN task_definition td ON td.id = o.task_id
        WHERE td.scope = 'person' AND NOT EXISTS (SELECT 1 FROM occurrence_owner oo WHERE oo.occurrence_id = o.id)`,
    );
    expect(ownerless).toEqual([{ n: 0 }]);
  });

  it('gives nobody the same task twice in a month of the same unit, across all the demo wheels', async () => {
    const rows: Array<{ person: string; unit: string; recipient: string | null; month: string; title: string }> = await t.db.query(
      `SELECT p.display_name AS person, u.name AS unit, o.recipient_id AS recipient, to_char(o.deadline, 'YYYY-MM') AS month, td.title
         FROM occurrence o JOIN occurrence_owner oo ON oo.occurrence_id = o.id JOIN person p ON p.id = oo.person_id
         JOIN task_definition td ON td.id = o.task_id JOIN unit u ON u.id = o.unit_id
        WHERE o.cancelled_at IS NULL AND o.deadline BETWEEN '2027-01-01' AND '2027-12-31'`,
    );
    expect(rows.length).toBeGreaterThan(300);
    // The same duty under two names ("Utarbeide årets plan for internundervisning" in two wheels) counts too.
    const words = (title: string) => title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    const groups = new Map<string, string[]>();
    for (const r of rows) {
      const key = `${r.person}|${r.unit}|${r.recipient}|${r.month}`;
      groups.set(key, [...(groups.get(key) ?? []), words(r.title)]);
    }
    const twice: string[] = [];
    for (const [key, titles] of groups) {
      titles.forEach((a, i) => titles.forEach((b, j) => i < j && (a.startsWith(b) || b.startsWith(a)) && twice.push(`${key}: ${a}`)));
    }
    expect(twice).toEqual([]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM task_definition WHERE title ILIKE '%plan for internundervisning%'`);
    expect(n).toBe(1);
  });

  it('marks the invented rows «Eksempel» on the checklist, the wheel page and the wheel editor, and never a seed row', async () => {
    t.clock.set('2027-05-10T08:00:00Z');
    const cookie = await signIn(DEMO_PEOPLE.leder);
    const checklist = await t.http.get(`/sjekkliste?enhet=${boOgHabilitering}&maned=2027-05`).set('Cookie', cookie);
    expect(checklist.status).toBe(200);
    expect(checklist.text).toMatch(/Evaluer påske-\/mai-\/pinseturnus<\/a> <span class="example"[^>]*>Eksempel<\/span>/);
    expect(checklist.text).toMatch(/Avdelingsledere lager nye årsturnuser \/ turnuser \/ kalenderplan etter nytt utmål årsverk<\/a>(?! <span class="example")/);

    const wheel = await t.http.get(`/arshjul?enhet=${boOgHabilitering}&ar=2027`).set('Cookie', cookie);
    expect(wheel.text).toMatch(/Evaluer påske-\/mai-\/pinseturnus<\/a> <span class="example"[^>]*>Eksempel<\/span>/);

    const editor = await t.http.get(`/administrasjon/arshjul/${await wheelId(t.db, LEDERE)}`).set('Cookie', await signIn(DEMO_PEOPLE.admin));
    expect(editor.status).toBe(200);
    expect(editor.text).toMatch(/Evaluer påske-\/mai-\/pinseturnus <span class="example"[^>]*>Eksempel<\/span><\/h3>/);
    expect(editor.text).toMatch(/Planlegg HMS-dag<\/h3>/);
  });

  it('marks them in the printed year plan too (PDF, read back with pdftotext)', async () => {
    const res = await t.http
      .get(`/api/v1/units/${boOgHabilitering}/year-plan?year=2027&format=pdf`)
      .set('Authorization', leder)
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const text = pdfText(res.body as Buffer);
    expect(text).toContain('«Eksempel» Evaluer påske-/mai-/pinseturnus');
    expect(text).toContain('«Eksempel» Juleturnus planlegges');
    expect(text).toContain('Planlegg HMS-dag');
    expect(text).not.toContain('«Eksempel» Planlegg HMS-dag');
  });

  it('says «Ingen ansvarlig» for an occurrence nobody owns, in the checklist API and on its page', async () => {
    const res = await t.http.get(`/api/v1/units/${sjogata}/checklist?month=2027-03`).set('Authorization', leder);
    expect(res.status).toBe(200);
    const items = res.body.groups.flatMap((g: { items: Array<{ title: string; owners: unknown[]; ownerless: boolean }> }) => g.items);
    const drill = items.find((i: { title: string }) => i.title === 'Brannøvelse i avdelingen');
    expect(drill).toMatchObject({ owners: [], ownerless: true });
    expect(items.filter((i: { owners: unknown[] }) => i.owners.length > 0).every((i: { ownerless: boolean }) => !i.ownerless)).toBe(true);

    const page = await t.http.get(`/sjekkliste?enhet=${sjogata}&maned=2027-03`).set('Cookie', await signIn(DEMO_PEOPLE.leder));
    expect(page.text).toMatch(/Brannøvelse i avdelingen<\/a>[\s\S]*?<strong class="ownerless">Ingen ansvarlig<\/strong>/);
    const english = await t.http.get(`/sjekkliste?enhet=${sjogata}&maned=2027-03&lang=en`).set('Cookie', await signIn(DEMO_PEOPLE.leder));
    expect(english.text).toContain('<strong class="ownerless">Nobody responsible</strong>');
  });

  it("tells the manager above in the month's checklist, under «Ingen ansvarlig», on the first working day", async () => {
    t.clock.set('2027-03-01T06:00:00Z'); // Monday 07:00 in Oslo
    await pass();
    const monthly = mail.to(DEMO_PEOPLE.leder).find((m) => m.subject === 'Årshjul – Månedens sjekkliste 03.2027 – Bo og habilitering')!;
    expect(monthly).toBeDefined();
    const section = monthly.text.split('Ingen ansvarlig: gi oppgavene en ansvarlig')[1]?.split('Månedens sjekkliste')[0] ?? '';
    expect(section).toContain('- Brannøvelse i avdelingen');
    expect(section).toContain('Enhet: Avdeling Sjøgata');
  });

  it("escalates a manager's own overdue task to the manager above, not back to her", async () => {
    // "Planlegg HMS-dag" in Avdeling Fjellvegen is Anne's (its manager), due Friday 26 February; seven days on it escalates.
    t.clock.set('2027-03-05T06:00:00Z');
    await pass();
    const escalation = 'Årshjul – Forfalt oppgave i din enhet: Planlegg HMS-dag – Avdeling Fjellvegen';
    expect(mail.to(DEMO_PEOPLE.leder).map((m) => m.subject)).toContain(escalation);
    expect(mail.to(DEMO_PEOPLE.avdelingsleder).map((m) => m.subject)).not.toContain(escalation);
  });
});
