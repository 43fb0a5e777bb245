import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { Channel, MailAttachment, OutgoingMessage, SENDERS } from '../channels/channel';
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
  lease_until: Date;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
  undeliverable: number;
}

/** Planned messages queued per statement. */
const ENQUEUE_BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The transactional outbox. Planned reminders are inserted under their unique key (a second planning of
 * the same reminder inserts nothing). Each replica sends with SENDERS senders; a sender claims one due row at
 * a time (FOR UPDATE SKIP LOCKED, a lease, committed before the message goes out), sends it, and marks it
 * sent on its own idle connection the moment the channel says it was accepted (README, "Reminders": once).
 * A row whose sender died before the mark is taken up again when the lease runs out, with the same Message-ID.
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

  /** Sends everything that is due now, SENDERS messages side by side, until nothing due is left for this replica. */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, failed: 0, undeliverable: 0 };
    const senders = await Promise.allSettled(Array.from({ length: SENDERS }, () => this.sender(result)));
    const failed = senders.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return result;
  }

  /**
   * One sender: claim, send, mark, on a connection of its own. The connection is idle while the message goes
   * out, so the mark is written to PostgreSQL's socket in the same turn of the event loop as the channel's
   * acceptance (the mail server's 250 for the message's final dot) — not after a batch, and not behind
   * another statement or a wait for the pool.
   */
  private async sender(result: DrainResult): Promise<void> {
    const runner = this.dataSource.createQueryRunner('master');
    await runner.connect();
    try {
      for (;;) {
        const row = await this.claim(runner);
        if (!row) return;
        const outcome = await this.deliver(runner, row);
        this.metrics?.messages.inc({ channel: row.channel, outcome });
        result[outcome]++;
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Leases, like every time the outbox writes, come from the real clock only — never from the instant a
   * replay plans for: a lease that ended "yesterday" would hand a row still being sent to every other worker.
   * One row per claim, just before it is sent: a message never waits out its lease in a queue of ours.
   */
  private async claim(runner: QueryRunner): Promise<NotificationRow | undefined> {
    const now = this.clock.now();
    const [rows] = await runner.query(
      `UPDATE notification SET status = 'sending', lease_until = $2, attempts = attempts + 1
        WHERE id = (
          SELECT id FROM notification
           WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
           ORDER BY next_attempt_at LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [now, this.leaseFrom(now)],
    );
    return rows[0];
  }

  private leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.reminders.leaseSeconds * 1000);
  }

  private async deliver(runner: QueryRunner, row: NotificationRow): Promise<keyof DrainResult> {
    const link = reminderLink(this.config.publicBaseUrl, { kind: row.kind, occurrenceId: row.occurrence_id, unitId: row.unit_id, forDate: row.for_date });
    const stopRenewing = this.renewWhileSending(row);
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
    } catch (error) {
      stopRenewing();
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error));
      return this.recordFailure(row, failure);
    }
    // Nothing is awaited between the acceptance above and this write.
    const marked = this.markSent(runner, row.id);
    stopRenewing();
    await marked.catch((error) => this.markAgain(row.id, error));
    return 'sent';
  }

  /**
   * One autocommit statement in one message of the simple protocol (literals, no parameters: Parse, Bind and
   * Sync would be separate writes, and behind a transaction pooler the statement would otherwise be wrapped in
   * BEGIN and COMMIT round trips — tenant-tagging.ts sends the tag in the same message). Once these bytes are
   * in PostgreSQL's socket, the death of this process does not undo them: the server runs what it has read.
   */
  private markSent(runner: QueryRunner, id: string): Promise<unknown> {
    if (!UUID.test(id)) throw new Error('An outbox row without a uuid');
    return runner.query(`UPDATE notification SET status = 'sent', sent_at = '${this.clock.now().toISOString()}', lease_until = NULL, last_error = NULL WHERE id = '${id}'`);
  }

  /**
   * The message went out but its mark did not reach PostgreSQL (the connection broke): never a delivery
   * failure (that would send it again at once). Tried once more on another connection; if that fails too, the
   * row is sent again after its lease, the one way this outbox sends a message twice that no server stops.
   */
  private async markAgain(id: string, error: unknown): Promise<void> {
    this.logger.error({ notificationId: id, err: { message: (error as Error)?.message } }, 'A sent reminder could not be marked sent; trying once more');
    await this.dataSource.query(`UPDATE notification SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`, [id, this.clock.now()]);
  }

  /**
   * Keeps the lease while the channel is still at it (a mail server slow to connect or to answer can take
   * longer than REMINDER_LEASE_SECONDS), through the pool, so the sender's own connection stays idle for the
   * mark. Only a lease that is still ours is renewed: one another replica took over after it ran out is not.
   */
  private renewWhileSending(row: NotificationRow): () => void {
    let lease = row.lease_until;
    const timer = setInterval(
      () => {
        const now = this.clock.now();
        this.dataSource
          .query(`UPDATE notification SET lease_until = $3 WHERE id = $1 AND status = 'sending' AND lease_until = $2 RETURNING lease_until`, [row.id, lease, this.leaseFrom(now)])
          .then(([rows]: [Array<{ lease_until: Date }>]) => (lease = rows[0]?.lease_until))
          .catch(() => undefined); // tried again at the next tick; the lease still has two thirds to run
      },
      (this.config.reminders.leaseSeconds * 1000) / 3,
    );
    timer.unref();
    return () => clearInterval(timer);
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
