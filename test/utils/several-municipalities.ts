import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEMO_MUNICIPALITY, loadDemoData } from '../../src/database/seeds/demo-data';
import { causedBySystem } from '../../src/occurrences/occurrence-change';
import { MaterialiseService } from '../../src/occurrences/services/materialise.service';

/**
 * More municipalities like the demo one, for what is divided between municipalities (the reminder morning):
 * the demo municipality is renamed and loaded again, `count - 1` times; each gets its year materialised.
 * `shape(municipalityId)` may change a municipality before its year is materialised. Returns their ids,
 * the original demo municipality first (it keeps its name, so the demo people's look-ups find it).
 */
export async function severalMunicipalities(
  app: INestApplication,
  count: number,
  year: number,
  shape: (db: DataSource, municipalityId: string, index: number) => Promise<void> = async () => undefined,
): Promise<string[]> {
  const db = app.get(DataSource);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    if (index > 0) {
      await db.query(`UPDATE municipality SET name = $1 WHERE name = $2`, [`Kopi ${index} av demo`, DEMO_MUNICIPALITY]);
      await loadDemoData(db);
    }
    const [{ id }] = await db.query(`SELECT id FROM municipality WHERE name = $1`, [DEMO_MUNICIPALITY]);
    await shape(db, id, index);
    const [root] = await db.query(`SELECT id FROM unit WHERE municipality_id = $1 AND parent_id IS NULL`, [id]);
    await app.get(MaterialiseService).materialise(id, root.id, year, causedBySystem('materialised'));
    ids.push(id);
  }
  // The first one is the demo municipality again, by name.
  await db.query(`UPDATE municipality SET name = $1 WHERE name = $2`, [`Kopi ${count} av demo`, DEMO_MUNICIPALITY]);
  await db.query(`UPDATE municipality SET name = $1 WHERE id = $2`, [DEMO_MUNICIPALITY, ids[0]]);
  return ids;
}
