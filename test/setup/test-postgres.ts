import { Client } from 'pg';

/** Set by the global setup; every test worker inherits it. Points at the maintenance database. */
export const ADMIN_URL_VARIABLE = 'ARSHJUL_TEST_ADMIN_URL';
/** Migrated and loaded with the demo data once; each test file copies it into a database of its own. */
export const TEMPLATE_DATABASE = 'arshjul_test_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
