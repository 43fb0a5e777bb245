import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * The service's Prometheus metrics, in one registry per application (tests run several in one process, so
 * never prom-client's global one). Counters and histograms are this process's; the outbox gauges are read
 * from the database when scraped, so every replica reports the same shared outbox.
 */
@Injectable()
export class Metrics implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'arshjul_http_request_duration_seconds',
    help: 'HTTP requests by route template (never the raw URL), method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly messages = new Counter({
    name: 'arshjul_reminder_messages_total',
    help: 'Reminder messages by channel and outcome of a send attempt: sent, retrying, failed (for good), undeliverable',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly materialiseDuration = new Histogram({
    name: 'arshjul_materialise_duration_seconds',
    help: 'Materialising one unit-year (or a subtree) of occurrences',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly reminderPassDuration = new Histogram({
    name: 'arshjul_reminder_pass_duration_seconds',
    help: 'One reminder pass: planning, queueing and sending what is due',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly chainVerificationsFailed = new Counter({
    name: 'arshjul_chain_verifications_failed_total',
    help: 'Verifications of a unit\'s hash chain (or its occurrences\' standing) that found a problem',
    registers: [this.registry],
  });

  private server?: Server;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'arshjul_' });
    const metrics = this;
    new Gauge({
      name: 'arshjul_outbox_depth',
      help: 'Reminder messages waiting in the outbox (pending or being sent), by channel',
      labelNames: ['channel'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: Array<{ channel: string; n: number }> = await metrics.dataSource.query(
          `SELECT channel, count(*)::int AS n FROM notification WHERE status IN ('pending', 'sending') GROUP BY channel`,
        );
        for (const channel of ['email', 'teams', 'teams_channel']) this.set({ channel }, rows.find((r) => r.channel === channel)?.n ?? 0);
      },
    });
    new Gauge({
      name: 'arshjul_outbox_oldest_due_age_seconds',
      help: 'How long the oldest message that is due has waited to be sent (0 when none is due)',
      registers: [this.registry],
      async collect() {
        const now = metrics.clock.now();
        const [row] = await metrics.dataSource.query(
          `SELECT min(next_attempt_at) AS oldest FROM notification
            WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)`,
          [now],
        );
        this.set(row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0);
      },
    });
  }

  /** Times `work` into `histogram`, whether it succeeds or throws. */
  async timed<T>(histogram: Histogram, work: () => Promise<T>): Promise<T> {
    const stop = histogram.startTimer();
    try {
      return await work();
    } finally {
      stop();
    }
  }

  /** The port of the separate metrics listener (METRICS_PORT), once it listens. */
  separatePort(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /** With METRICS_PORT, /metrics is also served there, without a token: a port only the monitoring network reaches. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config?.metrics.port === undefined) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config!.metrics.port, this.config!.host, resolve);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
