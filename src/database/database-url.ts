import { loadConfig } from '../config/app-config';
import { embeddedPostgresUrl } from './embedded-postgres';

/**
 * Where command-line tools find the database: DATABASE_URL, or the embedded PostgreSQL of a service that
 * is running with the same DATA_DIR.
 */
export function resolveDatabaseUrl(): string {
  const config = loadConfig();
  const url = config.databaseUrl ?? embeddedPostgresUrl(config.dataDir, config.embeddedPgPort);
  if (!url) throw new Error(`No database: set DATABASE_URL, or start the service once (npm start) so ${config.dataDir} holds its PostgreSQL.`);
  return url;
}
