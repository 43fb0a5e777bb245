import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openMigrated } from '../database/migration-lock';
import { MunicipalitySetup, setUpMunicipality, SetupConflict, setupInputFault } from '../organisation/municipality-setup';
import { databaseUrl, fail } from './database';

const USAGE =
  'Usage: npm run setup -- --municipality "Bergen kommune" --tenant <Entra tenant id> --admin <e-mail> ' +
  '[--name "<administrator\'s name>"] [--time-zone Europe/Oslo] [--library]';

/**
 * npm run setup -- --municipality "Bergen kommune" --tenant <tenant id> --admin <e-mail> [--time-zone …] [--library]
 * A new municipality and its first administrator, who then signs in and builds the unit tree. Runs the
 * migrations first (a fresh DATABASE_URL works). Again with the same values it changes nothing and says so;
 * values that contradict what is there change nothing and exit 1. Exit 2: a usage or connection problem.
 */
async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        municipality: { type: 'string' },
        tenant: { type: 'string' },
        admin: { type: 'string' },
        name: { type: 'string' },
        'time-zone': { type: 'string' },
        library: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.municipality || !values.tenant || !values.admin) fail(USAGE);
  const request: MunicipalitySetup = {
    municipality: values.municipality,
    tenantId: values.tenant,
    adminEmail: values.admin,
    adminName: values.name,
    timeZone: values['time-zone'],
    library: values.library ?? false,
  };
  const fault = setupInputFault(request);
  if (fault) fail(`${fault}\n${USAGE}`);

  const dataSource = await openMigrated(databaseUrl(), { logging: false }).catch((error: Error) => fail(`Cannot open the database: ${error.message}`));
  try {
    const outcome = await dataSource.transaction((tx) => setUpMunicipality(tx, request));
    if (outcome.changes.length === 0) {
      process.stdout.write(`Nothing to do: "${request.municipality}" is already set up as asked, with ${request.adminEmail} as administrator.\n`);
    } else {
      for (const change of outcome.changes) process.stdout.write(`- ${change}\n`);
      process.stdout.write(`${request.adminEmail} can now sign in and build the unit tree under Administrasjon.\n`);
    }
  } catch (error) {
    if (error instanceof SetupConflict) fail(error.message, 1);
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => fail(String(error instanceof Error ? error.message : error)));
