import 'reflect-metadata';
import { AuditService } from '../src/audit/services/audit.service';
import { tenantContext, outsideAnyMunicipality } from '../src/auth/tenant-context';
import { ChecklistService } from '../src/occurrences/services/checklist.service';
import { SubtreeSummaryService } from '../src/occurrences/services/subtree-summary.service';
import { serviceContext } from './lib/app';
import { benchDatabase, migrate, readDataset, withClient } from './lib/bench-db';

/** Times each part of the Internkontroll page for the units given (BENCH_UNITS, comma-separated ids). */
async function main(): Promise<void> {
  const dataset = readDataset();
  const db = await benchDatabase();
  await migrate(db.url);
  const app = await serviceContext(db.url, `${dataset.today}T12:00:00Z`);
  try {
    const root = dataset.largeMunicipalityRootUnitId;
    const department = await withClient(db.url, async (c) => (await c.query(
      `WITH RECURSIVE below AS (SELECT id FROM unit WHERE id = $1 UNION ALL SELECT u.id FROM unit u JOIN below b ON u.parent_id = b.id)
       SELECT r.unit_id AS id FROM recipient r JOIN below b ON b.id = r.unit_id GROUP BY r.unit_id ORDER BY r.unit_id LIMIT 1`, [root])).rows[0].id);
    const units = process.env.BENCH_UNITS ? process.env.BENCH_UNITS.split(',') : [root, department];
    const m = dataset.largeMunicipalityId;
    const audit = app.get(AuditService);
    for (const unitId of units) {
      const t0 = performance.now();
      await outsideAnyMunicipality(() => audit.verify(unitId, { full: true }));
      process.stdout.write(`${unitId} full verify ${Math.round(performance.now() - t0)} ms\n`);
    }
    const person = await withClient(db.url, async (c) => (await c.query(`SELECT p.id, p.email FROM role_assignment ra JOIN person p ON p.id = ra.person_id WHERE ra.unit_id = $1 AND ra.role='manager' LIMIT 1`, [units[0]])).rows[0]);
    await tenantContext.run({ municipalityId: m, personId: person.id }, async () => {
      for (const unitId of units) {
        const year = Number(dataset.today.slice(0, 4));
        const period = { unitId, from: `${year}-01-01`, to: `${year}-12-31`, subtree: true };
        const time = async (name: string, work: () => Promise<unknown>) => {
          const t = performance.now();
          await work();
          process.stdout.write(`  ${unitId.slice(0, 8)} ${name}: ${Math.round(performance.now() - t)} ms\n`);
        };
        const summaries = app.get(SubtreeSummaryService);
        await time('hasSubunits+compliance by sub-unit', async () => (await summaries.hasSubunits(m, unitId)) && summaries.compliance(m, unitId, period.from, period.to));
        await time('one pass (sub-units, month, wheel)', () => summaries.internalControl(m, unitId, period.from, period.to));
        await time('compliance by month', () => audit.compliance(m, { ...period, groupBy: 'month' }));
        await time('compliance by wheel', () => audit.compliance(m, { ...period, groupBy: 'wheel' }));
        await time('records (no total)', () => audit.records({ personId: person.id, municipalityId: m, email: person.email }, { ...period, basis: 'deadline', limit: 100 }, { total: false }));
        await time('verify', () => audit.verify(unitId));
        await time('duties per person', () => app.get(ChecklistService).dutiesPerPerson(m, unitId, period.from, period.to, false));
      }
    });
  } finally {
    await app.close();
    await db.stop();
  }
}
main().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
