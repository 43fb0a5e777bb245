import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ValidationProblem } from '../../common/problem';
import { unstorableText } from '../../common/text';
import { GENESIS_HASH, RecordContent, seal } from '../canonical';
import { SignOffDto } from '../dtos/sign-off.dto';
import { prepared } from '../../database/prepared-statements';

/** A record as stored, column by column. */
export interface RecordRow {
  id: string;
  municipality_id: string;
  unit_id: string;
  sequence: string; // bigint comes back as text
  occurrence_id: string;
  kind: 'sign_off' | 'correction';
  outcome: 'done' | 'not_applicable' | null;
  late: boolean;
  comment: string | null;
  stored_in: string | null;
  evidence_url: string | null;
  signed_by: string;
  signed_by_name: string;
  signed_at: Date;
  supersedes_id: string | null;
  reason: string | null;
  snapshot: Record<string, unknown>;
  previous_hash: string;
  hash: string;
  on_behalf_of: string | null;
  on_behalf_of_name: string | null;
}

export type NewRecord = Omit<RecordContent, 'v' | 'id' | 'sequence' | 'previousHash'>;

/** The content a stored row claims, in the form that was hashed. */
export function contentOf(row: RecordRow): RecordContent {
  return {
    v: 1,
    id: row.id,
    municipalityId: row.municipality_id,
    unitId: row.unit_id,
    sequence: Number(row.sequence),
    occurrenceId: row.occurrence_id,
    kind: row.kind,
    outcome: row.outcome,
    late: row.late,
    comment: row.comment,
    storedIn: row.stored_in,
    evidenceUrl: row.evidence_url,
    signedBy: row.signed_by,
    signedByName: row.signed_by_name,
    signedAt: new Date(row.signed_at).toISOString(),
    supersedesId: row.supersedes_id,
    reason: row.reason,
    snapshot: row.snapshot,
    previousHash: row.previous_hash,
    ...(row.on_behalf_of ? { onBehalfOf: { id: row.on_behalf_of, displayName: row.on_behalf_of_name! } } : {}),
  };
}

export function toSignOffDto(row: RecordRow): SignOffDto {
  const c = contentOf(row);
  return {
    id: c.id,
    occurrenceId: c.occurrenceId,
    unitId: c.unitId,
    sequence: c.sequence,
    kind: c.kind,
    outcome: c.outcome,
    late: c.late,
    comment: c.comment,
    storedIn: c.storedIn,
    evidenceUrl: c.evidenceUrl,
    signedBy: { id: c.signedBy, displayName: c.signedByName },
    signedAt: c.signedAt,
    supersedesId: c.supersedesId,
    reason: c.reason,
    snapshot: c.snapshot,
    previousHash: c.previousHash,
    hash: row.hash,
    onBehalfOf: c.onBehalfOf ?? null,
  };
}

/** The last record of a unit's chain: the next record carries sequence + 1 and this hash. */
export interface ChainHead {
  sequence: number;
  hash: string;
}

/** Another record took the place after the head a record was sealed for; seal it again after the new head. */
export class ChainMovedError extends Error {}

/**
 * Appends a record to its unit's hash chain. The advisory lock taken by sign_off_chain_head() orders the
 * records of one unit, so each gets the next sequence number and the previous record's hash; units do
 * not wait for each other.
 */
export async function appendRecord(tx: EntityManager, record: NewRecord): Promise<RecordRow> {
  const [last] = await tx.query(`SELECT sequence, hash FROM sign_off_chain_head($1)`, [record.unitId]);
  return insertAfter(tx, record, last ? { sequence: Number(last.sequence), hash: last.hash } : null);
}

/** A record sealed as the one after a head of its unit's chain, with the hash it was sealed with. */
export interface SealedRecord {
  content: RecordContent;
  hash: string;
}

/** Seals the record as the one after `head` (null: the unit's first). */
export function sealAfter(record: NewRecord, head: ChainHead | null): SealedRecord {
  const content = storable({
    v: 1,
    id: recordId(),
    sequence: head ? head.sequence + 1 : 1,
    previousHash: head ? head.hash : GENESIS_HASH,
    ...record,
    // Millisecond precision survives timestamptz and JSON unchanged, so the hash can be recomputed.
    signedAt: new Date(record.signedAt).toISOString(),
  });
  return { content, hash: seal(content).hash };
}

/**
 * Seals the record as the one after `head` (null: the unit's first) and inserts it, in one statement.
 * It fails with ChainMovedError if that place was taken meanwhile (the unique (unit, sequence): a chain
 * never forks; migration SignOffGroups) or if another transaction holds the unit's chain lock.
 */
export async function insertAfter(db: EntityManager, record: NewRecord, head: ChainHead | null): Promise<RecordRow> {
  const { content, hash } = sealAfter(record, head);
  const [row] = await db
    .query(
      // Only while nobody holds the unit's chain lock (a holder re-enters it): a sign-off waiting in line
      // behind the lock then never finds its place taken by one that did not wait. Nothing is inserted where
      // the place after the head is taken. A function, planned once per connection (migrations SignOffFunction,
      // SignOffGroups).
      `SELECT * FROM sign_off_insert_after($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
      [
        content.id, content.municipalityId, content.unitId, content.sequence, content.occurrenceId, content.kind, content.outcome,
        content.late, content.comment, content.storedIn, content.evidenceUrl, content.signedBy, content.signedByName, content.signedAt,
        content.supersedesId, content.reason, JSON.stringify(content.snapshot), content.previousHash, hash,
        content.onBehalfOf?.id ?? null, content.onBehalfOf?.displayName ?? null,
      ],
    );
  if (!row) throw new ChainMovedError('The place after the head is taken, or the unit’s chain is locked by another sign-off');
  return storedAsSealed(row, hash);
}

/**
 * Inserts records, each sealed after its unit's head, in one statement and so one transaction and one commit
 * (SignOffsService's group commit). Each gets its row, or ChainMovedError where the place after its head was
 * taken or its unit's chain lock held by another transaction; a statement that fails (a record refused)
 * inserts none and fails as a whole.
 */
export async function insertSealedTogether(db: EntityManager, records: SealedRecord[]): Promise<Array<RecordRow | Error>> {
  const rows: RecordRow[] = await db.query(INSERT_TOGETHER, [
    JSON.stringify(
      records.map(({ content, hash }) => ({
        id: content.id, municipality_id: content.municipalityId, unit_id: content.unitId, sequence: content.sequence,
        occurrence_id: content.occurrenceId, kind: content.kind, outcome: content.outcome, late: content.late, comment: content.comment,
        stored_in: content.storedIn, evidence_url: content.evidenceUrl, signed_by: content.signedBy, signed_by_name: content.signedByName,
        signed_at: content.signedAt, supersedes_id: content.supersedesId, reason: content.reason, snapshot: content.snapshot,
        previous_hash: content.previousHash, hash, on_behalf_of: content.onBehalfOf?.id ?? null, on_behalf_of_name: content.onBehalfOf?.displayName ?? null,
      })),
    ),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return records.map(({ content, hash }) => {
    const row = byId.get(content.id);
    if (!row) return new ChainMovedError('The place after the head is taken, or the unit’s chain is locked by another sign-off');
    try {
      return storedAsSealed(row, hash);
    } catch (error) {
      return error as Error;
    }
  });
}

const INSERT_TOGETHER = prepared(`
  SELECT s.* FROM jsonb_to_recordset($1::jsonb) AS x(
    id uuid, municipality_id uuid, unit_id uuid, sequence bigint, occurrence_id uuid, kind text, outcome text, late boolean, comment text,
    stored_in text, evidence_url text, signed_by uuid, signed_by_name text, signed_at timestamptz, supersedes_id uuid, reason text,
    snapshot jsonb, previous_hash text, hash text, on_behalf_of uuid, on_behalf_of_name text)
  CROSS JOIN LATERAL sign_off_insert_after(
    x.id, x.municipality_id, x.unit_id, x.sequence, x.occurrence_id, x.kind, x.outcome, x.late, x.comment, x.stored_in, x.evidence_url,
    x.signed_by, x.signed_by_name, x.signed_at, x.supersedes_id, x.reason, x.snapshot, x.previous_hash, x.hash, x.on_behalf_of,
    x.on_behalf_of_name) s`);

/**
 * Read back: the row as PostgreSQL stored it must hash as sealed. storable() makes this hold; should it
 * ever not, the request fails loudly (and, inside a transaction, nothing is written) rather than quietly.
 */
function storedAsSealed(row: RecordRow, hash: string): RecordRow {
  if (seal(contentOf(row)).hash !== hash) throw new Error(`Record ${row.id} as stored does not match the hash it was sealed with`);
  return row;
}

/**
 * A new record's id: a UUIDv7 (RFC 9562: 48 bits of Unix milliseconds, then 74 random bits), so that new
 * records' primary-key entries land on the last pages of sign_off_pkey, which stay in cache, instead of a
 * random page of an index over millions of records (issue 18). The time it tells is about the record's signedAt,
 * which the record carries anyway.
 */
export function recordId(now = Date.now()): string {
  // randomUUID() draws from a cached pool of random bytes (cheaper than a fresh draw per id); its version-4
  // layout already has the variant bits, so only the time and the version digit are written over.
  const time = now.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

/**
 * The content as PostgreSQL will store it, so that the hash is over exactly that: every text in NFC
 * (the API normalises what it is sent; older task titles in a snapshot may not be), and none that
 * PostgreSQL would refuse or alter (NUL, half a surrogate pair), which is refused before it is sealed.
 */
function storable(content: RecordContent): RecordContent {
  const walk = (value: unknown, field: string): unknown => {
    if (typeof value === 'string') {
      const fault = unstorableText(value);
      if (fault) throw new ValidationProblem([{ field, message: fault }]);
      return value.normalize('NFC');
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${field}.${i}`));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, field ? `${field}.${k}` : k)]));
    }
    return value;
  };
  return walk(content, '') as RecordContent;
}
