import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { createMunicipality } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'organisation', name));
const FNR = '15076500565';

interface RowError {
  field: string;
  line: number;
  column: string;
  melding: string;
  message: string;
}

/** Units and people from the CSV files HR and Excel write, previewed, applied, applied again. */
describe('importing units and people from a CSV', () => {
  let t: TestApp;
  let fjordvik: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-02-10T08:00:00Z');
    ({ municipalityId: fjordvik } = await createMunicipality(t.db, 'Fjordvik kommune', 'admin@fjordvik.kommune.no'));
    admin = await t.bearer('admin@fjordvik.kommune.no');
  });
  afterAll(() => t.close());

  const upload = (auth: string, file: Buffer, query = '', filename = 'organisasjon.csv') =>
    t.http.post(`/api/v1/organisation/import${query}`).set('Authorization', auth).attach('file', file, filename);

  /** Everything an import could touch, row by row, and the audit log's length: "unchanged" means all of it. */
  const snapshot = async (municipalityId: string) => ({
    units: await t.db.query(`SELECT id, code, name, parent_id, archived_at, created_at FROM unit WHERE municipality_id = $1 ORDER BY id`, [municipalityId]),
    people: await t.db.query(`SELECT id, email, display_name, archived_at, created_at FROM person WHERE municipality_id = $1 ORDER BY id`, [municipalityId]),
    roles: await t.db.query(`SELECT id, person_id, unit_id, role, created_at FROM role_assignment WHERE municipality_id = $1 ORDER BY id`, [municipalityId]),
    audit: (await t.db.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n,
    allUnits: (await t.db.query(`SELECT count(*)::int AS n FROM unit`))[0].n,
    allPeople: (await t.db.query(`SELECT count(*)::int AS n FROM person`))[0].n,
  });
  const tree = async (municipalityId: string) =>
    (
      await t.db.query(
        `SELECT u.code, u.name, p.code AS parent FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.municipality_id = $1 ORDER BY u.code NULLS FIRST, u.name`,
        [municipalityId],
      )
    ).map((r: { code: string | null; name: string; parent: string | null }) => `${r.code ?? '–'} ${r.name} ← ${r.parent ?? '–'}`);
  const rolesIn = async (municipalityId: string) =>
    (
      await t.db.query(
        `SELECT p.email, u.code, ra.role FROM role_assignment ra JOIN person p ON p.id = ra.person_id JOIN unit u ON u.id = ra.unit_id
          WHERE ra.municipality_id = $1 ORDER BY lower(p.email), u.code, ra.role`,
        [municipalityId],
      )
    ).map((r: { email: string; code: string | null; role: string }) => `${r.email} ${r.code ?? '–'} ${r.role}`);

  it('a file as Excel saves it (Windows-1252, semicolons, CRLF) is previewed: what would change, nothing stored', async () => {
    const before = await snapshot(fjordvik);
    const res = await upload(admin, fixture('fjordvik-excel-semikolon.csv'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: false, changes: true, file: { encoding: 'windows-1252', delimiter: ';', rows: 7 } });
    // The root unit made by hand ("Helse og omsorg") is found by its name and gets the code HO.
    expect(res.body.units.update).toEqual([{ line: 2, code: 'HO', name: 'Helse og omsorg', parentName: null, codeGiven: true }]);
    expect(res.body.units.create.map((u: { code: string; name: string; parentName: string }) => `${u.code} ${u.name} ← ${u.parentName}`)).toEqual([
      'BH Bo- og habiliteringstjenesten ← Helse og omsorg',
      'BH-FJ Avdeling Fjellvegen ← Bo- og habiliteringstjenesten',
      'BH-SJ Avdeling Sjøgata ← Bo- og habiliteringstjenesten',
    ]);
    expect(res.body.people.create.map((p: { displayName: string; rolesAdded: Array<{ unitCode: string; role: string }> }) => [p.displayName, p.rolesAdded.map((r) => `${r.unitCode} ${r.role}`)])).toEqual([
      ['Kåre Ødegård', ['BH-FJ manager']],
      ['Åse Bærheim', ['BH-FJ primary_contact', 'BH-FJ staff']],
      ['Øystein Lie', ['BH-SJ staff']],
      ['Siv Kvalheim', ['BH manager']],
      ['Gro Dahl', ['HO quality_adviser']],
    ]);
    // Nobody is archived by an import: the administrator, missing from the file, is only listed.
    expect(res.body.people.notInFile).toEqual([{ email: 'admin@fjordvik.kommune.no', displayName: 'Admin' }]);
    expect(await snapshot(fjordvik)).toEqual(before);
  });

  let afterFirst: Awaited<ReturnType<typeof snapshot>>;
  it('applying it builds the tree and the people in one go; applying it again changes nothing and says so', async () => {
    const res = await upload(admin, fixture('fjordvik-excel-semikolon.csv'), '?apply=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applied: true, changes: true });
    expect(res.body.summary).toBe('Applied: 3 units created, 1 changed; 5 people created, 0 changed.');
    expect(await tree(fjordvik)).toEqual([
      'BH Bo- og habiliteringstjenesten ← HO',
      'BH-FJ Avdeling Fjellvegen ← BH',
      'BH-SJ Avdeling Sjøgata ← BH',
      'HO Helse og omsorg ← –',
    ]);
    expect(await rolesIn(fjordvik)).toEqual([
      'admin@fjordvik.kommune.no HO admin',
      'ase.baerheim@fjordvik.kommune.no BH-FJ primary_contact',
      'ase.baerheim@fjordvik.kommune.no BH-FJ staff',
      'gro.dahl@fjordvik.kommune.no HO quality_adviser',
      'kare.odegard@fjordvik.kommune.no BH-FJ manager',
      'Oystein.Lie@Fjordvik.kommune.no BH-SJ staff',
      'siv.kvalheim@fjordvik.kommune.no BH manager',
    ]);
    // The people can sign in and see their unit: a new avdelingsleder manages Fjellvegen.
    const kare = await t.bearer('kare.odegard@fjordvik.kommune.no');
    const [fjellvegen] = await t.db.query(`SELECT id FROM unit WHERE code = 'BH-FJ' AND municipality_id = $1`, [fjordvik]);
    expect((await t.http.get(`/api/v1/units/${fjellvegen.id}/roles`).set('Authorization', kare)).status).toBe(200);

    afterFirst = await snapshot(fjordvik);
    const again = await upload(admin, fixture('fjordvik-excel-semikolon.csv'), '?apply=true');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: true, changes: false, summary: 'Nothing to change: the units and people already match the file.' });
    expect(again.body.units).toMatchObject({ create: [], update: [] });
    expect(again.body.units.unchanged).toHaveLength(4);
    expect(again.body.people).toMatchObject({ create: [], update: [] });
    expect(again.body.people.unchanged).toHaveLength(5);
    expect(await snapshot(fjordvik)).toEqual(afterFirst);
    // E-mail addresses match whatever their case: the same people in capitals are the same people.
    const shouting = Buffer.from(fixture('fjordvik-excel-semikolon.csv').toString('latin1').replace(/[a-z.]+@fjordvik\.kommune\.no/gi, (e) => e.toUpperCase()), 'latin1');
    const loud = await upload(admin, shouting, '?apply=true');
    expect(loud.body.changes).toBe(false);
    expect(await snapshot(fjordvik)).toEqual(afterFirst);
  });

  it('an updated file moves a person to another unit and renames a unit; nothing else changes', async () => {
    const preview = await upload(admin, fixture('fjordvik-excel-semikolon-endret.csv'));
    expect(preview.status).toBe(200);
    expect(preview.body.units.update).toEqual([{ line: 4, code: 'BH-SJ', name: 'Avdeling Sjøgata bofellesskap', parentName: 'Bo- og habiliteringstjenesten', previousName: 'Avdeling Sjøgata' }]);
    expect(preview.body.people.update).toEqual([
      {
        line: 4,
        email: 'kare.odegard@fjordvik.kommune.no',
        displayName: 'Kåre Ødegård',
        rolesAdded: [{ unitCode: 'BH-SJ', unitName: 'Avdeling Sjøgata bofellesskap', role: 'manager' }],
        rolesRemoved: [{ unitCode: 'BH-FJ', unitName: 'Avdeling Fjellvegen', role: 'manager' }],
      },
    ]);
    expect(await snapshot(fjordvik)).toEqual(afterFirst);
    const applied = await upload(admin, fixture('fjordvik-excel-semikolon-endret.csv'), '?apply=true');
    expect(applied.status).toBe(200);
    expect(applied.body.summary).toBe('Applied: 0 units created, 1 changed; 0 people created, 1 changed.');
    expect(await tree(fjordvik)).toContain('BH-SJ Avdeling Sjøgata bofellesskap ← BH');
    expect((await rolesIn(fjordvik)).filter((r: string) => r.startsWith('kare'))).toEqual(['kare.odegard@fjordvik.kommune.no BH-SJ manager']);
    const audit = await t.db.query(`SELECT action, entity FROM audit_log WHERE municipality_id = $1 AND after->>'imported' = 'true' OR (entity = 'organisation' AND entity_id = $1) ORDER BY at, action`, [fjordvik]);
    expect(audit.map((a: { action: string; entity: string }) => `${a.action} ${a.entity}`)).toEqual(expect.arrayContaining(['updated unit', 'assigned role_assignment', 'imported organisation']));
  });

  it('a UTF-8 file with BOM and commas, English headings and a quoted "Surname, Name", is read alike', async () => {
    const { municipalityId } = await createMunicipality(t.db, 'Strandvik kommune', 'admin@strandvik.kommune.no');
    const auth = await t.bearer('admin@strandvik.kommune.no');
    // The mode may also be a field of the form.
    const res = await t.http.post('/api/v1/organisation/import').set('Authorization', auth).field('mode', 'apply').attach('file', fixture('strandvik-utf8-bom-komma.csv'), 'org.csv');
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(true);
    expect(res.body.file).toEqual({ encoding: 'utf-8', delimiter: ',', rows: 5 });
    expect(await tree(municipalityId)).toEqual([
      '100 Helse og omsorg ← –',
      '110 Hjemmetjenesten ← 100',
      '111 Hjemmesykepleien sone nord ← 110',
      '112 Hjemmesykepleien sone sør ← 110',
    ]);
    expect(await rolesIn(municipalityId)).toEqual([
      'admin@strandvik.kommune.no 100 admin',
      'ingrid.odegard@strandvik.kommune.no 112 manager',
      'jorgen.saether@strandvik.kommune.no 111 primary_contact',
      'jorgen.saether@strandvik.kommune.no 111 staff',
      'kari.nordmann@strandvik.kommune.no 111 manager',
    ]);
    expect((await t.db.query(`SELECT display_name FROM person WHERE email = 'kari.nordmann@strandvik.kommune.no'`))[0].display_name).toBe('Nordmann, Kari');
  });

  it('a tab-separated file (as copied from a sheet) is read alike, also sent as a text/csv body', async () => {
    const { municipalityId } = await createMunicipality(t.db, 'Tabvik kommune', 'admin@tabvik.kommune.no');
    const auth = await t.bearer('admin@tabvik.kommune.no');
    const res = await t.http.post('/api/v1/organisation/import?apply=true').set('Authorization', auth).set('Content-Type', 'text/csv').send(fixture('tabvik-tabulator.txt'));
    expect(res.status).toBe(200);
    expect(res.body.file).toEqual({ encoding: 'utf-8', delimiter: '\t', rows: 3 });
    expect(await tree(municipalityId)).toEqual(['A1 Helse og omsorg ← –', 'A2 Sykehjemmet på Høgda ← A1']);
    expect(await rolesIn(municipalityId)).toEqual(['admin@tabvik.kommune.no A1 admin', 'marit.oye@tabvik.kommune.no A2 manager', 'per.as@tabvik.kommune.no A2 staff']);
  });

  describe('bad input is refused whole, naming row and column, and the database stays as it was', () => {
    const heading = 'Enhetskode;Enhet;Overordnet enhet;Navn;E-post;Rolle';
    const csv = (...rows: string[]) => Buffer.from([heading, ...rows].join('\r\n'), 'utf-8');
    const cases: Array<[string, Buffer, number, Array<Partial<RowError>>]> = [
      ['a fødselsnummer in a name cell', csv('BH;Bo- og habiliteringstjenesten;HO;;;', `BH;Bo- og habiliteringstjenesten;HO;Kari ${FNR};kari@fjordvik.kommune.no;ansatt`), 422, [{ line: 3, column: 'Navn' }]],
      ['an unknown parent', csv('X1;Ny enhet;FINNES-IKKE;;;'), 422, [{ line: 2, column: 'Overordnet enhet', melding: 'finnes verken i filen eller i kommunen' }]],
      ['a loop (HO under BH-FJ, which is under BH, under HO)', csv('HO;Helse og omsorg;BH-FJ;;;'), 422, [{ line: 2, column: 'Overordnet enhet' }]],
      ['a loop within the file', csv('Q1;Enhet en;Q2;;;', 'Q2;Enhet to;Q1;;;'), 422, [{ line: 2, column: 'Overordnet enhet' }, { line: 3, column: 'Overordnet enhet' }]],
      ['a bad e-mail address', csv('BH;Bo- og habiliteringstjenesten;HO;Kari Nordmann;kari.nordmann(at)fjordvik;ansatt'), 422, [{ line: 2, column: 'E-post', message: 'is not an e-mail address' }]],
      ['an unknown role', csv('BH;Bo- og habiliteringstjenesten;HO;Kari Nordmann;kari.nordmann@fjordvik.kommune.no;sjef'), 422, [{ line: 2, column: 'Rolle' }]],
      ['a unit given two names', csv('BH;Bo- og habiliteringstjenesten;HO;;;', 'BH;Bo og hab;HO;;;'), 422, [{ line: 3, column: 'Enhet' }]],
      ['a person row naming a unit nobody has', csv('ZZ;;;Kari Nordmann;kari.nordmann@fjordvik.kommune.no;ansatt'), 422, [{ line: 2, column: 'Enhetskode' }]],
      ['a heading without Enhetskode', Buffer.from('Enhet;Navn;E-post\r\nBo;Kari;kari@fjordvik.kommune.no\r\n'), 422, [{ line: 1, column: 'Enhetskode' }]],
      ['a heading with e-mail but no name', Buffer.from('Enhetskode;E-post\r\nBH;kari@fjordvik.kommune.no\r\n'), 422, [{ line: 1, column: 'Navn' }]],
    ];
    it.each(cases)('%s', async (_what, file, status, problems) => {
      const before = await snapshot(fjordvik);
      for (const query of ['', '?apply=true']) {
        const res = await upload(admin, file, query);
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.type).toBe('/problems/organisation-import-rows');
        expect(res.body.errors).toEqual(problems.map((p) => expect.objectContaining({ ...p, field: `line ${p.line}, ${p.column}` })));
        for (const e of res.body.errors as RowError[]) expect(e.melding.length && e.message.length).toBeTruthy();
        // The refused value is never echoed back.
        expect(JSON.stringify(res.body)).not.toContain(FNR);
      }
      expect(await snapshot(fjordvik)).toEqual(before);
    });

    const files: Array<[string, () => Buffer, number, string]> = [
      ['an empty file', () => Buffer.alloc(0), 422, 'organisation-import-file-missing'],
      ['a file of blank lines', () => Buffer.from('\r\n;;;\r\n\r\n'), 422, 'organisation-import-empty'],
      ['a binary file (a PNG)', () => Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), 415, 'organisation-import-not-csv'],
      ['a file over 2 MB', () => Buffer.from(`${heading}\r\n${'BH;Bo- og habiliteringstjenesten;HO;;;\r\n'.repeat(60_000)}`), 413, 'organisation-import-file-too-large'],
      ['more than 5,000 rows', () => Buffer.from(`${heading}\r\n${'BH;Bo;HO;;;\r\n'.repeat(5_001)}`), 422, 'organisation-import-too-many-rows'],
      ['a quote never closed', () => Buffer.from(`${heading}\r\nBH;"Bo og hab;HO;;;\r\n`), 422, 'organisation-import-unreadable'],
    ];
    it.each(files)('%s', async (_what, file, status, slug) => {
      const before = await snapshot(fjordvik);
      const res = await upload(admin, file(), '?apply=true');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe(`/problems/${slug}`);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
      expect(await snapshot(fjordvik)).toEqual(before);
    });

    it('a mode that is neither preview nor apply is refused', async () => {
      const res = await upload(admin, fixture('fjordvik-excel-semikolon.csv'), '?apply=ja');
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'apply', message: 'must be true or false' }]);
    });
  });

  it('only administrators import: a manager gets 403, and the file is not read', async () => {
    const before = await snapshot(fjordvik);
    const res = await upload(await t.bearer(DEMO_PEOPLE.leder), fixture('fjordvik-excel-semikolon.csv'), '?apply=true');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const kare = await upload(await t.bearer('kare.odegard@fjordvik.kommune.no'), fixture('fjordvik-excel-semikolon.csv'), '?apply=true');
    expect(kare.status).toBe(403);
    expect(await snapshot(fjordvik)).toEqual(before);
  });
});
