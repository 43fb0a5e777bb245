import { benchDatabase, readDataset, withClient } from './lib/bench-db';
import { readFileSync } from 'node:fs';
(async () => {
  const db = await benchDatabase(); const ds = readDataset();
  const src = readFileSync('src/occurrences/services/owners.service.ts', 'utf8');
  const q = src.split('`WITH RECURSIVE target AS')[1].split('`,')[0];
  await withClient(db.url, async (c) => {
    const { rows } = await c.query(`SELECT array_agg(id) ids FROM occurrence WHERE municipality_id = $1 AND scheduled_on >= '2026-01-01'`, [ds.largeMunicipalityId]);
    await c.query('BEGIN');
    let t = performance.now();
    const d = await c.query(`EXPLAIN ANALYZE DELETE FROM occurrence_owner oo USING unnest($1::uuid[]) AS target(id) WHERE oo.occurrence_id = target.id`, [rows[0].ids]);
    console.log(d.rows.map((r: any) => r['QUERY PLAN']).join('\n'));
    const e = await c.query('EXPLAIN ANALYZE WITH RECURSIVE target AS' + q, [rows[0].ids]);
    console.log(e.rows.map((r: any) => r['QUERY PLAN']).join('\n'), performance.now() - t);
    await c.query('ROLLBACK');
  });
  await db.stop();
})();
