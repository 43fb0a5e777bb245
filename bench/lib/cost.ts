import { readdirSync, readFileSync } from 'node:fs';
import { Pool } from 'pg';

/** What one phase of a benchmark cost: this Node process's CPU, PostgreSQL's CPU (all its processes on this host, if readable), and WAL. */
export interface Cost {
  nodeCpuMs: number;
  postgresCpuMs: number | null;
  walBytes: number;
  walFullPageImages: number;
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** /proc/<pid>/stat's fields after the command's name: [0] state, [1] parent, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statOf(pid: string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The postmaster of the backend `pid` reported, if that backend runs on this host (a remote one's pid means nothing here). */
function parentOf(pid: number): string | null {
  try {
    const name = (p: string) => readFileSync(`/proc/${p}/comm`, 'utf8').trim();
    const parent = statOf(String(pid))[1];
    return name(String(pid)) === 'postgres' && name(parent) === 'postgres' ? parent : null;
  } catch {
    return null;
  }
}

/**
 * CPU time of the bench cluster's postmaster and its children (found from a backend's pid), or null where
 * /proc cannot tell (another host). Other clusters on the machine are not counted.
 */
function postgresCpuMs(postmaster: string | null): number | null {
  if (postmaster === null) return null;
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const fields = statOf(pid);
        if (pid === postmaster) {
          // Its own time and that of the children it has reaped (backends closed during the phase).
          ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
        } else if (fields[1] === postmaster) {
          ticks += Number(fields[11]) + Number(fields[12]);
        }
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks * TICK_MS;
  } catch {
    return null;
  }
}

async function wal(pool: Pool): Promise<{ bytes: number; fpi: number; backend: number }> {
  const { rows } = await pool.query(`SELECT wal_bytes::float8 AS bytes, wal_fpi::float8 AS fpi, pg_backend_pid() AS backend FROM pg_stat_wal`);
  return { bytes: rows[0].bytes, fpi: rows[0].fpi, backend: rows[0].backend };
}

/** Measures `work`'s cost. Backends that exit during the phase take their CPU with them: keep pools open across it. */
export async function measured<T>(pool: Pool, work: () => Promise<T>): Promise<{ result: T; cost: Cost }> {
  const walBefore = await wal(pool);
  const postmaster = parentOf(walBefore.backend);
  const node = process.cpuUsage();
  const pg = postgresCpuMs(postmaster);
  const result = await work();
  const pgAfter = postgresCpuMs(postmaster);
  const walAfter = await wal(pool);
  const nodeUsed = process.cpuUsage(node);
  return {
    result,
    cost: {
      nodeCpuMs: (nodeUsed.user + nodeUsed.system) / 1000,
      postgresCpuMs: pg === null || pgAfter === null ? null : pgAfter - pg,
      walBytes: walAfter.bytes - walBefore.bytes,
      walFullPageImages: walAfter.fpi - walBefore.fpi,
    },
  };
}

/** The cost of two parts of one phase together. */
export function addCosts(a: Cost, b: Cost): Cost {
  return {
    nodeCpuMs: a.nodeCpuMs + b.nodeCpuMs,
    postgresCpuMs: a.postgresCpuMs === null || b.postgresCpuMs === null ? null : a.postgresCpuMs + b.postgresCpuMs,
    walBytes: a.walBytes + b.walBytes,
    walFullPageImages: a.walFullPageImages + b.walFullPageImages,
  };
}

/** A phase's cost per item, for the report's context. */
export function perItem(cost: Cost, items: number): string {
  const cpu = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / items).toFixed(2)} ms`);
  return `Node CPU ${cpu(cost.nodeCpuMs)}, PostgreSQL CPU ${cpu(cost.postgresCpuMs)}, WAL ${(cost.walBytes / items / 1024).toFixed(1)} kB, full-page images ${(cost.walFullPageImages / items).toFixed(2)}`;
}
