import { municipalityTag } from '../auth/tenant-context';
import { Grouped } from './grouped-statements';

/** A run that records its batches (and the municipality each ran as) and answers when told to. */
function recorder(answer: (item: number) => number | Error = (item) => item * 10) {
  const batches: Array<{ as: string; items: number[] }> = [];
  const finish: Array<() => void> = [];
  const run = (items: number[]) => {
    batches.push({ as: municipalityTag(), items });
    return new Promise<Array<number | Error>>((resolve) => finish.push(() => resolve(items.map(answer))));
  };
  return { batches, finish, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Grouped: the items of requests in flight in one statement', () => {
  it('runs a lone item at once, and carries the items that arrive meanwhile together in the next batch', async () => {
    const r = recorder();
    const grouped = new Grouped<number, number>({ run: r.run, maxItems: 50, inFlight: 1 });
    const first = grouped.add('m1', 1);
    await tick();
    const later = [grouped.add('m1', 2), grouped.add('m1', 3), grouped.add('m1', 4)];
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([[1]]);
    r.finish.shift()!();
    expect(await first).toBe(10);
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    r.finish.shift()!();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('runs each batch as its municipality, and the municipalities apart', async () => {
    const r = recorder();
    const grouped = new Grouped<number, number>({ run: r.run, maxItems: 50, inFlight: 1 });
    const answers = [grouped.add('m1', 1), grouped.add('m2', 2), grouped.add('m1', 3)];
    await tick();
    expect(r.batches).toEqual([
      { as: 'm1', items: [1] },
      { as: 'm2', items: [2] },
    ]);
    r.finish.splice(0).forEach((f) => f());
    await tick();
    expect(r.batches[2]).toEqual({ as: 'm1', items: [3] });
    r.finish.splice(0).forEach((f) => f());
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
  });

  it('keeps at most inFlight batches of a municipality running, and at most maxItems in one', async () => {
    const r = recorder();
    const grouped = new Grouped<number, number>({ run: r.run, maxItems: 3, inFlight: 2 });
    const answers = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => grouped.add('m1', i));
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([[1], [2]]);
    r.finish.splice(0).forEach((f) => f());
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([[1], [2], [3, 4, 5], [6, 7, 8]]);
    r.finish.splice(0).forEach((f) => f());
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('answers each caller with its own error, and the others with their results', async () => {
    const r = recorder((item) => (item === 2 ? new Error('refused: 2') : item * 10));
    const grouped = new Grouped<number, number>({ run: r.run, maxItems: 50, inFlight: 1 });
    const first = grouped.add('m1', 0);
    const [a, b, c] = [grouped.add('m1', 1), grouped.add('m1', 2), grouped.add('m1', 3)];
    r.finish.shift()!();
    await first;
    await tick();
    r.finish.shift()!();
    await expect(a).resolves.toBe(10);
    await expect(b).rejects.toThrow('refused: 2');
    await expect(c).resolves.toBe(30);
  });

  it('fails every item of a batch whose run fails as a whole, and goes on with the next', async () => {
    let calls = 0;
    const grouped = new Grouped<number, number>({
      run: async (items) => {
        if (++calls === 2) throw new Error('connection lost');
        return items.map((i) => i * 10);
      },
      maxItems: 50,
      inFlight: 1,
    });
    const alone = grouped.add('m1', 1);
    const failing = [grouped.add('m1', 2), grouped.add('m1', 3)];
    await expect(alone).resolves.toBe(10);
    await expect(failing[0]).rejects.toThrow('connection lost');
    await expect(failing[1]).rejects.toThrow('connection lost');
    await expect(grouped.add('m1', 4)).resolves.toBe(40);
  });
});
