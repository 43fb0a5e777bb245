import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { LocalDate } from '../../schedule/local-date';
import { MonthlyChecklists } from './monthly-checklists';
import { OutboxService } from './outbox.service';

export interface MorningResult {
  /** Municipalities this replica planned in this pass. */
  municipalities: number;
  planned: number;
  queued: number;
}

/**
 * The first working day's monthly checklists, divided between replicas by municipality. Each replica walks
 * the municipalities whose morning it is (largest first, so the long ones start early) and claims each with
 * one statement — a row per (municipality, day) in `reminder_morning`, inserted, or taken over once its
 * lease has run out — committed before the work; the claimant plans, queues and marks it planned. So each
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
    for (const { municipalityId, today } of due) {
      if (done.has(`${municipalityId}|${today}`) || !(await this.claim(municipalityId, today))) continue;
      try {
        const planned = await this.checklists.plan(municipalityId, today);
        const queued = await this.outbox.enqueue(planned);
        await this.dataSource.query(
          `UPDATE reminder_morning SET planned_at = $4, queued = $5, lease_until = $4
            WHERE municipality_id = $1 AND for_date = $2 AND claimed_by = $3 AND planned_at IS NULL`,
          [municipalityId, today, this.replica, this.clock.now(), queued],
        );
        result.municipalities++;
        result.planned += planned.length;
        result.queued += queued;
      } catch (error) {
        // Given back at once, so the next pass (here or on another replica) tries again without waiting
        // for the lease; a replica that dies cannot, and its lease runs out instead.
        await this.dataSource
          .query(`UPDATE reminder_morning SET lease_until = $4 WHERE municipality_id = $1 AND for_date = $2 AND claimed_by = $3 AND planned_at IS NULL`, [
            municipalityId, today, this.replica, this.clock.now(),
          ])
          .catch((e) => this.logger.warn({ err: { message: (e as Error).message } }, 'Could not give back a morning claim; its lease runs out'));
        throw error;
      }
    }
    return result;
  }

  /**
   * Claims the municipality's morning: a new row, or one whose holder's lease ran out before it was
   * planned. One statement, so of replicas racing for it exactly one gets a row back.
   */
  private async claim(municipalityId: string, today: LocalDate): Promise<boolean> {
    const now = this.clock.now();
    const rows = await this.dataSource.query(
      `INSERT INTO reminder_morning AS m (municipality_id, for_date, claimed_by, claimed_at, lease_until) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (municipality_id, for_date) DO UPDATE
         SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at, lease_until = excluded.lease_until, claims = m.claims + 1
       WHERE m.planned_at IS NULL AND m.lease_until <= excluded.claimed_at
       RETURNING claims`,
      [municipalityId, today, this.replica, now, new Date(now.getTime() + this.config.reminders.leaseSeconds * 1000)],
    );
    if (rows[0]?.claims > 1) this.logger.warn({ municipalityId, today }, 'Took over a morning whose replica did not finish it');
    return rows.length > 0;
  }
}
