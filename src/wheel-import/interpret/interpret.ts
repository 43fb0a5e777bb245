import type { DeadlineShift } from '../../schedule/holidays';
import { normaliseText, textFault } from '../../common/text';
import type { TaskScope } from '../../wheels/entities/task-definition.entity';
import { IMPORT_LIMITS } from '../import.problems';
import type { RawRow } from '../readers/table';
import { monthHeading } from './months';
import { readSchedule } from './phrases';
import { eachEmployee, readResponsibility } from './roles';

export interface ImportWarning {
  /** `unknown-role`, `several-roles`, `date-unclear`, `unscheduled`, `enhetsleder`, `no-ansvar` */
  code: string;
  message: string;
}

/** A row read as a task of the draft. */
export interface ImportedRow {
  line: number;
  title: string;
  month: number;
  /** null for "løpende"/"ved behov": the task is stored with its month's default rule and a review note. */
  rrule: string | null;
  startsOn: string | null;
  shift: DeadlineShift;
  responsibleRole: string;
  scope: TaskScope;
  storedIn: string | null;
  /** Ansvar as written. */
  responsibleText: string | null;
  /** What must be resolved by hand before publishing, one line each ("Ansvar: …", "Frist: …"); null: nothing. */
  reviewNote: string | null;
  warnings: ImportWarning[];
}

/** A row that could not be read, and why: it is not imported. */
export interface RowProblem {
  line: number;
  message: string;
}

export interface ReadWheel {
  /** The title row above the first month, if any ("Årshjul enhet bo og habilitering"). */
  title: string | null;
  rows: ImportedRow[];
  problems: RowProblem[];
  /** Rows passed over on purpose: title rows, column headings. */
  skipped: RowProblem[];
}

const HEADINGS: Record<string, 'title' | 'ansvar' | 'lagres' | 'frist' | 'other'> = {
  oppgave: 'title', oppgaver: 'title', aktivitet: 'title', tiltak: 'title', hva: 'title', 'hva skal gjøres': 'title',
  ansvar: 'ansvar', ansvarlig: 'ansvar', 'hvem': 'ansvar',
  lagres: 'lagres', lagring: 'lagres', 'lagres i': 'lagres', 'hvor lagres': 'lagres', dokumentasjon: 'lagres',
  frist: 'frist', dato: 'frist', når: 'frist',
  utført: 'other', signert: 'other', signatur: 'other', sign: 'other', kommentar: 'other', kommentarer: 'other', merknad: 'other', måned: 'other',
};
const heading = (cell: string) => HEADINGS[cell.trim().toLowerCase().replace(/[.:]+$/, '')];

interface Columns {
  title: number;
  ansvar: number;
  lagres: number;
  frist: number | null;
}

/**
 * Reads the table as a person would: month heading rows open a block ("Januar", also in the first cell of
 * a row whose other cells are the column headings "Ansvar, Lagres, Utført, Kommentar"); rows of column
 * headings say which column is which; blank rows are gone already; rows above the first month are the
 * title. Every other row is a task of its month: its whole text is the title, kept as written (only
 * Unicode-normalised and trimmed, as all text entering Årshjul).
 */
export function readWheel(raw: RawRow[], context: { year: number; roles: ReadonlySet<string> }): ReadWheel {
  const result: ReadWheel = { title: null, rows: [], problems: [], skipped: [] };
  let columns: Columns = { title: 0, ansvar: 1, lagres: 2, frist: null };
  let month: number | null = null;
  for (const { line, cells: rawCells } of raw) {
    const cells = rawCells.map((c) => normaliseText(c));
    const filled = cells.map((c, i) => ({ c, i })).filter(({ c }) => c !== '');
    const first = filled[0];
    // A month heading: the month in the first filled cell, the others empty or column headings.
    const headingMonth = first ? monthHeading(first.c) : undefined;
    if (headingMonth && filled.slice(1).every(({ c }) => heading(c))) {
      month = headingMonth;
      if (filled.length > 1) columns = columnsFrom(cells, first.i);
      continue;
    }
    if (filled.every(({ c }) => heading(c))) {
      columns = columnsFrom(cells, null);
      result.skipped.push({ line, message: 'kolonneoverskrifter' });
      continue;
    }
    if (month === null) {
      if (result.title === null && filled.length === 1 && !textFault(first.c) && first.c.length <= 200) result.title = first.c;
      result.skipped.push({ line, message: 'over første måned: tittel' });
      continue;
    }
    const row = readRow(line, cells, month, columns, context);
    if ('message' in row) result.problems.push(row);
    else result.rows.push(row);
  }
  return result;
}

function columnsFrom(cells: string[], monthColumn: number | null): Columns {
  const columns: Columns = { title: monthColumn ?? 0, ansvar: -1, lagres: -1, frist: null };
  cells.forEach((c, i) => {
    const kind = heading(c);
    if (kind === 'title' && monthColumn === null) columns.title = i;
    else if (kind === 'ansvar') columns.ansvar = i;
    else if (kind === 'lagres') columns.lagres = i;
    else if (kind === 'frist') columns.frist = i;
  });
  return columns;
}

function readRow(line: number, cells: string[], month: number, columns: Columns, context: { year: number; roles: ReadonlySet<string> }): ImportedRow | RowProblem {
  const cell = (i: number | null) => (i === null || i < 0 ? '' : (cells[i] ?? ''));
  const title = cell(columns.title);
  if (title === '') return { line, message: 'raden har ingen oppgavetekst (bare Ansvar, Lagres eller andre kolonner)' };
  const titleFault = textFault(title);
  if (titleFault) return { line, message: `oppgaveteksten kan ikke lagres: ${norwegianFault(titleFault)}` };
  if (title.length > IMPORT_LIMITS.titleChars) {
    return { line, message: `oppgaveteksten er ${title.length} tegn; en oppgave kan ha høyst ${IMPORT_LIMITS.titleChars} (del den i flere rader, eller flytt resten til beskrivelsen etterpå)` };
  }
  const ansvar = cell(columns.ansvar);
  const lagres = cell(columns.lagres);
  for (const [name, text] of [['Ansvar', ansvar], ['Lagres', lagres]] as const) {
    const fault = textFault(text);
    if (fault) return { line, message: `${name} kan ikke lagres: ${norwegianFault(fault)}` };
    if (text.length > IMPORT_LIMITS.storedInChars) return { line, message: `${name} er ${text.length} tegn; høyst ${IMPORT_LIMITS.storedInChars} er tillatt` };
  }

  const warnings: ImportWarning[] = [];
  const review: string[] = [];
  // A Frist column holds the date alone ("1.3.2027", "15. juni", "uke 47"): read it as "frist …".
  const frist = cell(columns.frist);
  const schedule = readSchedule([frist ? `frist ${frist}` : '', title].filter((t) => t !== '').join(' '), month, context.year);
  if (schedule.unscheduled) {
    warnings.push({ code: 'unscheduled', message: `«${schedule.phrase}»: ingen fast frist. Lagret med siste arbeidsdag i måneden til du velger en frist.` });
    review.push(`Frist: «${schedule.phrase}» gir ingen fast frist; velg en frist eller fjern oppgaven`);
  } else if (schedule.unclear) {
    warnings.push({ code: 'date-unclear', message: `Fristen ble ikke forstått (${schedule.unclear}); satt til siste arbeidsdag i måneden.` });
    review.push(`Frist: ${schedule.unclear}`);
  }

  const responsibility = ansvar === '' ? null : eachEmployee(readResponsibility(ansvar, context.roles), ansvar, title);
  if (!responsibility) {
    warnings.push({ code: 'no-ansvar', message: 'Ansvar er tomt: oppgaven går til leder (manager).' });
  } else {
    for (const u of responsibility.unknown) {
      warnings.push({ code: 'unknown-role', message: `Ukjent rolle «${u.name}»${u.suggestedKey ? ` (kan opprettes som «${u.suggestedKey}»)` : ''}.` });
    }
    if (responsibility.unclear && responsibility.unknown.length === 0) warnings.push({ code: 'several-roles', message: responsibility.unclear });
    if (responsibility.unclear) review.push(`Ansvar: ${responsibility.unclear}`);
    if (responsibility.enhetsleder) {
      warnings.push({ code: 'enhetsleder', message: 'Enhetsleder: oppgaven går til lederen der årshjulet er tildelt (eller nærmeste over). Tildel årshjulet til enheten.' });
    }
  }
  return {
    line,
    title,
    month,
    rrule: schedule.unscheduled ? null : schedule.rrule,
    startsOn: schedule.unscheduled ? null : schedule.startsOn,
    shift: schedule.unscheduled ? 'previous' : schedule.shift,
    responsibleRole: responsibility?.role ?? 'manager',
    scope: responsibility?.scope ?? 'unit',
    storedIn: lagres === '' ? null : lagres,
    responsibleText: ansvar === '' ? null : ansvar,
    // The column holds 1,000 characters; a long Ansvar of many unknown names is cut, the page shows it whole.
    reviewNote: review.length ? review.join('\n').slice(0, 1000) : null,
    warnings,
  };
}

function norwegianFault(fault: string): string {
  if (fault.includes('fødselsnummer')) return 'den ser ut til å inneholde et fødselsnummer';
  if (fault.includes('control')) return 'den inneholder kontrolltegn';
  return 'den inneholder ødelagte tegn';
}
