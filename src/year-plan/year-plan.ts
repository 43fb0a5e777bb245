import { asciiSlug } from '../common/documents/file-name';

/**
 * The year plan as every writer (PDF, DOCX, XLSX) prints it: plain data, no functions, so that it can be
 * handed to the worker thread that writes the file (see year-plan.renderer.ts).
 */

export const YEAR_PLAN_FORMATS = ['pdf', 'docx', 'xlsx'] as const;
export type YearPlanFormat = (typeof YEAR_PLAN_FORMATS)[number];

/** The seed's columns: oppgave | Ansvar | Lagres | Utført | Kommentar, with the deadline beside the task. */
export const YEAR_PLAN_COLUMNS = ['Oppgave', 'Frist', 'Ansvar', 'Lagres', 'Utført', 'Kommentar'] as const;

/** Relative widths of the six columns, shared by the writers so the three files look alike. */
export const COLUMN_SHARES = [30, 8, 17, 12, 15, 18] as const;

export const MONTHS_NB = ['Januar', 'Februar', 'Mars', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Desember'];

export interface YearPlanRow {
  /** The task's title verbatim (after «Eksempel» for an invented example row), with the recipient's code for a recipient task. */
  task: string;
  /** The deadline as a local date (YYYY-MM-DD) and as printed (DD.MM.YYYY). */
  deadline: string;
  deadlineText: string;
  responsible: string;
  storedIn: string;
  done: string;
  comment: string;
}

export interface YearPlanSection {
  /** The wheel's name when the plan holds several wheels; null when it holds one (named in the title). */
  wheelName: string | null;
  rows: YearPlanRow[];
}

export interface YearPlanMonth {
  month: number;
  name: string;
  sections: YearPlanSection[];
}

export interface YearPlan {
  /** "Årsplan 2027 – Avdeling Fjellvegen" */
  title: string;
  /** What the plan covers and whether it is blank or filled in, one line. */
  subtitle: string;
  /** "Skrevet ut 10.02.2027 kl. 09:00", in the municipality's zone. */
  printed: string;
  unitName: string;
  year: number;
  filled: boolean;
  rowCount: number;
  months: YearPlanMonth[];
}

/** 2027-02-26 → 26.02.2027 */
export function norwegianDate(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

const ROLE_LABELS: Record<string, string> = {
  manager: 'Leder',
  staff: 'Ansatte',
  primary_contact: 'Primærkontakt',
  quality_adviser: 'Kvalitetsrådgiver',
  admin: 'Administrator',
};

/**
 * Ansvar as people wrote it: the imported table's own words if the task came from one, else the role in
 * Norwegian (a municipality's own role, such as `resource_team`, by its name), then who holds it.
 */
export function responsibleText(role: string, importedText: string | null, owners: string[]): string {
  const label = importedText?.trim() || ROLE_LABELS[role] || capitalise(role.replace(/_/g, ' '));
  return owners.length ? `${label}: ${owners.join(', ')}` : label;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Avdeling Fjellvegen", 2027, filled → arsplan-avdeling-fjellvegen-2027-utfylt: ASCII for Content-Disposition. */
export function fileBaseName(unitName: string, year: number, filled: boolean): string {
  return `arsplan-${asciiSlug(unitName)}-${year}${filled ? '-utfylt' : ''}`;
}

export const CONTENT_TYPES: Record<YearPlanFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
