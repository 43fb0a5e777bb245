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
  /**
   * The service's own login, with only the rights of `arshjul_app`; DATABASE_URL stays the owner's, for
   * migrations. Without it the service provisions a login itself where the owner may create roles.
   */
  appDatabaseUrl?: string;
  /** The longest a statement of the service may run, and a transaction may sit idle; 0 = no limit. */
  statementTimeoutMs: number;
  /**
   * `session`: the connection carries the municipality (a pool of its own, or PgBouncer in session mode);
   * `transaction`: every statement runs in a transaction that carries it (PgBouncer in transaction mode).
   */
  databasePoolMode: 'session' | 'transaction';
  /** Streaming standbys to read from (ReadDatabase); the service's login is used on them. */
  databaseReadUrls: string[];
  /** A standby further behind the primary than this is not read from. */
  readMaxLagSeconds: number;
  embeddedPgPort: number;
  authMode: AuthMode;
  devTokenTtl: string;
  entra: {
    authorityHost: string;
    audience?: string;
    /** The web app's own registration (a confidential client) for browser sign-in; off when not set. */
    webClientId?: string;
    webClientSecret?: string;
  };
  demoData: boolean;
  logLevel: string;
  publicBaseUrl: string;
  rateLimit: {
    windowSeconds: number;
    perPerson: number;
    perIp: number;
  };
  /** How many proxies in front of the service to trust for the caller's address (X-Forwarded-For); 0: none. */
  trustProxy: number;
  /** Signs the web app's session cookies; made in DATA_DIR on first start outside production. */
  sessionSecret?: string;
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins: string[];
  /** The Teams personal tab's single sign-on (teams-sign-in.ts); off without a client id. */
  teams: {
    /** The Entra app registration of the tab (webApplicationInfo.id in the Teams manifest). */
    ssoClientId?: string;
    /** Its Application ID URI (webApplicationInfo.resource): api://<host>/<client id> unless set. */
    ssoAppIdUri?: string;
    /** Hosts that may frame Årshjul's pages (CSP frame-ancestors), and whose messages the tab's SDK accepts. */
    frameAncestors: string[];
  };
  reminders: {
    /** Plan and send reminders in this process (tests drive the passes themselves). */
    enabled: boolean;
    pollSeconds: number;
    maxAttempts: number;
    leaseSeconds: number;
  };
  mail: {
    transport: 'smtp' | 'graph' | 'log';
    smtpUrl?: string;
    from: string;
  };
  /** Prometheus metrics: GET /metrics to this bearer token, and/or a listener of their own on this port. */
  metrics: {
    token?: string;
    port?: number;
  };
  graph?: {
    baseUrl: string;
    /** Entra ID host that issues Graph's app tokens; by default that of GRAPH_BASE_URL's cloud (graph-cloud.ts). */
    authorityHost?: string;
    tenantId: string;
    clientId: string;
    clientSecret: string;
    /** The mailbox that sends mail through Graph (Mail.Send scoped to it). */
    sender?: string;
    /** The Teams app's id, for activity notifications. */
    teamsAppId?: string;
  };
  /**
   * An RFC 3161 time-stamping authority that stamps each night's chain heads; off when not set. The
   * certificate file holds the authority's certificate or the CA that issued it (PEM), trusted for its tokens.
   */
  timeStamping?: {
    url: string;
    certFile: string;
    timeoutMs: number;
  };
  /** Trusted for verifying kept time stamps even where none are requested (TSA_CERT_FILE alone). */
  tsaCertFile?: string;
}

/** Microsoft's documented hosts of Teams tabs (Teams, Microsoft 365, Outlook on the web: "Tab requirements"). */
const DEFAULT_FRAME_ANCESTORS = [
  'https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.cloud.microsoft',
  'https://*.microsoft365.com', 'https://*.office.com', 'https://outlook.office.com', 'https://outlook.office365.com',
].join(' ');

const TRUST_PROXY_MESSAGE = 'TRUST_PROXY must be the number of proxies in front of Årshjul (0 to 10), or false for none';

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).required()
    .messages({ 'number.base': 'PORT must be a TCP port number (0-65535), for example 3000' }),
  HOST: Joi.string().hostname().required(),
  DATA_DIR: Joi.string().required(),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] })
    .messages({ 'string.uriCustomScheme': 'DATABASE_URL must look like postgres://user:password@host:5432/database' }),
  APP_DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] })
    .messages({ 'string.uriCustomScheme': 'APP_DATABASE_URL must look like postgres://arshjul_service:password@host:5432/database' }),
  DATABASE_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(0).max(3_600_000).default(15_000)
    .messages({ 'number.base': 'DATABASE_STATEMENT_TIMEOUT_MS must be a number of milliseconds, for example 15000 (0 = no limit)' }),
  DATABASE_POOL_MODE: Joi.string().valid('session', 'transaction').default('session')
    .messages({ 'any.only': 'DATABASE_POOL_MODE must be "session" or "transaction" (PgBouncer pool_mode = transaction)' }),
  DATABASE_READ_URLS: Joi.string().custom((value: string, helpers) => {
    for (const url of value.split(',').map((u) => u.trim()).filter(Boolean)) {
      if (!/^postgres(ql)?:\/\/[^/\s]+/.test(url)) return helpers.message({ custom: `DATABASE_READ_URLS must be comma-separated addresses like postgres://standby:5432/arshjul, not "${url.replace(/:[^:@/]*@/, ':…@')}"` });
    }
    return value;
  }),
  READ_MAX_LAG_SECONDS: Joi.number().min(0.1).max(3600).default(5)
    .messages({ 'number.base': 'READ_MAX_LAG_SECONDS must be a number of seconds, for example 5' }),
  EMBEDDED_PG_PORT: Joi.number().integer().min(1).max(65535).default(54329),
  AUTH_MODE: Joi.string().valid('development', 'entra').required()
    .when('NODE_ENV', { is: 'production', then: Joi.valid(Joi.override, 'entra').messages({ 'any.only': 'AUTH_MODE must be "entra" in production: development tokens are refused there' }) }),
  DEV_TOKEN_TTL: Joi.string().pattern(/^\d+[smhd]$/).default('12h')
    .messages({ 'string.pattern.base': 'DEV_TOKEN_TTL must be a duration such as 30m, 12h or 7d' }),
  ENTRA_AUTHORITY_HOST: Joi.string().uri({ scheme: ['https', 'http'] }).default('https://login.microsoftonline.com'),
  ENTRA_AUDIENCE: Joi.string().when('AUTH_MODE', { is: 'entra', then: Joi.required() })
    .messages({ 'any.required': 'ENTRA_AUDIENCE is required when AUTH_MODE=entra (the Application ID URI or client id of the Årshjul API)' }),
  ENTRA_WEB_CLIENT_ID: Joi.string(),
  ENTRA_WEB_CLIENT_SECRET: Joi.string().when('ENTRA_WEB_CLIENT_ID', { is: Joi.exist(), then: Joi.required() })
    .messages({ 'any.required': 'ENTRA_WEB_CLIENT_SECRET is required with ENTRA_WEB_CLIENT_ID' }),
  DEMO_DATA: Joi.boolean().truthy('1').falsy('0').default(false),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  RATE_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).max(3600).default(10),
  RATE_LIMIT_PER_PERSON: Joi.number().integer().min(1).default(100),
  RATE_LIMIT_PER_IP: Joi.number().integer().min(1).default(300),
  TRUST_PROXY: Joi.alternatives().try(Joi.number().integer().min(0).max(10), Joi.boolean().valid(false)).default(0)
    .messages({ 'alternatives.types': TRUST_PROXY_MESSAGE, 'alternatives.match': TRUST_PROXY_MESSAGE }),
  SESSION_SECRET: Joi.string().min(32).when('NODE_ENV', { is: 'production', then: Joi.required() })
    .messages({ 'any.required': 'SESSION_SECRET is required in production: 32 or more random characters that sign session cookies', 'string.min': 'SESSION_SECRET must be at least 32 characters' }),
  CORS_ORIGINS: Joi.string().allow('').default('')
    .pattern(/^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/)
    .messages({ 'string.pattern.base': 'CORS_ORIGINS must be a comma-separated list of origins such as https://arshjul.kommune.no' }),
  TEAMS_SSO_CLIENT_ID: Joi.string().guid()
    .messages({ 'string.guid': 'TEAMS_SSO_CLIENT_ID must be the application (client) id of the Teams tab\'s Entra app registration (a GUID)' }),
  TEAMS_SSO_APP_ID_URI: Joi.string().pattern(/^api:\/\/\S+$/)
    .messages({ 'string.pattern.base': 'TEAMS_SSO_APP_ID_URI must be the Application ID URI, such as api://arshjul.kommune.no/<client id>' }),
  TEAMS_FRAME_ANCESTORS: Joi.string().default(DEFAULT_FRAME_ANCESTORS)
    .pattern(/^https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?(\s+https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?)*$/i)
    .messages({ 'string.pattern.base': 'TEAMS_FRAME_ANCESTORS must be space-separated https origins, a leading *. allowed, such as https://teams.microsoft.com https://*.cloud.microsoft' }),
  REMINDERS_ENABLED: Joi.boolean().truthy('1').falsy('0').default(true),
  REMINDER_POLL_SECONDS: Joi.number().integer().min(5).max(3600).default(30),
  REMINDER_MAX_ATTEMPTS: Joi.number().integer().min(1).max(50).default(8),
  REMINDER_LEASE_SECONDS: Joi.number().integer().min(10).max(3600).default(120),
  SMTP_URL: Joi.string().uri({ scheme: ['smtp', 'smtps'] })
    .messages({ 'string.uriCustomScheme': 'SMTP_URL must look like smtp://user:password@host:587 (or smtps://…:465)' }),
  MAIL_FROM: Joi.string().default('Årshjul <arshjul@localhost>'),
  MAIL_TRANSPORT: Joi.string().valid('smtp', 'graph', 'log')
    .messages({ 'any.only': 'MAIL_TRANSPORT must be smtp, graph or log' }),
  GRAPH_BASE_URL: Joi.string().uri({ scheme: ['https', 'http'] }).default('https://graph.microsoft.com/v1.0'),
  GRAPH_AUTHORITY_HOST: Joi.string().uri({ scheme: ['https', 'http'] }),
  GRAPH_TENANT_ID: Joi.string(),
  GRAPH_CLIENT_ID: Joi.string().when('GRAPH_TENANT_ID', { is: Joi.exist(), then: Joi.required() }),
  GRAPH_CLIENT_SECRET: Joi.string().when('GRAPH_TENANT_ID', { is: Joi.exist(), then: Joi.required() }),
  GRAPH_SENDER: Joi.string(),
  TEAMS_APP_ID: Joi.string(),
  TSA_URL: Joi.string().uri({ scheme: ['https', 'http'] })
    .messages({ 'string.uriCustomScheme': 'TSA_URL must be the http(s) address of an RFC 3161 time-stamping authority' }),
  TSA_CERT_FILE: Joi.string().when('TSA_URL', { is: Joi.exist(), then: Joi.required() })
    .messages({ 'any.required': 'TSA_CERT_FILE is required with TSA_URL: the PEM certificate of the authority, or of the CA that issued it' }),
  TSA_TIMEOUT_MS: Joi.number().integer().min(100).max(120_000).default(10_000)
    .messages({ 'number.base': 'TSA_TIMEOUT_MS must be a number of milliseconds, for example 10000' }),
  METRICS_TOKEN: Joi.string().min(16)
    .messages({ 'string.min': 'METRICS_TOKEN must be at least 16 characters (Prometheus sends it as a bearer token)' }),
  METRICS_PORT: Joi.number().integer().min(0).max(65535)
    .messages({ 'number.base': 'METRICS_PORT must be a TCP port number (0-65535), for example 9464' }),
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }).required()
    .messages({ 'any.required': 'PUBLIC_BASE_URL is required: the address people use to reach Årshjul, used in links in reminders' }),
})
  .custom((v, helpers) => {
    if (v.APP_DATABASE_URL && !v.DATABASE_URL) {
      return helpers.message({ custom: 'APP_DATABASE_URL needs DATABASE_URL (the owner, for migrations); with the embedded PostgreSQL the service makes its own login' });
    }
    if (v.APP_DATABASE_URL && v.DATABASE_URL && new URL(v.APP_DATABASE_URL).username === new URL(v.DATABASE_URL).username) {
      return helpers.message({ custom: 'APP_DATABASE_URL must name another user than DATABASE_URL: the service\'s own login, not the owner' });
    }
    if (v.MAIL_TRANSPORT === 'smtp' && !v.SMTP_URL) return helpers.message({ custom: 'SMTP_URL is required when MAIL_TRANSPORT=smtp' });
    if (v.MAIL_TRANSPORT === 'graph' && !(v.GRAPH_TENANT_ID && v.GRAPH_SENDER)) {
      return helpers.message({ custom: 'GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and GRAPH_SENDER are required when MAIL_TRANSPORT=graph' });
    }
    return v;
  })
  .unknown(true);

/** Settings that are secrets, and so may come from a file (Docker or Kubernetes secrets) named by NAME_FILE. */
const SECRETS = ['DATABASE_URL', 'DATABASE_PASSWORD', 'APP_DATABASE_URL', 'DATABASE_READ_URLS', 'SESSION_SECRET', 'ENTRA_WEB_CLIENT_SECRET', 'GRAPH_CLIENT_SECRET', 'METRICS_TOKEN', 'SMTP_URL'];

/**
 * Fills each secret from NAME_FILE when NAME itself is not set, and puts DATABASE_PASSWORD into a DATABASE_URL
 * that names none, so a compose file or manifest holds no password. Changes `settings` in place.
 */
export function readSecretFiles(settings: Record<string, string | undefined>): void {
  for (const name of SECRETS) {
    const file = settings[`${name}_FILE`];
    if (!file || settings[name]) continue;
    try {
      settings[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError([`${name}_FILE names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  }
  if (settings.DATABASE_PASSWORD && settings.DATABASE_URL) {
    try {
      const url = new URL(settings.DATABASE_URL);
      if (!url.password) {
        url.password = encodeURIComponent(settings.DATABASE_PASSWORD);
        settings.DATABASE_URL = url.toString();
      }
    } catch {
      // left for the schema to name DATABASE_URL as malformed
    }
  }
}

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
  readSecretFiles(merged);

  const { value, error } = schema.validate(merged, { abortEarly: false, convert: true });
  if (error) throw new ConfigError(error.details.map((d) => d.message.replace(/^"(\w+)"/, '$1')));

  const dataDir = isAbsolute(value.DATA_DIR) ? value.DATA_DIR : resolve(root, value.DATA_DIR);
  return {
    env: value.NODE_ENV,
    port: value.PORT,
    host: value.HOST,
    dataDir,
    databaseUrl: value.DATABASE_URL,
    appDatabaseUrl: value.APP_DATABASE_URL,
    statementTimeoutMs: value.DATABASE_STATEMENT_TIMEOUT_MS,
    databasePoolMode: value.DATABASE_POOL_MODE,
    databaseReadUrls: (value.DATABASE_READ_URLS ?? '').split(',').map((u: string) => u.trim()).filter(Boolean),
    readMaxLagSeconds: value.READ_MAX_LAG_SECONDS,
    embeddedPgPort: value.EMBEDDED_PG_PORT,
    authMode: value.AUTH_MODE,
    devTokenTtl: value.DEV_TOKEN_TTL,
    entra: {
      authorityHost: value.ENTRA_AUTHORITY_HOST.replace(/\/$/, ''),
      audience: value.ENTRA_AUDIENCE,
      webClientId: value.ENTRA_WEB_CLIENT_ID,
      webClientSecret: value.ENTRA_WEB_CLIENT_SECRET,
    },
    demoData: value.DEMO_DATA,
    logLevel: value.LOG_LEVEL,
    publicBaseUrl: value.PUBLIC_BASE_URL.replace(/\/$/, ''),
    rateLimit: {
      windowSeconds: value.RATE_LIMIT_WINDOW_SECONDS,
      perPerson: value.RATE_LIMIT_PER_PERSON,
      perIp: value.RATE_LIMIT_PER_IP,
    },
    trustProxy: value.TRUST_PROXY === false ? 0 : value.TRUST_PROXY,
    sessionSecret: value.SESSION_SECRET,
    corsOrigins: value.CORS_ORIGINS ? String(value.CORS_ORIGINS).split(',') : [],
    teams: {
      ssoClientId: value.TEAMS_SSO_CLIENT_ID,
      ssoAppIdUri:
        value.TEAMS_SSO_APP_ID_URI ?? (value.TEAMS_SSO_CLIENT_ID ? `api://${new URL(value.PUBLIC_BASE_URL).host}/${value.TEAMS_SSO_CLIENT_ID}` : undefined),
      frameAncestors: String(value.TEAMS_FRAME_ANCESTORS).trim().split(/\s+/),
    },
    reminders: {
      enabled: value.REMINDERS_ENABLED,
      pollSeconds: value.REMINDER_POLL_SECONDS,
      maxAttempts: value.REMINDER_MAX_ATTEMPTS,
      leaseSeconds: value.REMINDER_LEASE_SECONDS,
    },
    mail: {
      transport: value.MAIL_TRANSPORT ?? (value.SMTP_URL ? 'smtp' : 'log'),
      smtpUrl: value.SMTP_URL,
      from: value.MAIL_FROM,
    },
    metrics: { token: value.METRICS_TOKEN, port: value.METRICS_PORT },
    graph: value.GRAPH_TENANT_ID
      ? {
          baseUrl: value.GRAPH_BASE_URL.replace(/\/$/, ''),
          authorityHost: value.GRAPH_AUTHORITY_HOST?.replace(/\/$/, ''),
          tenantId: value.GRAPH_TENANT_ID,
          clientId: value.GRAPH_CLIENT_ID,
          clientSecret: value.GRAPH_CLIENT_SECRET,
          sender: value.GRAPH_SENDER,
          teamsAppId: value.TEAMS_APP_ID,
        }
      : undefined,
    timeStamping: value.TSA_URL ? { url: value.TSA_URL, certFile: resolve(root, value.TSA_CERT_FILE), timeoutMs: value.TSA_TIMEOUT_MS } : undefined,
    tsaCertFile: value.TSA_CERT_FILE ? resolve(root, value.TSA_CERT_FILE) : undefined,
  };
}
