import { norwegianDate, responsibleText } from '../../year-plan/year-plan';
import { CorrectionLine, HistoryEntry, OUTCOME_WORDS, OutcomeKey, ReportLine } from './inspection-report';

/**
 * The report's lines in words: what stands on each occurrence, the records before it, and its corrections.
 */

/** A record of an occurrence as the report's query reads it. */
export interface RecordJson {
  id: string;
  sequence: number;
  kind: 'sign_off' | 'correction';
  outcome: 'done' | 'not_applicable' | null;
  late: boolean;
  comment: string | null;
  stored_in: string | null;
  evidence_url: string | null;
  signed_by_name: string;
  signed_at: string;
  supersedes_id: string | null;
  reason: string | null;
  on_behalf_of_name: string | null;
}

/** An occurrence as the report's query reads it, with every record of it in chain order. */
export interface OccurrenceRow {
  deadline: string;
  unit_name: string;
  title: string;
  example: boolean;
  legal_basis: string | null;
  responsible_role: string;
  responsible_text: string | null;
  wheel_name: string;
  recipient_code: string | null;
  person_name: string | null;
  standing_outcome: 'done' | 'not_applicable' | null;
  standing_late: boolean | null;
  owners: string[];
  records: RecordJson[];
}

/** What stands on an occurrence, in words, with who signed it; the records before it become history. */
export function toLine(row: OccurrenceRow, today: string, at: (instant: string) => string): ReportLine {
  const outcome: OutcomeKey =
    row.standing_outcome === 'done' ? (row.standing_late ? 'doneLate' : 'doneOnTime') : row.standing_outcome === 'not_applicable' ? 'notApplicable' : row.deadline < today ? 'notDone' : 'open';
  const superseded = new Set(row.records.map((r) => r.supersedes_id).filter(Boolean));
  const tips = row.records.filter((r) => !superseded.has(r.id));
  const standing = row.standing_outcome ? tips[tips.length - 1] : undefined;
  const reason = outcome === 'notApplicable' ? (standing?.comment ?? '') : '';
  const owners = row.owners.length ? row.owners : row.person_name ? [row.person_name] : [];
  const history: HistoryEntry[] = [];
  for (const record of row.records) {
    if (record.kind !== 'correction') continue;
    const old = row.records.find((r) => r.id === record.supersedes_id);
    history.push({
      text:
        `Rettet ${at(record.signed_at)} av ${signer(record)}. Begrunnelse: «${record.reason ?? ''}». ` +
        `Erstatter: ${old ? describe(old, at) : 'en tidligere post'}. ` +
        (record.outcome ? `Står nå: ${recordWords(record)}${record.comment ? `, kommentar «${record.comment}»` : ''}.` : 'Signeringen er opphevet: oppgaven er åpen igjen.'),
    });
  }
  return {
    deadline: row.deadline,
    deadlineText: norwegianDate(row.deadline),
    unitName: row.unit_name,
    task: row.example ? `«Eksempel» ${row.title}` : row.title,
    wheel: row.wheel_name,
    legalBasis: row.legal_basis ?? '',
    responsible: responsibleText(row.responsible_role, row.responsible_text, owners),
    recipientCode: row.recipient_code ?? '',
    person: row.person_name ?? '',
    outcome,
    outcomeText: outcome === 'notApplicable' && reason ? `${OUTCOME_WORDS.notApplicable}: ${reason}` : OUTCOME_WORDS[outcome],
    notApplicableReason: reason,
    signedBy: standing?.signed_by_name ?? '',
    signedAt: standing ? at(standing.signed_at) : '',
    onBehalfOf: standing?.on_behalf_of_name ?? '',
    comment: standing?.comment ?? '',
    storedIn: standing?.stored_in ?? '',
    evidenceUrl: standing?.evidence_url ?? '',
    history,
  };
}

export function correctionsOf(row: OccurrenceRow, line: ReportLine, at: (instant: string) => string): CorrectionLine[] {
  return row.records
    .filter((r) => r.kind === 'correction')
    .map((record) => {
      const old = row.records.find((r) => r.id === record.supersedes_id);
      return {
        deadlineText: line.deadlineText,
        task: line.task,
        recipientCode: line.recipientCode,
        person: line.person,
        correctedAt: at(record.signed_at),
        correctedBy: signer(record),
        reason: record.reason ?? '',
        replaced: old ? describe(old, at) : '',
        now: record.outcome ? `${recordWords(record)}${record.comment ? `, kommentar «${record.comment}»` : ''}` : 'Opphevet: åpen igjen',
      };
    });
}

function signer(record: RecordJson): string {
  return record.on_behalf_of_name ? `${record.signed_by_name} for ${record.on_behalf_of_name}` : record.signed_by_name;
}

function recordWords(record: RecordJson): string {
  if (record.outcome === 'done') return record.late ? OUTCOME_WORDS.doneLate : OUTCOME_WORDS.doneOnTime;
  if (record.outcome === 'not_applicable') return OUTCOME_WORDS.notApplicable;
  return 'Opphevet';
}

function describe(record: RecordJson, at: (instant: string) => string): string {
  return `${recordWords(record)}, signert av ${signer(record)} ${at(record.signed_at)}${record.comment ? `, kommentar «${record.comment}»` : ''}`;
}
