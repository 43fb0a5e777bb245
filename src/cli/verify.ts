import { parseArgs } from 'node:util';
import { verifyUnit } from '../records/chain-verification';
import { loadTimeStampTrust, TimeStampTrust } from '../records/heads/time-stamp';
import { connect } from './database';

/**
 * npm run verify -- --unit <unit id>
 * npm run verify -- --all      (every unit of every municipality, a line each: after a restore)
 * Walks the unit's hash chain straight from the database and names every record that was altered, removed
 * or inserted out of order, every head noted for the unit (nightly) that its chain no longer has, with the
 * time stamps over them checked against TSA_CERT_FILE when set, and every occurrence whose standing (what
 * the compliance report counts) disagrees with its records. Exits 0 when all holds, 1 when it does not.
 *
 * Always full: from the first record, whatever verified checkpoints the service keeps (the page and the API
 * without `full` start from those). It writes nothing, so it runs against a restored copy or a standby too.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { unit: { type: 'string' }, all: { type: 'boolean', default: false } } });
  if (values.all && !values.unit) return verifyAll();
  if (!values.unit || !/^[0-9a-f-]{36}$/i.test(values.unit)) fail('Usage: npm run verify -- --unit <unit id>   or   npm run verify -- --all');
  const client = await connect();
  const trust = timeStampTrust();
  try {
    const report = await verifyUnit(values.unit, async (sql, parameters) => (await client.query(sql, parameters)).rows, trust);
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    if (report.problemCount > 0) {
      process.stderr.write(`The chain of unit ${report.unitId} is broken in ${report.problemCount} place(s):\n`);
      for (const p of report.problems) process.stderr.write(`  ${p.problem}: ${p.detail} (record ${p.recordId})\n`);
    }
    if (report.headProblemCount > 0) {
      process.stderr.write(`The chain of unit ${report.unitId} no longer holds ${report.headProblemCount} head(s) noted for it before:\n`);
      for (const h of report.headProblems) process.stderr.write(`  ${h.problem}: ${h.detail}\n`);
    }
    if (report.standingProblemCount > 0) {
      process.stderr.write(`${report.standingProblemCount} occurrence(s) of unit ${report.unitId} disagree with their records:\n`);
      for (const s of report.standingProblems) process.stderr.write(`  ${s.detail} (occurrence ${s.occurrenceId})\n`);
    }
    if (!report.valid) process.exitCode = 1;
  } finally {
    await client.end();
  }
}

/** Every unit's chain, municipality by municipality: a line per unit, exit 1 if any fails. */
async function verifyAll(): Promise<void> {
  const client = await connect();
  const trust = timeStampTrust();
  try {
    const units: Array<{ id: string; name: string; municipality: string }> = (
      await client.query(`SELECT u.id, u.name, m.name AS municipality FROM unit u JOIN municipality m ON m.id = u.municipality_id ORDER BY m.name, u.name, u.id`)
    ).rows;
    let failed = 0;
    for (const unit of units) {
      const report = await verifyUnit(unit.id, async (sql, parameters) => (await client.query(sql, parameters)).rows, trust);
      const where = `${unit.municipality} / ${unit.name} (${unit.id})`;
      if (report.valid) {
        process.stdout.write(`ok      ${where}: ${report.records} record(s)\n`);
        continue;
      }
      failed++;
      const first = report.firstProblem ? `; first: ${report.firstProblem.problem}: ${report.firstProblem.detail}` : '';
      process.stdout.write(
        `FAILED  ${where}: ${report.problemCount} chain problem(s), ${report.standingProblemCount} occurrence(s) disagreeing, ${report.headProblemCount} noted head(s) not held${first}\n`,
      );
    }
    process.stdout.write(`${units.length} unit(s) checked, ${failed} failed.\n`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    await client.end();
  }
}

/** The time-stamping authority's certificate to check tokens against (TSA_CERT_FILE), read without the service's other settings. */
function timeStampTrust(): TimeStampTrust | null {
  return process.env.TSA_CERT_FILE ? loadTimeStampTrust(process.env.TSA_CERT_FILE) : null;
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
}

main().catch((error) => fail(String(error instanceof Error ? error.message : error)));
