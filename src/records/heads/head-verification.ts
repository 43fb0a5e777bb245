import { headsDigest, headsText } from './heads-digest';
import { TimeStampError, TimeStampTrust, verifyTimeStamp } from './time-stamp';

/** A head once noted for the unit that its chain no longer has. */
export interface HeadProblem {
  sequence: number;
  hash: string;
  notedAt: string;
  /** When an RFC 3161 authority stamped the batch that noted it; null when it was not stamped. */
  stampedAt: string | null;
  problem: 'missing' | 'differs' | 'time-stamp-invalid';
  detail: string;
}

export interface NotedHeadsReport {
  /** How many heads were noted for the unit (each night its chain moved), and the last of them. */
  notedHeads: number;
  lastNotedHead: { sequence: number; hash: string; notedAt: string; stampedAt: string | null } | null;
  /**
   * Time stamps over the unit's noted heads: verified against the trusted TSA certificate (TSA_CERT_FILE),
   * or, with none configured, only against the certificate in the token (whole and for these heads).
   */
  timeStamps: { verified: number; untrusted: number };
  headProblems: HeadProblem[];
  headProblemCount: number;
}

type RunQuery = <Row>(sql: string, parameters: unknown[]) => Promise<Row[]>;

/**
 * Checks the unit's chain against every head noted for it: the record with the noted sequence must still be
 * there with the noted hash. Deleting the newest records leaves a chain that verifies on its own; only a head
 * noted before shows that it once was longer. Time stamps over the batches that noted them are checked too:
 * a token that does not verify, or that stamps other heads than those kept, means the noted heads were
 * changed as well.
 *
 * From a checkpoint (`fromSequence`), only the heads noted at or after its place, and their time stamps: a head
 * before it was held by the chain the checkpoint verified, and the checkpointed record is checked on its own.
 */
export async function verifyNotedHeads(unitId: string, query: RunQuery, trust: TimeStampTrust | null, maxListed: number, fromSequence = 0): Promise<NotedHeadsReport> {
  const heads = await query<{ sequence: string; hash: string; recorded_at: Date; batch_id: string; chain_hash: string | null; stamped_at: Date | null }>(
    `SELECT c.sequence, c.hash, c.recorded_at, c.batch_id, s.hash AS chain_hash, ts.stamped_at
       FROM chain_head c
       LEFT JOIN sign_off s ON s.unit_id = c.unit_id AND s.sequence = c.sequence
       LEFT JOIN chain_head_time_stamp ts ON ts.batch_id = c.batch_id
      WHERE c.unit_id = $1 AND c.sequence >= $2
      ORDER BY c.recorded_at, c.sequence`,
    [unitId, fromSequence],
  );
  const [{ last }] = await query<{ last: string | null }>(`SELECT max(sequence) AS last FROM sign_off WHERE unit_id = $1`, [unitId]);
  const lastSequence = last === null ? 0 : Number(last);

  const problems: HeadProblem[] = [];
  let problemCount = 0;
  const found = (p: HeadProblem) => {
    problemCount++;
    if (problems.length < maxListed) problems.push(p);
  };
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const stampedWords = (stampedAt: string | null) => (stampedAt ? `, time-stamped by the authority at ${stampedAt}` : '');

  for (const h of heads) {
    const sequence = Number(h.sequence);
    const notedAt = iso(h.recorded_at)!;
    const stampedAt = iso(h.stamped_at);
    const base = { sequence, hash: h.hash, notedAt, stampedAt };
    if (h.chain_hash === null) {
      found({
        ...base,
        problem: 'missing',
        detail:
          sequence > lastSequence
            ? `the chain is shorter than a head it once had: it ${lastSequence ? `ends at record ${lastSequence}` : 'has no records'}, but on ${notedAt} its head was noted as record ${sequence} (hash ${h.hash})${stampedWords(stampedAt)}. ` +
              `Record${sequence - lastSequence > 1 ? `s ${lastSequence + 1}–${sequence} were` : ` ${sequence} was`} removed from the end of the chain`
            : `record ${sequence}, noted as the chain's head on ${notedAt} (hash ${h.hash})${stampedWords(stampedAt)}, is missing`,
      });
    } else if (h.chain_hash !== h.hash) {
      found({
        ...base,
        problem: 'differs',
        detail: `record ${sequence} has hash ${h.chain_hash}, but the head noted on ${notedAt}${stampedWords(stampedAt)} was ${h.hash}: the chain disagrees with a head it once had (records were removed or replaced)`,
      });
    }
  }

  const timeStamps = { verified: 0, untrusted: 0 };
  const stampedBatches = [...new Set(heads.filter((h) => h.stamped_at).map((h) => h.batch_id))];
  for (const batchId of stampedBatches) {
    const [stamp] = await query<{ token: Buffer; recorded_at: Date; digest: string }>(
      `SELECT t.token, b.recorded_at, b.digest FROM chain_head_time_stamp t JOIN chain_head_batch b ON b.id = t.batch_id WHERE t.batch_id = $1`,
      [batchId],
    );
    const batchHeads = await query<{ unit_id: string; sequence: string; hash: string }>(`SELECT unit_id, sequence, hash FROM chain_head WHERE batch_id = $1`, [batchId]);
    const noted = batchHeads.map((b) => ({ unitId: b.unit_id, sequence: Number(b.sequence), hash: b.hash }));
    const own = heads.find((h) => h.batch_id === batchId)!;
    try {
      await verifyTimeStamp(Buffer.from(stamp.token), headsDigest(noted), Buffer.from(headsText(noted), 'utf8'), trust ?? undefined);
      if (trust) timeStamps.verified++;
      else timeStamps.untrusted++;
    } catch (error) {
      if (!(error instanceof TimeStampError)) throw error;
      found({
        sequence: Number(own.sequence),
        hash: own.hash,
        notedAt: iso(stamp.recorded_at)!,
        stampedAt: iso(own.stamped_at),
        problem: 'time-stamp-invalid',
        detail: `the time stamp over the heads noted on ${iso(stamp.recorded_at)} does not hold: ${error.message}. The noted heads or their token were changed after they were stamped`,
      });
    }
  }

  const latest = heads[heads.length - 1];
  return {
    notedHeads: heads.length,
    lastNotedHead: latest ? { sequence: Number(latest.sequence), hash: latest.hash, notedAt: iso(latest.recorded_at)!, stampedAt: iso(latest.stamped_at) } : null,
    timeStamps,
    headProblems: problems,
    headProblemCount: problemCount,
  };
}
