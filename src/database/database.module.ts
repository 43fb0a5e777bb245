import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { tenantContext } from '../auth/tenant-context';
import { AppConfig } from '../config/app-config';
import { APP_ROLE } from './migrations/1764489600000-AppRole';
import { SERVICE_LOGIN } from './migrations/1764921600000-ServiceLoginRole';
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
  const owner = new DataSource(typeOrmOptions(ownerUrl));
  await owner.initialize(); // migrationsRun: true
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
      await owner.query(`ALTER ROLE ${SERVICE_LOGIN} PASSWORD '${password}'`).catch((error: Error) => {
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

/**
 * Tells each connection the municipality it works for, in the async context of whoever asked for it:
 * the caller's municipality is read before the pool is asked, and the connection is tagged after the pool
 * hands it over, before the caller's first query. (The pool's own `acquire` event runs in the context of
 * the request that released the connection, and so tagged it with another request's municipality.) Work
 * outside any request — scheduled jobs, seeding — has none and sees every municipality, whatever the
 * connection carried before. A connection that already carries the municipality is not told again: the
 * setting is the session's, and only this wrapper sets it (it saves a round trip per query: bench/).
 */
function tagConnectionsWithTenant(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<[PgClient, (error?: unknown) => void]> };
  const obtain = driver.obtainMasterConnection.bind(driver);
  const tagged = new WeakMap<PgClient, string>();
  driver.obtainMasterConnection = async () => {
    const municipalityId = tenantContext.getStore()?.municipalityId ?? '';
    const [client, release] = await obtain();
    if (tagged.get(client) !== municipalityId) {
      try {
        tagged.delete(client);
        await client.query(`SELECT set_config('arshjul.municipality_id', $1, false)`, [municipalityId]);
        tagged.set(client, municipalityId);
      } catch (error) {
        release(error); // a connection in an unknown state is closed, not handed on
        throw error;
      }
    }
    return [client, release];
  };
}

interface PgClient {
  query(sql: string, values: unknown[]): Promise<unknown>;
}

/** Session settings of every connection the service works on. */
function sessionOptions(config: AppConfig, setRole?: string): string {
  const timeout = String(config.statementTimeoutMs);
  return [
    // No statement runs, and no transaction sits open, longer than this: a request cannot hold a connection
    // (and its locks) for minutes. A statement stopped by it is answered 503 (ProblemDetailsFilter).
    `-c statement_timeout=${timeout}`,
    `-c idle_in_transaction_session_timeout=${timeout}`,
    ...(setRole ? [`-c role=${setRole}`] : []),
  ].join(' ');
}

@Module({})
export class DatabaseModule {
  /** `databaseUrl` is the schema owner's: it runs the migrations. The service then works as its own login. */
  static forRoot(databaseUrl: string, config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            tagConnectionsWithTenant(dataSource);
            await assertServiceRights(dataSource, config).catch(async (error) => {
              await dataSource.destroy();
              throw error;
            });
            return dataSource;
          },
          useFactory: async () => {
            const connection = await migrateAndConnect(databaseUrl, config);
            const options = typeOrmOptions(connection.url);
            return {
              ...options,
              migrationsRun: false,
              extra: { ...(options.extra as object), options: sessionOptions(config, connection.setRole) },
            };
          },
        }),
      ],
    };
  }
}
