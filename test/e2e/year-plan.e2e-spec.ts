import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { parseDocument } from 'htmlparser2';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, createMunicipality, LEDERE, MEDICINES_SELF_ASSESSMENT, SEED_FEBRUARY_ROWS, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';
import { YearPlanRenderer } from '../../src/year-plan/year-plan.renderer';
import { MONTHS_NB, YearPlan } from '../../src/year-plan/year-plan';

const MONTHS = ['Januar', 'Februar', 'Mars', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Desember'];
const SEED_JANUARY_ROWS = [
  'Heng opp informasjon om sommerpuljer (når delestrek er avklart)',
  'Utarbeide årets plan for internundervisning i avdeling. Benytt gjerne NAKU sine temasider og oppdeling',
  'VFR: Fyller inn eventuell overført ferie og avspasering for ansatte',
];
const COMMENT = 'HMS-dagen er satt til 22. april – Åse og Øystein holder i det';

/** The file as a buffer, whatever its type: supertest buffers only the types it knows. */
function binary(res: NodeJS.ReadableStream & { setEncoding(e: string): void; on(e: string, f: (x?: unknown) => void): void }, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c as Buffer));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** pdftotext (poppler) reads the PDF as a person would see its text, laid out as on the page. */
function pdfText(pdf: Buffer, layout = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'arsplan-'));
  writeFileSync(join(dir, 'plan.pdf'), pdf);
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', join(dir, 'plan.pdf'), '-'], { encoding: 'utf8' });
}

const squash = (text: string) => text.replace(/\s+/g, ' ');

/** The files as downloaded, to look at (pdftoppm, Word, Excel). */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'year-plan');
function keep(name: string, file: Buffer): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), file);
}

/** The rows of every table in mammoth's HTML, each as its cells' text. */
function htmlTables(html: string): { headers: string[][]; rows: string[][] } {
  const doc = parseDocument(html);
  const headers: string[][] = [];
  const rows: string[][] = [];
  const text = (node: any): string => (node.type === 'text' ? node.data : (node.children ?? []).map(text).join(''));
  const walk = (node: any) => {
    if (node.name === 'tr') {
      const cells = (node.children ?? []).filter((c: any) => c.name === 'td' || c.name === 'th');
      (cells.some((c: any) => c.name === 'th') ? headers : rows).push(cells.map((c: any) => text(c).trim()));
      return;
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(doc);
  return { headers, rows };
}

describe('the year plan of a unit, printed as the table people know', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let fjellvegen: string;
  let leder: string;
  const get = (path: string, as: string) => t.http.get(path).set('Authorization', as).buffer(true).parse(binary as never);

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    leder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    const materialised = await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', leder);
    expect(materialised.status).toBe(200);

    // In February: one task done with a comment, one not applicable, one recipient task done by its primary contact.
    t.clock.set('2027-02-20T09:00:00Z');
    const occurrence = async (title: string, code?: string) => {
      const [row] = await t.db.query(
        `SELECT o.id FROM occurrence o JOIN task_definition td ON td.id = o.task_id LEFT JOIN recipient r ON r.id = o.recipient_id
          WHERE o.unit_id = $1 AND td.title = $2 AND o.deadline BETWEEN '2027-02-01' AND '2027-02-28' AND r.code IS NOT DISTINCT FROM $3`,
        [fjellvegen, title, code ?? null],
      );
      return row.id as string;
    };
    const sign = async (id: string, as: string, body: object) => {
      const res = await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', as).send(body);
      expect(res.status).toBe(201);
    };
    await sign(await occurrence('Planlegg HMS-dag'), leder, { outcome: 'done', comment: COMMENT, storedIn: 'Teams: HMS-kanalen' });
    await sign(await occurrence('Kalle inn til seniorsamtaler'), leder, { outcome: 'not_applicable', comment: 'Ingen seniorer i avdelingen i år' });
    await sign(await occurrence('Påse at årskontroll hos fastlege er bestilt', 'FJV-001'), await t.bearer(DEMO_PEOPLE.primaer), { outcome: 'done', comment: 'Time bestilt' });
    // "Påse at årskontroll hos fastlege blir bestilt" is left unsigned: by 10 March it is overdue.
    t.clock.set('2027-03-10T09:30:00Z');
  });
  afterAll(() => t?.close());

  it('downloads as PDF: A4 landscape, the unit, every month, the seed rows verbatim with æøå, page numbers and the date printed', async () => {
    const res = await get(`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=pdf`, leder);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="arsplan-avdeling-fjellvegen-2027.pdf"');
    expect(res.headers['cache-control']).toBe('no-store');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    keep('arsplan-avdeling-fjellvegen-2027.pdf', pdf);

    const text = pdfText(pdf);
    expect(text).toContain('Årsplan 2027 – Avdeling Fjellvegen');
    expect(text).toContain('Skrevet ut 10.03.2027 kl. 10:30'); // Oslo, not UTC
    for (const month of MONTHS) expect(text).toContain(`${month} 2027`);
    for (const column of ['Oppgave', 'Frist', 'Ansvar', 'Lagres', 'Utført', 'Kommentar']) expect(text).toContain(column);
    expect(text).toMatch(/Side 1 av \d+/);
    const pages = Number(/Side 1 av (\d+)/.exec(text)![1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Side ${pages} av ${pages}`);
    // Long titles wrap inside their cell; read in text order, each is there word for word.
    const flowing = squash(pdfText(pdf, false));
    for (const title of [...SEED_JANUARY_ROWS, ...SEED_FEBRUARY_ROWS]) expect(flowing).toContain(title);
    expect(flowing).toContain('Påse at årskontroll hos fastlege er bestilt (FJV-001)');
    expect(flowing).toContain('Leder: Anne Avdelingsleder');
    expect(flowing).toContain('Primærkontakt: Per Primærkontakt');
    // Blank for planning: nobody's signature or comment on it.
    expect(flowing).not.toContain('Ikke utført');
    expect(flowing).not.toContain(COMMENT);
    // The page is A4 landscape: 842 × 595 points.
    const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
  });

  it('filled in, the PDF holds who signed and when, the comment, what was recorded, "Ikke aktuelt" and "Ikke utført"', async () => {
    const res = await get(`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=pdf&filled=true`, leder);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="arsplan-avdeling-fjellvegen-2027-utfylt.pdf"');
    keep('arsplan-avdeling-fjellvegen-2027-utfylt.pdf', res.body);
    const flowing = squash(pdfText(res.body, false));
    expect(flowing).toContain('Anne Avdelingsleder, 20.02.2027');
    expect(flowing).toContain(COMMENT);
    expect(flowing).toContain('Teams: HMS-kanalen');
    expect(flowing).toContain('Ikke aktuelt (Anne Avdelingsleder, 20.02.2027)');
    expect(flowing).toContain('Ingen seniorer i avdelingen i år');
    expect(flowing).toContain('Per Primærkontakt, 20.02.2027');
    expect(flowing).toContain('Ikke utført');
    expect(flowing).toContain('Utfylt: det som er signert per 10.03.2027');
  });

  it('downloads as Word: a heading per month and a real table whose header row is Oppgave | Frist | Ansvar | Lagres | Utført | Kommentar', async () => {
    const res = await get(`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=docx&filled=true`, await t.bearer(DEMO_PEOPLE.kvalitet));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toBe('attachment; filename="arsplan-avdeling-fjellvegen-2027-utfylt.docx"');
    keep('arsplan-avdeling-fjellvegen-2027-utfylt.docx', res.body);
    const { value: html } = await mammoth.convertToHtml({ buffer: res.body });
    for (const month of MONTHS) expect(html).toContain(`<h1>${month} 2027</h1>`);
    const { headers, rows } = htmlTables(html);
    expect(headers).toHaveLength(12);
    for (const header of headers) expect(header).toEqual(['Oppgave', 'Frist', 'Ansvar', 'Lagres', 'Utført', 'Kommentar']);
    const hms = rows.find((r) => r[0] === 'Planlegg HMS-dag');
    expect(hms).toEqual(['Planlegg HMS-dag', '26.02.2027', 'Leder: Anne Avdelingsleder', 'Teams: HMS-kanalen', 'Anne Avdelingsleder, 20.02.2027', COMMENT]);
    for (const title of SEED_FEBRUARY_ROWS) expect(rows.map((r) => r[0])).toContain(title);
    expect(rows.find((r) => r[0] === 'Påse at årskontroll hos fastlege blir bestilt')?.[4]).toBe('Ikke utført');
    expect(rows.find((r) => r[0] === 'Kalle inn til seniorsamtaler')?.[4]).toBe('Ikke aktuelt (Anne Avdelingsleder, 20.02.2027)');
    // Several wheels: each month's rows come under the wheel's name.
    expect(rows.some((r) => r.length === 1 && r[0] === LEDERE)).toBe(true);
  });

  it('downloads as Excel: one sheet with a title, the header row, month heading rows and the rows with dates', async () => {
    const wheel = await wheelId(t.db, LEDERE);
    const res = await get(`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=xlsx&wheelId=${wheel}`, await t.bearer(DEMO_PEOPLE.ansatt));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="arsplan-avdeling-fjellvegen-2027.xlsx"');
    keep('arsplan-avdeling-fjellvegen-2027.xlsx', res.body);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.worksheets[0];
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)[0]).toBe('Årsplan 2027 – Avdeling Fjellvegen');
    expect(values(2)[0]).toContain(LEDERE);
    expect(values(4)).toEqual(['Oppgave', 'Frist', 'Ansvar', 'Lagres', 'Utført', 'Kommentar']);
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.pageSetup.orientation).toBe('landscape');
    expect(sheet.pageSetup.printTitlesRow).toBe('4:4');
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => n > 4 && rows.push((row.values as unknown[]).slice(1)));
    const monthRows = rows.filter((r) => typeof r[0] === 'string' && MONTHS.some((m) => r[0] === `${m} 2027`));
    expect(monthRows.map((r) => r[0])).toEqual(MONTHS.map((m) => `${m} 2027`));
    const egen = rows.find((r) => r[0] === MEDICINES_SELF_ASSESSMENT)!;
    expect(egen[1]).toEqual(new Date(Date.UTC(2027, 1, 26)));
    expect(egen[2]).toBe('Leder: Anne Avdelingsleder');
    expect(egen[3]).toBe('Compilo');
    for (const title of [...SEED_JANUARY_ROWS, ...SEED_FEBRUARY_ROWS]) expect(rows.map((r) => r[0])).toContain(title);
    // One wheel asked for: no recipient rows, and blank Utført and Kommentar.
    expect(rows.some((r) => String(r[0]).includes('FJV-'))).toBe(false);
    expect(rows.find((r) => r[0] === 'Planlegg HMS-dag')!.slice(4).filter(Boolean)).toEqual([]);
  });

  it('writes the recipient codes it prints to the access log, never a name', async () => {
    const before = await count(t.db, 'access_log', `endpoint = 'GET /api/v1/units/:id/year-plan'`);
    const res = await get(`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=xlsx`, leder);
    expect(res.status).toBe(200);
    const [entry] = await t.db.query(`SELECT recipient_codes FROM access_log WHERE endpoint = 'GET /api/v1/units/:id/year-plan' ORDER BY at DESC, id DESC LIMIT 1`);
    expect(await count(t.db, 'access_log', `endpoint = 'GET /api/v1/units/:id/year-plan'`)).toBe(before + 1);
    expect(entry.recipient_codes).toEqual(Array.from({ length: 10 }, (_, i) => `FJV-${String(i + 1).padStart(3, '0')}`));
  });

  it('refuses a bad year, an unknown format, an unknown unit or wheel, another municipality and a year not yet made, with problem+json', async () => {
    const fake = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[string, number, string]> = [
      [`/api/v1/units/${fjellvegen}/year-plan?year=2027-13&format=pdf`, 422, 'year'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=1999&format=pdf`, 422, 'year'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=odt`, 422, 'format'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=2027`, 422, 'format'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=pdf&filled=ja`, 422, 'filled'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=pdf&wheelId=abc`, 422, 'wheelId'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=pdf&wheelId=${fake}`, 404, 'Wheel'],
      [`/api/v1/units/${fake}/year-plan?year=2027&format=pdf`, 404, 'Unit'],
      [`/api/v1/units/${fjellvegen}/year-plan?year=2031&format=pdf`, 422, 'year'],
    ];
    for (const [path, status, field] of cases) {
      const res = await t.http.get(path).set('Authorization', leder);
      expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({ path, status, type: 'application/problem+json; charset=utf-8' });
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const notMade = await t.http.get(`/api/v1/units/${fjellvegen}/year-plan?year=2031&format=pdf`).set('Authorization', leder);
    expect(notMade.body.type).toBe('/problems/year-not-materialised');
    expect(notMade.body.detail).toContain('materialize?year=2031');

    const other = await createMunicipality(t.db, 'Speilvik kommune', 'admin@speilvik.kommune.no');
    const outsider = await t.bearer('admin@speilvik.kommune.no');
    const foreign = await t.http.get(`/api/v1/units/${fjellvegen}/year-plan?year=2027&format=pdf`).set('Authorization', outsider);
    expect(foreign.status).toBe(404);
    expect(foreign.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const ownEmpty = await t.http.get(`/api/v1/units/${other.unitId}/year-plan?year=2027&format=pdf`).set('Authorization', outsider);
    expect(ownEmpty.status).toBe(422);
  });

  it("writes a large unit's year (5,000 rows) in a worker, without holding up other requests", async () => {
    const months = MONTHS_NB.map((name, i) => ({ month: i + 1, name, sections: [{ wheelName: null, rows: [] as YearPlan['months'][number]['sections'][number]['rows'] }] }));
    for (let n = 0; n < 5000; n++) {
      const deadline = `2027-${String((n % 12) + 1).padStart(2, '0')}-26`;
      months[n % 12].sections[0].rows.push({
        task: `Kontakt med pårørende/verge om tjenestetilbudet (STOR-${n})`, deadline, deadlineText: deadline.split('-').reverse().join('.'),
        responsible: 'Primærkontakt: Máret Čuđe', storedIn: 'Helseplattformen', done: n % 3 ? 'Máret Čuđe, 20.02.2027' : 'Ikke utført', comment: '',
      });
    }
    const plan: YearPlan = { title: 'Årsplan 2027 – Stor enhet', subtitle: 'Alle årshjul', printed: 'Skrevet ut 10.03.2027 kl. 10:30', unitName: 'Stor enhet', year: 2027, filled: true, rowCount: 5000, months };
    const renderer = t.app.get(YearPlanRenderer);
    for (const format of ['pdf', 'xlsx'] as const) {
      let longestStall = 0;
      let last = Date.now();
      const ticks = setInterval(() => {
        longestStall = Math.max(longestStall, Date.now() - last - 20);
        last = Date.now();
      }, 20);
      const started = Date.now();
      // Meanwhile the service answers others: a health check during the big file.
      const [file, health] = await Promise.all([renderer.render(plan, format), t.http.get('/health/live')]);
      clearInterval(ticks);
      console.log(`year plan of 5,000 rows as ${format}: ${Date.now() - started} ms, ${Math.round(file.length / 1024)} kB, longest event-loop stall ${longestStall} ms`);
      expect(health.status).toBe(200);
      // Written in this thread it would stall for the whole file (seconds); under a loaded CI a tick may still be late.
      expect(longestStall).toBeLessThan(2500);
      if (format === 'pdf') {
        const text = squash(pdfText(file, false));
        expect(text).toContain('Kontakt med pårørende/verge om tjenestetilbudet (STOR-4999)');
        // Sámi letters too, which the standard Helvetica cannot print.
        expect(text).toContain('Primærkontakt: Máret Čuđe');
      }
    }
  });
});
