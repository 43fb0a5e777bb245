import { ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config/project-root';

const root = projectRoot();
/** Runs a TypeScript file of bench/ as its own Node process. */
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

export interface Server {
  process: ChildProcess;
  /** What the process has printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a server process and waits until `ready` answers true (polled), or fails with its output. */
export async function startServer(command: string, args: string[], env: NodeJS.ProcessEnv, ready: () => Promise<boolean>): Promise<Server> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited: ${output}`);
    if (await ready().catch(() => false)) break;
    if (waited > 60_000) throw new Error(`${command} did not become ready: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function tsNodeArgs(file: string, args: string[]): string[] {
  return [...TS_NODE, join(root, 'bench', file), ...args];
}

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

/** Runs autocannon in a second process against `baseUrl`, the paths taken in turn; `rate` 0 for a closed load. */
export async function load(baseUrl: string, connections: number, seconds: number, rate: number, token: string | undefined, paths: string[]): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, tsNodeArgs('lib/load.ts', [baseUrl, String(connections), String(seconds), String(rate), token ?? '-', ...paths]), {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** The resident set size of a process now, in MB (Linux: /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Samples a process's RSS every 250 ms while `work` runs: the largest and the last sample. */
export async function whileSamplingRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number; lastMb: number }> {
  let peakMb = rssMb(pid);
  let lastMb = peakMb;
  const timer = setInterval(() => {
    lastMb = rssMb(pid);
    peakMb = Math.max(peakMb, lastMb);
  }, 250);
  try {
    return { result: await work(), peakMb, lastMb };
  } finally {
    clearInterval(timer);
  }
}

/** Garbage collections in `--trace-gc` output (from the character `from` on): how many, their pauses in ms, the longest. */
export function gcPauses(traceGcOutput: string, from = 0): { count: number; ms: number; longest: number } {
  let count = 0;
  let ms = 0;
  let longest = 0;
  for (const match of traceGcOutput.slice(from).matchAll(/ MB, ([\d.]+) \/ [\d.]+ ms/g)) {
    count++;
    ms += Number(match[1]);
    longest = Math.max(longest, Number(match[1]));
  }
  return { count, ms, longest };
}
