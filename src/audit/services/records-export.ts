import { DataSource } from 'typeorm';
import { canonicalJson, GENESIS_HASH, seal } from '../../records/canonical';
import { contentOf, RecordRow } from '../../records/services/record-chain';

export interface ChainExportRequest {
  unitId: string;
  from: string;
  to: string;
  timeZone: string;
  generatedAt: Date;
  /** Called with the recipient codes the lines showed, before the manifest (the last line) is given out. */
  beforeManifest(codes: Array<string | null>): Promise<void>;
}

/**
 * A unit's records signed in a period as JSON lines: each record exactly as it was hashed, then a manifest with
 * the hash before the first line and the hash of the last, so the file can be verified offline (the README's
 * bash recipe, or the report bundle's verify.html). Read in batches of 5,000 in chain order.
 */
export async function* chainExportLines(db: DataSource, request: ChainExportRequest): AsyncGenerator<string> {
  const { unitId, from, to, timeZone } = request;
  const codes: Array<string | null> = [];
  let first: RecordRow | undefined;
  let last: { sequence: number; hash: string } | undefined;
  let count = 0;
  for (let after = 0; ; ) {
    const rows: RecordRow[] = await db.query(
      `SELECT * FROM sign_off
        WHERE unit_id = $1 AND sequence > $2 AND (signed_at AT TIME ZONE $5)::date BETWEEN $3 AND $4
        ORDER BY sequence LIMIT 5000`,
      [unitId, after, from, to, timeZone],
    );
    for (const row of rows) {
      const { line, hash } = seal(contentOf(row));
      first ??= row;
      last = { sequence: Number(row.sequence), hash };
      codes.push(row.snapshot.recipientCode as string | null);
      count++;
      yield line + '\n';
    }
    if (rows.length < 5000) break;
    after = last!.sequence;
  }
  const [head] = await db.query(`SELECT sequence, hash FROM sign_off WHERE unit_id = $1 ORDER BY sequence DESC LIMIT 1`, [unitId]);
  await request.beforeManifest(codes);
  yield canonicalJson({
    manifest: {
      algorithm: 'SHA-256 of each line (UTF-8, without its newline); each line carries the previous line’s hash as previousHash',
      unitId,
      from,
      to,
      records: count,
      firstSequence: first ? Number(first.sequence) : null,
      lastSequence: last?.sequence ?? null,
      previousHashOfFirst: first?.previous_hash ?? null,
      chainHead: last?.hash ?? null,
      unitChainHead: head ? { sequence: Number(head.sequence), hash: head.hash } : { sequence: 0, hash: GENESIS_HASH },
      generatedAt: request.generatedAt.toISOString(),
    },
  }) + '\n';
}
