import { isEmail } from 'class-validator';
import { normaliseText, textFault } from '../../common/text';
import { ORGANISATION_IMPORT_LIMITS as LIMITS, RowProblem } from '../import.problems';
import { COLUMN_LABEL, ColumnKey, headingKey } from './columns';
import { roleFor, roleWords } from './roles';

/** What a unit code may look like (the database checks the same, migration OrganisationImport). */
export const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

/** A unit as the file gives it: its code, name and the code of the unit above (null: none given). */
export interface FileUnit {
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
}

/** A person as the file gives them, their rows merged: their roles by unit code. */
export interface FilePerson {
  line: number;
  email: string;
  displayName: string;
  roles: Array<{ unitCode: string; role: string; line: number }>;
}

export interface FileOrganisation {
  units: FileUnit[];
  people: FilePerson[];
  /** Unit codes people rows name, with the first row naming each: they must exist in the file or the municipality. */
  referenced: Map<string, { code: string; line: number }>;
  problems: RowProblem[];
}

const problem = (line: number, column: ColumnKey | string, melding: string, message: string): RowProblem => ({
  line,
  column: COLUMN_LABEL[column as ColumnKey] ?? column,
  melding,
  message,
});

/** Unit codes and e-mail addresses are matched without regard to case. */
export const codeKey = (code: string) => code.toLowerCase();

/**
 * Reads the file's rows. Layout: one heading row, then one row per unit or person, in any order. A row
 * with an e-mail address is a person: their name, and their role(s) in the unit of Enhetskode. A row with
 * Enhet (a unit's name) also says what that unit is: its code, name and the unit above (Overordnet enhet),
 * so an org chart export that repeats the unit on every person's row works, as does a file of units only.
 * A person on several rows holds roles in several units. Nothing here touches the database.
 */
export function readOrganisation(records: string[][], ownRoles: ReadonlySet<string>): FileOrganisation {
  const problems: RowProblem[] = [];
  const units = new Map<string, FileUnit>();
  const people = new Map<string, FilePerson>();
  const referenced = new Map<string, { code: string; line: number }>();

  const headingIndex = records.findIndex((r) => r.some((c) => c.trim() !== ''));
  const headingLine = headingIndex + 1;
  const columns = new Map<ColumnKey, number>();
  records[headingIndex].forEach((heading, index) => {
    const fault = textFault(heading);
    if (fault) return problems.push(problem(headingLine, `kolonne ${index + 1}`, 'overskriften er ikke gyldig tekst', `the heading ${fault}`));
    const key = headingKey(heading);
    if (!key) return; // HR exports carry more (Stilling, Ansattnummer): other columns are passed over
    if (columns.has(key)) problems.push(problem(headingLine, key, 'kolonnen står to ganger', 'the column appears twice'));
    else columns.set(key, index);
  });
  const missing = (key: ColumnKey, melding: string, message: string) => problems.push(problem(headingLine, key, melding, message));
  if (!columns.has('code')) missing('code', 'kolonnen mangler: hver rad trenger enhetens kode', 'the column is missing: every row needs its unit code');
  if (!columns.has('unitName') && !columns.has('email')) {
    missing('unitName', 'kolonnen mangler: filen trenger Enhet (enhetens navn) eller E-post', "the column is missing: the file needs Enhet (the unit's name) or E-post");
  }
  if (columns.has('email') && !columns.has('name') && !(columns.has('firstName') && columns.has('lastName'))) {
    missing('name', 'kolonnen mangler: personene trenger Navn (eller Fornavn og Etternavn)', 'the column is missing: people need Navn (or Fornavn and Etternavn)');
  }
  if (problems.length) return { units: [], people: [], referenced, problems };

  const cell = (row: string[], key: ColumnKey) => (columns.has(key) ? (row[columns.get(key)!] ?? '') : '');

  for (let index = headingIndex + 1; index < records.length; index++) {
    const row = records[index];
    const line = index + 1;
    if (row.every((c) => c.trim() === '')) continue;
    const before = problems.length;
    // Every cell is text that could enter Årshjul, the columns passed over too: a fødselsnummer in any of
    // them refuses the file, and is never repeated in the answer.
    row.forEach((value, i) => {
      const fault = textFault(value);
      if (fault) {
        const key = [...columns].find(([, at]) => at === i)?.[0];
        const heading = key ? COLUMN_LABEL[key] : normaliseText(records[headingIndex][i] ?? '') || `kolonne ${i + 1}`;
        problems.push(problem(line, heading, melding(fault), fault));
      }
    });
    if (problems.length > before) continue;

    const code = normaliseText(cell(row, 'code'));
    const unitName = normaliseText(cell(row, 'unitName'));
    const parentCode = normaliseText(cell(row, 'parentCode'));
    const email = normaliseText(cell(row, 'email'));
    const name = columns.has('name') && normaliseText(cell(row, 'name')) !== ''
      ? normaliseText(cell(row, 'name'))
      : normaliseText(`${normaliseText(cell(row, 'firstName'))} ${normaliseText(cell(row, 'lastName'))}`);
    const rolesCell = normaliseText(cell(row, 'roles'));

    if (code === '') problems.push(problem(line, 'code', 'mangler: skriv enhetens kode', "is empty: write the unit's code"));
    else if (!UNIT_CODE.test(code)) {
      problems.push(problem(line, 'code', 'er ikke en enhetskode: bokstaver a–z, sifre og . _ / - (høyst 40 tegn)', 'is not a unit code: letters a–z, digits and . _ / - (at most 40 characters)'));
    }
    if (parentCode !== '' && !UNIT_CODE.test(parentCode)) {
      problems.push(problem(line, 'parentCode', 'er ikke en enhetskode: bokstaver a–z, sifre og . _ / - (høyst 40 tegn)', 'is not a unit code: letters a–z, digits and . _ / - (at most 40 characters)'));
    }
    if (unitName.length > LIMITS.unitNameChars) problems.push(problem(line, 'unitName', `er lengre enn ${LIMITS.unitNameChars} tegn`, `is longer than ${LIMITS.unitNameChars} characters`));
    if (email === '' && unitName === '') {
      problems.push(problem(line, columns.has('unitName') ? 'unitName' : 'email', 'raden har verken enhetens navn eller en e-postadresse', "the row has neither the unit's name nor an e-mail address"));
    }
    if (parentCode !== '' && unitName === '') {
      problems.push(problem(line, 'unitName', 'mangler: en rad med Overordnet enhet må også ha enhetens navn', "is empty: a row with Overordnet enhet must also have the unit's name"));
    }
    if (parentCode !== '' && codeKey(parentCode) === codeKey(code)) problems.push(problem(line, 'parentCode', 'kan ikke være enheten selv', 'cannot be the unit itself'));

    let roles: string[] = [];
    if (email !== '') {
      if (!isEmail(email) || email.length > 254) problems.push(problem(line, 'email', 'er ikke en e-postadresse', 'is not an e-mail address'));
      if (name === '') problems.push(problem(line, columns.has('name') ? 'name' : 'firstName', 'mangler: skriv personens navn', "is empty: write the person's name"));
      else if (name.length > LIMITS.personNameChars) problems.push(problem(line, 'name', `er lengre enn ${LIMITS.personNameChars} tegn`, `is longer than ${LIMITS.personNameChars} characters`));
      const words = roleWords(rolesCell);
      // An HR export without roles gives people the role of an employee in their unit.
      roles = words.length ? words.map((w) => roleFor(w, ownRoles) ?? '') : ['staff'];
      if (roles.includes('')) {
        problems.push(problem(line, 'roles', 'er ikke en rolle: leder, ansatt, primærkontakt, kvalitetsrådgiver eller administrator', 'is not a role: leder (manager), ansatt (staff), primærkontakt (primary contact), kvalitetsrådgiver (quality adviser) or administrator'));
      }
    } else if (rolesCell !== '') {
      problems.push(problem(line, 'email', 'mangler: en rad med Rolle må ha personens e-postadresse', "is empty: a row with Rolle must have the person's e-mail address"));
    }
    if (problems.length > before) continue;

    if (unitName !== '') {
      const earlier = units.get(codeKey(code));
      const unit: FileUnit = { line, code, name: unitName, parentCode: parentCode || null };
      if (!earlier) units.set(codeKey(code), unit);
      else if (earlier.name !== unit.name || codeKey(earlier.parentCode ?? '') !== codeKey(unit.parentCode ?? '')) {
        problems.push(problem(line, earlier.name !== unit.name ? 'unitName' : 'parentCode', `enheten står annerledes på rad ${earlier.line}`, `the unit is given differently on line ${earlier.line}`));
      }
    }
    if (email !== '') {
      if (!referenced.has(codeKey(code))) referenced.set(codeKey(code), { code, line });
      const key = email.toLowerCase();
      const earlier = people.get(key);
      if (earlier && earlier.displayName !== name) {
        problems.push(problem(line, columns.has('name') ? 'name' : 'firstName', `personen har et annet navn på rad ${earlier.line}`, `the person has another name on line ${earlier.line}`));
        continue;
      }
      const person = earlier ?? { line, email, displayName: name, roles: [] };
      for (const role of new Set(roles)) {
        if (!person.roles.some((r) => codeKey(r.unitCode) === codeKey(code) && r.role === role)) person.roles.push({ unitCode: code, role, line });
      }
      people.set(key, person);
    }
  }
  return { units: [...units.values()], people: [...people.values()], referenced, problems: problems.sort((a, b) => a.line - b.line) };
}

/** text.ts says why in English; the Norwegian for the same. */
function melding(fault: string): string {
  if (fault.includes('fødselsnummer')) return 'ser ut til å inneholde et fødselsnummer: skriv ingen fødselsnumre, og ingen helseopplysninger';
  if (fault.includes('control character')) return 'inneholder et kontrolltegn; bare linjeskift og tabulator er lov';
  return 'inneholder et ødelagt tegn';
}
