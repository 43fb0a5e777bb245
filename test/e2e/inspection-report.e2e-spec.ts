import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { Browser } from 'playwright-core';
import yauzl from 'yauzl';
import { DEMO_MUNICIPALITY, DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { describeInBrowser, launchChromium, screenshot, serveOnFreePort, signedIn } from '../utils/browser';
import { count, createMunicipality, LEDERE, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const PERSON_TASK = 'Legemiddelkurs';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'inspection-report');

/** The file as a buffer, whatever its type: supertest buffers only the types it knows. */
function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** pdftotext (poppler), laid out as on the page: a table row's first lines share a line of text. */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-'));
  writeFileSync(join(dir, 'r.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
}

/** The entries of a zip, read by yauzl (an independent reader of what yazl wrote). */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('entry', (entry: yauzl.Entry) =>
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => (entries.set(entry.fileName, Buffer.concat(chunks)), file.readEntry()));
        }),
      );
      file.on('end', () => resolve(entries));
      file.readEntry();
    });
  });
}

/** What the test did in Avdeling Fjellvegen, line by line, and what the report must say of each. */
interface Expected {
  task: string;
  code?: string;
  person?: string;
  outcome: string;
  signer?: string;
  comment?: string;
  storedIn?: string;
}

describe('the internal control report an inspection receives', () => {
  jest.setTimeout(180_000);
  let t: TestApp;
  let fjellvegen: string;
  let leder: string;
  let kvalitet: string;
  const expected: Expected[] = [];
  const get = (query: string, as = kvalitet) => t.http.get(`/api/v1/audit/report?${query}`).set('Authorization', as).buffer(true).parse(binary as never);
  const year = () => `unitId=${fjellvegen}&from=2027-01-01&to=2027-12-31`;

  const occurrence = async (title: string, extra: { code?: string; person?: string } = {}) => {
    const [row] = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN task_definition td ON td.id = o.task_id LEFT JOIN recipient r ON r.id = o.recipient_id LEFT JOIN person p ON p.id = o.person_id
        WHERE o.unit_id = $1 AND td.title = $2 AND o.deadline BETWEEN '2027-02-01' AND '2027-03-01'
          AND r.code IS NOT DISTINCT FROM $3 AND p.display_name IS NOT DISTINCT FROM $4`,
      [fjellvegen, title, extra.code ?? null, extra.person ?? null],
    );
    return row.id as string;
  };
  const sign = async (id: string, as: string, body: object) => {
    const res = await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', as).send(body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    leder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    // A duty per employee (scope person): one occurrence for each holder of staff in the unit, Per and Siri.
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kompetanse per ansatt', kind: 'custom' });
    const added = await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({
      title: PERSON_TASK, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=25', startsOn: '2027-01-01', responsibleRole: 'staff', scope: 'person',
      storedIn: 'Kompetanseportalen', legalBasis: 'Legemiddelhåndteringsforskriften § 4',
    });
    expect(added.status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/wheels`).set('Authorization', leder).send({ wheelId: wheel.body.id, fromYear: 2027, includeSubunits: false })).status).toBe(201);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', leder)).status).toBe(200);

    // February, before the deadline (Friday 26 February): on time.
    t.clock.set('2027-02-20T09:00:00Z');
    await sign(await occurrence('Planlegg HMS-dag'), leder, { outcome: 'done', comment: 'HMS-dag 22. april', storedIn: 'Teams' });
    expected.push({ task: 'Planlegg HMS-dag', outcome: 'Utført i tide', signer: 'Anne Avdelingsleder', comment: 'HMS-dag 22. april', storedIn: 'Teams' });
    await sign(await occurrence('Kalle inn til seniorsamtaler'), leder, { outcome: 'not_applicable', comment: 'Ingen seniorer i år' });
    expected.push({ task: 'Kalle inn til seniorsamtaler', outcome: 'Ikke aktuelt', signer: 'Anne Avdelingsleder', comment: 'Ingen seniorer i år' });
    await sign(await occurrence('Påse at årskontroll hos fastlege er bestilt', { code: 'FJV-001' }), await t.bearer(DEMO_PEOPLE.primaer), { outcome: 'done', comment: 'Time bestilt', storedIn: 'Compilo' });
    expected.push({ task: 'Påse at årskontroll hos fastlege er bestilt', code: 'FJV-001', outcome: 'Utført i tide', signer: 'Per Primærkontakt', comment: 'Time bestilt', storedIn: 'Compilo' });
    // A duty per employee: Siri registers hers; Per's is left undone.
    await sign(await occurrence(PERSON_TASK, { person: 'Siri Ansatt' }), await t.bearer(DEMO_PEOPLE.ansatt), { outcome: 'done', comment: 'Bestått', storedIn: 'Kurs' });
    expected.push({ task: PERSON_TASK, person: 'Siri Ansatt', outcome: 'Utført i tide', signer: 'Siri Ansatt', comment: 'Bestått', storedIn: 'Kurs' });
    expected.push({ task: PERSON_TASK, person: 'Per Primærkontakt', outcome: 'Ikke utført' });
    // Signed, then corrected with a reason.
    const wrong = await sign(await occurrence('Kalle inn til medarbeidersamtaler i Kompetanseportalen'), leder, { outcome: 'done', comment: 'Innkalt' });
    t.clock.set('2027-02-21T09:00:00Z');
    const corrected = await t.http.post(`/api/v1/sign-offs/${wrong}/corrections`).set('Authorization', leder).send({ reason: 'Feil dato i kommentaren', outcome: 'done', comment: 'Innkalt 18.2.' });
    expect(corrected.status).toBe(201);
    expected.push({ task: 'Kalle inn til medarbeidersamtaler', outcome: 'Utført i tide', signer: 'Anne Avdelingsleder', comment: 'Innkalt 18.2.' });
    // After the deadline: late.
    t.clock.set('2027-03-05T09:00:00Z');
    await sign(await occurrence('Påske-/mai-/pinseturnus planlegges'), leder, { outcome: 'done', comment: 'Turnus klar', storedIn: 'Compilo' });
    expected.push({ task: 'Påske-/mai-/pinseturnus planlegges', outcome: 'Utført for sent', signer: 'Anne Avdelingsleder', comment: 'Turnus klar', storedIn: 'Compilo' });
    // Never signed: by 10 March, not done.
    expected.push({ task: 'Påse at årskontroll hos fastlege blir bestilt', outcome: 'Ikke utført' });
    t.clock.set('2027-03-10T09:30:00Z');
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(() => t?.close());

  let pdf: Buffer;
  let manifest: { chainHead: string; previousHashOfFirst: string; records: number };

  it('is a PDF on A4 in Norwegian with the municipality, unit, period, who made it and when, and page numbers', async () => {
    const jsonl = await t.http.get(`/api/v1/audit/records?${year()}&format=jsonl`).set('Authorization', kvalitet).buffer(true).parse(binary as never);
    manifest = JSON.parse((jsonl.body as Buffer).toString('utf8').trim().split('\n').pop()!).manifest;
    expect(manifest.records).toBe(7); // six sign-offs and a correction

    const res = await get(`${year()}&format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="internkontrollrapport-avdeling-fjellvegen-2027-01-01-2027-12-31.pdf"');
    pdf = res.body as Buffer;
    writeFileSync(join(ARTIFACTS, 'internkontrollrapport.pdf'), pdf);
    const info = execFileSync('pdfinfo', [join(ARTIFACTS, 'internkontrollrapport.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    // The first page as an image, to look at.
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(ARTIFACTS, 'internkontrollrapport.pdf'), join(ARTIFACTS, 'forside')]);
    expect(existsSync(join(ARTIFACTS, 'forside.png'))).toBe(true);

    const text = pdfText(pdf);
    expect(text).toContain('Internkontrollrapport – Avdeling Fjellvegen');
    expect(text).toContain(DEMO_MUNICIPALITY);
    expect(text).toContain('01.01.2027–31.12.2027');
    expect(text).toContain('Kari Kvalitetsrådgiver');
    expect(text).toContain('10.03.2027 kl. 10:30');
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(text).toContain(`Side 1 av ${pages}`);
    expect(text).toContain(`Side ${pages} av ${pages}`);
    expect(text).toMatch(/Sammendrag[\s\S]*Per måned[\s\S]*Per årshjul/);
  });

  it('lists every line with its task, outcome in words, signer, comment and Lagres, corrections with their reason, and codes not names', async () => {
    const lines = pdfText(pdf).split('\n');
    for (const e of expected) {
      const line = lines.find((l) => l.includes(e.task.slice(0, 28)) && (!e.code || l.includes(e.code)) && (!e.person || l.includes(e.person.split(' ')[0])));
      expect({ task: e.task, line }).toEqual({ task: e.task, line: expect.stringContaining(e.outcome) });
      for (const part of [e.signer, e.comment, e.storedIn]) if (part) expect({ task: e.task, line }).toEqual({ task: e.task, line: expect.stringContaining(part) });
    }
    const text = lines.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Begrunnelse: «Feil dato i kommentaren»');
    expect(text).toContain('Erstatter: Utført i tide, signert av Anne Avdelingsleder 20.02.2027 kl. 10:00, kommentar «Innkalt»');
    // Under each task that has one, and in the list of legal bases with their tasks.
    expect(text).toContain('Hjemmel: Legemiddelhåndteringsforskriften');
    expect(text).toMatch(/Hjemmel .*Legemiddelhåndteringsforskriften § 4 Legemiddelkurs /);
  });

  it("gives the chain: the period's records, the hash before the first, the head in full on one line, the verification", async () => {
    const lines = pdfText(pdf).split('\n');
    expect(lines.find((l) => l.includes('Kjedehode (hash av periodens siste post)'))).toContain(manifest.chainHead);
    expect(lines.find((l) => l.includes('Hash før periodens første post'))).toContain(manifest.previousHashOfFirst);
    expect(lines.find((l) => l.includes('Poster signert i perioden'))).toContain('7');
    expect(pdfText(pdf)).toContain('kjeden er hel');
  });

  it('writes the read to the access log with the recipient codes it showed', async () => {
    const [row] = await t.db.query(
      `SELECT a.recipient_codes FROM access_log a JOIN person p ON p.id = a.person_id WHERE a.endpoint = 'GET /api/v1/audit/report' AND p.email = $1 ORDER BY a.id DESC LIMIT 1`,
      [DEMO_PEOPLE.kvalitet],
    );
    expect(row.recipient_codes).toContain('FJV-001');
  });

  it('has the same lines as XLSX: occurrences, summary and corrections', async () => {
    const res = await get(`${year()}&format=xlsx`);
    expect(res.status).toBe(200);
    writeFileSync(join(ARTIFACTS, 'internkontrollrapport.xlsx'), res.body);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Forekomster', 'Sammendrag', 'Rettinger']);
    const sheet = workbook.getWorksheet('Forekomster')!;
    const header = (sheet.getRow(4).values as string[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row, n) => n > 4 && rows.push(row));
    for (const e of expected) {
      const row = rows.find((r) => String(r.getCell(col('Oppgave')).value).includes(e.task) && (!e.code || r.getCell(col('Mottaker (kode)')).value === e.code) && (!e.person || r.getCell(col('Ansatt')).value === e.person));
      expect({ task: e.task, found: !!row }).toEqual({ task: e.task, found: true });
      expect(row!.getCell(col('Utfall')).value).toBe(e.outcome);
      if (e.signer) expect(row!.getCell(col('Signert av')).value).toBe(e.signer);
      if (e.comment) expect(e.outcome === 'Ikke aktuelt' ? row!.getCell(col('Begrunnelse (ikke aktuelt)')).value : row!.getCell(col('Kommentar')).value).toBe(e.comment);
      if (e.storedIn) expect(row!.getCell(col('Lagres')).value).toBe(e.storedIn);
    }
    const pdfLines = (pdfText(pdf).match(/\d\d\.\d\d\.2027 {2,}/g) ?? []).length;
    expect(rows.length).toBeGreaterThanOrEqual(expected.length);
    expect(pdfLines).toBeGreaterThanOrEqual(rows.length); // every occurrence row of the sheet is a line of the PDF
    const corrections = workbook.getWorksheet('Rettinger')!;
    expect((corrections.getRow(5).values as string[]).slice(1)).toEqual(
      expect.arrayContaining(['Feil dato i kommentaren', 'Anne Avdelingsleder', 'Utført i tide, kommentar «Innkalt 18.2.»']),
    );
    const summary = workbook.getWorksheet('Sammendrag')!;
    const summaryText: string[] = [];
    summary.eachRow((r) => summaryText.push((r.values as unknown[]).slice(1).join(' | ')));
    expect(summaryText.join('\n')).toContain(manifest.chainHead);
  });

  it('counts as the compliance report does, and with subtree=true gives the chain of every unit below', async () => {
    const compliance = await t.http.get(`/api/v1/audit/compliance?${year()}&groupBy=month`).set('Authorization', kvalitet);
    const february = compliance.body.rows.find((r: { group: string }) => r.group === '2027-02');
    const res = await get(`unitId=${await unitId(t.db, 'Bo og habilitering')}&from=2027-01-01&to=2027-12-31&subtree=true&format=xlsx`);
    expect(res.status).toBe(200);
    const own = await get(`${year()}&format=xlsx`);
    const read = async (file: typeof own.body) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file);
      const rows: unknown[][] = [];
      workbook.getWorksheet('Sammendrag')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      return rows;
    };
    const ownRows = await read(own.body);
    expect(ownRows.find((r) => r[0] === 'Februar 2027')).toEqual([
      'Februar 2027', february.planned, february.doneOnTime, february.doneLate, february.notApplicable, february.overdue, february.open, february.shareOnTime,
    ]);
    const subtreeRows = await read(res.body);
    expect(subtreeRows.map((r) => r[0])).toEqual(expect.arrayContaining(['Bo og habilitering', 'Avdeling Fjellvegen']));
    expect(subtreeRows.map((r) => String(r[1] ?? ''))).toContain(manifest.chainHead);
  });

  it('reports on one legal basis', async () => {
    const res = await get(`${year()}&format=xlsx&legalBasis=legemiddelh%C3%A5ndteringsforskriften`);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body);
    const tasks: string[] = [];
    workbook.getWorksheet('Forekomster')!.eachRow((r, n) => n > 4 && tasks.push(String(r.getCell(3).value)));
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks).toContain(PERSON_TASK);
    expect(tasks.some((task) => task.includes('egenvurdering av legemiddelhåndteringsrutinene'))).toBe(true);
    expect(tasks).not.toContain('Planlegg HMS-dag');
  });

  it('lists records by deadline as well as by signing time', async () => {
    const records = (basis: string) => t.http.get(`/api/v1/audit/records?unitId=${fjellvegen}&from=2027-02-01&to=2027-02-28&basis=${basis}`).set('Authorization', kvalitet);
    const bySigning = await records('signed');
    const byDeadline = await records('deadline');
    const titles = (res: { body: { items: Array<{ snapshot: { taskTitle: string } }> } }) => res.body.items.map((r) => r.snapshot.taskTitle);
    // Signed on 5 March for a February deadline: February's by deadline, March's by signing time.
    expect(titles(byDeadline)).toContain('Påske-/mai-/pinseturnus planlegges');
    expect(titles(bySigning)).not.toContain('Påske-/mai-/pinseturnus planlegges');
    expect((await records('due')).body.errors).toEqual([{ field: 'basis', message: 'must be signed or deadline' }]);
  });

  describe('bad input gets a problem naming the field, and nothing is written', () => {
    it.each([
      ['no from', `unitId=UNIT&to=2027-12-31`, 422, 'from'],
      ['a date not in the calendar', `unitId=UNIT&from=2027-02-30&to=2027-12-31`, 422, 'from'],
      ['from after to', `unitId=UNIT&from=2027-12-31&to=2027-01-01`, 422, 'to'],
      ['more than two years', `unitId=UNIT&from=2027-01-01&to=2029-01-01`, 422, 'to'],
      ['an unknown format', `unitId=UNIT&from=2027-01-01&to=2027-12-31&format=docx`, 422, 'format'],
      ['a fødselsnummer as legal basis', `unitId=UNIT&from=2027-01-01&to=2027-12-31&legalBasis=15076500565`, 422, 'legalBasis'],
      ['an unknown wheel', `unitId=UNIT&from=2027-01-01&to=2027-12-31&wheelId=00000000-0000-4000-8000-000000000000`, 404, 'wheelId'],
    ])('%s', async (_, query, status, field) => {
      const logged = await count(t.db, 'access_log');
      const res = await t.http.get(`/api/v1/audit/report?${query.replace('UNIT', fjellvegen)}`).set('Authorization', kvalitet);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count(t.db, 'access_log')).toBe(logged);
    });

    it('an unknown unit is not found, another municipality’s unit too, and staff may not read it', async () => {
      for (const unit of ['00000000-0000-4000-8000-000000000000', (await createMunicipality(t.db, 'Annen kommune', 'admin@annen.test')).unitId]) {
        const res = await t.http.get(`/api/v1/audit/report?unitId=${unit}&from=2027-01-01&to=2027-12-31`).set('Authorization', kvalitet);
        expect(res.status).toBe(404);
        expect(res.body.errors).toEqual([{ field: 'unitId', message: 'is no unit of your municipality' }]);
      }
      expect((await get(year(), await t.bearer(DEMO_PEOPLE.ansatt))).status).toBe(403);
      // A wheel of the municipality that Avdeling Fjellvegen follows narrows the report.
      expect((await get(`${year()}&wheelId=${await wheelId(t.db, LEDERE)}&format=xlsx`)).status).toBe(200);
    });
  });

  describeInBrowser('in a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it('the zip holds the PDF, records.jsonl with its manifest and verify.html, which shows the chain intact offline and the broken line of a changed copy', async () => {
      const res = await get(`${year()}&format=zip`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      const entries = await unzip(res.body);
      expect([...entries.keys()].sort()).toEqual(['LESMEG.txt', 'internkontrollrapport.pdf', 'records.jsonl', 'verify.html']);
      const jsonl = entries.get('records.jsonl')!.toString('utf8');
      const lines = jsonl.trim().split('\n');
      const zipManifest = JSON.parse(lines[lines.length - 1]).manifest;
      expect(zipManifest.chainHead).toBe(manifest.chainHead);
      expect(pdfText(entries.get('internkontrollrapport.pdf')!)).toContain(manifest.chainHead);

      const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
      for (const [name, content] of entries) writeFileSync(join(dir, name), content);
      // One character changed in the second record (its comment or a name): the link to the third breaks.
      const tampered = [...lines];
      tampered[1] = tampered[1].replace('"comment":"', '"comment":"X');
      expect(tampered[1]).not.toBe(lines[1]);
      writeFileSync(join(dir, 'endret.jsonl'), tampered.join('\n') + '\n');

      const context = await browser.newContext({ offline: true, locale: 'nb-NO' });
      const requests: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(pathToFileURL(join(dir, 'verify.html')).href);
      await page.setInputFiles('#file', join(dir, 'records.jsonl'));
      await page.locator('#status.ok, #status.broken').waitFor();
      expect(await page.locator('#status').textContent()).toBe('Kjeden er hel: alle 7 poster henger sammen, og siste hash er lik manifestets chainHead.');
      expect(await page.locator('#head').textContent()).toBe(manifest.chainHead);
      await page.screenshot({ path: join(ARTIFACTS, 'verify-hel.png'), fullPage: true });

      await page.setInputFiles('#file', join(dir, 'endret.jsonl'));
      await page.locator('#status.broken').waitFor();
      expect(await page.locator('#status').textContent()).toContain('Kjeden er brutt');
      expect(await page.locator('#first').textContent()).toContain('Linje 3: Linje 3 henger ikke sammen med linje 2');
      await page.screenshot({ path: join(ARTIFACTS, 'verify-brutt.png'), fullPage: true });
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]); // nothing refused by its Content-Security-Policy
      await context.close();
    });

    it('the Internkontroll page lists the year’s records by deadline and links the report as PDF, XLSX and zip', async () => {
      const base = await serveOnFreePort(t);
      for (const width of [1280, 375]) {
        // No axe-core here: the pages' own Content-Security-Policy stays in force.
        const page = await signedIn(browser, base, 'Kari Kvalitetsrådgiver', { bypassCSP: false, viewport: { width, height: 900 } });
        const context = page.context();
        await page.goto(`/internkontroll?enhet=${fjellvegen}&ar=2027`);
        const records = page.locator('section[aria-labelledby="poster"] tbody tr');
        // By deadline: the late sign-off of 5 March sits with February's tasks, before March's.
        const firstCells = await records.locator('td:first-child').allTextContents();
        expect(firstCells).toEqual([...firstCells].sort((a, b) => a.split('.').reverse().join('').localeCompare(b.split('.').reverse().join(''))));
        await expect(records.filter({ hasText: 'Påske-/mai-/pinseturnus planlegges' }).locator('td').first().textContent()).resolves.toBe('26.02.2027');
        await screenshot(page, `internkontroll-rapport-${width}`);
        for (const [name, type] of [['Internkontrollrapport (PDF)', 'application/pdf'], ['Internkontrollrapport (Excel)', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], ['Rapport, poster og kontrollside (zip)', 'application/zip']]) {
          const href = await page.getByRole('link', { name }).getAttribute('href');
          // A plain link with the session cookie: no script needed.
          const file = await context.request.get(href!);
          expect(file.status()).toBe(200);
          expect(file.headers()['content-type']).toBe(type);
        }
        await context.close();
      }
    });
  });
});
