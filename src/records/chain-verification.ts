import { GENESIS_HASH, seal } from './canonical';
import { contentOf, RecordRow } from './services/record-chain';
import { STANDING_RECORD_JOIN } from './standing.sql';
import { NotedHeadsReport, verifyNotedHeads } from './heads/head-verification';
import { TimeStampTrust } from './heads/time-stamp';

export interface ChainProblem {
  sequence: number;
  recordId: string;
  problem: 'altered' | 'removed' | 'out-of-order';
  detail: string;
  /** The checkpointed record itself, found removed or replaced (verification from a checkpoint). */
  atCheckpoint?: true;
}

export interface ChainReport {
  unitId: string;
  records: number;
  valid: boolean;
  /** Hash of the last record: publish or keep it to detect a removed tail later. Null when a link is broken. */
  chainHead: string | null;
  /** The first of `problems`, for readers that want one line. */
  firstProblem: ChainProblem | null;
  /** Every broken link, in chain order (the first MAX_LISTED of them). */
  problems: ChainProblem[];
  problemCount: number;
}

/** An occurrence whose summary (what the lists and the compliance report count) disagrees with its records. */
export interface StandingProblem {
  occurrenceId: string;
  deadline: string;
  /** What the occurrence says stands, and whether it was cancelled (the reports then leave it out). */
  standing: { outcome: 'done' | 'not_applicable' | null; late: boolean | null; cancelled: boolean };
  /** What its records say: the record that stands (the tip of its line), or none. */
  records: { outcome: 'done' | 'not_applicable' | null; late: boolean | null; recordId: string | null };
  detail: string;
}

/**
 * A place in a unit's chain up to which the whole chain was verified once (table verification_checkpoint):
 * ordinary verification starts there instead of at the first record.
 */
export interface Checkpoint {
  sequence: number;
  recordId: string;
  hash: string;
  verifiedAt: string;
  /** nightly: the nightly job, from the checkpoint before; full: a full verification from the first record. */
  verifiedBy: 'nightly' | 'full';
  /** The trace of occurrence changes (occurrence_change.id) up to which standing was checked. */
  occurrenceChangeId: number;
}

/**
 * The chain of a unit's records, whether it still holds every head noted for it (nightly, outside the chain),
 * and whether what stands on each of its occurrences agrees with its records.
 */
export interface UnitVerification extends ChainReport, NotedHeadsReport {
  standingProblems: StandingProblem[];
  standingProblemCount: number;
  /** True: verified from the first record — every record, noted head, time stamp and occurrence of the unit. */
  full: boolean;
  /** The checkpoint verification started from when not full (what it was, as found before this verification). */
  from: Omit<Checkpoint, 'occurrenceChangeId'> | null;
  /** Records whose hash this verification computed again: all of them when full, else the checkpointed one and those after it. */
  recordsChecked: number;
}

/** Reads the records of a unit with sequence greater than `after`, in order, at most `limit`. */
export type FetchRecords = (after: number, limit: number) => Promise<RecordRow[]>;
/** Runs one SQL statement and returns its rows: a DataSource's query, or pg's with `.rows`. */
export type RunQuery = <Row>(sql: string, parameters: unknown[]) => Promise<Row[]>;

const BATCH = 5000;
/** However much was tampered with, a report stays a readable size; the counts say how many there are. */
export const MAX_LISTED = 1000;

/**
 * Walks a unit's chain from the first record and reports every record that was altered, removed or
 * inserted out of order: each record must hash to its stored hash, follow on from the previous record's
 * hash, and carry the next sequence number. Each link is judged on its own — the next record must follow
 * on from this one's stored hash — so one broken link does not hide tampering further on.
 */
export async function verifyChain(unitId: string, fetch: FetchRecords, start: { sequence: number; hash: string } | null = null): Promise<ChainReport> {
  // From a checkpoint, the next record must follow on from the hash verified then, not the one stored now.
  let previousHash = start ? start.hash : GENESIS_HASH;
  let expected = start ? start.sequence + 1 : 1;
  let records = 0;
  const problems: ChainProblem[] = [];
  let problemCount = 0;
  for (;;) {
    const batch = await fetch(expected - 1, BATCH);
    for (const row of batch) {
      records++;
      const sequence = Number(row.sequence);
      const found = (problem: ChainProblem['problem'], detail: string) => {
        problemCount++;
        if (problems.length < MAX_LISTED) problems.push({ sequence, recordId: row.id, problem, detail });
      };
      if (sequence > expected) {
        found('removed', `record ${expected}${sequence - 1 > expected ? `–${sequence - 1}` : ''} is missing before record ${sequence}`);
      } else if (row.previous_hash !== previousHash) {
        found('out-of-order', `record ${sequence} does not follow on from record ${sequence - 1}: a record was removed, replaced or inserted`);
      }
      if (seal(contentOf(row)).hash !== row.hash) {
        found('altered', `record ${sequence} no longer matches its hash: its content was changed after it was signed`);
      }
      previousHash = row.hash;
      expected = sequence + 1;
    }
    if (batch.length < BATCH) break;
  }
  const valid = problemCount === 0;
  return { unitId, records, valid, chainHead: valid && records ? previousHash : null, firstProblem: problems[0] ?? null, problems, problemCount };
}

/**
 * The unit's chain, and every occurrence of the unit whose standing_outcome/standing_late disagree with its
 * records. The database keeps those columns from the records (migrations OccurrenceStanding and
 * OccurrenceIntegrity); a disagreement means they were written past that trigger, and the compliance
 * figures read from them are wrong.
 *
 * Without a checkpoint this is full verification: every record from the first, every head noted for the unit
 * and every time stamp over them, every occurrence. From a checkpoint it reads only what came after it, so its
 * cost follows what was signed since rather than the years kept: the checkpointed record (still there, with the
 * hash verified then, still hashing to it), the records after it, the heads noted at or after its place with
 * their time stamps, and the occurrences touched since (a record after the checkpoint, or a trace in
 * occurrence_change after the one it saw). A change before the checkpoint that leaves the checkpointed record
 * alone is found only by full verification.
 */
export async function verifyUnit(unitId: string, query: RunQuery, trust: TimeStampTrust | null = null, from: Checkpoint | null = null): Promise<UnitVerification> {
  const fetch: FetchRecords = (after, limit) => query<RecordRow>(FETCH_RECORDS_SQL, [unitId, after, limit]);
  const chain = from ? await verifyFromCheckpoint(unitId, from, fetch, query) : await verifyChain(unitId, fetch).then((c) => ({ ...c, recordsChecked: c.records }));
  const heads = await verifyNotedHeads(unitId, query, trust, MAX_LISTED, from?.sequence ?? 0);
  const rows = from
    ? await query<Record<string, unknown>>(STANDING_DISAGREEMENTS_SINCE_SQL, [unitId, MAX_LISTED, from.sequence, from.occurrenceChangeId])
    : await query<Record<string, unknown>>(STANDING_DISAGREEMENTS_SQL, [unitId, MAX_LISTED]);
  const standingProblems = rows.map(toStandingProblem);
  return {
    ...chain,
    ...heads,
    valid: chain.valid && heads.headProblemCount === 0 && rows.length === 0,
    standingProblems,
    standingProblemCount: rows.length ? Number(rows[0].total) : 0,
    full: !from,
    from: from ? { sequence: from.sequence, recordId: from.recordId, hash: from.hash, verifiedAt: from.verifiedAt, verifiedBy: from.verifiedBy } : null,
  };
}

/**
 * The chain from a checkpoint: the checkpointed record must still be there with the hash verified then (so a
 * checkpoint never hides a record replaced or removed at its place), and the records after it must follow on.
 */
async function verifyFromCheckpoint(unitId: string, from: Checkpoint, fetch: FetchRecords, query: RunQuery): Promise<ChainReport & { recordsChecked: number }> {
  const [row] = await query<RecordRow>(`SELECT * FROM sign_off WHERE unit_id = $1 AND sequence = $2`, [unitId, from.sequence]);
  const atCheckpoint: ChainProblem[] = [];
  const verified = `when the chain was verified up to it on ${from.verifiedAt}`;
  if (!row) {
    atCheckpoint.push({ sequence: from.sequence, recordId: from.recordId, problem: 'removed', atCheckpoint: true, detail: `record ${from.sequence} is missing: ${verified} it was there (hash ${from.hash})` });
  } else if (row.hash !== from.hash) {
    atCheckpoint.push({ sequence: from.sequence, recordId: row.id, problem: 'altered', atCheckpoint: true, detail: `record ${from.sequence} has hash ${row.hash}, but ${verified} its hash was ${from.hash}: it was replaced` });
  } else if (seal(contentOf(row)).hash !== row.hash) {
    atCheckpoint.push({ sequence: from.sequence, recordId: row.id, problem: 'altered', atCheckpoint: true, detail: `record ${from.sequence} no longer matches its hash: its content was changed after it was signed` });
  }
  const after = await verifyChain(unitId, fetch, from);
  const problems = [...atCheckpoint, ...after.problems].slice(0, MAX_LISTED);
  const problemCount = atCheckpoint.length + after.problemCount;
  const valid = problemCount === 0;
  return {
    unitId,
    // The chain's length as far as verified: the checkpointed part, and what follows.
    records: from.sequence + after.records,
    valid,
    chainHead: valid ? (after.records ? after.chainHead : from.hash) : null,
    firstProblem: problems[0] ?? null,
    problems,
    problemCount,
    recordsChecked: (row ? 1 : 0) + after.records,
  };
}

export const FETCH_RECORDS_SQL = `SELECT * FROM sign_off WHERE unit_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`;

/** The tip of each occurrence's line of records against the summary on the occurrence; disagreements only. */
const STANDING_DISAGREEMENTS_SQL = `
  SELECT o.id, o.deadline::text AS deadline, o.standing_outcome, o.standing_late, o.cancelled_at IS NOT NULL AS cancelled,
         standing.record_id, standing.outcome, CASE WHEN standing.outcome IS NULL THEN NULL ELSE standing.late END AS late,
         count(*) OVER () AS total
    FROM occurrence o
    ${STANDING_RECORD_JOIN}
   WHERE o.unit_id = $1
     AND ((o.standing_outcome, o.standing_late)
            IS DISTINCT FROM (standing.outcome, CASE WHEN standing.outcome IS NULL THEN NULL ELSE standing.late END)
          -- an occurrence with records is never cancelled: cancelled, it would drop out of the reports
          OR (o.cancelled_at IS NOT NULL AND standing.record_id IS NOT NULL))
   ORDER BY o.deadline, o.id
   LIMIT $2`;

/**
 * The same, for the occurrences touched since a checkpoint only: those with a record after its place ($3), and
 * those the trace (occurrence_change) shows changed after the trace row it saw ($4). Both by index: the unit's
 * records by (unit_id, sequence), the trace by (municipality_id, id): the municipality's changes since then.
 */
const STANDING_DISAGREEMENTS_SINCE_SQL = `
  WITH touched AS MATERIALIZED (
    SELECT s.occurrence_id AS id FROM sign_off s WHERE s.unit_id = $1 AND s.sequence > $3
    UNION
    SELECT c.occurrence_id FROM occurrence_change c
     WHERE c.municipality_id = (SELECT u.municipality_id FROM unit u WHERE u.id = $1) AND c.id > $4
  )
  SELECT o.id, o.deadline::text AS deadline, o.standing_outcome, o.standing_late, o.cancelled_at IS NOT NULL AS cancelled,
         standing.record_id, standing.outcome, CASE WHEN standing.outcome IS NULL THEN NULL ELSE standing.late END AS late,
         count(*) OVER () AS total
    FROM touched JOIN occurrence o ON o.id = touched.id
    ${STANDING_RECORD_JOIN}
   WHERE o.unit_id = $1
     AND ((o.standing_outcome, o.standing_late)
            IS DISTINCT FROM (standing.outcome, CASE WHEN standing.outcome IS NULL THEN NULL ELSE standing.late END)
          OR (o.cancelled_at IS NOT NULL AND standing.record_id IS NOT NULL))
   ORDER BY o.deadline, o.id
   LIMIT $2`;

function toStandingProblem(row: Record<string, unknown>): StandingProblem {
  const standing = { outcome: row.standing_outcome as StandingProblem['standing']['outcome'], late: row.standing_late as boolean | null, cancelled: row.cancelled as boolean };
  const records = { outcome: row.outcome as StandingProblem['records']['outcome'], late: row.late as boolean | null, recordId: (row.record_id as string | null) ?? null };
  return {
    occurrenceId: row.id as string,
    deadline: row.deadline as string,
    standing,
    records,
    detail: standing.cancelled
      ? `the occurrence of ${row.deadline} was cancelled, so the reports leave it out, but its records say ${inWords(records)}`
      : `the occurrence of ${row.deadline} counts as ${inWords(standing)}, but its records say ${inWords(records)}`,
  };
}

function inWords(s: { outcome: string | null; late: boolean | null }): string {
  if (s.outcome === 'done') return s.late ? 'done late' : 'done on time';
  if (s.outcome === 'not_applicable') return 'not applicable';
  return 'not signed';
}
