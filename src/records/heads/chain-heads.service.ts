import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { reminderLink } from '../../notifications/links';
import { OutboxService } from '../../notifications/services/outbox.service';
import { PlannedMessage } from '../../notifications/services/reminder-planner';
import { UNIT_TREE_MAX_DEPTH } from '../../organisation/unit-scope.sql';
import { addDays, isoWeekday, localDateAt } from '../../schedule/local-date';
import { chainImprintMessage, ImprintLine } from './chain-imprint';
import { headsDigest, headsText, NotedHead } from './heads-digest';
import { requestTimeStamp, TimeStampError, TimeStampTrust } from './time-stamp';

export const TIME_STAMP_TRUST = Symbol('TIME_STAMP_TRUST');

/** Batches stamped per run: after an outage of the authority, the backlog is worked off over a few nights. */
const STAMPS_PER_RUN = 100;

export interface NotedResult {
  batches: number;
  heads: number;
}

export interface StampResult {
  stamped: number;
  /** Batches left unstamped because the authority failed; tried again at the next run. */
  failed: number;
}

/**
 * Notes chain heads outside the chains: each unit's head that changed since it was last noted (one batch
 * per municipality and run), has the batches time-stamped when an authority is configured, and plans the
 * weekly kjedeavtrykk to the quality advisers. Called by ChainHeadsJob, which keeps it to one replica.
 */
@Injectable()
export class ChainHeadsService {
  private readonly logger = new Logger(ChainHeadsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TIME_STAMP_TRUST) private readonly trust: TimeStampTrust | null,
  ) {}

  /** Notes every unit's head that differs from the one last noted for it. Running it again notes nothing new. */
  async noteHeads(): Promise<NotedResult> {
    const municipalities: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM municipality ORDER BY id`);
    const result: NotedResult = { batches: 0, heads: 0 };
    for (const { id } of municipalities) {
      const noted = await this.noteHeadsOf(id);
      if (noted) {
        result.batches++;
        result.heads += noted;
      }
    }
    return result;
  }

  private async noteHeadsOf(municipalityId: string): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      // Each unit's head by the unique (unit_id, sequence) index, against its last noted head: a unit whose
      // chain has not moved since costs two index probes.
      const changed: Array<{ unit_id: string; sequence: string; hash: string; noted_sequence: string | null; noted_hash: string | null }> = await tx.query(
        `SELECT u.id AS unit_id, h.sequence, h.hash, last.sequence AS noted_sequence, last.hash AS noted_hash
           FROM unit u
           CROSS JOIN LATERAL (SELECT s.sequence, s.hash FROM sign_off s WHERE s.unit_id = u.id ORDER BY s.sequence DESC LIMIT 1) h
           LEFT JOIN LATERAL (SELECT c.sequence, c.hash FROM chain_head c WHERE c.unit_id = u.id ORDER BY c.recorded_at DESC, c.sequence DESC LIMIT 1) last ON true
          WHERE u.municipality_id = $1 AND last.hash IS DISTINCT FROM h.hash`,
        [municipalityId],
      );
      if (changed.length === 0) return 0;
      for (const c of changed) {
        // A chain never shrinks: it did behind the database's back. The new head is noted as it is; the one
        // noted before stays, and verification reports the difference.
        if (c.noted_sequence !== null && Number(c.sequence) <= Number(c.noted_sequence)) {
          this.logger.error(
            { unitId: c.unit_id, noted: { sequence: Number(c.noted_sequence), hash: c.noted_hash }, now: { sequence: Number(c.sequence), hash: c.hash } },
            'A unit’s chain is shorter than, or differs from, the head noted for it before: records were removed or replaced',
          );
        }
      }
      const heads: NotedHead[] = changed.map((c) => ({ unitId: c.unit_id, sequence: Number(c.sequence), hash: c.hash }));
      const batchId = randomUUID();
      const now = this.clock.now();
      await tx.query(`INSERT INTO chain_head_batch (id, municipality_id, recorded_at, digest) VALUES ($1, $2, $3, $4)`, [batchId, municipalityId, now, headsDigest(heads)]);
      await tx.query(
        `INSERT INTO chain_head (batch_id, municipality_id, unit_id, sequence, hash, recorded_at)
         SELECT $1, $2, h.unit_id, h.sequence, h.hash, $3 FROM unnest($4::uuid[], $5::bigint[], $6::text[]) AS h(unit_id, sequence, hash)`,
        [batchId, municipalityId, now, heads.map((h) => h.unitId), heads.map((h) => h.sequence), heads.map((h) => h.hash)],
      );
      return heads.length;
    });
  }

  /**
   * Has every batch without a token stamped by the authority (TSA_URL), oldest first. The first failure
   * (down, slow past TSA_TIMEOUT_MS, a reply that does not verify) ends the run: it is logged, and the
   * batch waits for the next night rather than have every batch wait out the timeout.
   */
  async stampHeads(): Promise<StampResult> {
    const settings = this.config.timeStamping;
    if (!settings || !this.trust) return { stamped: 0, failed: 0 };
    const batches: Array<{ id: string; municipality_id: string; digest: string }> = await this.dataSource.query(
      `SELECT b.id, b.municipality_id, b.digest FROM chain_head_batch b
        WHERE NOT EXISTS (SELECT 1 FROM chain_head_time_stamp t WHERE t.batch_id = b.id)
        ORDER BY b.recorded_at, b.id LIMIT ${STAMPS_PER_RUN}`,
    );
    const result: StampResult = { stamped: 0, failed: 0 };
    for (const [index, batch] of batches.entries()) {
      const heads: Array<{ unit_id: string; sequence: string; hash: string }> = await this.dataSource.query(
        `SELECT unit_id, sequence, hash FROM chain_head WHERE batch_id = $1`,
        [batch.id],
      );
      const noted = heads.map((h) => ({ unitId: h.unit_id, sequence: Number(h.sequence), hash: h.hash }));
      if (headsDigest(noted) !== batch.digest) {
        this.logger.error({ batchId: batch.id }, 'Noted chain heads no longer match their digest: not time-stamped');
        continue;
      }
      try {
        const { token, stampedAt } = await requestTimeStamp({ url: settings.url, timeoutMs: settings.timeoutMs, trust: this.trust }, batch.digest, Buffer.from(headsText(noted), 'utf8'));
        await this.dataSource.query(
          `INSERT INTO chain_head_time_stamp (batch_id, municipality_id, token, tsa_url, stamped_at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (batch_id) DO NOTHING`,
          [batch.id, batch.municipality_id, token, settings.url, stampedAt, this.clock.now()],
        );
        result.stamped++;
      } catch (error) {
        if (!(error instanceof TimeStampError)) throw error;
        result.failed = batches.length - index;
        this.logger.warn(
          { tsaUrl: settings.url, batchId: batch.id, waiting: result.failed, err: { message: error.message } },
          'The time-stamping authority did not stamp the chain heads; they are tried again at the next run',
        );
        break;
      }
    }
    return result;
  }

  /**
   * The week's kjedeavtrykk to every quality adviser who has noted heads in their units (the units they are
   * granted and those below), once a week: the key names the week's Monday, so any number of runs and
   * replicas queue one message per adviser and week.
   */
  async planImprints(at: Date): Promise<PlannedMessage[]> {
    const municipalities: Array<{ id: string; name: string; time_zone: string }> = await this.dataSource.query(`SELECT id, name, time_zone FROM municipality ORDER BY id`);
    const planned: PlannedMessage[] = [];
    for (const m of municipalities) {
      const today = localDateAt(at, m.time_zone);
      const monday = addDays(today, 1 - isoWeekday(today));
      const rows: Array<{ person_id: string; email: string; unit_id: string; unit_name: string; sequence: string; hash: string; recorded_at: Date; stamped_at: Date | null }> =
        await this.dataSource.query(
          `WITH RECURSIVE granted AS (
             SELECT r.person_id, r.unit_id AS id, 1 AS depth
               FROM role_assignment r JOIN person p ON p.id = r.person_id
              WHERE r.municipality_id = $1 AND r.role = 'quality_adviser' AND p.archived_at IS NULL
             UNION
             SELECT g.person_id, u.id, g.depth + 1 FROM unit u JOIN granted g ON u.parent_id = g.id WHERE g.depth < ${UNIT_TREE_MAX_DEPTH}
           ), reach AS (SELECT DISTINCT person_id, id FROM granted)
           SELECT reach.person_id, p.email, u.id AS unit_id, u.name AS unit_name, last.sequence, last.hash, last.recorded_at, ts.stamped_at
             FROM reach JOIN person p ON p.id = reach.person_id JOIN unit u ON u.id = reach.id
             CROSS JOIN LATERAL (SELECT c.sequence, c.hash, c.recorded_at, c.batch_id FROM chain_head c WHERE c.unit_id = u.id
                                  ORDER BY c.recorded_at DESC, c.sequence DESC LIMIT 1) last
             LEFT JOIN chain_head_time_stamp ts ON ts.batch_id = last.batch_id
            ORDER BY reach.person_id, u.name, u.id`,
          [m.id],
        );
      const byPerson = new Map<string, { email: string; lines: ImprintLine[] }>();
      for (const r of rows) {
        const entry = byPerson.get(r.person_id) ?? { email: r.email, lines: [] };
        entry.lines.push({ unitId: r.unit_id, unitName: r.unit_name, sequence: Number(r.sequence), hash: r.hash, notedAt: new Date(r.recorded_at), stampedAt: r.stamped_at ? new Date(r.stamped_at) : null });
        byPerson.set(r.person_id, entry);
      }
      for (const [personId, { email, lines }] of byPerson) {
        const { message, attachment } = chainImprintMessage(m.name, monday, lines);
        planned.push({
          dedupeKey: `chain_imprint:${personId}:email:${monday}`,
          municipalityId: m.id,
          kind: 'chain_imprint',
          channel: 'email',
          personId,
          unitId: null,
          occurrenceId: null,
          itemIds: [],
          forDate: monday,
          address: email,
          link: reminderLink(this.config.publicBaseUrl, { kind: 'chain_imprint', occurrenceId: null, unitId: null, forDate: monday }),
          message,
          attachments: [attachment],
        });
      }
    }
    return planned;
  }

  /** Queues the week's kjedeavtrykk (once per adviser and week) and sends what is due. */
  async sendImprints(at: Date = this.clock.now()): Promise<{ queued: number; sent: number }> {
    const queued = await this.outbox.enqueue(await this.planImprints(at));
    const { sent } = await this.outbox.drain();
    return { queued, sent };
  }
}
