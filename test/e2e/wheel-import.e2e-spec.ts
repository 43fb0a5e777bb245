import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { WheelImportService } from '../../src/wheel-import/wheel-import.service';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { createMunicipality, LEDERE, unitId, wheelId } from '../utils/demo';
import { seed003Docx, seed003Text, seed003Xlsx, SEED_003_ROWS, SEED_003_TITLE } from '../utils/seed-003-wheel';
import { startTestApp, TestApp } from '../utils/test-app';
import { zip } from '../utils/zip-writer';

interface Row {
  line: number;
  taskId: string;
  title: string;
  month: number;
  rrule: string | null;
  startsOn: string | null;
  shift: string;
  responsibleRole: string;
  scope: string;
  storedIn: string | null;
  reviewNote: string | null;
  warnings: Array<{ code: string; message: string }>;
}

/** Seed 003's wheel, typed into Excel, Word and a pasted text, imported as a draft the unit owns. */
describe('importing a wheel from Word, Excel and pasted text', () => {
  let t: TestApp;
  let admin: string;
  let leder: string;
  let avdelingsleder: string;
  let boOgHab: string;
  let fjellvegen: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-02-10T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    leder = await t.bearer(DEMO_PEOPLE.leder);
    avdelingsleder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    boOgHab = await unitId(t.db, 'Bo og habilitering');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
  });
  afterAll(() => t.close());

  const upload = (auth: string, file: Buffer | null, filename: string, fields: Record<string, string> = {}) => {
    let req = t.http.post('/api/v1/wheels/import').set('Authorization', auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return file ? req.attach('file', file, filename) : req;
  };
  const deadlines = async (row: Row, year: number): Promise<string[]> => {
    const res = await t.http.post('/api/v1/schedules/preview').set('Authorization', admin).send({ rrule: row.rrule, startsOn: row.startsOn, shift: row.shift, year, timezone: 'Europe/Oslo' });
    expect(res.status).toBe(200);
    return res.body.dates.map((d: { deadline?: string } | string) => (typeof d === 'string' ? d : d.deadline));
  };

  /** What the Done-when asks of every format: 23 verbatim texts, the two frister, recipients, only the unknown role flagged. */
  async function expectSeed003(rows: Row[]): Promise<void> {
    expect(rows.map((r) => r.title)).toEqual(SEED_003_ROWS.map((r) => r.title));
    expect(rows.map((r) => r.month)).toEqual(SEED_003_ROWS.map((r) => r.month));
    const byTitle = (start: string) => rows.find((r) => r.title.startsWith(start))!;
    expect(await deadlines(byTitle('Ansatte registrerer ferieansker'), 2027)).toEqual(['2027-03-01']);
    expect(await deadlines(byTitle('Hovedferien plasseres'), 2027)).toEqual(['2027-04-01']);
    // Any other row: its month's last working day (28 February 2027 is a Sunday).
    expect(await deadlines(byTitle('Planlegg HMS-dag'), 2027)).toEqual(['2027-02-26']);
    expect(await deadlines(byTitle('Gjennomfør HMS-dag'), 2027)).toEqual(['2027-04-30']);
    expect(rows.filter((r) => r.scope === 'recipient').map((r) => r.title)).toEqual(SEED_003_ROWS.filter((r) => r.ansvar === 'Primærkontakt').map((r) => r.title));
    expect(rows.filter((r) => r.scope === 'recipient').every((r) => r.responsibleRole === 'primary_contact')).toBe(true);
    expect(byTitle('Ressursfordelingskartlegging').responsibleRole).toBe('resource_team');
    expect(byTitle('Gjennomfør HMS-dag').responsibleRole).toBe('staff');
    // «Alle ansatte»: one task per employee, each signing their own (scope person), not one shared by all.
    expect(rows.filter((r) => r.scope === 'person').map((r) => r.title)).toEqual(SEED_003_ROWS.filter((r) => r.ansvar === 'Alle ansatte').map((r) => r.title));
    expect(rows.filter((r) => r.reviewNote !== null).map((r) => [r.title, r.warnings.map((w) => w.code)])).toEqual([
      [SEED_003_ROWS[1].title, ['unknown-role']],
    ]);
    expect(byTitle('Utarbeide årets plan').reviewNote).toContain('fagkoordinator');
    expect(byTitle('VFR:').storedIn).toBe('VFR');
  }

  let xlsxDraft: string;
  it('an Excel workbook as the unit keeps it becomes a draft of the unit with all 23 rows', async () => {
    const res = await upload(leder, await seed003Xlsx(), 'årshjul.xlsx', { unitId: boOgHab });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', name: SEED_003_TITLE, ownerUnitId: boOgHab, replacesWheelId: null, format: 'xlsx', problems: [] });
    await expectSeed003(res.body.rows);
    xlsxDraft = res.body.wheelId;
    const [wheel] = await t.db.query(`SELECT status, owner_unit_id FROM wheel WHERE id = $1`, [xlsxDraft]);
    expect(wheel).toEqual({ status: 'draft', owner_unit_id: boOgHab });
    const stored = await t.db.query(`SELECT title, source_month, source_line, responsible_text, review_note FROM task_definition WHERE wheel_id = $1 ORDER BY sort_order`, [xlsxDraft]);
    expect(stored.map((s: { title: string }) => s.title)).toEqual(SEED_003_ROWS.map((r) => r.title));
    expect(stored[1]).toMatchObject({ source_month: 1, source_line: 5, responsible_text: 'Fagkoordinator' });
    expect(stored.filter((s: { review_note: string | null }) => s.review_note).length).toBe(1);
  });

  it('a Word document does the same, for a department manager in their own department', async () => {
    const res = await upload(avdelingsleder, await seed003Docx(), 'arshjul.docx', { unitId: fjellvegen });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', ownerUnitId: fjellvegen, format: 'docx', problems: [] });
    await expectSeed003(res.body.rows);
  });

  it('a table pasted as text (tabs) does the same; without a unit the wheel is the municipality’s', async () => {
    const res = await upload(admin, seed003Text(), 'limt-inn.txt', { name: 'Limt inn' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', name: 'Limt inn', ownerUnitId: null, format: 'text', problems: [] });
    await expectSeed003(res.body.rows);
  });

  it('importing the same file again into the draft updates its rows and duplicates none', async () => {
    const before = await t.db.query(`SELECT id, title FROM task_definition WHERE wheel_id = $1 ORDER BY id`, [xlsxDraft]);
    const again = await upload(leder, await seed003Xlsx(), 'årshjul.xlsx', { wheelId: xlsxDraft });
    expect(again.status).toBe(201);
    expect(again.body.wheelId).toBe(xlsxDraft);
    expect(await t.db.query(`SELECT id, title FROM task_definition WHERE wheel_id = $1 ORDER BY id`, [xlsxDraft])).toEqual(before);

    // One row dropped, one changed, one added: the dropped and the old wording are archived, the new ones added.
    const rows = SEED_003_ROWS.filter((r) => r.title !== 'Kalle inn til seniorsamtaler').map((r) => (r.title === 'Planlegg HMS-dag' ? { ...r, title: 'Planlegg HMS-dag og fagdag' } : r));
    rows.push({ month: 4, title: 'Evaluer vinterens turnus', ansvar: 'Avdelingsleder', lagres: '' });
    const changed = await upload(leder, await seed003Xlsx(rows), 'årshjul.xlsx', { wheelId: xlsxDraft });
    expect(changed.status).toBe(201);
    expect(changed.body.archived).toBe(2);
    const [{ active, archived }] = await t.db.query(
      `SELECT count(*) FILTER (WHERE archived_at IS NULL)::int AS active, count(*) FILTER (WHERE archived_at IS NOT NULL)::int AS archived FROM task_definition WHERE wheel_id = $1`,
      [xlsxDraft],
    );
    expect({ active, archived }).toEqual({ active: 23, archived: 2 });
    // Bringing the old file back restores the archived rows rather than adding them again.
    expect((await upload(leder, await seed003Xlsx(), 'årshjul.xlsx', { wheelId: xlsxDraft })).status).toBe(201);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM task_definition WHERE wheel_id = $1 AND archived_at IS NULL`, [xlsxDraft])).toEqual([{ n: 23 }]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM task_definition WHERE wheel_id = $1`, [xlsxDraft])).toEqual([{ n: 25 }]);
  });

  it('a role chosen by hand survives importing the same file again', async () => {
    const [task] = await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1 AND responsible_text = 'Fagkoordinator'`, [xlsxDraft]);
    const [person] = await t.db.query(`SELECT id, municipality_id FROM person WHERE email = $1`, [DEMO_PEOPLE.leder]);
    const actor = { personId: person.id, municipalityId: person.municipality_id, email: DEMO_PEOPLE.leder };
    await t.app.get(WheelImportService).chooseRoles(actor, xlsxDraft, [{ taskId: task.id, role: 'fagkoordinator' }]);
    const again = await upload(leder, await seed003Xlsx(), 'årshjul.xlsx', { wheelId: xlsxDraft });
    expect(again.status).toBe(201);
    expect(again.body.rows.find((r: Row) => r.taskId === task.id)).toMatchObject({ responsibleRole: 'fagkoordinator', reviewNote: null });
  });

  it('importing into a wheel in use makes one draft that replaces it, and leaves the wheel in use as it was', async () => {
    const ledere = await wheelId(t.db, LEDERE);
    const tasksBefore = await t.db.query(`SELECT id, title, rrule, archived_at FROM task_definition WHERE wheel_id = $1 ORDER BY id`, [ledere]);
    const first = await upload(admin, await seed003Xlsx(), 'ny.xlsx', { wheelId: ledere });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'draft', replacesWheelId: ledere, name: SEED_003_TITLE });
    const second = await upload(admin, await seed003Xlsx(), 'ny.xlsx', { wheelId: ledere });
    expect(second.body.wheelId).toBe(first.body.wheelId);
    expect(await t.db.query(`SELECT id, title, rrule, archived_at FROM task_definition WHERE wheel_id = $1 ORDER BY id`, [ledere])).toEqual(tasksBefore);
    expect((await t.db.query(`SELECT status FROM wheel WHERE id = $1`, [ledere]))[0].status).toBe('active');
  });

  it('only managers of the unit or above, and administrators, may import; a wheel one may not shape is refused', async () => {
    const file = seed003Text();
    expect((await upload(await t.bearer(DEMO_PEOPLE.ansatt), file, 'a.txt', { unitId: fjellvegen })).status).toBe(403);
    expect((await upload(avdelingsleder, file, 'a.txt', { unitId: boOgHab })).status).toBe(403); // the unit above theirs
    expect((await upload(avdelingsleder, file, 'a.txt', { wheelId: xlsxDraft })).status).toBe(403); // Bo og habilitering's draft
    expect((await upload(leder, file, 'a.txt')).status).toBe(403); // the municipality's wheel: administrators only
    await createMunicipality(t.db, 'Speilvik kommune', 'admin@speilvik.kommune.no');
    const foreign = await upload(await t.bearer('admin@speilvik.kommune.no'), file, 'a.txt', { wheelId: xlsxDraft });
    expect(foreign.status).toBe(404);
  });

  it('rows that cannot be read are listed with their line and why, and the others imported', async () => {
    const text = ['Årshjul', 'Januar', 'Vanlig oppgave\tAvdelingsleder', `Ring 15076500565 om avtalen\tAvdelingsleder`, `${'Lang tekst '.repeat(30)}\tAvdelingsleder`, '\tAvdelingsleder\tCompilo', 'Vanlig oppgave\tAnsatte'].join('\n');
    const res = await upload(leder, Buffer.from(text), 'rader.txt', { unitId: boOgHab });
    expect(res.status).toBe(201);
    expect(res.body.rows.map((r: Row) => r.title)).toEqual(['Vanlig oppgave']);
    expect(res.body.problems.map((p: { line: number }) => p.line)).toEqual([4, 5, 6, 7]);
    expect(res.body.problems[0].message).toContain('fødselsnummer');
    expect(res.body.problems[1].message).toContain('300');
    expect(JSON.stringify(res.body)).not.toContain('15076500565');
  });

  it('understands the date phrases of a wheel, and flags what has no schedule', async () => {
    const text = [
      'Mars\tAnsvar\tLagres',
      'Rapport innen 15. juni\tLeder',
      'Ressursfordeling starter uke 47\tRessursfordelingsteam',
      'Brannvernrunde hvert kvartal\tAvdelingsleder',
      'Internrevisjon annethvert år\tEnhetsleder',
      'Planstrategi hvert 4. år fra 2027\tLeder',
      'Avviksgjennomgang hver måned\tLeder',
      'Oppfølging av avvik løpende\tLeder',
      'Frist: snarest\tLeder',
    ].join('\n');
    const res = await upload(leder, Buffer.from(text), 'datoer.txt', { unitId: boOgHab });
    expect(res.status).toBe(201);
    const rows: Row[] = res.body.rows;
    expect(rows.map((r) => [r.rrule, r.startsOn, r.shift])).toEqual([
      ['FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15', '2027-01-01', 'none'],
      ['FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', '2027-01-01', 'none'],
      ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1', '2027-03-01', 'previous'],
      ['FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=-1', '2027-01-01', 'previous'],
      ['FREQ=YEARLY;INTERVAL=4;BYMONTH=3;BYMONTHDAY=-1', '2027-01-01', 'previous'],
      ['FREQ=MONTHLY;BYMONTHDAY=-1', '2027-01-01', 'previous'],
      [null, null, 'previous'],
      ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1', '2027-01-01', 'previous'],
    ]);
    expect(await deadlines(rows[1], 2027)).toEqual(['2027-11-22']); // Monday of ISO week 47
    expect(await deadlines(rows[2], 2027)).toEqual(['2027-03-31', '2027-06-30', '2027-09-30', '2027-12-31']);
    expect(rows[6].warnings.map((w) => w.code)).toEqual(['unscheduled']);
    expect(rows[6].reviewNote).toContain('løpende');
    expect(rows[7].warnings.map((w) => w.code)).toEqual(['date-unclear']);
    expect(rows[1].responsibleRole).toBe('resource_team');
  });

  it('any file, binary or text, gets a 201 or a 4xx problem, never a 500', async () => {
    const texts = fc.array(fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('Januar', 'Ansvar', 'frist 1. mars', 'uke 99', 'Primærkontakt', '"', '\t', ';')), { maxLength: 5 }), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), texts.map((rows) => Buffer.from(rows.map((r) => r.join('\t')).join('\n')))), async (file) => {
        const res = await upload(leder, file, 'fuzz.txt', { unitId: boOgHab });
        expect([201, 413, 415, 422]).toContain(res.status);
        if (res.status !== 201) expect(res.headers['content-type']).toContain('application/problem+json');
      }),
      { numRuns: 40 },
    );
  });

  describe('bad files get a clear 4xx and change nothing', () => {
    const snapshot = () =>
      t.db.query(`SELECT (SELECT count(*) FROM wheel)::int AS wheels, (SELECT count(*) FROM task_definition)::int AS tasks, (SELECT count(*) FROM audit_log)::int AS audit`);
    const workbookWith = (extra: Array<{ name: string; data: Buffer; declaredSize?: number }>) =>
      zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, ...extra]);
    const cases: Array<[string, () => Promise<Buffer | null> | Buffer | null, string, number, string]> = [
      ['no file field', () => null, '', 422, 'import-file-missing'],
      ['a file larger than 5 MB', () => Buffer.concat([seed003Text(), Buffer.alloc(5 * 1024 * 1024, 'a')]), 'stor.txt', 413, 'import-file-too-large'],
      ['binary data named .xlsx', () => Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x20]), 'årshjul.xlsx', 415, 'import-unsupported-file'],
      ['a .csv with binary content', () => Buffer.concat([Buffer.from('Januar;Ansvar\n'), Buffer.alloc(64, 0)]), 'årshjul.csv', 415, 'import-unsupported-file'],
      ['an old .xls', () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), 'gammel.xls', 415, 'import-unsupported-file'],
      ['a zip that is no Office file', () => zip([{ name: 'readme.txt', data: Buffer.from('Januar\nOppgave') }]), 'årshjul.docx', 415, 'import-unsupported-file'],
      ['a broken zip', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]), 'årshjul.xlsx', 415, 'import-unsupported-file'],
      ['a workbook whose entries unpack to more than 50 MB', () => workbookWith([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(51 * 1024 * 1024) }]), 'bombe.xlsx', 413, 'import-unpacks-too-large'],
      [
        'a workbook that hides its unpacked size',
        // yauzl notices the entry inflating past its declared size: a damaged (or forged) archive.
        () => workbookWith([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024), declaredSize: 1000 }]),
        'bombe.xlsx',
        415,
        'import-unsupported-file',
      ],
      ['a workbook of 2,000 entries', () => workbookWith(Array.from({ length: 2000 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: Buffer.from('x') }))), 'mange.xlsx', 413, 'import-unpacks-too-large'],
      ['more than 2,000 rows', () => Buffer.from(['Januar', ...Array.from({ length: 2001 }, (_, i) => `Oppgave ${i}\tLeder`)].join('\n')), 'lang.txt', 422, 'import-too-many-rows'],
      [
        'a workbook of 12,000 rows, refused before exceljs parses it',
        async () => {
          const workbook = new ExcelJS.Workbook();
          const sheet = workbook.addWorksheet('Årshjul');
          sheet.addRow(['Januar', 'Ansvar']);
          for (let i = 0; i < 12_000; i++) sheet.addRow([`Oppgave ${i}`, 'Leder']);
          return Buffer.from(await workbook.xlsx.writeBuffer());
        },
        'stor.xlsx',
        422,
        'import-too-many-rows',
      ],
      ['a table with no recognisable rows', () => Buffer.from('Handleliste\nMelk\nBrød\n'), 'liste.txt', 422, 'import-no-rows'],
      ['a Word document without a month', () => Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Referat fra møtet'), new Paragraph('Til stede: alle')] }] })), 'referat.docx', 422, 'import-no-rows'],
    ];
    it.each(cases)('%s', async (_name, make, filename, status, slug) => {
      const before = await snapshot();
      const res = await upload(leder, await make(), filename, { unitId: boOgHab });
      expect({ status: res.status, type: res.body.type }).toEqual({ status, type: `/problems/${slug}` });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors?.[0]?.field ?? 'file').toBe('file');
      expect(await snapshot()).toEqual(before);
    });
  });
});
