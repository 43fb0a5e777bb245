/** What a claim gives a drain: the row, with the lease that makes it ours. */
export interface ClaimedRow {
  id: string;
  lease_until: Date;
}

/** The outbox's statements the claims need (OutboxService's, one at a time on the drain's own connection, never a sender's). */
export interface ClaimStatements<Row extends ClaimedRow> {
  /** Claims up to `count` due rows in one committed statement, each with a lease. */
  claim(count: number): Promise<Row[]>;
  /** Extends the leases still ours (status 'sending', lease as we set it); gives the ids renewed and their new lease. */
  renew(held: Array<{ id: string; lease: Date }>): Promise<{ ids: Set<string>; until: Date }>;
  /** Gives back rows claimed and never begun (their attempt not counted), if their lease is still ours. */
  release(held: Array<{ id: string; lease: Date }>): Promise<void>;
}

/**
 * The rows one drain holds: claimed ahead and waiting for a sender, or on their way. Claims are prefetched
 * in batches while senders are busy, so a sender whose message is done finds the next one already claimed
 * (its lease committed) instead of waiting for a claim's commit; every held lease is renewed in one
 * statement every third of its length, waiting rows too. A waiting row is handed to a sender only while at
 * least half its lease is left (so renewals are working), and dropped if a renewal found it no longer ours:
 * a message is sent only under a lease of ours, as when it was claimed just before going out (README,
 * "Reminders"). The rows a killed process held are taken by another replica after their lease.
 */
export class OutboxClaims<Row extends ClaimedRow> {
  private readonly waiting: Row[] = [];
  /** Every row held, waiting or on its way, with its lease as last set. */
  private readonly leases = new Map<string, Date>();
  private claiming?: Promise<void>;
  /** The last claim found fewer due rows than it asked for; cleared when a row may have become due since. */
  private exhausted = false;
  /**
   * Counts again(): a claim whose statement may have begun before a row became due (its snapshot does not see
   * the row) finds fewer than it asked for without meaning that nothing is due, so it does not end the drain.
   */
  private news = 0;
  private failure?: unknown;
  private renewing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly statements: ClaimStatements<Row>,
    /** Rows claimed ahead at most (and claimed per statement at most). */
    private readonly ahead: number,
    private readonly leaseMs: number,
    private readonly now: () => Date,
  ) {
    this.timer = setInterval(() => void this.renew(), leaseMs / 3);
    this.timer.unref();
  }

  /** The next row to send, claimed ahead if possible; undefined when nothing due is left. */
  async next(): Promise<Row | undefined> {
    for (;;) {
      const row = this.takeWaiting();
      if (row) {
        this.prefetch();
        return row;
      }
      if (this.claiming) await this.claiming;
      else if (this.failure !== undefined) throw this.failure;
      else if (this.exhausted) return undefined;
      else await this.claimMore();
    }
  }

  /** The row is sent, or its failure recorded: no longer ours to renew. */
  done(id: string): void {
    this.leases.delete(id);
  }

  /** A row taken and not begun (its sender could not connect): the next sender takes it. */
  putBack(row: Row): void {
    this.waiting.unshift(row);
  }

  /**
   * A row may have become due after the last claim began: a retry (Retry-After: 0), or the e-mail an
   * undeliverable Teams message falls back to, queued due now. Look again, as the outbox did when every
   * sender claimed until it found nothing: a drain ends only when a claim begun after its last news finds
   * nothing more.
   */
  again(): void {
    this.news++;
    this.exhausted = false;
  }

  /** Stops renewing; gives back what was claimed ahead and not begun (only after an error do any remain). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const left = this.waiting.splice(0).flatMap((r) => (this.leases.has(r.id) ? [{ id: r.id, lease: this.leases.get(r.id)! }] : []));
    this.leases.clear();
    if (left.length) await this.statements.release(left);
  }

  private takeWaiting(): Row | undefined {
    for (let row = this.waiting.shift(); row; row = this.waiting.shift()) {
      const lease = this.leases.get(row.id);
      if (lease && lease.getTime() - this.now().getTime() >= this.leaseMs / 2) return row;
      // Renewals have been failing (or another replica has it): not ours to send. It goes after its lease.
      this.leases.delete(row.id);
    }
    return undefined;
  }

  /** Claims the next batch in the background once half the rows claimed ahead are taken. */
  private prefetch(): void {
    if (!this.claiming && !this.exhausted && this.failure === undefined && this.waiting.length <= this.ahead / 2) void this.claimMore();
  }

  private claimMore(): Promise<void> {
    const count = this.ahead - this.waiting.length;
    const news = this.news;
    this.claiming = this.statements
      .claim(count)
      .then(
        (rows) => {
          for (const row of rows) {
            this.leases.set(row.id, row.lease_until);
            this.waiting.push(row);
          }
          if (rows.length < count && this.news === news) this.exhausted = true;
        },
        (error) => {
          this.failure = error; // given to the senders that find nothing left waiting
        },
      )
      .finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.leases.size === 0) return;
    this.renewing = true;
    const held = [...this.leases].map(([id, lease]) => ({ id, lease }));
    try {
      const { ids, until } = await this.statements.renew(held);
      for (const { id, lease } of held) {
        if (this.leases.get(id) !== lease) continue; // done meanwhile (or claimed again, with a lease of its own)
        if (ids.has(id)) this.leases.set(id, until);
        else this.leases.delete(id);
      }
    } catch {
      // Tried again at the next tick; a lease renewed last time still has two thirds to run.
    } finally {
      this.renewing = false;
    }
  }
}
