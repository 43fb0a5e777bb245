import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764489600000-AppRole';

/** The login the running service connects as, where it provisions its own (see DatabaseModule). */
export const SERVICE_LOGIN = 'arshjul_service';

/**
 * A login role for the running service that holds nothing but `arshjul_app`'s rights. Before, the service
 * connected as the schema's owner and only SET ROLE to `arshjul_app`: one `RESET ROLE` gave a bug or an
 * injected query the owner's (or a superuser's) rights back. This role cannot become anyone else, create
 * roles or databases, or bypass row-level security. It has no password here: the service sets one from
 * its owner connection at boot (DatabaseModule); elsewhere an administrator creates it (README). Its
 * statement_timeout stops a runaway query of anyone using it; the service sets its own per connection.
 * Created only where the migrating user may create roles, like `arshjul_app`.
 */
export class ServiceLoginRole1764921600000 implements MigrationInterface {
  name = 'ServiceLoginRole1764921600000';

  async up(q: QueryRunner): Promise<void> {
    const [{ can }] = await q.query(`SELECT rolsuper OR rolcreaterole AS can FROM pg_roles WHERE rolname = current_user`);
    const [app] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!can || !app) return; // a managed PostgreSQL: the administrator creates the login (README, "Access and hardening")
    const [exists] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [SERVICE_LOGIN]);
    const attributes = `LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`;
    await q.query(exists ? `ALTER ROLE ${SERVICE_LOGIN} ${attributes}` : `CREATE ROLE ${SERVICE_LOGIN} ${attributes}`);
    await q.query(`GRANT ${APP_ROLE} TO ${SERVICE_LOGIN}`);
    await q.query(`ALTER ROLE ${SERVICE_LOGIN} SET statement_timeout = '15s'`);
    await q.query(`ALTER ROLE ${SERVICE_LOGIN} SET idle_in_transaction_session_timeout = '15s'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [exists] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [SERVICE_LOGIN]);
    if (exists) await q.query(`DROP ROLE ${SERVICE_LOGIN}`);
  }
}
