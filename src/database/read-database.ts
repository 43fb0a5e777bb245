import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { outsideAnyMunicipality, tenantContext, TenantStore } from '../auth/tenant-context';

const log = new Logger('ReadDatabase');

/** A streaming standby, as last seen by the periodic check. */
export interface Standby {
  /** Host, port and database only: for logs and /health, never the credentials. */
  name: string;
  /** Connects (TypeORM's initialize) on first use: a standby down at boot does not stop the service. */
  open(): Promise<DataSource>;
  source?: DataSource;
  healthy: boolean;
  /** Seconds behind the primary at the last check; undefined when it could not be asked. */
  lagSeconds?: number;
  /** Checks in a row that found it too far behind. */
  behindChecks?: number;
}

/**
 * How far behind the primary a standby is: 0 when it has replayed all it received (a primary without
 * writes leaves the last replayed transaction's time behind, which is no lag); otherwise the age of the
 * last transaction it replayed. A paused replay keeps receiving and so shows as growing lag.
 */
const LAG_SQL = `
  SELECT CASE
           WHEN NOT pg_is_in_recovery() THEN 0
           WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND NOT pg_is_wal_replay_paused() THEN 0
           ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 'Infinity')
         END::float8 AS lag`;

/** People who changed something lately, and when: their next requests read their own writes (on this replica). */
const recentWriters = new Map<string, number>();

/**
 * The one place that decides where a read goes. Checklists, the wheel, compliance, reports, record listings
 * and exports read through source(): from a healthy streaming standby (DATABASE_READ_URLS) when there is
 * one, else from the primary. Writes always go to the primary (the DataSource every service injects), and
 * so do all reads of a request that changes things (not a GET) or has written, of work outside requests
 * (jobs, command-line tools), and of a person for READ_MAX_LAG_SECONDS after they changed something, so a
 * sign-off and the checklist read after it agree. Row-level security and the municipality tag work the
 * same on a standby: its pools are tagged as the primary's.
 */
@Injectable()
export class ReadDatabase implements OnModuleDestroy {
  private next = 0;
  private readonly chosen = new WeakMap<TenantStore, Standby>();
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly primary: DataSource,
    readonly standbys: Standby[],
    private readonly maxLagSeconds: number,
  ) {
    if (!standbys.length) return;
    // Checked every second or so, never per request: a request only reads the last verdict.
    const period = Math.min(5, Math.max(0.5, maxLagSeconds / 2)) * 1000;
    this.timer = setInterval(() => void this.check(), period);
    this.timer.unref();
    void this.check();
  }

  /** Where the current work reads from. */
  source(): DataSource {
    const store = tenantContext.getStore();
    if (!store || store.changes || store.wrote || (store.personId && this.wroteLately(store.personId))) return this.primary;
    const healthy = this.standbys.filter((s) => s.healthy && s.source);
    if (!healthy.length) return this.primary;
    // A request keeps to one standby, so its reads agree with each other.
    let standby = this.chosen.get(store);
    if (!standby || !healthy.includes(standby)) {
      this.next = (this.next + 1) % healthy.length;
      standby = healthy[this.next];
      this.chosen.set(store, standby);
    }
    return standby.source!;
  }

  /** Asks every standby how far behind it is; a slow, stopped or lagging one is skipped until it catches up. */
  check(): Promise<void> {
    this.checking ??= outsideAnyMunicipality(() => Promise.all(this.standbys.map((s) => this.checkOne(s))))
      .then(() => undefined)
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOne(standby: Standby): Promise<void> {
    const wasHealthy = standby.healthy;
    try {
      standby.source ??= await standby.open();
      const [{ lag }] = await withTimeout(standby.source.query(LAG_SQL), 2000);
      standby.lagSeconds = Number(lag);
      // Skipped after two checks in a row find it behind, not one: the first write after the primary was idle
      // makes a standby that is replaying it look as far behind as the idle time (its last replayed transaction
      // is that old) for an instant. A paused or lagging standby stays behind and is skipped a check later.
      standby.behindChecks = standby.lagSeconds <= this.maxLagSeconds ? 0 : (standby.behindChecks ?? 0) + 1;
      standby.healthy = standby.behindChecks === 0 || (wasHealthy && standby.behindChecks < 2);
    } catch (error) {
      standby.lagSeconds = undefined;
      standby.healthy = false;
      if (wasHealthy) log.warn(`Standby ${standby.name} could not be asked: ${(error as Error).message}`);
    }
    if (wasHealthy !== standby.healthy) {
      const why = standby.lagSeconds === undefined ? 'unreachable' : `${standby.lagSeconds.toFixed(1)} s behind`;
      if (standby.healthy) log.log(`Reading from standby ${standby.name} (${why})`);
      else log.warn(`Not reading from standby ${standby.name}: ${why} (READ_MAX_LAG_SECONDS=${this.maxLagSeconds})`);
    }
  }

  private wroteLately(personId: string): boolean {
    const at = recentWriters.get(personId);
    if (at === undefined) return false;
    if (Date.now() - at <= this.maxLagSeconds * 1000 + 5000) return true;
    recentWriters.delete(personId);
    return false;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.checking?.catch(() => undefined);
    await Promise.all(this.standbys.map((s) => s.source?.destroy().catch(() => undefined)));
  }
}

/**
 * Told by the primary's pool of every statement that may write: the request's later reads go to the
 * primary, and, for a request that changes things, the person's reads for a while after.
 */
export function noteWrite(): void {
  const store = tenantContext.getStore();
  if (!store) return;
  if (store.changes && store.personId) {
    if (recentWriters.size > 10_000) recentWriters.clear(); // a bound, not a cache policy: it only costs standby reads
    recentWriters.set(store.personId, Date.now());
  }
  store.wrote = true;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
