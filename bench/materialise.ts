import 'reflect-metadata';
import { Client } from 'pg';
import { MaterialiseService } from '../src/occurrences/services/materialise.service';
import { causedBySystem } from '../src/occurrences/occurrence-change';
import { serviceContext } from './lib/app';
import { benchDatabase, readDataset, withClient } from './lib/bench-db';
import { format, median, report, since } from './lib/report';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * npm run bench:materialise
 *
 * Materialises next year for the whole large municipality (every unit from the top, its recipients,
 * owners resolved) through MaterialiseService, and, as the baseline, inserts the very same rows with one
 * plain INSERT … SELECT FROM unnest() into the same table with the same indexes. Rounds alternate; the
 * rows are removed after each, so every round starts from the same state. Reports medians.
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const year = dataset.year + 1;
  const db = await benchDatabase();
  const app = await serviceContext(db.url, `${dataset.today}T08:00:00Z`);
  try {
    const materialise = app.get(MaterialiseService);
    await withClient(db.url, async (client) => {
      await removeYear(client, dataset.largeMunicipalityId, year);
      const ours: number[] = [];
      const again: number[] = [];
      const baseline: number[] = [];
      const baselineWithOwners: number[] = [];
      let rows = 0;
      let ownerRows = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        let start = performance.now();
        const result = await materialise.materialise(dataset.largeMunicipalityId, dataset.largeMunicipalityRootUnitId, year, causedBySystem('materialised'));
        ours.push(since(start));
        rows = result.created;
        start = performance.now();
        const second = await materialise.materialise(dataset.largeMunicipalityId, dataset.largeMunicipalityRootUnitId, year, causedBySystem('materialised'));
        again.push(since(start));
        if (second.created + second.updated + second.cancelled !== 0) throw new Error(`A second run changed something: ${second.message}`);

        const { occurrences, owners } = await readYear(client, dataset.largeMunicipalityId, year);
        ownerRows = owners[0].length;
        await removeYear(client, dataset.largeMunicipalityId, year);
        start = performance.now();
        const { rowCount } = await client.query(INSERT_OCCURRENCES, occurrences);
        baseline.push(since(start));
        if (rowCount !== rows) throw new Error(`The baseline inserted ${rowCount} rows, materialising ${rows}`);
        await removeYear(client, dataset.largeMunicipalityId, year);

        start = performance.now();
        await client.query('BEGIN');
        await client.query(INSERT_OCCURRENCES, occurrences);
        await client.query(`INSERT INTO occurrence_owner (occurrence_id, person_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, owners);
        await client.query('COMMIT');
        baselineWithOwners.push(since(start));
        await removeYear(client, dataset.largeMunicipalityId, year);
        process.stdout.write(
          `  round ${round}: materialise ${format(ours.at(-1)!)} ms, again ${format(again.at(-1)!)} ms, ` +
            `INSERT … SELECT ${format(baseline.at(-1)!)} ms, with owners ${format(baselineWithOwners.at(-1)!)} ms\n`,
        );
      }
      report(
        'Materialising a year for the large municipality',
        {
          scale: dataset.scale,
          year,
          'units and recipients': 'Storby kommune, 1,000 units, 5,000 recipients, from the top unit',
          occurrences: `${format(rows)}, with ${format(ownerRows)} owner rows`,
          rounds: ROUNDS,
          'materialise again (nothing to do), median ms': format(median(again)),
        },
        [
          { metric: 'occurrences/s', ours: rows / (median(ours) / 1000), baseline: rows / (median(baseline) / 1000), higherIsBetter: true, targetRatio: 0.5 },
          { metric: 'ms for the year', ours: median(ours), baseline: median(baseline), higherIsBetter: false },
          { metric: 'occurrences/s, baseline writing owners too', ours: rows / (median(ours) / 1000), baseline: rows / (median(baselineWithOwners) / 1000), higherIsBetter: true, targetRatio: 0.5 },
        ],
        [
          'Ours includes reading the tree and the wheels, the recurrence rules, the future-only upsert, and resolving owners.',
          'The first baseline writes the occurrence rows only; the second also the owner rows materialising writes with them.',
        ],
      );
    });
  } finally {
    await app.close();
    await db.stop();
  }
}

const INSERT_OCCURRENCES = `
  INSERT INTO occurrence (id, municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::date[], $7::date[], $8::date[])`;

/** The rows materialising wrote, as column arrays: the occurrences, and their owners. */
async function readYear(client: Client, municipalityId: string, year: number): Promise<{ occurrences: unknown[]; owners: unknown[][] }> {
  const range = [municipalityId, `${year}-01-01`, `${year}-12-31`];
  const { rows: [occurrences] } = await client.query(
    `SELECT array_agg(id) i, array_agg(municipality_id) a, array_agg(task_id) b, array_agg(unit_id) c, array_agg(recipient_id) d,
            array_agg(scheduled_on::text) e, array_agg(deadline::text) f, array_agg(opens_on::text) g
       FROM occurrence WHERE municipality_id = $1 AND scheduled_on BETWEEN $2 AND $3`,
    range,
  );
  const { rows: [owners] } = await client.query(
    `SELECT array_agg(oo.occurrence_id) a, array_agg(oo.person_id) b
       FROM occurrence_owner oo JOIN occurrence o ON o.id = oo.occurrence_id
      WHERE o.municipality_id = $1 AND o.scheduled_on BETWEEN $2 AND $3`,
    range,
  );
  return { occurrences: Object.values(occurrences), owners: Object.values(owners) as unknown[][] };
}

/** Next year has no records (it is the future), so its occurrences can go; their owners go with them. */
async function removeYear(client: Client, municipalityId: string, year: number): Promise<void> {
  await client.query(`DELETE FROM occurrence WHERE municipality_id = $1 AND scheduled_on BETWEEN $2 AND $3`, [
    municipalityId,
    `${year}-01-01`,
    `${year}-12-31`,
  ]);
  await client.query(`VACUUM occurrence, occurrence_owner`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
