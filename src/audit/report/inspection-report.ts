import { asciiSlug } from '../../common/documents/file-name';

/**
 * The internal control report (internkontrollrapport) as every writer (PDF, XLSX) prints it: plain data, no
 * functions, so that it can be handed to the worker thread that writes the file (DocumentRenderer).
 */

export const REPORT_FORMATS = ['pdf', 'xlsx', 'zip'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** What the worker writes; the zip is packed around the PDF in the request's thread (streams, no layout). */
export type RenderedReportFormat = Exclude<ReportFormat, 'zip'>;

/** The outcome of an occurrence in words, as an inspector reads it. */
export const OUTCOME_WORDS = {
  doneOnTime: 'Utført i tide',
  doneLate: 'Utført for sent',
  notApplicable: 'Ikke aktuelt',
  notDone: 'Ikke utført',
  open: 'Åpen',
} as const;
export type OutcomeKey = keyof typeof OUTCOME_WORDS;

export interface Counts {
  planned: number;
  doneOnTime: number;
  doneLate: number;
  notApplicable: number;
  /** Deadline passed, not signed. */
  notDone: number;
  /** Deadline not yet passed, not signed. */
  open: number;
  /** Done on time ÷ (on time + late + not done), as the compliance report counts it; null when nothing fell due. */
  shareOnTime: number | null;
}

/** A record before the one that stands, or a correction: shown beneath the line it belongs to. */
export interface HistoryEntry {
  text: string;
}

/** One planned occurrence. */
export interface ReportLine {
  /** YYYY-MM-DD and DD.MM.YYYY */
  deadline: string;
  deadlineText: string;
  unitName: string;
  task: string;
  wheel: string;
  legalBasis: string;
  /** Ansvar: the role and who holds it. */
  responsible: string;
  /** The service recipient's code (never a name), or empty. */
  recipientCode: string;
  /** For a duty per employee: whose it is. */
  person: string;
  outcome: OutcomeKey;
  outcomeText: string;
  /** Why it was not applicable (the record's comment), or empty. */
  notApplicableReason: string;
  signedBy: string;
  signedAt: string;
  onBehalfOf: string;
  comment: string;
  storedIn: string;
  evidenceUrl: string;
  history: HistoryEntry[];
}

/** A correction, for the sheet of corrections: what it replaced, why, and what stands after it. */
export interface CorrectionLine {
  deadlineText: string;
  task: string;
  recipientCode: string;
  person: string;
  correctedAt: string;
  correctedBy: string;
  reason: string;
  replaced: string;
  now: string;
}

export interface ReportMonth {
  /** YYYY-MM and "Februar 2027" */
  key: string;
  name: string;
  lines: ReportLine[];
}

/** The unit's hash chain as the report saw it. */
export interface ChainSection {
  unitId: string;
  unitName: string;
  /** Records of the unit signed in the period: the lines of the bundle's records.jsonl. */
  records: number;
  firstSequence: number | null;
  lastSequence: number | null;
  previousHashOfFirst: string | null;
  /** Hash of the period's last record: the manifest's chainHead. */
  chainHead: string | null;
  unitChainHead: { sequence: number; hash: string };
  verified: boolean;
  verifiedRecords: number;
  verification: string[];
}

export interface InspectionReport {
  title: string;
  municipality: string;
  unitName: string;
  period: { from: string; to: string; text: string };
  /** Sub-units included, one wheel, one legal basis: each as a line. */
  scope: string[];
  generatedBy: string;
  generatedAt: string;
  today: string;
  rowCount: number;
  total: Counts;
  byMonth: Array<{ label: string; counts: Counts }>;
  byWheel: Array<{ label: string; counts: Counts }>;
  months: ReportMonth[];
  legalBases: Array<{ legalBasis: string; tasks: string[] }>;
  corrections: CorrectionLine[];
  chains: ChainSection[];
  howToCheck: string[];
}

export const MONTH_NAMES = ['Januar', 'Februar', 'Mars', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Desember'];

/** The counts' headings, in one order for the PDF, the sheet and the chart. */
export const COUNT_COLUMNS: Array<[keyof Counts, string]> = [
  ['planned', 'Planlagt'],
  ['doneOnTime', 'Utført i tide'],
  ['doneLate', 'Utført for sent'],
  ['notApplicable', 'Ikke aktuelt'],
  ['notDone', 'Ikke utført'],
  ['open', 'Åpen'],
  ['shareOnTime', 'Andel i tide'],
];

export function emptyCounts(): Counts {
  return { planned: 0, doneOnTime: 0, doneLate: 0, notApplicable: 0, notDone: 0, open: 0, shareOnTime: null };
}

export function addTo(counts: Counts, outcome: OutcomeKey): void {
  counts.planned++;
  counts[outcome]++;
  const due = counts.doneOnTime + counts.doneLate + counts.notDone;
  counts.shareOnTime = due === 0 ? null : Math.round((counts.doneOnTime / due) * 1000) / 1000;
}

export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)} %`;
}

/** "Avdeling Fjellvegen" → internkontrollrapport-avdeling-fjellvegen-2027-01-01-2027-12-31: ASCII for Content-Disposition. */
export function reportFileName(unitName: string, from: string, to: string): string {
  return `internkontrollrapport-${asciiSlug(unitName)}-${from}-${to}`;
}

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};
