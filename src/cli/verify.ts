import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { verifyUnit } from '../records/chain-verification';
import { loadConfig } from '../config/app-config';
import { resolveDatabaseUrl } from '../database/database-url';
import { loadTimeStampTrust } from '../records/heads/time-stamp';

/**
 * npm run verify -- --unit <unit id>
 * Walks the unit's hash chain straight from the database and names every record that was altered, removed
 * or inserted out of order, every head noted for the unit (nightly) that its chain no longer has, with the
 * time stamps over them checked against TSA_CERT_FILE when set, and every occurrence whose standing (what
 * the compliance report counts) disagrees with its records. Exits 0 when all holds, 1 when it does not.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { unit: { type: 'string' } } });
  if (!values.unit || !/^[0-9a-f-]{36}$/i.test(values.unit)) fail('Usage: npm run verify -- --unit <unit id>');
  const config = loadConfig();
  const trust = config.tsaCertFile ? loadTimeStampTrust(config.tsaCertFile) : null;
  const client = new Client({ connectionString: resolveDatabaseUrl() });
  await client.connect().catch(() => fail('Cannot reach the database. Is the service running (npm start), or DATABASE_URL set?'));
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

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
}

main().catch((error) => fail(String(error instanceof Error ? error.message : error)));
