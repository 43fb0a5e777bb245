import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseEnvFile } from 'dotenv';
import Joi from 'joi';
import { projectRoot } from './project-root';

export type Environment = 'development' | 'test' | 'production';
export type AuthMode = 'development' | 'entra';

/** Every setting the service reads, validated once at boot. Nothing else reads process.env. */
export interface AppConfig {
  env: Environment;
  port: number;
  host: string;
  dataDir: string;
  /** When set, this PostgreSQL is used and no embedded one is started. */
  databaseUrl?: string;
  embeddedPgPort: number;
  authMode: AuthMode;
  devTokenTtl: string;
  entra: {
    authorityHost: string;
    audience?: string;
  };
  demoData: boolean;
  logLevel: string;
  publicBaseUrl: string;
}

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).required()
    .messages({ 'number.base': 'PORT must be a TCP port number (0-65535), for example 3000' }),
  HOST: Joi.string().hostname().required(),
  DATA_DIR: Joi.string().required(),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] })
    .messages({ 'string.uriCustomScheme': 'DATABASE_URL must look like postgres://user:password@host:5432/database' }),
  EMBEDDED_PG_PORT: Joi.number().integer().min(1).max(65535).default(54329),
  AUTH_MODE: Joi.string().valid('development', 'entra').required()
    .when('NODE_ENV', { is: 'production', then: Joi.valid(Joi.override, 'entra').messages({ 'any.only': 'AUTH_MODE must be "entra" in production: development tokens are refused there' }) }),
  DEV_TOKEN_TTL: Joi.string().pattern(/^\d+[smhd]$/).default('12h')
    .messages({ 'string.pattern.base': 'DEV_TOKEN_TTL must be a duration such as 30m, 12h or 7d' }),
  ENTRA_AUTHORITY_HOST: Joi.string().uri({ scheme: ['https', 'http'] }).default('https://login.microsoftonline.com'),
  ENTRA_AUDIENCE: Joi.string().when('AUTH_MODE', { is: 'entra', then: Joi.required() })
    .messages({ 'any.required': 'ENTRA_AUDIENCE is required when AUTH_MODE=entra (the Application ID URI or client id of the Årshjul API)' }),
  DEMO_DATA: Joi.boolean().truthy('1').falsy('0').default(false),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }).required()
    .messages({ 'any.required': 'PUBLIC_BASE_URL is required: the address people use to reach Årshjul, used in links in reminders' }),
}).unknown(true);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads `config/<NODE_ENV>.env` as defaults, lets the real environment override them, and validates
 * the result. A bad or missing variable throws a ConfigError naming it; main() prints it and exits.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const root = projectRoot();
  const envName = environment.NODE_ENV ?? 'development';
  const defaultsFile = join(root, 'config', `${envName}.env`);
  const defaults = existsSync(defaultsFile) ? parseEnvFile(readFileSync(defaultsFile)) : {};
  const merged: Record<string, string | undefined> = { ...defaults, ...environment, NODE_ENV: envName };
  // An empty variable means "not set", as in most shells' `VAR= command`.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];

  const { value, error } = schema.validate(merged, { abortEarly: false, convert: true });
  if (error) throw new ConfigError(error.details.map((d) => d.message.replace(/^"(\w+)"/, '$1')));

  const dataDir = isAbsolute(value.DATA_DIR) ? value.DATA_DIR : resolve(root, value.DATA_DIR);
  return {
    env: value.NODE_ENV,
    port: value.PORT,
    host: value.HOST,
    dataDir,
    databaseUrl: value.DATABASE_URL,
    embeddedPgPort: value.EMBEDDED_PG_PORT,
    authMode: value.AUTH_MODE,
    devTokenTtl: value.DEV_TOKEN_TTL,
    entra: { authorityHost: value.ENTRA_AUTHORITY_HOST.replace(/\/$/, ''), audience: value.ENTRA_AUDIENCE },
    demoData: value.DEMO_DATA,
    logLevel: value.LOG_LEVEL,
    publicBaseUrl: value.PUBLIC_BASE_URL.replace(/\/$/, ''),
  };
}
