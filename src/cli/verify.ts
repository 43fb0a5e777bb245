import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { FETCH_RECORDS_SQL, verifyChain } from '../records/chain-verification';
import { resolveDatabaseUrl } from '../database/database-url';

/**
 * npm run verify -- --unit <unit id>
 * Walks the unit's hash chain straight from the database and names the first record that was altered,
 * removed or inserted out of order. Exits 0 when the chain holds, 1 when it does not.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { unit: { type: 'string' } } });
  if (!values.unit || !/^[0-9a-f-]{36}$/i.test(values.unit)) fail('Usage: npm run verify -- --unit <unit id>');
  const client = new Client({ connectionString: resolveDatabaseUrl() });
  await client.connect().catch(() => fail('Cannot reach the database. Is the service running (npm start), or DATABASE_URL set?'));
  try {
    const report = await verifyChain(values.unit, async (after, limit) => (await client.query(FETCH_RECORDS_SQL, [values.unit, after, limit])).rows);
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    if (!report.valid) {
      process.stderr.write(`The chain of unit ${report.unitId} is broken: ${report.firstProblem!.detail} (record ${report.firstProblem!.recordId}).\n`);
      process.exitCode = 1;
    }
  } finally {
    await client.end();
  }
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(2);
}

main().catch((error) => fail(String(error instanceof Error ? error.message : error)));
