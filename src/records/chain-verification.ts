import { GENESIS_HASH, seal } from './canonical';
import { contentOf, RecordRow } from './services/record-chain';

export interface ChainProblem {
  sequence: number;
  recordId: string;
  problem: 'altered' | 'removed' | 'out-of-order';
  detail: string;
}

export interface ChainReport {
  unitId: string;
  records: number;
  valid: boolean;
  /** Hash of the last record: publish or keep it to detect a removed tail later. */
  chainHead: string | null;
  firstProblem: ChainProblem | null;
}

/** Reads the records of a unit with sequence greater than `after`, in order, at most `limit`. */
export type FetchRecords = (after: number, limit: number) => Promise<RecordRow[]>;

const BATCH = 5000;

/**
 * Walks a unit's chain from the first record and reports the first record that was altered, removed or
 * inserted out of order: each record must hash to its stored hash, follow on from the previous record's
 * hash, and carry the next sequence number.
 */
export async function verifyChain(unitId: string, fetch: FetchRecords): Promise<ChainReport> {
  let previousHash = GENESIS_HASH;
  let expected = 1;
  let records = 0;
  for (;;) {
    const batch = await fetch(expected - 1, BATCH);
    for (const row of batch) {
      records++;
      const sequence = Number(row.sequence);
      const fail = (problem: ChainProblem['problem'], detail: string): ChainReport => ({
        unitId,
        records,
        valid: false,
        chainHead: null,
        firstProblem: { sequence, recordId: row.id, problem, detail },
      });
      if (sequence !== expected) {
        return fail('removed', `record ${expected}${sequence - 1 > expected ? `–${sequence - 1}` : ''} is missing before record ${sequence}`);
      }
      if (row.previous_hash !== previousHash) {
        return fail('out-of-order', `record ${sequence} does not follow on from record ${sequence - 1}: a record was removed, replaced or inserted`);
      }
      if (seal(contentOf(row)).hash !== row.hash) {
        return fail('altered', `record ${sequence} no longer matches its hash: its content was changed after it was signed`);
      }
      previousHash = row.hash;
      expected++;
    }
    if (batch.length < BATCH) break;
  }
  return { unitId, records, valid: true, chainHead: records ? previousHash : null, firstProblem: null };
}

export const FETCH_RECORDS_SQL = `SELECT * FROM sign_off WHERE unit_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`;
