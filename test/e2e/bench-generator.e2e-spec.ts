import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MaterialiseService } from '../../src/occurrences/services/materialise.service';
import { causedBySystem } from '../../src/occurrences/occurrence-change';
import { OwnersService } from '../../src/occurrences/services/owners.service';
import { FETCH_RECORDS_SQL, verifyChain } from '../../src/records/chain-verification';
import { withClient } from '../setup/test-postgres';
import { createTestDatabase, startTestApp } from '../utils/test-app';

/**
 * The benchmark data set loads without foreign-key checks and seals its records itself, so it must be
 * checked once that it is what the service would have made: this runs the generator at a tiny scale.
 */
describe('the benchmark data generator', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let dataset: { largeMunicipalityId: string; largeMunicipalityRootUnitId: string; counts: Record<string, number> };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'arshjul-bench-'));
    await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'bench/generate.ts', '--scale', '0.002', '--municipalities', '3', '--history-years', '1', '--today', '2026-11-25'],
      { env: { ...process.env, BENCH_DATABASE_URL: database.url, BENCH_DATA_DIR: dataDir }, timeout: 120_000 },
    );
    dataset = JSON.parse(readFileSync(join(dataDir, 'dataset.json'), 'utf8'));
  }, 150_000);
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes rows whose foreign keys all hold', async () => {
    // Dropping and adding each foreign key again makes PostgreSQL check every row against it.
    const failures = await withClient(database.url, async (client) => {
      const { rows: keys } = await client.query(
        `SELECT conrelid::regclass AS tab, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
      );
      const failed: string[] = [];
      for (const key of keys) {
        await client.query(`ALTER TABLE ${key.tab} DROP CONSTRAINT ${key.conname}`);
        await client.query(`ALTER TABLE ${key.tab} ADD CONSTRAINT ${key.conname} ${key.def}`).catch((e) => failed.push(`${key.conname}: ${e.message}`));
      }
      return { failed, checked: keys.length };
    });
    expect(failures.checked).toBeGreaterThan(20);
    expect(failures.failed).toEqual([]);
  });

  it('seals records into chains that verify, signs about 97 % of the past and keeps the standing summary right', async () => {
    await withClient(database.url, async (client) => {
      const { rows: units } = await client.query(`SELECT DISTINCT unit_id FROM sign_off WHERE municipality_id = $1`, [dataset.largeMunicipalityId]);
      expect(units.length).toBeGreaterThan(3);
      for (const { unit_id } of units) {
        const report = await verifyChain(unit_id, async (after, limit) => (await client.query(FETCH_RECORDS_SQL, [unit_id, after, limit])).rows);
        expect(report).toMatchObject({ valid: true, firstProblem: null });
      }
      const { rows: [past] } = await client.query(
        `SELECT count(*)::int AS planned, count(*) FILTER (WHERE standing_outcome IS NOT NULL)::int AS signed
           FROM occurrence WHERE municipality_id = $1 AND deadline < '2026-01-01'`,
        [dataset.largeMunicipalityId],
      );
      expect(past.signed / past.planned).toBeGreaterThan(0.93);
      expect(past.signed / past.planned).toBeLessThan(0.995);
      const { rows: wrong } = await client.query(
        `SELECT o.id FROM occurrence o LEFT JOIN sign_off s ON s.occurrence_id = o.id
          WHERE o.standing_outcome IS DISTINCT FROM s.outcome OR o.standing_late IS DISTINCT FROM s.late`,
      );
      expect(wrong).toEqual([]);
    });
  });

  it('makes the occurrences and owners the service makes: materialising the year afterwards changes nothing', async () => {
    // On 1 January every deadline of the year is still ahead, so materialising considers all of them.
    const t = await startTestApp({}, '2026-01-01T06:00:00Z', { databaseUrl: database.url });
    try {
      const result = await t.app.get(MaterialiseService).materialise(dataset.largeMunicipalityId, dataset.largeMunicipalityRootUnitId, 2026, causedBySystem('materialised'));
      expect(result.total).toBeGreaterThan(1000);
      expect(result).toMatchObject({ created: 0, updated: 0, cancelled: 0 });

      const owners = (): Promise<Array<{ occurrence_id: string; person_id: string }>> =>
        t.db.query(
          `SELECT oo.occurrence_id, oo.person_id FROM occurrence_owner oo JOIN occurrence o ON o.id = oo.occurrence_id
            WHERE o.municipality_id = $1 ORDER BY 1, 2`,
          [dataset.largeMunicipalityId],
        );
      const generated = await owners();
      expect(generated.length).toBeGreaterThan(1000);
      const ids = [...new Set(generated.map((o) => o.occurrence_id))];
      await t.db.transaction((tx) => t.app.get(OwnersService).refresh(tx, ids));
      expect(await owners()).toEqual(generated);
    } finally {
      await t.app.close();
    }
  });
});
