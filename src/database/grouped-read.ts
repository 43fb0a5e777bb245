import { DataSource } from 'typeorm';

/**
 * One read that groups a subtree's rows (a large unit's wheel, its flat checklist), run with sorting disabled
 * so that PostgreSQL groups them in hash tables. Under row-level security the planner expects a unit to have
 * about one occurrence (the policy's filter and `municipality_id = $1` are estimated as if independent of the
 * unit) and a subtree about ten units, so it sorts ~100,000 rows it takes for a dozen: most of the top unit's
 * wheel (issue 19). `SET LOCAL` ends with the transaction; `READ ONLY` keeps it off the primary's
 * read-your-writes (tenant-tagging.ts) and lets it run on a standby. A sort the statement asks for (ORDER BY,
 * a LIMIT's top-N) is still made where there is no other way.
 */
export async function groupedRead<T>(source: DataSource, sql: string, params: unknown[]): Promise<T> {
  const runner = source.createQueryRunner();
  try {
    await runner.query(`BEGIN READ ONLY; SET LOCAL enable_sort = off`);
    try {
      const rows = (await runner.query(sql, params)) as T;
      await runner.query('COMMIT');
      return rows;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}
