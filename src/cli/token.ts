import 'reflect-metadata';
import { KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readDevSigningKey } from '../auth/dev-signing-key';
import { DevTokens } from '../auth/dev-tokens';
import { loadConfig } from '../config/app-config';
import { connect } from './database';

/**
 * npm run --silent token -- --email leder@demo.kommune.no [--municipality "Demo kommune"]
 * Prints a development sign-in token for a person in the database, and nothing else.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, municipality: { type: 'string' } } });
  if (!values.email) fail('Usage: npm run --silent token -- --email <email> [--municipality <name>]');
  const config = loadConfig();
  if (config.authMode !== 'development') fail('Development tokens are off (AUTH_MODE is not "development"). Sign in with Entra ID.');

  const client = await connect();
  try {
    const { rows } = await client.query(
      `SELECT p.id, p.municipality_id, p.email, m.name AS municipality
         FROM person p JOIN municipality m ON m.id = p.municipality_id
        WHERE lower(p.email) = lower($1) AND p.archived_at IS NULL AND ($2::text IS NULL OR m.name = $2)`,
      [values.email, values.municipality ?? null],
    );
    if (rows.length === 0) fail(`No active person with e-mail ${values.email}.`);
    if (rows.length > 1) fail(`${values.email} exists in several municipalities; add --municipality "<name>".`);
    const tokens = new DevTokens((await readDevSigningKey(config.dataDir)) as KeyObject, config.devTokenTtl);
    const token = await tokens.issue({ personId: rows[0].id, municipalityId: rows[0].municipality_id, email: rows[0].email });
    process.stdout.write(token + '\n');
  } finally {
    await client.end();
  }
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(1);
}

main().catch((error) => fail(String(error instanceof Error ? error.message : error)));
