import { Client } from 'pg';
import { findDatabase, noDatabaseMessage } from '../database/database-url';

/** Exit codes shared by the command-line tools: 1 for "ran, and the answer is no", 2 for "could not run". */
export const EXIT_USAGE = 2;

export function fail(message: string, code = EXIT_USAGE): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

/** The running service's database, from DATABASE_URL or DATA_DIR's note; otherwise says what to set, and exits 2. */
export function databaseUrl(): string {
  const found = findDatabase();
  if (!found) fail(noDatabaseMessage());
  return found.url;
}

/** A connected client, or exit 2 with where the address came from and what to check. */
export async function connect(): Promise<Client> {
  const found = findDatabase();
  if (!found) fail(noDatabaseMessage());
  const client = new Client({ connectionString: found.url });
  await client.connect().catch((error: Error) =>
    fail(`Cannot reach the database named by ${found.source} (${error.message}). Is the service running (npm start), or DATABASE_URL right?`),
  );
  return client;
}
