import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { Channel, OutgoingMessage } from '../channels/channel';
import { DeliveryError } from '../channels/delivery-error';
import { PlannedMessage } from './reminder-planner';

export const CHANNELS = Symbol('CHANNELS');
export type ChannelSet = Record<OutgoingMessage['channel'], Channel>;

interface NotificationRow {
  id: string;
  municipality_id: string;
  dedupe_key: string;
  kind: string;
  channel: OutgoingMessage['channel'];
  person_id: string | null;
  unit_id: string | null;
  occurrence_id: string | null;
  for_date: string;
  address: string;
  subject: string;
  body_text: string;
  body_html: string;
  attempts: number;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
  undeliverable: number;
}

const BATCH = 20;

/**
 * The transactional outbox. Planned reminders are inserted under their unique key (a second planning of
 * the same reminder inserts nothing); workers on any replica claim due rows with FOR UPDATE SKIP LOCKED
 * and a lease, so no two send the same row, and a row whose sender died is taken up again when the lease
 * runs out — with the same Message-ID.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(CHANNELS) private readonly channels: ChannelSet,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues the planned messages; returns how many were new. */
  async enqueue(planned: PlannedMessage[]): Promise<number> {
    let created = 0;
    for (const p of planned) {
      await this.dataSource.transaction(async (tx) => {
        const rows = await tx.query(
          `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, person_id, unit_id, occurrence_id, for_date, address,
                                     subject, body_text, body_html, next_attempt_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [p.municipalityId, p.dedupeKey, p.kind, p.channel, p.personId, p.unitId, p.occurrenceId, p.forDate, p.address,
           p.message.subject, p.message.text, p.message.html, this.clock.now()],
        );
        if (rows.length === 0) return;
        created++;
        await tx.query(`INSERT INTO notification_item (notification_id, occurrence_id) SELECT $1, unnest($2::uuid[])`, [rows[0].id, p.itemIds]);
      });
    }
    return created;
  }

  /** Sends everything that is due now, batch by batch, until nothing due is left for this worker. */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, failed: 0, undeliverable: 0 };
    for (;;) {
      const batch = await this.claim();
      if (batch.length === 0) return result;
      // The batch goes out side by side: each message waits mostly on the mail server, not on us.
      for (const outcome of await Promise.all(batch.map((row) => this.deliver(row)))) result[outcome]++;
    }
  }

  private async claim(): Promise<NotificationRow[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.config.reminders.leaseSeconds * 1000);
    const [rows] = await this.dataSource.query(
      `UPDATE notification SET status = 'sending', lease_until = $2, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM notification
           WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
           ORDER BY next_attempt_at LIMIT ${BATCH}
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [now, leaseUntil],
    );
    return rows;
  }

  private async deliver(row: NotificationRow): Promise<keyof DrainResult> {
    const link = `${this.config.publicBaseUrl}/oppgaver/${row.occurrence_id ?? ''}`;
    try {
      await this.channels[row.channel].send({
        id: row.id,
        channel: row.channel,
        address: row.address,
        subject: row.subject,
        text: row.body_text,
        html: row.body_html,
        link,
        kind: row.kind,
      });
      await this.dataSource.query(
        `UPDATE notification SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`,
        [row.id, this.clock.now()],
      );
      return 'sent';
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error));
      return this.recordFailure(row, failure);
    }
  }

  private async recordFailure(row: NotificationRow, error: DeliveryError): Promise<keyof DrainResult> {
    const now = this.clock.now();
    if (error.options.undeliverable) {
      await this.dataSource.query(`UPDATE notification SET status = 'undeliverable', lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, error.message]);
      if (row.channel === 'teams') await this.fallBackToEmail(row);
      return 'undeliverable';
    }
    if (row.attempts >= this.config.reminders.maxAttempts) {
      await this.dataSource.query(`UPDATE notification SET status = 'failed', lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, error.message]);
      this.logger.warn({ notificationId: row.id, attempts: row.attempts }, 'A reminder failed for good; it is listed for administrators');
      return 'failed';
    }
    const delay = error.options.retryAfterSeconds ?? backoffSeconds(row.attempts);
    await this.dataSource.query(
      `UPDATE notification SET status = 'pending', lease_until = NULL, last_error = $2, next_attempt_at = $3 WHERE id = $1`,
      [row.id, error.message, new Date(now.getTime() + delay * 1000)],
    );
    return 'retrying';
  }

  /** Someone Teams cannot reach (no Årshjul app installed) gets the same message by e-mail instead. */
  private async fallBackToEmail(row: NotificationRow): Promise<void> {
    if (!row.person_id) return;
    await this.dataSource.query(
      `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, person_id, unit_id, occurrence_id, for_date, address,
                                 subject, body_text, body_html, next_attempt_at)
       SELECT n.municipality_id, n.dedupe_key || ':email-fallback', n.kind, 'email', n.person_id, n.unit_id, n.occurrence_id, n.for_date, p.email,
              n.subject, n.body_text, n.body_html, $2
         FROM notification n JOIN person p ON p.id = n.person_id WHERE n.id = $1
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [row.id, this.clock.now()],
    );
  }
}

/** Exponential backoff with full jitter: about 30 s, 1 min, 2 min … capped at 1 hour. */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.max(5, Math.round(ceiling * (0.5 + random() / 2)));
}
