import { createHash } from 'node:crypto';

/** The hash before the first record of a unit. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a signed record says, as hashed. Field names and meaning are part of the record: never rename. */
export interface RecordContent {
  v: 1;
  id: string;
  municipalityId: string;
  unitId: string;
  sequence: number;
  occurrenceId: string;
  kind: 'sign_off' | 'correction';
  outcome: 'done' | 'not_applicable' | null;
  late: boolean;
  comment: string | null;
  storedIn: string | null;
  evidenceUrl: string | null;
  signedBy: string;
  signedByName: string;
  /** ISO 8601 in UTC with milliseconds, e.g. 2027-02-26T14:03:00.000Z. */
  signedAt: string;
  supersedesId: string | null;
  reason: string | null;
  snapshot: Record<string, unknown>;
  previousHash: string;
  /** Set only when a deputy signed for an absent owner; left out otherwise, so older records hash as before. */
  onBehalfOf?: { id: string; displayName: string };
}

/**
 * One line of JSON with keys sorted at every level and no spaces: the exact bytes that are hashed, and
 * the exact line written to an export, so an auditor can check the chain with `sha256sum` alone.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('numbers must be finite');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The record's line and its hash (SHA-256 of the line's UTF-8 bytes). */
export function seal(content: RecordContent): { line: string; hash: string } {
  const line = canonicalJson(content);
  return { line, hash: sha256Hex(line) };
}
