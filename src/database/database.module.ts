import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AppConfig } from '../config/app-config';
import { APP_ROLE } from './migrations/1764489600000-AppRole';
import { SERVICE_LOGIN } from './migrations/1764921600000-ServiceLoginRole';
import { openMigrated } from './migration-lock';
import { noteWrite, ReadDatabase, Standby } from './read-database';
import { TaggingOptions, tagConnectionsWithTenant } from './tenant-tagging';
import { typeOrmOptions } from './typeorm-options';

const log = new Logger('Database');

/** How the service connects for its work: a URL, and a role to SET only when there is no login of its own. */
interface ServiceConnection {
  url: string;
  setRole?: string;
}

/**
 * Runs pending migrations as the database user given (the schema's owner), then chooses the login the
 * service works as: APP_DATABASE_URL; else `arshjul_service`, whose password the owner sets now, derived
 * from the owner's own (so every process on one database agrees on it, and it is never stored); else,
 * where the owner may not create roles, the owner itself acting as `arshjul_app` (SET ROLE) — which a
 * `RESET ROLE` undoes, so production refuses that.
 */
async function migrateAndConnect(ownerUrl: string, config: AppConfig): Promise<ServiceConnection> {
  const owner = await openMigrated(ownerUrl);
  try {
    if (config.appDatabaseUrl) return { url: config.appDatabaseUrl };
    const url = new URL(ownerUrl);
    const [row] = await owner.query(
      `SELECT (r.rolsuper OR r.rolcreaterole) AND l.oid IS NOT NULL AS can_provision,
              pg_has_role(current_user, a.oid, 'MEMBER') AS can_set_role
         FROM pg_roles r LEFT JOIN pg_roles l ON l.rolname = $1 LEFT JOIN pg_roles a ON a.rolname = $2
        WHERE r.rolname = current_user`,
      [SERVICE_LOGIN, APP_ROLE],
    );
    // The login's password is derived from a secret every replica shares: the owner's password, or, where the
    // owner connects without one (trust or peer authentication, as in a container next to its database), the
    // session secret, which production requires and which must be the same on every replica anyway.
    const secret = url.password ? decodeURIComponent(url.password) : config.sessionSecret;
    if (row.can_provision && secret) {
      const password = createHmac('sha256', secret).update(`${SERVICE_LOGIN} login`).digest('base64url');
      await owner.query(`ALTER ROLE ${SERVICE_LOGIN} PASSWORD '${scramVerifier(password, secret)}'`).catch((error: Error) => {
        // Replicas (and test files) booting at once set the same password; one of them may lose the race.
        if (!/tuple concurrently updated/.test(error.message)) throw error;
      });
      url.username = SERVICE_LOGIN;
      url.password = encodeURIComponent(password);
      return { url: url.toString() };
    }
    const missing = `the service has no database login of its own: set APP_DATABASE_URL to a login that holds only ${APP_ROLE}'s rights (README, "Access and hardening")`;
    if (config.env === 'production') throw new Error(`Årshjul will not run as the schema's owner in production: ${missing}`);
    log.warn(`Running as the schema's owner${row.can_set_role ? ` acting as ${APP_ROLE}` : ''}: ${missing}`);
    return { url: ownerUrl, setRole: row.can_set_role ? APP_ROLE : undefined };
  } finally {
    await owner.destroy();
  }
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL would store for `password` (RFC 5802, RFC 7677), with a salt derived from
 * the same shared secret instead of a random one: every replica's boot then stores the very same verifier, so a
 * pooler that looked it up (PgBouncer's auth_query) is never left holding keys a later boot replaced.
 */
export function scramVerifier(password: string, secret: string): string {
  const iterations = 4096;
  const salt = createHmac('sha256', secret).update(`${SERVICE_LOGIN} salt`).digest().subarray(0, 16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A login that could undo row-level security or the append-only records is refused in production. */
async function assertServiceRights(dataSource: DataSource, config: AppConfig): Promise<void> {
  const [login] = await dataSource.query(
    `SELECT session_user AS name, rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb AS powerful FROM pg_roles WHERE rolname = session_user`,
  );
  if (!login.powerful) return;
  const problem = `The service's database login ${login.name} is a superuser or may bypass row-level security, create roles or databases: give it only ${APP_ROLE}'s rights (APP_DATABASE_URL)`;
  if (config.env === 'production') throw new Error(problem);
  log.warn(problem);
}

/** Session settings of every connection the service works on (session mode; see tenant-tagging.ts). */
function sessionOptions(config: AppConfig, setRole?: string): string | undefined {
  // Behind a transaction pooler the session is not ours: the timeouts and role travel with each transaction.
  if (config.databasePoolMode === 'transaction') return undefined;
  const timeout = String(config.statementTimeoutMs);
  return [
    // No statement runs, and no transaction sits open, longer than this: a request cannot hold a connection
    // (and its locks) for minutes. A statement stopped by it is answered 503 (ProblemDetailsFilter).
    `-c statement_timeout=${timeout}`,
    `-c idle_in_transaction_session_timeout=${timeout}`,
    ...(setRole ? [`-c role=${setRole}`] : []),
  ].join(' ');
}

/**
 * A standby's address with the service's login on it: the standby replicates the primary's roles and
 * passwords, so the login (and the password derived in migrateAndConnect) is the same. An address that
 * names a user of its own keeps it (a login made for reading, say) and is held to the same rights.
 */
function readUrl(standbyUrl: string, serviceUrl: string): URL {
  const url = new URL(standbyUrl);
  if (!url.username) {
    const service = new URL(serviceUrl);
    url.username = service.username;
    url.password = service.password;
  }
  return url;
}

function standbysOf(config: AppConfig, primary: DataSource, setRole?: string): Standby[] {
  const options = primary.options as PostgresConnectionOptions;
  const extra = options.extra as { options?: string };
  return config.databaseReadUrls.map((address) => {
    const url = readUrl(address, options.url!);
    return {
      name: `${url.host}${url.pathname}`,
      healthy: false,
      open: async () => {
        const standby = await new DataSource({
          ...options,
          url: url.toString(),
          // A standby that stops answering is skipped by the periodic check; this only bounds the wait of
          // reads already on their way to it (a new connection's scram handshake can take seconds on a busy host).
          extra: { ...extra, connectionTimeoutMillis: 10_000 },
        }).initialize();
        tagConnectionsWithTenant(standby, taggingOptions(config, setRole));
        await assertServiceRights(standby, config).catch(async (error) => {
          await standby.destroy();
          throw error;
        });
        return standby;
      },
    };
  });
}

function taggingOptions(config: AppConfig, setRole?: string): TaggingOptions {
  return { mode: config.databasePoolMode, statementTimeoutMs: config.statementTimeoutMs, setRole };
}

@Module({})
export class DatabaseModule {
  /** `databaseUrl` is the schema owner's: it runs the migrations. The service then works as its own login. */
  static forRoot(databaseUrl: string, config: AppConfig): DynamicModule {
    let setRole: string | undefined;
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            tagConnectionsWithTenant(dataSource, { ...taggingOptions(config, setRole), onWrite: noteWrite });
            await assertServiceRights(dataSource, config).catch(async (error) => {
              await dataSource.destroy();
              throw error;
            });
            return dataSource;
          },
          useFactory: async () => {
            const connection = await migrateAndConnect(databaseUrl, config);
            setRole = connection.setRole;
            const options = typeOrmOptions(connection.url);
            return {
              ...options,
              migrationsRun: false,
              extra: { ...(options.extra as object), options: sessionOptions(config, connection.setRole) },
            };
          },
        }),
      ],
      providers: [
        {
          provide: ReadDatabase,
          inject: [DataSource],
          useFactory: (primary: DataSource) => new ReadDatabase(primary, standbysOf(config, primary, setRole), config.readMaxLagSeconds),
        },
      ],
      exports: [ReadDatabase],
    };
  }
}
