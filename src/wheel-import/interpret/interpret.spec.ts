import { readText } from '../readers/text.reader';
import { readWheel } from './interpret';
import { readSchedule } from './phrases';
import { readResponsibility, roleKeyFor } from './roles';

const ROLES = new Set(['manager', 'staff', 'primary_contact', 'resource_team']);
const read = (text: string) => readWheel(readText(Buffer.from(text)), { year: 2027, roles: ROLES });

describe('reading a wheel as a person would', () => {
  it('takes month headings in any case and abbreviated, with a year or a colon', () => {
    const wheel = read(['JAN', 'A', 'feb.', 'B', 'Mars:', 'C', 'Desember 2027', 'D'].join('\n'));
    expect(wheel.rows.map((r) => [r.title, r.month])).toEqual([['A', 1], ['B', 2], ['C', 3], ['D', 12]]);
  });

  it('follows a heading row that puts the columns in another order, and a Frist column', () => {
    const wheel = read(['Ansvar;Oppgave;Frist;Lagres', 'April', 'Leder;Send rapport;innen 15. juni;Compilo'].join('\n'));
    expect(wheel.rows[0]).toMatchObject({ title: 'Send rapport', responsibleRole: 'manager', storedIn: 'Compilo', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15' });
    expect(wheel.skipped).toEqual([{ line: 1, message: 'kolonneoverskrifter' }]);
  });

  it('reads a Frist column holding only a date, as Excel shows it', () => {
    const wheel = read(['Oppgave;Frist;Ansvar', 'Mars', 'Søknad om tilskudd;1.3.2027;Leder', 'Ressursfordeling;uke 47;Ressursfordelingsteam'].join('\n'));
    expect(wheel.rows.map((r) => r.rrule)).toEqual(['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO']);
  });

  it('keeps a review note within its column when Ansvar names many unknown roles', () => {
    const ansvar = Array.from({ length: 30 }, (_, i) => `Rolle${i}`).join('/');
    expect(read(['Mai', `Oppgave\t${ansvar}`].join('\n')).rows[0].reviewNote!.length).toBeLessThanOrEqual(1000);
  });

  it('reads a comma CSV with quoted cells holding commas, quotes and line breaks', () => {
    const wheel = read(['Mai', '"Hovedferien plasseres, frist 1. april",Avdelingsleder', '"Sjekk ""rutinen""', 'og meld fra",Ansatte'].join('\r\n'));
    expect(wheel.rows.map((r) => [r.line, r.title, r.responsibleRole])).toEqual([
      [2, 'Hovedferien plasseres, frist 1. april', 'manager'],
      [3, 'Sjekk "rutinen"\nog meld fra', 'staff'],
    ]);
  });

  it('reads Windows-1252 text as Excel writes plain CSV', () => {
    const rows = readText(Buffer.from([0x4a, 0x75, 0x6e, 0x69, 0x0a, 0x50, 0xe5, 0x73, 0x65, 0x20, 0xf8, 0x6b, 0x74]));
    expect(rows.map((r) => r.cells[0])).toEqual(['Juni', 'Påse økt']);
  });

  it('keeps the first row above the months as the title, and lists rows without task text', () => {
    const wheel = read(['Årshjul avdeling Åsen', 'Januar\tAnsvar\tLagres', '\tAvdelingsleder\tCompilo', 'Oppgave\tAvdelingsleder'].join('\n'));
    expect(wheel.title).toBe('Årshjul avdeling Åsen');
    expect(wheel.problems.map((p) => p.line)).toEqual([3]);
  });
});

describe('date phrases', () => {
  it.each([
    ['frist 1. mars', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', 'none'],
    ['Frist: 01.03.', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', 'none'],
    ['INNEN 15. JUNI', 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15', 'none'],
    ['uke 47', 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', 'none'],
    ['hvert fjerde år', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=-1', 'previous'],
    ['halvårlig', 'FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1', 'previous'],
    ['Halvårsevaluering – Fagrapport', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', 'previous'],
  ])('%s', (text, rrule, shift) => {
    expect(readSchedule(text, 2, 2027)).toMatchObject({ rrule, shift, unclear: null });
  });

  it('flags a date that does not exist, and keeps the month default', () => {
    expect(readSchedule('frist 31. februar', 4, 2027)).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=-1', unclear: expect.stringContaining('31. februar') });
  });
});

describe('Ansvar', () => {
  it('maps names of one role to that role, and asks between different ones', () => {
    expect(readResponsibility('Avdelingsleder/enhetsleder', ROLES)).toMatchObject({ role: 'manager', unclear: null, enhetsleder: true });
    expect(readResponsibility('Avdelingsleder og primærkontakt', ROLES).unclear).toContain('velg én');
  });

  it('finds the municipality’s own roles by name, and names the key a new one would get', () => {
    expect(readResponsibility('Ressursfordelingsteam', ROLES)).toMatchObject({ role: 'resource_team', unclear: null });
    expect(readResponsibility('Fagkoordinator', new Set([...ROLES, 'fagkoordinator']))).toMatchObject({ role: 'fagkoordinator', unclear: null });
    expect(readResponsibility('Fagkoordinator', ROLES)).toMatchObject({ role: 'manager', unknown: [{ name: 'Fagkoordinator', suggestedKey: 'fagkoordinator' }] });
    expect(roleKeyFor('Fag- og kvalitetsleder på Åsen')).toBe('fag_og_kvalitetsleder_pa_asen');
  });

  it('gives each employee their own task where Ansvar names them one by one, or the row says it concerns each', () => {
    const wheel = read(
      [
        'Februar\tAnsvar',
        'Legemiddelhåndtering: opplæring og kunnskapsprøve\tAlle ansatte',
        'Brannvernopplæring\tHver ansatt',
        'Gjennomgå taushetserklæring\tDen enkelte ansatt',
        'Ansatte registrerer ferieønsker i VFR, frist 1. mars\tAnsatte',
        'Rydde personalrommet\tAnsatte',
        'Planlegg HMS-dag\tAvdelingsleder',
      ].join('\n'),
    );
    expect(wheel.rows.map((r) => [r.title, r.responsibleRole, r.scope])).toEqual([
      ['Legemiddelhåndtering: opplæring og kunnskapsprøve', 'staff', 'person'],
      ['Brannvernopplæring', 'staff', 'person'],
      ['Gjennomgå taushetserklæring', 'staff', 'person'],
      ['Ansatte registrerer ferieønsker i VFR, frist 1. mars', 'staff', 'person'],
      // "Ansatte" alone, and nothing in the text about each of them: one shared task, as before.
      ['Rydde personalrommet', 'staff', 'unit'],
      ['Planlegg HMS-dag', 'manager', 'unit'],
    ]);
  });
});
