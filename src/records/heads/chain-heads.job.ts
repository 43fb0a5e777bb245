import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { outsideAnyMunicipality } from '../../auth/tenant-context';
import { ChainHeadsService, NotedResult, StampResult } from './chain-heads.service';

const NIGHTLY = 'chain-heads-nightly';
const WEEKLY = 'chain-imprint-weekly';

/**
 * Each night (01:15 in Oslo: before the reminders, away from the hour DST skips or repeats) notes the chain
 * heads that changed and has them time-stamped; each morning at 07:05 queues the week's kjedeavtrykk, which
 * goes out on the first morning of the week the service is up (its key names the week). With several
 * replicas, the one that takes the advisory lock does the night's work; the others return at once.
 */
@Injectable()
export class ChainHeadsJob {
  private readonly logger = new Logger(ChainHeadsJob.name);

  constructor(private readonly dataSource: DataSource, private readonly heads: ChainHeadsService, private readonly clock: Clock) {}

  @Cron('0 15 1 * * *', { name: NIGHTLY, timeZone: 'Europe/Oslo' })
  async onNight(): Promise<void> {
    await outsideAnyMunicipality(() => this.runNight()).catch((error) =>
      this.logger.error({ err: { message: (error as Error).message } }, 'Noting chain heads failed; tried again next night'),
    );
  }

  @Cron('0 5 7 * * *', { name: WEEKLY, timeZone: 'Europe/Oslo' })
  async onMorning(): Promise<void> {
    await outsideAnyMunicipality(() => this.runWeekly()).catch((error) =>
      this.logger.error({ err: { message: (error as Error).message } }, 'Queueing the kjedeavtrykk failed; tried again tomorrow morning'),
    );
  }

  /** The night's work, on demand too (tests, operators). Null when another replica holds it. */
  async runNight(): Promise<(NotedResult & StampResult) | null> {
    return this.locked(NIGHTLY, async () => {
      const noted = await this.heads.noteHeads();
      const stamps = await this.heads.stampHeads();
      if (noted.heads || stamps.stamped || stamps.failed) this.logger.log({ ...noted, ...stamps }, 'Chain heads noted');
      return { ...noted, ...stamps };
    });
  }

  /** The week's kjedeavtrykk at the clock's instant. Safe on every replica: the outbox's keys make it once. */
  async runWeekly(at: Date = this.clock.now()): Promise<{ queued: number; sent: number }> {
    const result = await this.heads.sendImprints(at);
    if (result.queued) this.logger.log(result, 'Kjedeavtrykk queued');
    return result;
  }

  private locked<T>(job: string, work: () => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (tx) => {
      // The transaction only holds the lock, idle, while the work runs on other connections (a slow
      // authority waits up to TSA_TIMEOUT_MS): the service's idle-in-transaction limit must not end it.
      const [{ locked }] = await tx.query(
        `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked, set_config('idle_in_transaction_session_timeout', '0', true)`,
        [job],
      );
      return locked ? work() : null;
    });
  }
}
