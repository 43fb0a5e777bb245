import { createHash } from 'node:crypto';

export interface NotedHead {
  unitId: string;
  sequence: number;
  hash: string;
}

/** The first line of the canonical text: names the format, so a later one can never be mistaken for it. */
export const HEADS_FORMAT = 'arshjul-chain-heads-v1';

/**
 * The canonical text of a batch of chain heads, and its SHA-256 (what a time-stamping authority signs):
 *
 *   arshjul-chain-heads-v1\n
 *   <unit id> <sequence> <hash>\n      one line per unit, ordered by unit id (lower-case UUIDs, byte order)
 *
 * UTF-8 (it is ASCII), LF line ends, the last line ended too. Anyone holding the heads can rebuild it with
 * printf and sha256sum and compare the result with the token's message imprint.
 */
export function headsText(heads: NotedHead[]): string {
  const lines = heads
    .map((h) => `${h.unitId.toLowerCase()} ${h.sequence} ${h.hash}\n`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${HEADS_FORMAT}\n${lines.join('')}`;
}

export function headsDigest(heads: NotedHead[]): string {
  return createHash('sha256').update(headsText(heads), 'utf8').digest('hex');
}
