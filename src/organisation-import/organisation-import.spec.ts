import { detectDelimiter, readCsv } from './csv/read-csv';
import { readOrganisation } from './csv/read-organisation';
import { roleFor, roleWords } from './csv/roles';
import { Organisation, planImport } from './plan';

const none = new Set<string>();
const org = (o: Partial<Organisation> = {}): Organisation => ({ units: [], people: [], roles: [], ...o });

describe('reading an organisation CSV', () => {
  it.each([
    ['Enhetskode;Enhet;Navn\n', ';'],
    ['Unit code,Unit,Name\n', ','],
    ['Enhet kode\tEnhetsnavn\tNavn\n', '\t'],
    ['"Kode; med semikolon",Enhet,Navn\n', ','],
  ])('the heading row %j tells the delimiter', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it('reads Windows-1252 (Excel’s «CSV (semikolonseparert)»), UTF-8 with BOM and UTF-16 alike', () => {
    const text = 'Enhetskode;Enhet\r\nÅS;Avdeling Åsen og Ørsta – «bæ»\r\n';
    // The en dash is 0x96 in Windows-1252 (Latin-1 has a control character there); «» and æøå are alike in both.
    const cp1252 = Buffer.from(text.replace('–', '\u0096'), 'latin1');
    expect(readCsv(cp1252)).toMatchObject({ encoding: 'windows-1252', records: [['Enhetskode', 'Enhet'], ['ÅS', 'Avdeling Åsen og Ørsta – «bæ»']] });
    expect(readCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toMatchObject({ encoding: 'utf-8', records: [['Enhetskode', 'Enhet'], ['ÅS', 'Avdeling Åsen og Ørsta – «bæ»']] });
    expect(readCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toMatchObject({ encoding: 'utf-16le', delimiter: ';' });
  });

  it('takes headings in any case, Norwegian or English, and a name from Fornavn and Etternavn', () => {
    const read = readOrganisation(
      [
        ['ENHETSKODE', 'enhetsnavn', 'Overordnet kode', 'Fornavn', 'Etternavn', 'E-postadresse', 'Roller', 'Stilling'],
        ['A', 'Avdeling A', '', 'Kari', 'Nordmann', 'Kari@Kommune.no', 'Leder / primærkontakt', 'Sykepleier'],
      ],
      none,
    );
    expect(read.problems).toEqual([]);
    expect(read.units).toEqual([{ line: 2, code: 'A', name: 'Avdeling A', parentCode: null }]);
    expect(read.people).toEqual([
      { line: 2, email: 'Kari@Kommune.no', displayName: 'Kari Nordmann', roles: [{ unitCode: 'A', role: 'manager', line: 2 }, { unitCode: 'A', role: 'primary_contact', line: 2 }] },
    ]);
  });

  it.each([
    ['leder', 'manager'], ['Enhetsleder', 'manager'], ['avdelingsleder', 'manager'], ['ansatt', 'staff'], ['Primærkontakt', 'primary_contact'],
    ['kvalitetsrådgiver', 'quality_adviser'], ['Administrator', 'admin'], ['leiar', 'manager'], ['tilsett', 'staff'], ['quality adviser', 'quality_adviser'],
  ])('the role word %s is %s', (word, role) => expect(roleFor(word, none)).toBe(role));

  it('a municipality’s own role is taken by its key, an unknown word is not', () => {
    expect(roleFor('resource_team', new Set(['resource_team']))).toBe('resource_team');
    expect(roleFor('resource_team', none)).toBeUndefined();
    expect(roleFor('sjef', none)).toBeUndefined();
    expect(roleWords('leder og primærkontakt, ansatt')).toEqual(['leder', 'primærkontakt', 'ansatt']);
  });
});

describe('planning an import', () => {
  const unit = (id: string, code: string | null, name: string, parentId: string | null) => ({ id, code, name, parentId, archived: false });

  it('a file that moves A under its own child B is a loop, named on its row', () => {
    const read = readOrganisation([['Enhetskode', 'Enhet', 'Overordnet enhet'], ['A', 'A', 'B']], none);
    const plan = planImport(read, org({ units: [unit('r', null, 'Rot', null), unit('a', 'A', 'A', 'r'), unit('b', 'B', 'B', 'a')] }));
    expect(plan.problems).toEqual([expect.objectContaining({ line: 2, column: 'Overordnet enhet', message: 'makes a loop: the unit would be below itself' })]);
  });

  it('swapping two units is no loop: the plan writes the new top first', () => {
    const read = readOrganisation([['Enhetskode', 'Enhet', 'Overordnet enhet'], ['A', 'A', 'B'], ['B', 'B', '']], none);
    const plan = planImport(read, org({ units: [unit('r', 'R', 'Rot', null), unit('a', 'A', 'A', 'r'), unit('b', 'B', 'B', 'a')] }));
    expect(plan.problems).toEqual([]);
    expect(plan.units.update.map((u) => [u.code, u.depth])).toEqual([['B', 1], ['A', 2]]);
  });

  it('a person keeps admin, and loses a role the file no longer gives', () => {
    const read = readOrganisation([['Enhetskode', 'E-post', 'Navn', 'Rolle'], ['A', 'ada@k.no', 'Ada', 'ansatt']], none);
    const plan = planImport(
      read,
      org({
        units: [unit('a', 'A', 'A', null), unit('b', 'B', 'B', 'a')],
        people: [{ id: 'p', email: 'ADA@k.no', displayName: 'Ada', archived: false }],
        roles: [{ id: 'r1', personId: 'p', unitId: 'a', role: 'admin' }, { id: 'r2', personId: 'p', unitId: 'b', role: 'manager' }],
      }),
    );
    expect(plan.people.update).toEqual([
      expect.objectContaining({ email: 'ADA@k.no', rolesAdded: [expect.objectContaining({ unitCode: 'A', role: 'staff' })], rolesRemoved: [expect.objectContaining({ unitCode: 'B', role: 'manager' })] }),
    ]);
  });
});
