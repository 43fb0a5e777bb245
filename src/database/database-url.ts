import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseEnvFile } from 'dotenv';
import { readSecretFiles } from '../config/app-config';
import { projectRoot } from '../config/project-root';
import { CONNECTION_FILE, embeddedPostgresUrl, readConnectionFile } from './embedded-postgres';

export interface FoundDatabase {
  url: string;
  /** How it was found, for messages: "DATABASE_URL" or the connection file's path. */
  source: string;
}

/**
 * Where tools beside the service (the CLI, TypeORM's CLI) find the database: DATABASE_URL; else the note the
 * running service left in DATA_DIR; else, as before that note existed, the embedded cluster's password with
 * EMBEDDED_PG_PORT. Reads only these three variables (and their defaults in config/<NODE_ENV>.env), not the
 * whole configuration: `npm run verify` in production needs no SESSION_SECRET.
 */
export function findDatabase(environment: NodeJS.ProcessEnv = process.env): FoundDatabase | undefined {
  const settings = settingsOf(environment);
  if (settings.DATABASE_URL) return { url: settings.DATABASE_URL, source: 'DATABASE_URL' };
  const dataDir = dataDirOf(environment);
  const note = readConnectionFile(dataDir);
  if (note) return { url: note.url, source: join(dataDir, CONNECTION_FILE) };
  const legacy = environment.EMBEDDED_PG_PORT ? embeddedPostgresUrl(dataDir, Number(environment.EMBEDDED_PG_PORT)) : undefined;
  return legacy ? { url: legacy, source: `${dataDir} and EMBEDDED_PG_PORT` } : undefined;
}

/** DATA_DIR as the service resolves it: relative to the project's folder. */
export function dataDirOf(environment: NodeJS.ProcessEnv = process.env): string {
  const dataDir = settingsOf(environment).DATA_DIR ?? './data';
  return isAbsolute(dataDir) ? dataDir : resolve(projectRoot(), dataDir);
}

function settingsOf(environment: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const file = join(projectRoot(), 'config', `${environment.NODE_ENV ?? 'development'}.env`);
  const defaults = existsSync(file) ? parseEnvFile(readFileSync(file)) : {};
  const merged: Record<string, string | undefined> = { ...defaults };
  for (const [key, value] of Object.entries(environment)) if (value) merged[key] = value;
  readSecretFiles(merged);
  return merged;
}

/** What to set when no database is found; the CLI prints it and exits 2. */
export function noDatabaseMessage(environment: NodeJS.ProcessEnv = process.env): string {
  const dataDir = dataDirOf(environment);
  return (
    `Cannot find Årshjul's database: there is no ${join(dataDir, CONNECTION_FILE)}, and DATABASE_URL is not set.\n` +
    `  - With the embedded PostgreSQL: start the service (npm start), and run this with the same DATA_DIR (now ${dataDir}).\n` +
    `  - With your own PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/arshjul (the schema's owner).`
  );
}

/** For TypeORM's CLI (src/database/data-source.ts): the database, or an error saying what to set. */
export function resolveDatabaseUrl(): string {
  const found = findDatabase();
  if (!found) throw new Error(noDatabaseMessage());
  return found.url;
}
