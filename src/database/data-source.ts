import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { embeddedPostgresUrl } from './embedded-postgres';
import { typeOrmOptions } from './typeorm-options';

/**
 * The DataSource for the TypeORM CLI (`npm run migration:generate`, `migration:run`, `migration:revert`).
 * It talks to DATABASE_URL, or to the embedded PostgreSQL of a service that is running.
 */
export function resolveDatabaseUrl(): string {
  const config = loadConfig();
  const url = config.databaseUrl ?? embeddedPostgresUrl(config.dataDir, config.embeddedPgPort);
  if (!url) throw new Error(`No database: set DATABASE_URL, or start the service once (npm start) so ${config.dataDir} holds its PostgreSQL.`);
  return url;
}

export default new DataSource({ ...typeOrmOptions(resolveDatabaseUrl()), migrationsRun: false });
