import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { Metrics } from '../../src/metrics/metrics';
import { CheckpointsJob } from '../../src/records/checkpoints/checkpoints.job';
import { verifyUnit } from '../../src/records/chain-verification';
import { UnitVerificationService } from '../../src/records/checkpoints/unit-verification.service';
import { insertAfter } from '../../src/records/services/record-chain';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

const ROOT = join(__dirname, '../..');

/** Avdeling Fjellvegen with a wheel of one monthly task (the 10th) in 2027; Anne, its manager, signs month by month. */
async function fjellvegenWithAWheel(t: TestApp): Promise<{ unit: string; sign: (deadline: string) => Promise<string> }> {
  const admin = await t.bearer(DEMO_PEOPLE.admin);
  const manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
  const [{ id: unit }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Avdeling Fjellvegen'`);
  const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kontrollpunkthjul', kind: 'custom' })).body.id;
  const task = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: 'Gjennomgang av medisinrom', rrule: 'FREQ=MONTHLY;BYMONTHDAY=10', responsibleRole: 'manager' });
  expect(task.status).toBe(201);
  expect((await t.http.post(`/api/v1/units/${unit}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false })).status).toBe(201);
  expect((await t.http.post(`/api/v1/units/${unit}/materialize?year=2027`).set('Authorization', manager)).status).toBeLessThan(300);
  const sign = async (deadline: string) => {
    const [{ id }] = await t.db.query(`SELECT id FROM occurrence WHERE task_id = $1 AND unit_id = $2 AND deadline = $3`, [task.body.id, unit, deadline]);
    const res = await t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', manager).send({ outcome: 'done', comment: 'Gjennomgått' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  return { unit, sign };
}

/** What only a superuser can do, with the database's own guards switched off: a forger's change, leaving no trace. */
const behindTheDatabasesBack = (t: TestApp, sql: string, parameters: unknown[]) =>
  withClient(t.databaseUrl, async (superuser) => {
    await superuser.query(`SET session_replication_role = replica`);
    await superuser.query(sql, parameters);
  });

const verifyCommand = (t: TestApp, unit: string) =>
  spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/verify.ts', '--unit', unit], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test' },
    encoding: 'utf8',
  });

describe('verification from a verified checkpoint', () => {
  let t: TestApp;
  let second: TestApp | undefined;
  let unit: string;
  let sign: (deadline: string) => Promise<string>;
  let kvalitet: string;
  let cookie: string;
  const records: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-04T06:00:00Z');
    ({ unit, sign } = await fjellvegenWithAWheel(t));
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    for (const month of ['01', '02', '03']) records.push(await sign(`2027-${month}-10`));
    const login = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.kvalitet, neste: '/internkontroll' });
    cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  });
  afterAll(async () => {
    await second?.close();
    await t.close();
  });

  const verify = (query = '') => t.http.get(`/api/v1/audit/verify?unitId=${unit}${query}`).set('Authorization', kvalitet);
  const page = (lang = 'en') => t.http.get(`/internkontroll?enhet=${unit}&ar=2027&lang=${lang}`).set('Cookie', cookie);
  const checkpoints = () =>
    t.db.query(`SELECT sequence::int, record_id, hash, verified_at, verified_by FROM verification_checkpoint WHERE unit_id = $1 ORDER BY sequence`, [unit]);
  const recordAt = async (sequence: number) => (await t.db.query(`SELECT id, comment, hash FROM sign_off WHERE unit_id = $1 AND sequence = $2`, [unit, sequence]))[0];
  const failedCount = async () => (await t.app.get(Metrics).chainVerificationsFailed.get()).values.reduce((sum, v) => sum + v.value, 0);

  it('without a checkpoint verifies in full, from the first record, and says so', async () => {
    const res = await verify();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, full: true, from: null, records: 3, recordsChecked: 3 });
  });

  it('the nightly job appends one checkpoint at the head, once even when two instances run it at the same time', async () => {
    second = await startTestApp({}, '2027-01-04T06:00:00Z', { databaseUrl: t.databaseUrl });
    for (const app of [t, second]) app.clock.set('2027-01-05T00:45:00Z'); // 01:45 in Oslo
    const results = await Promise.all([t, second].map((app) => app.app.get(CheckpointsJob).runNight()));
    const head = await recordAt(3);
    expect(await checkpoints()).toEqual([{ sequence: 3, record_id: records[2], hash: head.hash, verified_at: new Date('2027-01-05T00:45:00Z'), verified_by: 'nightly' }]);
    // One instance did the night's work; the other found the lock taken (or, later, nothing new).
    expect(results.filter((r) => r && r.checkpoints > 0)).toHaveLength(1);

    // A night with nothing signed since adds nothing.
    t.clock.set('2027-01-06T00:45:00Z');
    expect(await t.app.get(CheckpointsJob).runNight()).toMatchObject({ checkpoints: 0, failed: 0 });
    expect(await checkpoints()).toHaveLength(1);

    const res = await verify();
    expect(res.body).toMatchObject({
      valid: true,
      full: false,
      from: { sequence: 3, recordId: records[2], hash: head.hash, verifiedAt: '2027-01-05T00:45:00.000Z', verifiedBy: 'nightly' },
      records: 3,
      recordsChecked: 1,
      chainHead: head.hash,
    });
  });

  it('keeps the checkpoints append-only: the service’s login may not update or delete them, nor may the owner; each municipality sees its own', async () => {
    await expect(t.db.query(`UPDATE verification_checkpoint SET sequence = 1`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM verification_checkpoint`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`TRUNCATE verification_checkpoint`)).rejects.toThrow(/permission denied/);
    await withClient(t.databaseUrl, async (owner) => {
      await expect(owner.query(`UPDATE verification_checkpoint SET verified_by = 'full'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM verification_checkpoint`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE verification_checkpoint`)).rejects.toThrow(/append-only/);
    });
    const seen = await t.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('arshjul.municipality_id', gen_random_uuid()::text, true)`);
      return tx.query(`SELECT count(*)::int AS n FROM verification_checkpoint`);
    });
    expect(seen).toEqual([{ n: 0 }]);
    expect(await checkpoints()).toHaveLength(1);
  });

  it('checks the checkpointed record and those signed after it', async () => {
    records.push(await sign('2027-04-10'), await sign('2027-05-10'));
    const res = await verify();
    expect(res.body).toMatchObject({ valid: true, full: false, from: { sequence: 3 }, records: 5, recordsChecked: 3, chainHead: (await recordAt(5)).hash });
  });

  it('does not see a record altered before the checkpoint on the page or in ordinary verification; full verification (API and command) finds it', async () => {
    const original = (await recordAt(2)).comment;
    await behindTheDatabasesBack(t, `UPDATE sign_off SET comment = 'Utført i tide' WHERE id = $1`, [records[1]]);
    try {
      expect((await verify()).body).toMatchObject({ valid: true, full: false, from: { sequence: 3 } });
      const shown = await page();
      expect(shown.status).toBe(200);
      expect(shown.text).toContain('The chain is intact: 5 signed records');
      expect(shown.text).toContain('Verified from record 3: the chain up to it was verified on 05.01.2027');
      expect(shown.text).not.toContain('role="alert"');

      const full = await verify('&full=true');
      expect(full.status).toBe(200);
      expect(full.body).toMatchObject({ valid: false, full: true, from: null, records: 5, recordsChecked: 5, problemCount: 1 });
      expect(full.body.problems).toEqual([expect.objectContaining({ sequence: 2, recordId: records[1], problem: 'altered' })]);
      expect(await checkpoints()).toHaveLength(1); // a failed verification leaves no checkpoint

      const command = verifyCommand(t, unit);
      expect(command.status).toBe(1);
      expect(command.stderr).toContain(records[1]);
      expect(JSON.parse(command.stdout)).toMatchObject({ full: true, from: null, valid: false, firstProblem: { sequence: 2, problem: 'altered' } });
    } finally {
      await behindTheDatabasesBack(t, `UPDATE sign_off SET comment = $2 WHERE id = $1`, [records[1], original]);
    }
    // Whole again (checked without the API, whose full verification would leave a checkpoint).
    expect(await verifyUnit(unit, (sql, parameters) => t.db.query(sql, parameters))).toMatchObject({ valid: true, full: true });
  });

  it('finds a record altered after the checkpoint on the page and in the API; the nightly job gives that unit no checkpoint, logs and counts it', async () => {
    const original = (await recordAt(5)).comment;
    const before = await checkpoints();
    await behindTheDatabasesBack(t, `UPDATE sign_off SET comment = 'Utført i tide' WHERE id = $1`, [records[4]]);
    try {
      const res = await verify();
      expect(res.body).toMatchObject({ valid: false, full: false, problemCount: 1 });
      expect(res.body.problems).toEqual([expect.objectContaining({ sequence: 5, recordId: records[4], problem: 'altered' })]);
      const shown = await page();
      expect(shown.text).toContain('role="alert"');
      expect(shown.text).toContain('Record 5 no longer matches its hash');

      const failedBefore = await failedCount();
      const error = jest.spyOn(Logger.prototype, 'error');
      t.clock.set('2027-01-07T00:45:00Z');
      expect(await t.app.get(CheckpointsJob).runNight()).toMatchObject({ checkpoints: 0, failed: 1 });
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ unitId: unit, problemCount: 1, from: { sequence: 3, verifiedAt: '2027-01-05T00:45:00.000Z' } }),
        expect.stringMatching(/did not verify: no new checkpoint/),
      );
      error.mockRestore();
      expect(await failedCount()).toBe(failedBefore + 1);
      expect(await checkpoints()).toEqual(before);
    } finally {
      await behindTheDatabasesBack(t, `UPDATE sign_off SET comment = $2 WHERE id = $1`, [records[4], original]);
    }
  });

  it('finds the checkpointed record itself changed, replaced or removed', async () => {
    const saved = await recordAt(3);
    // Its content changed, its stored hash left alone.
    await behindTheDatabasesBack(t, `UPDATE sign_off SET comment = 'Endret' WHERE id = $1`, [records[2]]);
    let res;
    try {
      res = await verify();
      expect(res.body).toMatchObject({ valid: false, full: false, from: { sequence: 3 } });
      expect(res.body.problems).toEqual([expect.objectContaining({ sequence: 3, recordId: records[2], problem: 'altered', atCheckpoint: true })]);
    } finally {
      await behindTheDatabasesBack(t, `UPDATE sign_off SET comment = $2 WHERE id = $1`, [records[2], saved.comment]);
    }

    // Replaced: another hash at its place (the record after it still points at the hash verified then).
    await behindTheDatabasesBack(t, `UPDATE sign_off SET hash = repeat('e', 64) WHERE id = $1`, [records[2]]);
    try {
      res = await verify();
      expect(res.body.problems).toEqual([expect.objectContaining({ sequence: 3, problem: 'altered', atCheckpoint: true })]);
      expect(res.body.problems[0].detail).toBe(
        `record 3 has hash ${'e'.repeat(64)}, but when the chain was verified up to it on 2027-01-05T00:45:00.000Z its hash was ${saved.hash}: it was replaced`,
      );
    } finally {
      await behindTheDatabasesBack(t, `UPDATE sign_off SET hash = $2 WHERE id = $1`, [records[2], saved.hash]);
    }

    // Removed.
    const [row] = await withClient(t.databaseUrl, async (c) => (await c.query(`SELECT row_to_json(s) AS row FROM sign_off s WHERE id = $1`, [records[2]])).rows);
    await behindTheDatabasesBack(t, `DELETE FROM sign_off WHERE id = $1`, [records[2]]);
    try {
      res = await verify();
      expect(res.body).toMatchObject({ valid: false, full: false, problemCount: 1 });
      expect(res.body.problems[0]).toMatchObject({ sequence: 3, recordId: records[2], problem: 'removed', atCheckpoint: true });
      expect(res.body.problems[0].detail).toBe(`record 3 is missing: when the chain was verified up to it on 2027-01-05T00:45:00.000Z it was there (hash ${saved.hash})`);
      const shown = await page('nb');
      expect(shown.text).toContain('Post 3 finnes ikke lenger, men kjeden ble kontrollert fram til den.');
    } finally {
      await behindTheDatabasesBack(t, `INSERT INTO sign_off SELECT * FROM json_populate_record(null::sign_off, $1)`, [row.row]);
    }
    expect((await verify()).body.valid).toBe(true);
  });

  it('checks what stands on occurrences changed since the checkpoint (traced), leaves untraced changes before it to full verification', async () => {
    const [january] = await t.db.query(`SELECT occurrence_id FROM sign_off WHERE id = $1`, [records[0]]);
    const occurrence = january.occurrence_id;
    // The owner, triggers on: the change is traced after the checkpoint, so ordinary verification checks it.
    await withClient(t.databaseUrl, (owner) => owner.query(`UPDATE occurrence SET standing_outcome = 'not_applicable' WHERE id = $1`, [occurrence]));
    let res = await verify();
    expect(res.body).toMatchObject({ valid: false, full: false, problemCount: 0, standingProblemCount: 1 });
    expect(res.body.standingProblems[0]).toMatchObject({ occurrenceId: occurrence, standing: { outcome: 'not_applicable' }, records: { outcome: 'done', recordId: records[0] } });
    await withClient(t.databaseUrl, (owner) => owner.query(`UPDATE occurrence SET standing_outcome = 'done' WHERE id = $1`, [occurrence]));
    expect((await verify()).body.valid).toBe(true);

    // A full verification that holds leaves a checkpoint (it saw the trace up to now) …
    const full = await verify('&full=true');
    expect(full.body).toMatchObject({ valid: true, full: true, from: null, records: 5 });
    expect((await checkpoints()).map((c: { sequence: number; verified_by: string }) => `${c.sequence} ${c.verified_by}`)).toEqual(['3 nightly', '5 full']);
    expect((await verify()).body).toMatchObject({ valid: true, from: { sequence: 5, verifiedBy: 'full' }, recordsChecked: 1 });

    // … after which a forger's untraced change to an occurrence signed before it is found only in full.
    await behindTheDatabasesBack(t, `UPDATE occurrence SET standing_outcome = 'not_applicable' WHERE id = $1`, [occurrence]);
    try {
      expect((await verify()).body).toMatchObject({ valid: true, standingProblemCount: 0 });
      res = await verify('&full=true');
      expect(res.body).toMatchObject({ valid: false, full: true, standingProblemCount: 1 });
      expect(verifyCommand(t, unit).status).toBe(1);
    } finally {
      await behindTheDatabasesBack(t, `UPDATE occurrence SET standing_outcome = 'done' WHERE id = $1`, [occurrence]);
    }
  });

  it.each([['yes'], ['1'], ['']])('answers full=%s with 422 naming full, and adds no checkpoint', async (value) => {
    const before = await checkpoints();
    const res = await verify(`&full=${value}`);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['full']);
    expect(await checkpoints()).toEqual(before);
  });
});

/**
 * A department with several years of records: the cost of ordinary verification follows what was signed since
 * the last checkpoint, the cost of full verification the whole history. The times are printed; the pages'
 * figures are measured by npm run bench:pages.
 */
describe('verifying a department with years of records', () => {
  const YEARS = [2027, 2028, 2029, 2030, 2031];
  let t: TestApp;
  let unit: string;

  beforeAll(async () => {
    t = await startTestApp({}, '2027-01-04T06:00:00Z');
    const admin = await t.bearer(DEMO_PEOPLE.admin);
    const manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    [{ id: unit }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Avdeling Fjellvegen'`);
    const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Ukehjul', kind: 'custom' })).body.id;
    for (let n = 1; n <= 8; n++) {
      const day = ['MO', 'TU', 'WE', 'TH', 'FR'][n % 5];
      expect((await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: `Ukentlig kontroll ${n}`, rrule: `FREQ=WEEKLY;BYDAY=${day}`, responsibleRole: 'manager' })).status).toBe(201);
    }
    expect((await t.http.post(`/api/v1/units/${unit}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false })).status).toBe(201);
    for (const year of YEARS) expect((await t.http.post(`/api/v1/units/${unit}/materialize?year=${year}`).set('Authorization', manager)).status).toBeLessThan(300);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /** Seals a record for each occurrence (deadline order) into the unit's chain, as the service does. */
  async function signAll(occurrences: Array<{ id: string; deadline: string }>): Promise<void> {
    const [{ municipality_id: municipalityId }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [unit]);
    const [anne] = await t.db.query(`SELECT id, display_name FROM person WHERE email = $1`, [DEMO_PEOPLE.avdelingsleder]);
    await t.db.transaction(async (tx) => {
      let [head] = await tx.query(`SELECT sequence::int, hash FROM sign_off WHERE unit_id = $1 ORDER BY sequence DESC LIMIT 1`, [unit]);
      for (const o of occurrences) {
        const row = await insertAfter(
          tx,
          {
            municipalityId, unitId: unit, occurrenceId: o.id, kind: 'sign_off', outcome: 'done', late: false, comment: 'Kontrollert',
            storedIn: null, evidenceUrl: null, signedBy: anne.id, signedByName: anne.display_name, signedAt: `${o.deadline}T08:00:00.000Z`,
            supersedesId: null, reason: null, snapshot: { deadline: o.deadline, taskTitle: 'Ukentlig kontroll' },
          },
          head ?? null,
        );
        head = { sequence: Number(row.sequence), hash: row.hash };
      }
    });
  }

  it('from a checkpoint reads only what came after it; in full, every year', async () => {
    const occurrences: Array<{ id: string; deadline: string }> = await t.db.query(
      `SELECT id, deadline FROM occurrence WHERE unit_id = $1 AND cancelled_at IS NULL ORDER BY deadline, id`,
      [unit],
    );
    const history = occurrences.slice(0, -20);
    await signAll(history);
    const verification = t.app.get(UnitVerificationService);

    let started = performance.now();
    const full = await verification.verify(unit, { full: true }); // holds, so it leaves a checkpoint at the head
    const fullMs = performance.now() - started;
    expect(full).toMatchObject({ valid: true, full: true, records: history.length, recordsChecked: history.length });

    await signAll(occurrences.slice(-20)); // the weeks since
    started = performance.now();
    const ordinary = await verification.verify(unit);
    const ordinaryMs = performance.now() - started;
    expect(ordinary).toMatchObject({ valid: true, full: false, from: { sequence: history.length, verifiedBy: 'full' }, records: occurrences.length, recordsChecked: 21 });

    started = performance.now();
    const fullAgain = await verification.verify(unit, { full: true });
    const fullAgainMs = performance.now() - started;
    expect(fullAgain).toMatchObject({ valid: true, records: occurrences.length });

    process.stdout.write(
      `verifying Avdeling Fjellvegen, ${occurrences.length} records over ${YEARS.length} years: ` +
        `from the checkpoint ${ordinaryMs.toFixed(0)} ms (21 records checked), in full ${fullMs.toFixed(0)} ms and ${fullAgainMs.toFixed(0)} ms\n`,
    );
    expect(ordinaryMs).toBeLessThan(fullAgainMs);
  }, 120_000);
});
