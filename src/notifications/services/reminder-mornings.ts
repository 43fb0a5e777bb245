import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { LocalDate } from '../../schedule/local-date';
import { Morning, morningBatches, MonthlyChecklists } from './monthly-checklists';
import { OutboxService } from './outbox.service';

export interface MorningResult {
  /** Municipalities this replica planned in this pass. */
  municipalities: number;
  planned: number;
  queued: number;
}

/**
 * The first working day's monthly checklists, divided between replicas by municipality. Each replica walks
 * the municipalities whose morning it is (largest first, so the long ones start early) and claims them a
 * batch at a time (one large municipality, or several small ones: morningBatches) with one statement — a row
 * per (municipality, day) in `reminder_morning`, inserted, or taken over once its lease has run out —
 * committed before the work; the claimant plans, queues and marks them planned. So each
 * municipality is planned by one replica, the others move on to the next, and a replica that dies while
 * planning leaves its municipality to whoever passes after the lease (REMINDER_LEASE_SECONDS). The outbox's
 * unique keys still make each message once should two ever plan the same morning (a lease outrun).
 * Leases keep to the real clock (as the outbox's do), the day to the instant asked for (a replay's `--at`).
 */
@Injectable()
export class ReminderMornings {
  private readonly logger = new Logger(ReminderMornings.name);
  /** Who holds a claim: for operators reading reminder_morning, and so only the holder marks it planned. */
  readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly checklists: MonthlyChecklists,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Plans and queues each of these mornings that no other replica holds or has planned. */
  async run(due: Array<{ municipalityId: string; today: LocalDate }>): Promise<MorningResult> {
    const result: MorningResult = { municipalities: 0, planned: 0, queued: 0 };
    if (due.length === 0) return result;
    const done = new Set<string>(
      (
        await this.dataSource.query(
          `SELECT municipality_id || '|' || for_date AS key FROM reminder_morning WHERE municipality_id = ANY($1::uuid[]) AND planned_at IS NOT NULL AND for_date = ANY($2::date[])`,
          [due.map((d) => d.municipalityId), [...new Set(due.map((d) => d.today))]],
        )
      ).map((r: { key: string }) => r.key),
    );
    const open = due.filter((d) => !done.has(`${d.municipalityId}|${d.today}`));
    for (const batch of morningBatches(await this.checklists.sized(open))) {
      const claimed = await this.claim(batch);
      if (claimed.length === 0) continue;
      try {
        const planned = await this.checklists.planMornings(claimed);
        const queued: number[] = [];
        for (const m of claimed) queued.push(await this.outbox.enqueue(planned.filter((p) => p.municipalityId === m.municipalityId)));
        await this.dataSource.query(
          `UPDATE reminder_morning r SET planned_at = $4, queued = c.queued, lease_until = $4
             FROM unnest($1::uuid[], $2::date[], $5::int[]) AS c(municipality_id, for_date, queued)
            WHERE r.municipality_id = c.municipality_id AND r.for_date = c.for_date AND r.claimed_by = $3 AND r.planned_at IS NULL`,
          [claimed.map((m) => m.municipalityId), claimed.map((m) => m.today), this.replica, this.clock.now(), queued],
        );
        result.municipalities += claimed.length;
        result.planned += planned.length;
        result.queued += queued.reduce((a, b) => a + b, 0);
      } catch (error) {
        // Given back at once, so the next pass (here or on another replica) tries again without waiting
        // for the lease; a replica that dies cannot, and its lease runs out instead.
        await this.dataSource
          .query(
            `UPDATE reminder_morning r SET lease_until = $4 FROM unnest($1::uuid[], $2::date[]) AS c(municipality_id, for_date)
              WHERE r.municipality_id = c.municipality_id AND r.for_date = c.for_date AND r.claimed_by = $3 AND r.planned_at IS NULL`,
            [claimed.map((m) => m.municipalityId), claimed.map((m) => m.today), this.replica, this.clock.now()],
          )
          .catch((e) => this.logger.warn({ err: { message: (e as Error).message } }, 'Could not give back morning claims; their leases run out'));
        throw error;
      }
    }
    return result;
  }

  /**
   * Claims those of the municipalities' mornings that are free: new rows, or ones whose holder's lease ran
   * out before they were planned. One statement, so of replicas racing for a morning exactly one gets it
   * back; every replica inserts in the same order (largest first), so racing batches wait, never deadlock.
   */
  private async claim(batch: Morning[]): Promise<Morning[]> {
    const now = this.clock.now();
    const rows: Array<{ municipality_id: string; claims: number }> = await this.dataSource.query(
      `INSERT INTO reminder_morning AS m (municipality_id, for_date, claimed_by, claimed_at, lease_until)
       SELECT c.municipality_id, c.for_date, $3, $4, $5 FROM unnest($1::uuid[], $2::date[]) WITH ORDINALITY AS c(municipality_id, for_date, n) ORDER BY c.n
       ON CONFLICT (municipality_id, for_date) DO UPDATE
         SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at, lease_until = excluded.lease_until, claims = m.claims + 1
       WHERE m.planned_at IS NULL AND m.lease_until <= excluded.claimed_at
       RETURNING municipality_id, claims`,
      [batch.map((m) => m.municipalityId), batch.map((m) => m.today), this.replica, now, new Date(now.getTime() + this.config.reminders.leaseSeconds * 1000)],
    );
    const got = new Set(rows.map((r) => r.municipality_id));
    for (const r of rows) if (r.claims > 1) this.logger.warn({ municipalityId: r.municipality_id }, 'Took over a morning whose replica did not finish it');
    return batch.filter((m) => got.has(m.municipalityId)).map(({ municipalityId, today }) => ({ municipalityId, today }));
  }
}
