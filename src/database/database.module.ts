import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { tenantContext } from '../auth/tenant-context';
import { APP_ROLE } from './migrations/1764489600000-AppRole';
import { typeOrmOptions } from './typeorm-options';

/**
 * Runs pending migrations as the database user given (the schema's owner), then connects the service as
 * the role `arshjul_app`, which can read and write rows but not change the schema or rewrite records.
 * Where that role could not be created (a managed PostgreSQL without CREATEROLE) the service runs as the
 * owner, and says so; the triggers still refuse changes to records.
 */
async function migrateAndChooseRole(databaseUrl: string): Promise<string | undefined> {
  const owner = new DataSource(typeOrmOptions(databaseUrl));
  await owner.initialize(); // migrationsRun: true
  try {
    const [member] = await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1 AND pg_has_role(current_user, oid, 'MEMBER')`, [APP_ROLE]);
    if (!member) new Logger('Database').warn(`Role ${APP_ROLE} is not available: the service runs as the schema's owner`);
    return member ? APP_ROLE : undefined;
  } finally {
    await owner.destroy();
  }
}

/**
 * Each time a request takes a connection from the pool, the connection is told the request's municipality
 * (or that there is none), before any of the request's queries: pg runs a client's queries in order.
 * A connection that already carries that municipality is not told again: the setting is the session's,
 * set outside any transaction, and only this hook sets it. (It saved a round trip per query: see bench/.)
 */
function tagSessionsWithTenant(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master: { on(event: 'acquire', listener: (client: PgClient) => void): void } }).master;
  const tagged = new WeakMap<PgClient, string>();
  pool.on('acquire', (client) => {
    const municipalityId = tenantContext.getStore()?.municipalityId ?? '';
    if (tagged.get(client) === municipalityId) return;
    tagged.set(client, municipalityId);
    client.query(`SELECT set_config('arshjul.municipality_id', $1, false)`, [municipalityId]).catch(() => tagged.delete(client));
  });
}

interface PgClient {
  query(sql: string, values: unknown[]): Promise<unknown>;
}

@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            tagSessionsWithTenant(dataSource);
            return dataSource;
          },
          useFactory: async () => {
            const role = await migrateAndChooseRole(databaseUrl);
            const options = typeOrmOptions(databaseUrl);
            return {
              ...options,
              migrationsRun: false,
              // Every session of the service acts as the app role from its first statement.
              extra: { ...(options.extra as object), ...(role ? { options: `-c role=${role}` } : {}) },
            };
          },
        }),
      ],
    };
  }
}
