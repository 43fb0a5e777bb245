import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { anyMunicipalityWillDo, outsideAnyMunicipality } from './tenant-context';

/** Ended windows cleared away per statement, and how often: the table holds little beyond the live windows. */
const CLEAR_AT_ONCE = 1000;
const CLEAR_EVERY_MS = 60_000;

/**
 * One hit, in one statement: a new key starts a window; a key whose window (or block) has ended starts a
 * new one; a blocked key is not counted; a hit past the limit blocks the key for `blockDuration`. The row
 * lock taken by ON CONFLICT DO UPDATE makes hits on the same key from any number of replicas count one
 * after the other. $1 key, $2 now, $3 the new window's end, $4 limit, $5 the end of a block starting now.
 */
const HIT_SQL = `
  INSERT INTO rate_limit_hit AS r (key, hits, window_ends_at, blocked_until)
  VALUES ($1, 1, $3, CASE WHEN 1 > $4::int THEN $5::timestamptz END)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN r.blocked_until > $2 THEN r.hits
                WHEN r.window_ends_at <= $2 OR r.blocked_until IS NOT NULL THEN 1
                ELSE r.hits + 1 END,
    window_ends_at = CASE WHEN r.blocked_until > $2 THEN r.window_ends_at
                          WHEN r.window_ends_at <= $2 OR r.blocked_until IS NOT NULL THEN excluded.window_ends_at
                          ELSE r.window_ends_at END,
    blocked_until = CASE WHEN r.blocked_until > $2 THEN r.blocked_until
                         WHEN r.window_ends_at <= $2 OR r.blocked_until IS NOT NULL THEN excluded.blocked_until
                         WHEN r.hits + 1 > $4::int THEN $5::timestamptz
                         ELSE NULL END
  RETURNING hits, window_ends_at, blocked_until`;

/**
 * The rate limits' counters in PostgreSQL (table `rate_limit_hit`, migration SharedRateLimits), so every
 * replica counts against the same limit. A fixed window per key (throttler, route, and address or person),
 * counted by the injectable clock. Keys are stored as their SHA-256 only. When the database cannot be
 * reached the hit fails, and so does the request, as any request that needs the database: a limit that
 * cannot be counted is not waived.
 */
@Injectable()
export class SharedRateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(SharedRateLimitStorage.name);
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {
    this.sweeper = setInterval(() => void outsideAnyMunicipality(() => this.clearEnded()), CLEAR_EVERY_MS);
    this.sweeper.unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now();
    // Counted outside the request's store: the count is no data of the request's municipality, and its write
    // must not send the request's reads to the primary (ReadDatabase's read-your-writes). The table has no
    // row-level security, so the connection is not retagged for it.
    const [row]: Array<{ hits: number; window_ends_at: Date; blocked_until: Date | null }> = await anyMunicipalityWillDo(() =>
      this.dataSource.query(HIT_SQL, [hashedKey(throttlerName, key), now, new Date(now.getTime() + ttl), limit, new Date(now.getTime() + blockDuration)]),
    );
    const seconds = (until: Date) => Math.max(0, Math.ceil((new Date(until).getTime() - now.getTime()) / 1000));
    const isBlocked = row.blocked_until !== null && new Date(row.blocked_until) > now;
    return {
      totalHits: row.hits,
      timeToExpire: seconds(row.window_ends_at),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(row.blocked_until!) : 0,
    };
  }

  /** Removes windows and blocks that have ended, a bounded batch at a time. Any replica may; all may. */
  async clearEnded(): Promise<number> {
    try {
      const [, removed] = await this.dataSource.query(
        `DELETE FROM rate_limit_hit WHERE key IN (
           SELECT key FROM rate_limit_hit WHERE window_ends_at < $1 AND (blocked_until IS NULL OR blocked_until < $1) LIMIT ${CLEAR_AT_ONCE})`,
        [this.clock.now()],
      );
      return Number(removed) || 0;
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'Clearing ended rate-limit windows failed; tried again in a minute');
      return 0;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}

/** The key as stored: its SHA-256, so the table names no address or person even if a key generator did. */
export function hashedKey(throttlerName: string, key: string): Buffer {
  return createHash('sha256').update(`${throttlerName}\0${key}`).digest();
}
