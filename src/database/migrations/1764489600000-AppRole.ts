import { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the running service acts as: see DatabaseModule. Created only where the migrating user may. */
export const APP_ROLE = 'arshjul_app';

/**
 * A database role for the running service, apart from the one that owns the schema and runs migrations:
 * it may read and write rows, but not create, alter or drop tables, and on the signed records, the audit
 * log and the access log it may only read and insert. So neither a bug nor a query slipped into the
 * service can rewrite history or the schema; the triggers stop the owner, too.
 */
export class AppRole1764489600000 implements MigrationInterface {
  name = 'AppRole1764489600000';

  async up(q: QueryRunner): Promise<void> {
    const [{ can }] = await q.query(
      `SELECT rolsuper OR rolcreaterole AS can FROM pg_roles WHERE rolname = current_user`,
    );
    const [exists] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!exists) {
      if (!can) return; // a managed PostgreSQL without CREATEROLE: the service then runs as the owner (see README)
      await q.query(`CREATE ROLE ${APP_ROLE} NOLOGIN`);
    }
    await q.query(`GRANT ${APP_ROLE} TO current_user`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON sign_off, audit_log, access_log FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON migrations FROM ${APP_ROLE}`);
    // Tables of later migrations are the service's to read and write unless those migrations say otherwise.
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [exists] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!exists) return;
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
  }
}
