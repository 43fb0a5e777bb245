import { DataSource } from 'typeorm';
import { typeOrmOptions } from './typeorm-options';

/**
 * Opens the schema owner's DataSource and runs the pending migrations one process at a time. Replicas that
 * start together would otherwise each run the same migration, and all but one fail on objects that already
 * exist. The lock is a transaction-level advisory lock held in an open transaction on a connection of its
 * own, so it also holds behind PgBouncer in transaction mode, where a session lock would stay behind on
 * whichever server connection took it; it ends with that transaction, or with the connection if the process dies.
 */
export async function openMigrated(ownerUrl: string, options: { logging?: false } = {}): Promise<DataSource> {
  const owner = await new DataSource({ ...typeOrmOptions(ownerUrl), ...options, migrationsRun: false }).initialize();
  try {
    const lock = owner.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      await lock.query(`SELECT pg_advisory_xact_lock(hashtext('arshjul migrations'))`);
      await owner.runMigrations({ transaction: 'each' });
      await lock.commitTransaction();
    } finally {
      await lock.release();
    }
    return owner;
  } catch (error) {
    await owner.destroy();
    throw error;
  }
}
