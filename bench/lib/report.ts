import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './bench-db';

export interface Figure {
  /** What was measured, e.g. "occurrences/s". */
  metric: string;
  ours: number;
  baseline: number;
  /** true for rates (more is better), false for times (less is better). */
  higherIsBetter: boolean;
  /** The target as a share of the baseline (0.5 = at least half its rate), if the issue sets one. */
  targetRatio?: number;
  /** A ratio of another kind than "ours as a share of the baseline" (e.g. a large unit's time over a small one's): given as is. */
  ratio?: number;
}

/** Milliseconds since `start` (from performance.now()). */
export function since(start: number): number {
  return performance.now() - start;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/**
 * Prints each figure beside the baseline measured in the same run, and the ratio "ours as a share of the
 * baseline" (for times: baseline time / our time, so 1.0 is as fast and 0.5 is half as fast).
 * Appends the figures to bench-data/results.jsonl, with the time of the run.
 */
export function report(benchmark: string, context: Record<string, unknown>, figures: Figure[], notes: string[] = []): void {
  const rows = figures.map((f) => {
    const ratio = f.ratio ?? (f.higherIsBetter ? f.ours / f.baseline : f.baseline / f.ours);
    const verdict = f.targetRatio === undefined ? '' : ratio >= f.targetRatio ? `meets ≥ ${f.targetRatio}` : `MISSES ≥ ${f.targetRatio}`;
    return { ...f, ratio, verdict };
  });
  const width = Math.max(...rows.map((r) => r.metric.length), 6);
  const lines = [
    `\n== ${benchmark} ==`,
    ...Object.entries(context).map(([k, v]) => `  ${k}: ${v}`),
    `  ${'metric'.padEnd(width)}  ${'Årshjul'.padStart(12)}  ${'baseline'.padStart(12)}  ${'ratio'.padStart(6)}  target`,
    ...rows.map((r) => `  ${r.metric.padEnd(width)}  ${format(r.ours).padStart(12)}  ${format(r.baseline).padStart(12)}  ${r.ratio.toFixed(2).padStart(6)}  ${r.verdict}`),
    ...notes.map((n) => `  ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  mkdirSync(BENCH_DIR, { recursive: true });
  appendFileSync(join(BENCH_DIR, 'results.jsonl'), JSON.stringify({ benchmark, at: new Date().toISOString(), context, figures: rows, notes }) + '\n');
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}
