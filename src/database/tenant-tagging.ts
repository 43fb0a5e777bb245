import { escapeLiteral } from 'pg';
import { DataSource } from 'typeorm';
import { EVERY_MUNICIPALITY, municipalityTag, tenantContext } from '../auth/tenant-context';
import { preparedStatement } from './prepared-statements';

// node-postgres's own conversion of a parameter to the text it sends (not in its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => string | Buffer | null | undefined };

/**
 * How a pool's connections learn the municipality whose rows they may see (row-level security reads it
 * through arshjul_tenant(); a connection told nothing sees no municipality's rows).
 *
 * - `session`: each connection is told when it is taken from the pool, with a session setting that stays
 *   until the next checkout changes it (the pool's connections are the service's own), unless the work says
 *   any municipality will do (anyMunicipalityWillDo: the rate limits' counters). The statements marked
 *   prepared() (prepared-statements.ts) are sent as named statements, whose plans each connection keeps; those
 *   marked generic are prepared by SQL's PREPARE and called by EXECUTE, in one message with the setting around it.
 * - `transaction` (PgBouncer in transaction mode, where consecutive transactions of one client may run on
 *   different server connections, and a server connection serves many clients): nothing is set for the
 *   session. Every statement runs in a transaction that carries the tag as a transaction-local setting:
 *   an explicit transaction gets it in the same round trip as its BEGIN, and a statement outside one is
 *   wrapped in BEGIN + tag, the statement, COMMIT (two round trips more: bench/README.md) — or, with no
 *   parameters, sent with the tag in one message of the simple protocol, which PostgreSQL runs as one
 *   implicit transaction (one round trip, one write: the outbox's 'sent' mark relies on it). The statement
 *   timeout (and the role, where the owner acts as arshjul_app) travel the same way, as SET LOCAL would.
 *   Only unnamed statements are used (node-postgres names none unless asked), so no prepared statement
 *   is left on a server connection another client then uses.
 */
export type PoolMode = 'session' | 'transaction';

export interface TaggingOptions {
  mode: PoolMode;
  statementTimeoutMs: number;
  /** The role to act as, where the owner stands in for the service's login (see migrateAndConnect). */
  setRole?: string;
  /** Told of every statement that may write (the primary's pool only): ReadDatabase's read-your-writes. */
  onWrite?: () => void;
}

interface PgClient {
  query(text: unknown, values?: unknown, callback?: unknown): Promise<unknown>;
}

type Driver = { obtainMasterConnection(): Promise<[PgClient, (error?: unknown) => void]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEGINS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const ENDS = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+(WORK\s+|TRANSACTION\s+)?TO\b))\b/i;
const WRITES = /^\s*(INSERT|UPDATE|DELETE|MERGE|COPY|(BEGIN|START\s+TRANSACTION)(?!\s+READ\s+ONLY\b))\b|^\s*WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE)\b/i;

/** Whether a statement may write: a transaction may, unless it says it will not (`BEGIN READ ONLY`: groupedRead). */
export function mayWrite(text: string): boolean {
  return WRITES.test(text);
}

/** The tag as an SQL literal: only a uuid or the every-municipality marker is ever spliced into SQL. */
function tagLiteral(): string {
  const tag = municipalityTag();
  if (tag !== EVERY_MUNICIPALITY && !UUID.test(tag)) throw new Error('The municipality of the request is not a uuid');
  return `'${tag}'`;
}

/** The settings a transaction carries behind a transaction pooler, as one SELECT. */
function transactionSettings(options: TaggingOptions): string {
  const timeout = `'${Math.trunc(options.statementTimeoutMs)}'`;
  const settings = [
    `set_config('arshjul.municipality_id', ${tagLiteral()}, true)`,
    `set_config('statement_timeout', ${timeout}, true)`,
    `set_config('idle_in_transaction_session_timeout', ${timeout}, true)`,
  ];
  if (options.setRole) settings.push(`set_config('role', '${options.setRole.replace(/[^a-z_]/g, '')}', true)`);
  return `SELECT ${settings.join(', ')}`;
}

export function tagConnectionsWithTenant(dataSource: DataSource, options: TaggingOptions): void {
  const driver = dataSource.driver as unknown as Driver;
  const obtain = driver.obtainMasterConnection.bind(driver);
  const instrumented = new WeakMap<PgClient, ClientState>();
  const tagged = new WeakMap<PgClient, string>();
  driver.obtainMasterConnection = async () => {
    // Read in the caller's async context, before the pool is asked: the pool's own callbacks run in the
    // context of whoever released the connection last.
    const tag = options.mode === 'session' && !tenantContext.getStore()?.anyMunicipality ? municipalityTag() : undefined;
    const [client, release] = await obtain();
    let state = instrumented.get(client);
    if (!state) instrumented.set(client, (state = instrument(client, options)));
    if (state.inTransaction) {
      // Handed back inside a transaction (its holder failed before COMMIT or ROLLBACK): it would carry its
      // holder's municipality on. Closed, not handed on.
      release(new Error('A connection came back to the pool inside a transaction'));
      return driver.obtainMasterConnection();
    }
    // Session mode: a connection that already carries the municipality is not told again (only this
    // wrapper sets it; it saves a round trip per query: bench/).
    if (tag !== undefined && tagged.get(client) !== tag) {
      try {
        tagged.delete(client);
        await client.query(`SELECT set_config('arshjul.municipality_id', $1, false)`, [tag]);
        tagged.set(client, tag);
      } catch (error) {
        release(error); // a connection in an unknown state is closed, not handed on
        throw error;
      }
    }
    return [client, release];
  };
}

interface ClientState {
  /** Inside an explicit transaction that carries its tag (transaction mode). */
  inTransaction: boolean;
  /** The statements with a generic plan prepared on this connection by SQL's PREPARE (session mode). */
  preparedInSql: Set<string>;
}

/**
 * A call's parameters as EXECUTE's list of SQL literals of unknown type, which EXECUTE converts to the types
 * PostgreSQL inferred for the statement, as it converts the extended protocol's text parameters: each value as
 * node-postgres would send it (prepareValue), then quoted (escapeLiteral), so no value is ever read as SQL.
 */
function literals(values: unknown): string {
  if (values === undefined || (Array.isArray(values) && values.length === 0)) return ''; // EXECUTE takes no () then
  if (!Array.isArray(values)) throw new Error('The parameters of a prepared statement must be an array');
  const quoted = values.map((value) => {
    const prepared = prepareValue(value);
    return prepared === null || prepared === undefined ? 'NULL' : escapeLiteral(Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared));
  });
  return `(${quoted.join(', ')})`;
}

/** Wraps the client's query(): notes writes, and in transaction mode puts every statement in a tagged transaction. */
function instrument(client: PgClient, options: TaggingOptions): ClientState {
  const driverQuery = client.query.bind(client);
  const query = (text: unknown, values?: unknown) => answeredByCallback(driverQuery, text, values);
  const state: ClientState = { inTransaction: false, preparedInSql: new Set() };
  const run = async (text: string, values: unknown): Promise<unknown> => {
    if (options.onWrite && mayWrite(text)) options.onWrite();
    if (options.mode === 'session') {
      const statement = preparedStatement(text);
      if (!statement) return query(text, values);
      // A named statement: node-postgres parses it once per connection, PostgreSQL keeps its plan.
      if (!statement.generic) return query({ name: statement.name, text, values });
      // Its generic plan, with the setting only around this call: every other statement keeps PostgreSQL's own
      // choice of plan. Prepared in SQL once per connection, so that the setting, the call and the reset travel
      // in one message, one round trip (three before: bench/README.md, "Eighth round"). Sent as one message of
      // the simple protocol, the three run as one implicit transaction (or in the caller's): if the call fails,
      // the SET is undone with it.
      const call = async () => {
        if (!state.preparedInSql.has(statement.name)) {
          await query(`PREPARE ${statement.name} AS ${text}`);
          state.preparedInSql.add(statement.name);
        }
        const results = (await query(`SET plan_cache_mode = force_generic_plan; EXECUTE ${statement.name}${literals(values)}; RESET plan_cache_mode`)) as unknown[];
        return results[1];
      };
      return call().catch((error: { code?: string }) => {
        // Gone from the session (DISCARD ALL, say): prepared again, once.
        if (error?.code !== '26000' || !state.preparedInSql.delete(statement.name)) throw error;
        return call();
      });
    }
    if (BEGINS.test(text)) {
      // One round trip, in the simple protocol (several statements, no parameters: the tag is a literal).
      const results = (await query(`${text}; ${transactionSettings(options)}`)) as unknown[];
      state.inTransaction = true;
      return results[0];
    }
    if (ENDS.test(text)) {
      try {
        return await query(text, values);
      } finally {
        state.inTransaction = false;
      }
    }
    if (state.inTransaction) return query(text, values);
    if (values === undefined || (Array.isArray(values) && values.length === 0)) {
      const [, ...results] = (await query(`${transactionSettings(options)}; ${text}`)) as unknown[];
      return results.length === 1 ? results[0] : results;
    }
    await query(`BEGIN; ${transactionSettings(options)}`);
    try {
      const result = await query(text, values);
      await query('COMMIT');
      return result;
    } catch (error) {
      await query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };
  client.query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && typeof values !== 'function' && callback === undefined) return run(text, values);
    // Another form (a config object, a stream, a callback): passed on untagged, so it sees no municipality.
    if (options.mode === 'transaction' && text && typeof text === 'object' && (text as { name?: string }).name) {
      throw new Error('Named prepared statements are not used behind a transaction pooler');
    }
    return driverQuery(text, values, callback);
  };
  return state;
}

/**
 * A statement sent with the driver's callback, its answer as a promise. Asked without a callback, pg
 * answers through a promise of its own, and then V8 kept each answer's rows (and the request they were
 * read for) through two young-generation collections, which promoted them to the old generation: at 100
 * queries of 60 rows a second, 2.7–4.6 MB at every collection, against under 60 KB when answered through
 * a callback (bench/README.md, "Tenth round"). Promoted rows fill the old generation and bring full
 * collections, around which the slow requests cluster.
 */
function answeredByCallback(driverQuery: PgClient['query'], text: unknown, values: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    void driverQuery(text, values, (error: Error | null, result: unknown) => {
      if (!error) return resolve(result);
      // As pg's own promise does: the error's stack leads back to the statement's caller, not to the socket.
      Error.captureStackTrace(error);
      reject(error);
    });
  });
}
