/**
 * SQL for "the record that stands" for occurrence `o`: the tip of its line of records, the one no later
 * record supersedes. Its outcome NULL means a correction revoked the sign-off: the occurrence is open again.
 */
export const STANDING_RECORD_JOIN = `
  LEFT JOIN LATERAL (
    SELECT s.id AS record_id, s.outcome, s.late, s.signed_at, s.signed_by, s.signed_by_name, s.comment, s.stored_in
      FROM sign_off s
     WHERE s.occurrence_id = o.id AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = s.id)
  ) standing ON true`;

/**
 * True for occurrence `alias` when a sign-off (done or not applicable) stands for it: the summary the
 * database keeps on the occurrence from its records (migration OccurrenceStanding).
 */
export function isSigned(alias: string): string {
  return `(${alias}.standing_outcome IS NOT NULL)`;
}

/** True for occurrence `alias` when it has any record at all: a template change never moves it. */
export function hasRecords(alias: string): string {
  return `EXISTS (SELECT 1 FROM sign_off s WHERE s.occurrence_id = ${alias}.id)`;
}
