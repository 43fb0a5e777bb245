import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { Channel, MailAttachment, OutgoingMessage } from '../channels/channel';
import { DeliveryError } from '../channels/delivery-error';
import { reminderLink } from '../links';
import { dedupeKeyOnChannel, PlannedMessage } from './reminder-planner';

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
  attachments: MailAttachment[] | null;
  attempts: number;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
  undeliverable: number;
}

const BATCH = 20;
/** Planned messages queued per statement. */
const ENQUEUE_BATCH = 500;

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
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /**
   * Queues the planned messages, due at once by the real clock (also when a replay planned them for another
   * day); returns how many were new. A few hundred at a time, each batch one
   * INSERT of the messages and one of their items, in one transaction: a morning's monthly checklists
   * for a whole country are tens of thousands of messages (bench/README.md).
   */
  async enqueue(planned: PlannedMessage[]): Promise<number> {
    let created = 0;
    for (let start = 0; start < planned.length; start += ENQUEUE_BATCH) {
      const batch = planned.slice(start, start + ENQUEUE_BATCH);
      const column = <T>(pick: (p: PlannedMessage) => T) => batch.map(pick);
      await this.dataSource.transaction(async (tx) => {
        const rows: Array<{ id: string; dedupe_key: string }> = await tx.query(
          `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, person_id, unit_id, occurrence_id, for_date, address,
                                     subject, body_text, body_html, attachments, next_attempt_at)
           SELECT m.*, $14::timestamptz FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[], $8::date[],
                                                    $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]::jsonb[]) AS m
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key`,
          [
            column((p) => p.municipalityId), column((p) => p.dedupeKey), column((p) => p.kind), column((p) => p.channel),
            column((p) => p.personId), column((p) => p.unitId), column((p) => p.occurrenceId), column((p) => p.forDate),
            column((p) => p.address), column((p) => p.message.subject), column((p) => p.message.text), column((p) => p.message.html),
            column((p) => (p.attachments?.length ? JSON.stringify(p.attachments) : null)),
            this.clock.now(),
          ],
        );
        if (rows.length === 0) return;
        created += rows.length;
        const itemsOf = new Map(batch.map((p) => [p.dedupeKey, p.itemIds]));
        const notificationIds = rows.flatMap((r) => itemsOf.get(r.dedupe_key)!.map(() => r.id));
        const occurrenceIds = rows.flatMap((r) => itemsOf.get(r.dedupe_key)!);
        await tx.query(`INSERT INTO notification_item (notification_id, occurrence_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
          notificationIds,
          occurrenceIds,
        ]);
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
      const outcomes = await Promise.all(
        batch.map(async (row) => {
          const outcome = await this.deliver(row);
          this.metrics?.messages.inc({ channel: row.channel, outcome });
          return outcome;
        }),
      );
      for (const outcome of outcomes) result[outcome]++;
    }
  }

  /**
   * Leases, like every time the outbox writes, come from the real clock only — never from the instant a
   * replay plans for: a lease that ended "yesterday" would hand a row still being sent to every other worker.
   */
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
    const link = reminderLink(this.config.publicBaseUrl, { kind: row.kind, occurrenceId: row.occurrence_id, unitId: row.unit_id, forDate: row.for_date });
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
        attachments: row.attachments ?? undefined,
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
      // Both or neither: a crash between them would leave a Teams message given up with no e-mail queued.
      await this.dataSource.transaction(async (tx) => {
        await tx.query(`UPDATE notification SET status = 'undeliverable', lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, error.message]);
        if (row.channel === 'teams') await this.fallBackToEmail(row, tx);
      });
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

  /**
   * Someone Teams cannot reach (no Årshjul app installed) gets the same message by e-mail instead — under
   * the key of the e-mail the planner queues for someone who chose both channels, so they get it once.
   */
  private async fallBackToEmail(row: NotificationRow, tx: EntityManager): Promise<void> {
    if (!row.person_id) return;
    await tx.query(
      `INSERT INTO notification (municipality_id, dedupe_key, kind, channel, person_id, unit_id, occurrence_id, for_date, address,
                                 subject, body_text, body_html, attachments, next_attempt_at)
       SELECT n.municipality_id, $3, n.kind, 'email', n.person_id, n.unit_id, n.occurrence_id, n.for_date, p.email,
              n.subject, n.body_text, n.body_html, n.attachments, $2
         FROM notification n JOIN person p ON p.id = n.person_id WHERE n.id = $1
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [row.id, this.clock.now(), dedupeKeyOnChannel(row.dedupe_key, 'email')],
    );
  }
}

/** Exponential backoff with full jitter: about 30 s, 1 min, 2 min … capped at 1 hour. */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.max(5, Math.round(ceiling * (0.5 + random() / 2)));
}
