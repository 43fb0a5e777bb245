import 'reflect-metadata';
import { Client } from 'pg';
import { tenantContext } from '../src/auth/tenant-context';
import { AuditService } from '../src/audit/services/audit.service';
import { serviceContext } from './lib/app';
import { benchDatabase, readDataset, withClient } from './lib/bench-db';
import { format, median, report, since } from './lib/report';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 7);

/**
 * npm run bench:compliance
 *
 * The compliance report by month for this year, for one department (a unit-year) and for the whole
 * large municipality, through AuditService as a request runs it (row-level security on, as the service's
 * role), against the same figures from one hand-written SQL query run directly. The two must agree.
 */
async function main(): Promise<void> {
  const dataset = readDataset();
  const db = await benchDatabase();
  const app = await serviceContext(db.url, `${dataset.today}T08:00:00Z`);
  try {
    const audit = app.get(AuditService);
    await withClient(db.url, async (client) => {
      const { rows: [department] } = await client.query(
        `SELECT o.unit_id FROM occurrence o WHERE o.municipality_id = $1 AND o.recipient_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
        [dataset.largeMunicipalityId],
      );
      const from = `${dataset.year}-01-01`;
      const to = `${dataset.year}-12-31`;
      const cases = [
        { name: 'unit-year', unitId: department.unit_id as string, subtree: false },
        { name: 'municipality-year', unitId: dataset.largeMunicipalityRootUnitId, subtree: true },
      ];
      const figures = [];
      const context: Record<string, unknown> = { scale: dataset.scale, period: `${from} – ${to}`, 'group by': 'month', runs: `${RUNS} (median; one warm-up run first)` };
      for (const c of cases) {
        const ours = () =>
          tenantContext.run({ municipalityId: dataset.largeMunicipalityId }, () =>
            audit.compliance(dataset.largeMunicipalityId, { unitId: c.unitId, from, to, subtree: c.subtree, groupBy: 'month' }),
          );
        const baseline = () => handWritten(client, dataset.largeMunicipalityId, c.subtree ? null : c.unitId, from, to, dataset.today);
        const [oursResult, baselineResult] = [await ours(), await baseline()]; // also the warm-up
        const oursRows = oursResult.rows.map((r) => [r.group, r.planned, r.doneOnTime, r.doneLate, r.notApplicable, r.overdue, r.open].join());
        const baselineRows = baselineResult.map((r) => Object.values(r).join());
        if (oursRows.join('|') !== baselineRows.join('|')) throw new Error(`${c.name}: the report and the hand-written query disagree`);
        const oursMs: number[] = [];
        const baselineMs: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          let start = performance.now();
          await ours();
          oursMs.push(since(start));
          start = performance.now();
          await baseline();
          baselineMs.push(since(start));
        }
        context[`${c.name} occurrences`] = format(oursResult.rows.reduce((sum, r) => sum + r.planned, 0));
        figures.push({ metric: `${c.name} ms`, ours: median(oursMs), baseline: median(baselineMs), higherIsBetter: false });
      }
      report('Compliance report (by month, one year)', context, figures, [
        'Target: the municipality-wide report in under 2,000 ms.',
        'The baseline runs as the schema owner (no row-level security), without the unit tree walk.',
      ]);
    });
  } finally {
    await app.close();
    await db.stop();
  }
}

/** The same aggregate, written by hand: one statement over the occurrences and what stands on them. */
async function handWritten(client: Client, municipalityId: string, unitId: string | null, from: string, to: string, today: string) {
  const { rows } = await client.query(
    `SELECT to_char(o.deadline, 'YYYY-MM') AS month,
            count(*)::int AS planned,
            (count(*) FILTER (WHERE o.standing_outcome = 'done' AND NOT o.standing_late))::int AS on_time,
            (count(*) FILTER (WHERE o.standing_outcome = 'done' AND o.standing_late))::int AS late,
            (count(*) FILTER (WHERE o.standing_outcome = 'not_applicable'))::int AS not_applicable,
            (count(*) FILTER (WHERE o.standing_outcome IS NULL AND o.deadline < $5))::int AS overdue,
            (count(*) FILTER (WHERE o.standing_outcome IS NULL AND o.deadline >= $5))::int AS open
       FROM occurrence o
      WHERE o.municipality_id = $1 AND ($2::uuid IS NULL OR o.unit_id = $2) AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4
      GROUP BY 1 ORDER BY 1`,
    [municipalityId, unitId, from, to, today],
  );
  return rows;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
