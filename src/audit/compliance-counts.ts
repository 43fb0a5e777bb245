import { ComplianceRowDto } from './dtos/audit.dto';

/**
 * The compliance figures of a set of occurrences `o`, as SQL aggregate columns: what stands on each
 * occurrence (migration OccurrenceStanding), with `today` (a placeholder such as '$6') deciding overdue
 * from open. One definition for the compliance report, the summary rows of a unit's sub-units and the
 * wheel's marks, so that a summary always adds up to the flat list it summarises.
 */
export function complianceCounts(today: string): string {
  return `count(*) AS planned,
          count(*) FILTER (WHERE o.standing_outcome = 'done' AND NOT o.standing_late) AS "doneOnTime",
          count(*) FILTER (WHERE o.standing_outcome = 'done' AND o.standing_late) AS "doneLate",
          count(*) FILTER (WHERE o.standing_outcome = 'not_applicable') AS "notApplicable",
          count(*) FILTER (WHERE o.standing_outcome IS NULL AND o.deadline < ${today}) AS overdue,
          count(*) FILTER (WHERE o.standing_outcome IS NULL AND o.deadline >= ${today}) AS open`;
}

export type ComplianceCounts = Omit<ComplianceRowDto, 'group'>;

/** The counts of a row read with complianceCounts(), and the share on time of what has fallen due. */
export function toComplianceCounts(row: Record<string, unknown>): ComplianceCounts {
  const n = (key: string) => Number(row[key] ?? 0);
  const due = n('doneOnTime') + n('doneLate') + n('overdue');
  return {
    planned: n('planned'),
    doneOnTime: n('doneOnTime'),
    doneLate: n('doneLate'),
    notApplicable: n('notApplicable'),
    overdue: n('overdue'),
    open: n('open'),
    shareOnTime: due === 0 ? null : Math.round((n('doneOnTime') / due) * 1000) / 1000,
  };
}
