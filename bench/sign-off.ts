import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { tenantContext } from '../src/auth/tenant-context';
import { MaterialiseService } from '../src/occurrences/services/materialise.service';
import { causedBySystem } from '../src/occurrences/occurrence-change';
import { recordId } from '../src/records/services/record-chain';
import { SignOffsService } from '../src/records/services/sign-offs.service';
import { serviceContext } from './lib/app';
import { benchDatabase, pool, readDataset, withClient } from './lib/bench-db';
import { inParallel } from './lib/parallel';
import { addCosts, Cost, measured, perItem } from './lib/cost';
import { format, report, since } from './lib/report';

const SIGN_OFFS = Number(process.env.BENCH_SIGN_OFFS ?? 2000);
const SIGNERS = Number(process.env.BENCH_SIGNERS ?? 20);
/** Marks the same-table baseline's rows, which are deleted again; their sequences start here, far above any chain's. */
const SAME_TABLE_MARK = 'bench baseline (deleted after the run)';
const SAME_TABLE_SEQUENCE = 1e12;
/** Each phase is measured in slices of about this many items, taken in turn with the other phases', at most MAX_SLICES. */
const SLICE_ITEMS = 500;
const MAX_SLICES = 5;

interface Open {
  occurrence_id: string;
  unit_id: string;
  owner: string;
}

/**
 * npm run bench:sign-off
 *
 * SIGNERS people sign open occurrences of the large municipality side by side through SignOffsService
 * (ownership check, sealing into the unit's hash chain under its lock, commit), against the same number
 * of plain single-row INSERTs of the same columns, with the same concurrency and durable commits, into
 * a copy of the sign_off table with its indexes and foreign keys. That copy is empty, so its indexes stay a few
 * pages in memory; a second baseline makes the same plain INSERTs into sign_off itself, among its millions of
 * records (with the service's own triggers off, and the rows deleted afterwards), for other open occurrences
 * than ours. Two spreads: occurrences across the whole municipality, and all in one unit, where the chain lets
 * only one record in at a time.
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const db = await benchDatabase();
  const app = await serviceContext(db.url, `${dataset.today}T08:00:00Z`);
  const owner = pool(db.url, SIGNERS);
  /** The records this run signs through the service, removed again at its end (removeRecordsMade). */
  const made: string[] = [];
  try {
    const signOffs = app.get(SignOffsService);
    await deleteSameTableRows(owner);
    await owner.query(`DROP TABLE IF EXISTS bench_plain_sign_off`);
    await owner.query(`CREATE TABLE bench_plain_sign_off (LIKE sign_off INCLUDING ALL)`);
    await owner.query(`
      ALTER TABLE bench_plain_sign_off
        ADD FOREIGN KEY (municipality_id, unit_id) REFERENCES unit(municipality_id, id),
        ADD FOREIGN KEY (municipality_id, occurrence_id) REFERENCES occurrence(municipality_id, id),
        ADD FOREIGN KEY (municipality_id, signed_by) REFERENCES person(municipality_id, id)`);
    const figures = [];
    const context: Record<string, unknown> = { scale: dataset.scale, 'concurrent signers': SIGNERS };
    for (const spread of ['across the municipality', 'all in one unit'] as const) {
      // This year's, and next year's should this year's run short. Across the municipality a fresh sample each run
      // (runs leave the data set as they found it: removeRecordsMade), so that no run finds its pages in cache
      // from the one before; in one unit the same department each run, whose later years are materialised once.
      const sample = spread === 'across the municipality' ? randomUUID() : '';
      let open = await openOccurrences(db.url, dataset.largeMunicipalityId, `${dataset.year}-12-31`, null, sample);
      if (spread === 'across the municipality' && open.length < 2 * SIGN_OFFS) open = await openOccurrences(db.url, dataset.largeMunicipalityId, `${dataset.year + 1}-12-31`, null, sample);
      if (spread === 'all in one unit') {
        // One department's future years, materialised here as needed: a unit has a few dozen open tasks
        // at a time, too few to keep twenty signers busy. (Years after next: bench:materialise removes next year.)
        const department = open[0].unit_id;
        for (let year = dataset.year + 2; (open = await openOccurrences(db.url, dataset.largeMunicipalityId, `${year}-12-31`, department, sample)).length < SIGN_OFFS / 2; year++) {
          await app.get(MaterialiseService).materialise(dataset.largeMunicipalityId, department, year, causedBySystem('materialised'));
        }
      }
      if (open.length < 100) throw new Error(`Only ${open.length} open occurrences left for "${spread}"; generate the data set again`);
      // Half for ours (and the copy's baseline), the other half for the same-table baseline: one first record per occurrence.
      const others = open.splice(Math.floor(open.length / 2)).slice(0, Math.floor(open.length / 2));
      const units = new Set(open.map((o) => o.unit_id)).size;
      const signOff = async (o: Open) => {
        const signed = await tenantContext.run({ municipalityId: dataset.largeMunicipalityId }, () =>
          signOffs.signOff({ personId: o.owner, municipalityId: dataset.largeMunicipalityId, email: 'bench@kommune.test' }, o.occurrence_id, {
            outcome: 'done',
            comment: 'Utført.',
          }),
        );
        made.push(signed.id);
      };

      // Both sides start with their connections open and ready, as a running service's are (it keeps idle
      // connections five minutes) and as a plain INSERT's would be: before this, the copy's baseline opened its
      // twenty connections inside its measured phase, about a third of that phase's time (bench/README.md, "Eleventh round").
      const warmUp = others.splice(0, 4 * SIGNERS);
      await inParallel(warmUp.slice(0, 2 * SIGNERS), SIGNERS, signOff);
      const warmSequences = new Map<string, number>();
      await inParallel(warmUp.slice(2 * SIGNERS), SIGNERS, (o) => plainInsert(owner, dataset.largeMunicipalityId, o, warmSequences));
      await owner.query(`TRUNCATE bench_plain_sign_off`);

      // The three phases take turns in slices, and each phase's time and cost are summed over its slices: a few
      // seconds in which this shared machine runs slower then fall on all three alike, not on one (bench/README.md,
      // "Twelfth round"). One checkpoint before them all, so that each pays once for the full-page images of the
      // pages it first changes, as a phase did alone: a checkpoint before every slice would make the baselines pay
      // again and again for their few hot pages.
      await owner.query(`CHECKPOINT`).catch(() => undefined);
      const slices = Math.max(1, Math.min(MAX_SLICES, Math.floor(open.length / SLICE_ITEMS)));
      const ours = new Phase(), baseline = new Phase(), sameTable = new Phase();
      const sequences = new Map<string, number>(), sameTableSequences = new Map<string, number>();
      for (let slice = 0; slice < slices; slice++) {
        const mine = part(open, slice, slices), theirs = part(others, slice, slices);
        const turns = [
          () => ours.run(owner, () => inParallel(mine, SIGNERS, signOff)),
          () => baseline.run(owner, () => inParallel(mine, SIGNERS, (o) => plainInsert(owner, dataset.largeMunicipalityId, o, sequences))),
          () => sameTableInserts(owner, sameTable, () => inParallel(theirs, SIGNERS, (o) => plainInsert(owner, dataset.largeMunicipalityId, o, sameTableSequences, 'sign_off'))),
        ];
        // Each slice starts with the next phase, so that none always follows the same other.
        for (let turn = 0; turn < turns.length; turn++) await turns[(slice + turn) % turns.length]();
      }
      await owner.query(`TRUNCATE bench_plain_sign_off`);

      context[`${spread}`] = `${open.length} sign-offs in ${units} units`;
      context[`${spread}, slices each phase was measured in`] = slices;
      context[`${spread}, ours per sign-off`] = perItem(ours.cost, open.length);
      context[`${spread}, baseline per insert`] = perItem(baseline.cost, open.length);
      context[`${spread}, same-table baseline per insert`] = perItem(sameTable.cost, others.length);
      const targetRatio = spread === 'all in one unit' ? 0.2 : 0.5;
      const oursRate = open.length / (ours.ms / 1000);
      figures.push({ metric: `sign-offs/s, ${spread}`, ours: oursRate, baseline: open.length / (baseline.ms / 1000), higherIsBetter: true, targetRatio });
      figures.push({ metric: `sign-offs/s, ${spread}, against INSERTs into sign_off itself`, ours: oursRate, baseline: others.length / (sameTable.ms / 1000), higherIsBetter: true, targetRatio });
    }
    await withClient(db.url, async (client) => {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM sign_off WHERE municipality_id = $1`, [dataset.largeMunicipalityId]);
      context['records of the large municipality, this run’s included'] = format(rows[0].n);
    });
    report('Sign-off throughput', context, figures, [
      'Ours: one read (the checks, the record that stands, the chain head) by sign_off_signing_row(), then the record sealed in Node after that head and inserted by sign_off_insert_after() with a durable commit (both PL/pgSQL, one generic plan per connection); the sign-offs of the municipality that arrive together share each statement and its commit (group commit); in a busy unit the sign-offs waiting on this replica are appended in batches, one transaction and commit per batch under the unit’s chain lock.',
      `The three phases take turns in slices of about ${SLICE_ITEMS} items (at most ${MAX_SLICES}) after one CHECKPOINT, and each phase’s time and cost are its slices’ sums; its cost per item: this process’s CPU, the bench cluster’s CPU (from /proc), WAL bytes and full-page images (pg_stat_wal).`,
      'Baseline: one INSERT per transaction of a ready-made row (random hash, sequence counted in memory) into an empty copy of sign_off with its indexes and foreign keys.',
      `Same-table baseline: the same INSERTs into sign_off itself (ids as the service makes them, sequences from ${SAME_TABLE_SEQUENCE}, its trigger that updates the occurrence off), for as many other open occurrences; deleted afterwards.`,
    ]);
  } finally {
    await removeRecordsMade(owner, made);
    await owner.query(`DROP TABLE IF EXISTS bench_plain_sign_off`);
    await owner.end();
    await app.close();
    await db.stop();
  }
}

/**
 * Up to twice SIGN_OFFS unsigned occurrences due by `until` (overdue ones included; signing before a task
 * opens is allowed), in one unit or all, each with one of its owners to sign, in an order that `sample`
 * shuffles; the copy's baseline inserts rows for the same ones, the same-table baseline for others.
 */
async function openOccurrences(url: string, municipalityId: string, until: string, unitId: string | null, sample: string): Promise<Open[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<Open>(
      `WITH candidates AS (
         SELECT o.id AS occurrence_id, o.unit_id, (SELECT min(oo.person_id::text) FROM occurrence_owner oo WHERE oo.occurrence_id = o.id) AS owner
           FROM occurrence o
          WHERE o.municipality_id = $1 AND o.cancelled_at IS NULL AND o.deadline <= $2
            AND NOT EXISTS (SELECT 1 FROM sign_off s WHERE s.occurrence_id = o.id))
       SELECT * FROM candidates WHERE owner IS NOT NULL AND ($3::uuid IS NULL OR unit_id = $3)
        ORDER BY md5(occurrence_id::text || $5) LIMIT $4`,
      [municipalityId, until, unitId, 2 * SIGN_OFFS, sample],
    );
    return rows;
  });
}

function plainInsert(pool: Pool, municipalityId: string, o: Open, sequences: Map<string, number>, table: 'bench_plain_sign_off' | 'sign_off' = 'bench_plain_sign_off') {
  const sameTable = table === 'sign_off';
  const sequence = (sequences.get(o.unit_id) ?? (sameTable ? SAME_TABLE_SEQUENCE : 0)) + 1;
  sequences.set(o.unit_id, sequence);
  return pool.query(
    `INSERT INTO ${table} (id, municipality_id, unit_id, sequence, occurrence_id, kind, outcome, late, comment, stored_in, evidence_url,
                          signed_by, signed_by_name, signed_at, supersedes_id, reason, snapshot, previous_hash, hash)
     VALUES ($1, $2, $3, $4, $5, 'sign_off', 'done', false, 'Utført.', NULL, NULL, $6, $10, now(), NULL, NULL, $7, $8, $9)`,
    [
      sameTable ? recordId() : randomUUID(), municipalityId, o.unit_id, sequence, o.occurrence_id, o.owner,
      JSON.stringify({ taskTitle: 'Telling av A- og B-preparater', wheelName: 'Lokalt årshjul', unitName: 'Avdeling', recipientCode: null, deadline: '2026-11-30', storedIn: null, responsibleRole: 'manager' }),
      randomBytes(32).toString('hex'), randomBytes(32).toString('hex'), sameTable ? SAME_TABLE_MARK : 'Ansatt',
    ],
  );
}

/** One phase's time and cost, summed over the slices it is measured in. */
class Phase {
  ms = 0;
  cost: Cost = { nodeCpuMs: 0, postgresCpuMs: 0, walBytes: 0, walFullPageImages: 0 };

  /** Measures one slice. */
  async run(owner: Pool, work: () => Promise<unknown>): Promise<void> {
    const start = performance.now();
    const { cost } = await measured(owner, work);
    this.ms += since(start);
    this.cost = addCosts(this.cost, cost);
  }
}

/** The `slice`th of `slices` nearly equal parts of `items`. */
function part<T>(items: T[], slice: number, slices: number): T[] {
  return items.slice(Math.floor((slice * items.length) / slices), Math.floor(((slice + 1) * items.length) / slices));
}

/**
 * One slice of the plain INSERTs into sign_off itself, without the service's trigger that keeps what stands on
 * the occurrence (ours pays for that), with ids made as the service makes them (UUIDv7, new entries at the end
 * of the primary key's index); the rows are deleted again, and the trigger switched on, whatever happens.
 */
async function sameTableInserts(owner: Pool, phase: Phase, inserts: () => Promise<unknown>): Promise<void> {
  await owner.query(`ALTER TABLE sign_off DISABLE TRIGGER sign_off_stands`);
  try {
    await phase.run(owner, inserts);
  } finally {
    await deleteSameTableRows(owner);
  }
}

/**
 * Removes the same-table baseline's rows (also those a stopped run left), past the trigger that keeps records
 * unchanged, and switches the trigger that keeps what stands on again.
 */
async function deleteSameTableRows(owner: Pool): Promise<void> {
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    await client.query(`ALTER TABLE sign_off DISABLE TRIGGER sign_off_append_only`);
    const { rows } = await client.query<{ unit_id: string }>(
      `DELETE FROM sign_off WHERE signed_by_name = $1 AND sequence > $2 RETURNING unit_id`,
      [SAME_TABLE_MARK, SAME_TABLE_SEQUENCE],
    );
    await client.query(`ALTER TABLE sign_off ENABLE TRIGGER sign_off_append_only`);
    await client.query(`ALTER TABLE sign_off ENABLE TRIGGER sign_off_stands`);
    await client.query('COMMIT');
    // Their entries stay at the end of their units' ranges in (unit_id, sequence) until a vacuum, where the next
    // slice's chain-head lookups would step over them: one index scan over them now marks them dead for all.
    await client.query('BEGIN');
    await client.query(`SET LOCAL enable_seqscan = off`);
    await client.query(`SET LOCAL enable_bitmapscan = off`);
    await client.query(`SELECT count(*) FROM sign_off WHERE unit_id = ANY($1::uuid[]) AND sequence > $2`, [[...new Set(rows.map((r) => r.unit_id))], SAME_TABLE_SEQUENCE]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Removes the records this run signed, past the trigger that keeps records unchanged, and clears what stands on
 * their occurrences, so that the next run finds the data set as this one did. Without this every run used up
 * some 2,600 of Storby's open occurrences for good, and each run signed occurrences further from those the runs
 * before had brought into cache. They are the last records of their units' chains (the benchmark's clock stands
 * still and nothing else signs meanwhile), which is checked first, so every chain still verifies; the tables are
 * then vacuumed, so that no dead rows or autovacuum stand in the next run's way. Needs the owner to be a
 * superuser (triggers are skipped with session_replication_role); otherwise the records stay, as before.
 * The same-table baseline's rows, deleted before, are vacuumed with them.
 */
async function removeRecordsMade(owner: Pool, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ n: number }>(
      `WITH mine AS (SELECT unit_id, min(sequence) AS first FROM sign_off WHERE id = ANY($1::uuid[]) GROUP BY unit_id)
       SELECT count(*)::int AS n FROM mine JOIN sign_off s ON s.unit_id = mine.unit_id AND s.sequence > mine.first
        WHERE s.id <> ALL($1::uuid[])`,
      [ids],
    );
    if (rows[0].n > 0) throw new Error(`${rows[0].n} other records follow this run's in their chains`);
    await client.query(`SET LOCAL session_replication_role = replica`);
    const { rows: gone } = await client.query<{ occurrence_id: string }>(`DELETE FROM sign_off WHERE id = ANY($1::uuid[]) RETURNING occurrence_id`, [ids]);
    await client.query(
      `UPDATE occurrence o SET standing_outcome = NULL, standing_late = NULL
        WHERE o.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM sign_off s WHERE s.occurrence_id = o.id)`,
      [gone.map((g) => g.occurrence_id)],
    );
    await client.query('COMMIT');
    process.stdout.write(`  (the run's ${format(gone.length)} records removed again, and what stood on their occurrences cleared)\n`);
  } catch (error) {
    await client.query('ROLLBACK');
    process.stderr.write(`The run's records stay (${error instanceof Error ? error.message : error}); later runs sign other occurrences.\n`);
  } finally {
    client.release();
  }
  // With index cleanup forced: VACUUM by itself leaves the index entries of fewer dead rows than on 2 % of the
  // table's pages, and a chain head's lookup then steps over this run's dead records in every unit it signed.
  await owner.query(`VACUUM (ANALYZE, INDEX_CLEANUP ON) sign_off, occurrence`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
