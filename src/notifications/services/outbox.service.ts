import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { Channel, MailAttachment, OutgoingMessage, SENDERS } from '../channels/channel';
import { DeliveryError } from '../channels/delivery-error';
import { OutboxClaims } from './outbox-claims';
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
  next_attempt_at: Date;
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
 * the same reminder inserts nothing). Each replica sends with SENDERS senders; due rows are claimed in
 * batches ahead of them (FOR UPDATE SKIP LOCKED, a lease, committed before any of them goes out, renewed while
 * they wait), and each sender sends one and marks it sent on its own idle connection the moment the channel
 * says it was accepted (README, "Reminders": once). A row whose holder died before the mark is taken up again
 * when the lease runs out, with the same Message-ID.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private draining: Promise<unknown> = Promise.resolve();

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

  /**
   * Sends everything that is due now, SENDERS messages on their way at once over the channel's
   * SMTP_CONNECTIONS, until nothing due is left for this replica. Claims are made ahead, in batches, while
   * messages are being sent (OutboxClaims): a sender's next message is claimed before its current one is done.
   */
  async drain(): Promise<DrainResult> {
    // One drain at a time in a process (the reminder pass and the weekly kjedeavtrykk may meet): its senders'
    // connections, with the claims', stay within the pool's share.
    const drained = this.draining.then(() => this.drainNow());
    this.draining = drained.catch(() => undefined);
    return drained;
  }

  /**
   * Claims, renewals and give-backs go one at a time over one connection of the drain's own (taken at its first
   * claim), not through the pool: senders holding their connections never wait for the pool to claim.
   */
  private async drainNow(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, failed: 0, undeliverable: 0 };
    const claimer = this.dataSource.createQueryRunner('master');
    let turn: Promise<unknown> = Promise.resolve();
    const onClaimer = <T>(statement: (runner: QueryRunner) => Promise<T>): Promise<T> => {
      const mine = turn.then(() => statement(claimer));
      turn = mine.catch(() => undefined);
      return mine;
    };
    const claims = new OutboxClaims<NotificationRow>(
      {
        claim: (count) => onClaimer((runner) => this.claim(runner, count)),
        renew: (held) => onClaimer((runner) => this.renew(runner, held)),
        release: (held) => onClaimer((runner) => this.release(runner, held)),
      },
      SENDERS,
      this.config.reminders.leaseSeconds * 1000,
      () => this.clock.now(),
    );
    try {
      const senders = await Promise.allSettled(Array.from({ length: SENDERS }, () => this.sender(claims, result)));
      await claims.close().catch((error) => this.logger.warn({ err: { message: (error as Error)?.message } }, 'Claimed reminders not given back; they go after their lease'));
      const failed = senders.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      return result;
    } finally {
      await turn;
      await claimer.release();
    }
  }

  /**
   * One sender: takes a claimed row, sends it, marks it, on a connection of its own. The connection is idle
   * while the message goes out (claims and lease renewals go over the drain's claimer), so the mark is written to
   * PostgreSQL's socket in the same turn of the event loop as the channel's acceptance (the mail server's 250
   * for the message's final dot) — not after a batch, and not behind another statement or a wait for the pool.
   * A sender waits for its mark before it takes its next message, so its connection is idle again; meanwhile
   * the other senders' messages keep the SMTP connections busy.
   */
  private async sender(claims: OutboxClaims<NotificationRow>, result: DrainResult): Promise<void> {
    let row = await claims.next();
    if (!row) return; // a pass with little to send connects few senders
    const runner = this.dataSource.createQueryRunner('master');
    try {
      await runner.connect().catch((error) => {
        claims.putBack(row!);
        throw error;
      });
      for (; row; row = await claims.next()) {
        try {
          const outcome = await this.deliver(runner, row);
          this.metrics?.messages.inc({ channel: row.channel, outcome });
          result[outcome]++;
          // A retry may be due at once; an undeliverable Teams message queued its e-mail, due now.
          if (outcome === 'retrying' || outcome === 'undeliverable') claims.again();
        } finally {
          claims.done(row.id);
        }
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Leases, like every time the outbox writes, come from the real clock only — never from the instant a
   * replay plans for: a lease that ended "yesterday" would hand a row still being sent to every other worker.
   * Up to `count` rows in one committed statement, while this replica's senders are busy.
   */
  private async claim(runner: QueryRunner, count: number): Promise<NotificationRow[]> {
    const now = this.clock.now();
    const [rows]: [NotificationRow[]] = await runner.query(
      // MATERIALIZED: the locking SELECT runs once, whatever join the planner would choose.
      `WITH due AS MATERIALIZED (
         SELECT id FROM notification
          WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
          ORDER BY next_attempt_at LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE notification n SET status = 'sending', lease_until = $2, attempts = n.attempts + 1
         FROM due WHERE n.id = due.id
       RETURNING n.*`,
      [now, this.leaseFrom(now), count],
    );
    return rows.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime());
  }

  /**
   * Every lease this drain holds, renewed in one statement: rows waiting for a sender and rows on their way
   * (a mail server slow to connect or to answer can take longer than REMINDER_LEASE_SECONDS). Only a lease
   * that is still ours is renewed: one another replica took over after it ran out is not.
   */
  private async renew(runner: QueryRunner, held: Array<{ id: string; lease: Date }>): Promise<{ ids: Set<string>; until: Date }> {
    const until = this.leaseFrom(this.clock.now());
    const [rows]: [Array<{ id: string }>] = await runner.query(
      `UPDATE notification n SET lease_until = $1
         FROM unnest($2::uuid[], $3::timestamptz[]) AS held(id, lease)
        WHERE n.id = held.id AND n.status = 'sending' AND n.lease_until = held.lease
        RETURNING n.id`,
      [until, held.map((h) => h.id), held.map((h) => h.lease)],
    );
    return { ids: new Set(rows.map((r) => r.id)), until };
  }

  /** Rows claimed ahead and never begun go back as they were, their attempt not counted. */
  private async release(runner: QueryRunner, held: Array<{ id: string; lease: Date }>): Promise<void> {
    await runner.query(
      `UPDATE notification n SET status = 'pending', lease_until = NULL, attempts = n.attempts - 1
         FROM unnest($1::uuid[], $2::timestamptz[]) AS held(id, lease)
        WHERE n.id = held.id AND n.status = 'sending' AND n.lease_until = held.lease`,
      [held.map((h) => h.id), held.map((h) => h.lease)],
    );
  }

  private leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.reminders.leaseSeconds * 1000);
  }

  private async deliver(runner: QueryRunner, row: NotificationRow): Promise<keyof DrainResult> {
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
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error));
      return this.recordFailure(runner, row, failure);
    }
    // Nothing is awaited between the acceptance above and this write.
    await this.markSent(runner, row.id).catch((error) => this.markAgain(row.id, error));
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

  /** On the sender's own connection, idle now that the message has failed: a failure never waits for the pool. */
  private async recordFailure(runner: QueryRunner, row: NotificationRow, error: DeliveryError): Promise<keyof DrainResult> {
    const now = this.clock.now();
    if (error.options.undeliverable) {
      // Both or neither: a crash between them would leave a Teams message given up with no e-mail queued.
      await runner.manager.transaction(async (tx) => {
        await tx.query(`UPDATE notification SET status = 'undeliverable', lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, error.message]);
        if (row.channel === 'teams') await this.fallBackToEmail(row, tx);
      });
      return 'undeliverable';
    }
    if (row.attempts >= this.config.reminders.maxAttempts) {
      await runner.query(`UPDATE notification SET status = 'failed', lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, error.message]);
      this.logger.warn({ notificationId: row.id, attempts: row.attempts }, 'A reminder failed for good; it is listed for administrators');
      return 'failed';
    }
    const delay = error.options.retryAfterSeconds ?? backoffSeconds(row.attempts);
    await runner.query(
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
