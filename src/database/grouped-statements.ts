import { tenantContext } from '../auth/tenant-context';

interface Waiting<I, R> {
  item: I;
  done: (result: R) => void;
  failed: (error: unknown) => void;
}

export interface GroupedOptions<I, R> {
  /** Runs one batch as its municipality; answers each item in order with its result or its own error. */
  run: (items: I[]) => Promise<Array<R | Error>>;
  /** At most this many items in one batch; more wait for the next. */
  maxItems: number;
  /** At most this many batches of a municipality run at once. */
  inFlight: number;
}

/**
 * Group commit for a statement that many requests run at once (the access log's rows, the sign-offs' reads and
 * records: issue 18, bench/README.md "Eighth round"): while a municipality's batch runs, the items that arrive
 * wait, and the next batch carries them all in one statement, one round trip and one commit. Each caller is
 * answered with its own item's result or error, after that commit. A quiet municipality's item goes alone, at
 * once. Batches are by municipality, because row-level security admits one municipality per statement; each
 * runs as its municipality, whichever request's context started it.
 */
export class Grouped<I, R> {
  private readonly waiting = new Map<string, Array<Waiting<I, R>>>();
  private readonly running = new Map<string, number>();

  constructor(private readonly options: GroupedOptions<I, R>) {}

  add(municipalityId: string, item: I): Promise<R> {
    return new Promise<R>((done, failed) => {
      const line = this.waiting.get(municipalityId);
      if (line) line.push({ item, done, failed });
      else this.waiting.set(municipalityId, [{ item, done, failed }]);
      if ((this.running.get(municipalityId) ?? 0) < this.options.inFlight) void this.drain(municipalityId);
    });
  }

  /** Runs the municipality's waiting items, batch after batch, until none wait. */
  private async drain(municipalityId: string): Promise<void> {
    this.running.set(municipalityId, (this.running.get(municipalityId) ?? 0) + 1);
    try {
      for (let batch = this.take(municipalityId); batch.length > 0; batch = this.take(municipalityId)) {
        try {
          const results = await tenantContext.run({ municipalityId }, () => this.options.run(batch.map((w) => w.item)));
          batch.forEach((w, i) => {
            const result = results[i];
            if (result instanceof Error) w.failed(result);
            else w.done(result);
          });
        } catch (error) {
          for (const w of batch) w.failed(error);
        }
      }
    } finally {
      const running = this.running.get(municipalityId)! - 1;
      if (running > 0) this.running.set(municipalityId, running);
      else this.running.delete(municipalityId);
    }
  }

  private take(municipalityId: string): Array<Waiting<I, R>> {
    const line = this.waiting.get(municipalityId) ?? [];
    if (line.length <= this.options.maxItems) {
      this.waiting.delete(municipalityId);
      return line;
    }
    this.waiting.set(municipalityId, line.slice(this.options.maxItems));
    return line.slice(0, this.options.maxItems);
  }
}
