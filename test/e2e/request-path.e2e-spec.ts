import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessLogService } from '../../src/audit/access-log';
import { tenantContext } from '../../src/auth/tenant-context';
import { prepared, preparedStatement } from '../../src/database/prepared-statements';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { CHECKLIST_SQL } from '../../src/occurrences/services/checklist.service';
import { count, personId, unitId } from '../utils/demo';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * The short request path of issue 18: the person and the access check in one statement, the access log
 * written by group commit (each answer after its own row is committed), and the sign-off's functions.
 */
describe('the request path: one statement to sign in and check, access-log rows by group commit', () => {
  let t: TestApp;
  let fjellvegen: string;
  let leder: string;
  const checklist = () => t.http.get(`/api/v1/units/${fjellvegen}/checklist?month=2027-02`).set('Authorization', leder);
  const logged = () => count(t.db, 'access_log', `endpoint = 'GET /api/v1/units/:id/checklist'`);

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    leder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', leder);
    t.clock.set('2027-02-10T08:00:00Z');
  });
  afterAll(() => t.close());

  it('answers N concurrent readers only after their N rows are committed, in fewer commits than rows', async () => {
    const before = await logged();
    await withClient(t.databaseUrl, async (blocker: Client) => {
      // Holding the table keeps every INSERT waiting: no answer may leave meanwhile.
      await blocker.query(`BEGIN`);
      await blocker.query(`LOCK TABLE access_log IN EXCLUSIVE MODE`);
      let answered = 0;
      const requests = Array.from({ length: 12 }, () => checklist().then((r) => (answered++, r)));
      // Until the first row's INSERT waits on the lock and the other eleven rows wait behind it.
      const waiting = (t.app.get(AccessLogService) as unknown as { rows: { waiting: Map<string, unknown[]> } }).rows.waiting;
      for (let waited = 0; [...waiting.values()].reduce((n, rows) => n + rows.length, 0) < 11 && waited < 30_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(0);
      await blocker.query(`COMMIT`);
      const answers = await Promise.all(requests);
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    });
    expect(await logged()).toBe(before + 12);
    // The first row's INSERT waited alone; the eleven that came meanwhile went in together (one transaction).
    const [{ commits }] = await t.db.query(
      `SELECT count(DISTINCT xmin::text)::int AS commits FROM (SELECT xmin FROM access_log WHERE endpoint = 'GET /api/v1/units/:id/checklist' ORDER BY id DESC LIMIT 12) x`,
    );
    expect(commits).toBe(2);
  });

  it('fails every request whose row could not be written, and answers none of them without it', async () => {
    const before = await logged();
    await withClient(t.databaseUrl, (owner) =>
      owner.query(`
        CREATE FUNCTION test_refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
        CREATE TRIGGER test_refuse_access_log BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION test_refuse_access_log();`),
    );
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => checklist()));
      for (const answer of answers) {
        expect(answer.status).toBe(500);
        expect(answer.body.groups).toBeUndefined();
        expect(JSON.stringify(answer.body)).not.toContain('FJV-');
      }
    } finally {
      await withClient(t.databaseUrl, (owner) => owner.query(`DROP TRIGGER test_refuse_access_log ON access_log; DROP FUNCTION test_refuse_access_log()`));
    }
    expect(await logged()).toBe(before);
    expect((await checklist()).status).toBe(200);
    expect(await logged()).toBe(before + 1);
  });

  it('signs in and checks the unit role in one statement, as the separate checks answered', async () => {
    const ansatt = await t.bearer(DEMO_PEOPLE.ansatt);
    const asen = await unitId(t.db, 'Avdeling Åsen');
    expect((await t.http.get(`/api/v1/units/${asen}/checklist?month=2027-02`).set('Authorization', ansatt)).status).toBe(403);
    expect((await t.http.get(`/api/v1/units/00000000-0000-4000-8000-000000000000/checklist?month=2027-02`).set('Authorization', ansatt)).status).toBe(404);
    // A role taken away, or a person archived, counts from the next request on: nothing is cached.
    const manager = await personId(t.db, DEMO_PEOPLE.avdelingsleder);
    const roles = await t.db.query(`SELECT id, municipality_id, person_id, unit_id, role FROM role_assignment WHERE person_id = $1`, [manager]);
    await t.db.query(`DELETE FROM role_assignment WHERE person_id = $1`, [manager]);
    try {
      expect((await checklist()).status).toBe(403);
    } finally {
      for (const r of roles) {
        await t.db.query(`INSERT INTO role_assignment (id, municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, $4, $5)`, [r.id, r.municipality_id, r.person_id, r.unit_id, r.role]);
      }
    }
    expect((await checklist()).status).toBe(200);
    await t.db.query(`UPDATE person SET archived_at = now() WHERE id = $1`, [manager]);
    try {
      const gone = await checklist();
      expect(gone.status).toBe(401);
      expect(gone.body.detail).toMatch(/no longer active/);
    } finally {
      await t.db.query(`UPDATE person SET archived_at = NULL WHERE id = $1`, [manager]);
    }
  });

  it('keeps an idle connection open past node-postgres’s 10 s, so that a burst does not wait for new ones', async () => {
    // A connection the service used and gave back sits idle in the pool; 11 s later PostgreSQL still has its backend.
    const [{ municipality_id: municipality }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [fjellvegen]);
    const runner = t.app.get(DataSource).createQueryRunner();
    const [{ pid }] = await tenantContext.run({ municipalityId: municipality }, () => runner.query(`SELECT pg_backend_pid() AS pid`));
    await runner.release();
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const backends = await t.db.query(`SELECT application_name FROM pg_stat_activity WHERE pid = $1`, [pid]);
    expect(backends).toEqual([{ application_name: 'arshjul' }]);
  }, 30_000);

  it('runs the checklist as a statement each connection prepares once, with a generic plan, and leaves no setting behind', async () => {
    const [{ municipality_id: municipality }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [fjellvegen]);
    const runner = t.app.get(DataSource).createQueryRunner();
    try {
      await tenantContext.run({ municipalityId: municipality }, async () => {
        const prepared = () =>
          runner.query(`SELECT name, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = $1`, [
            preparedStatement(CHECKLIST_SQL)!.name,
          ]);
        // The connection may have served the checklist before (the earlier tests' requests).
        const generic = (await prepared())[0]?.generic ?? 0;
        const params = [municipality, fjellvegen, '2027-02-01', '2027-02-28', false, '2027-02-10'];
        const answers = [];
        for (let i = 0; i < 3; i++) answers.push(await runner.query(CHECKLIST_SQL, params));
        expect(answers[0].length).toBeGreaterThan(0);
        expect(answers[2]).toEqual(answers[0]);
        expect(await prepared()).toEqual([{ name: expect.stringMatching(/^arshjul_/), generic: generic + 3, custom: 0 }]);
        // Every other statement keeps PostgreSQL's own choice, also after a call that failed, in a transaction or not.
        expect(await runner.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'auto' }]);
        await expect(runner.query(CHECKLIST_SQL, [municipality, fjellvegen, '2027-02-01', 'not a date', false, '2027-02-10'])).rejects.toThrow(/date/);
        expect(await runner.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'auto' }]);
        await runner.startTransaction();
        await expect(runner.query(CHECKLIST_SQL, [municipality, fjellvegen, '2027-02-01', 'not a date', false, '2027-02-10'])).rejects.toThrow(/date/);
        await runner.rollbackTransaction();
        expect(await runner.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'auto' }]);
        await runner.startTransaction();
        expect(await runner.query(CHECKLIST_SQL, params)).toEqual(answers[0]);
        expect(await runner.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'auto' }]);
        await runner.commitTransaction();
      });
    } finally {
      await runner.release();
    }
    // Through the API too: the same checklist, the access check prepared as well.
    const answer = await checklist();
    expect(answer.status).toBe(200);
    expect(answer.body.groups.length).toBeGreaterThan(0);
  });

  it('does not retag a connection for the rate limits’ counters, which no municipality’s rows hold', async () => {
    expect((await checklist()).status).toBe(200);
    // Every message the pool's connections send from now on.
    const pool = (t.app.get(DataSource).driver as unknown as { master: { _clients: Client[] } }).master;
    const sent: string[] = [];
    const restore = pool._clients.map((client) => {
      const stream = (client as unknown as { connection: { stream: { write: (chunk: Buffer, ...rest: unknown[]) => boolean } } }).connection.stream;
      const write = stream.write;
      stream.write = (chunk, ...rest) => (sent.push(chunk.toString('utf8')), write.call(stream, chunk, ...rest));
      return () => (stream.write = write);
    });
    try {
      for (let i = 0; i < 5; i++) expect((await checklist()).status).toBe(200);
    } finally {
      restore.forEach((r) => r());
    }
    expect(sent.filter((m) => m.includes('INSERT INTO rate_limit_hit')).length).toBeGreaterThanOrEqual(10); // two counters a request
    expect(sent.filter((m) => m.includes('arshjul.municipality_id'))).toEqual([]);
  });

  it('passes a generic statement’s parameters as values, whatever they hold, in one round trip with its setting, and prepares it again where the session lost it', async () => {
    // Prepared by SQL's PREPARE and called by EXECUTE with the parameters written as quoted literals.
    const echo = prepared(`SELECT $1::text AS text, $2::int AS int, $3::boolean AS yes, $4::timestamptz AS at, $5::text[] AS list, $6::text AS nothing, $7::bytea AS bytes`, {
      generic: true,
    });
    const at = new Date('2027-02-24T13:00:00.123Z');
    const values = [`it's'; DROP TABLE unit; -- \\ $1 æøå`, 42, true, at, ['a', 'b"c', "d'e"], null, Buffer.from([0, 1, 255])];
    const runner = t.app.get(DataSource).createQueryRunner();
    const client = (await runner.connect()) as Client;
    try {
      const [{ municipality_id: municipality }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [fjellvegen]);
      await tenantContext.run({ municipalityId: municipality }, async () => {
        await runner.query(echo, values); // the first call on a connection prepares it: one round trip more, once
        const sent: string[] = [];
        const stream = (client as unknown as { connection: { stream: { write: (chunk: Buffer, ...rest: unknown[]) => boolean } } }).connection.stream;
        const write = stream.write;
        stream.write = (chunk, ...rest) => (sent.push(chunk.toString('latin1')), write.call(stream, chunk, ...rest));
        const [row] = await runner.query(echo, values).finally(() => (stream.write = write));
        expect(row).toEqual({ text: values[0], int: 42, yes: true, at, list: ['a', 'b"c', "d'e"], nothing: null, bytes: Buffer.from([0, 1, 255]) });
        expect(sent.filter((m) => m.startsWith('Q'))).toHaveLength(1); // one query message: SET, EXECUTE and RESET
        expect(sent).toHaveLength(1);
        // A session that lost it (DISCARD ALL, say) prepares it again.
        await runner.query(`DEALLOCATE ${preparedStatement(echo)!.name}`);
        expect((await runner.query(echo, values))[0]).toEqual(row);
      });
      expect(await count(t.db, 'unit')).toBeGreaterThan(0);
      expect(await runner.query(`SHOW plan_cache_mode`)).toEqual([{ plan_cache_mode: 'auto' }]);
    } finally {
      await runner.release();
    }
  });

  it('the sign-off functions see and write only the tagged municipality, and never a second first record', async () => {
    const [occurrence] = await t.db.query(`SELECT id, municipality_id, unit_id FROM occurrence WHERE unit_id = $1 AND recipient_id IS NOT NULL ORDER BY deadline LIMIT 1`, [fjellvegen]);
    const signer = await personId(t.db, DEMO_PEOPLE.avdelingsleder);
    const [{ id: other }] = await t.db.query(`INSERT INTO municipality (name) VALUES ('Funksjonsvik kommune') RETURNING id`);
    const asOther = <T>(work: () => Promise<T>) => tenantContext.run({ municipalityId: other }, work);
    const [{ signing: unseen }] = await asOther(() => t.db.query(`SELECT sign_off_signing_row($1, $2, $3) AS signing`, [occurrence.id, occurrence.municipality_id, signer]));
    expect(unseen).toBeNull();
    const [{ signing }] = await tenantContext.run({ municipalityId: occurrence.municipality_id }, () =>
      t.db.query(`SELECT sign_off_signing_row($1, $2, $3) AS signing`, [occurrence.id, occurrence.municipality_id, signer]),
    );
    expect(signing).toMatchObject({ id: occurrence.id, signer_is_owner: expect.any(Boolean), standing_id: null });

    // Signed through the service, then a second first record written straight through the function is refused.
    const first = await t.http.post(`/api/v1/occurrences/${occurrence.id}/sign-offs`).set('Authorization', leder).send({ outcome: 'done' });
    expect(first.status).toBe(201);
    expect((await t.http.post(`/api/v1/occurrences/${occurrence.id}/sign-offs`).set('Authorization', leder).send({ outcome: 'done' })).status).toBe(409);
    const insert = (municipality: string, sequence: number) =>
      t.db.query(
        `SELECT * FROM sign_off_insert_after(gen_random_uuid(), $1, $2, $3, $4, 'sign_off', 'done', false, NULL, NULL, NULL, $5, 'X', now(), NULL, NULL, '{}', $6, $6, NULL, NULL)`,
        [municipality, occurrence.unit_id, sequence, occurrence.id, signer, '0'.repeat(64)],
      );
    await expect(tenantContext.run({ municipalityId: occurrence.municipality_id }, () => insert(occurrence.municipality_id, first.body.sequence + 1))).rejects.toThrow(/sign_off_first/);
    // Under another municipality's tag, row-level security refuses the row.
    await expect(asOther(() => insert(occurrence.municipality_id, first.body.sequence + 1))).rejects.toThrow(/row-level security/);
  });
  it('appends a busy unit’s sign-offs in batches with one commit, each sealed after the one before; a refused one is answered alone', async () => {
    const open = await t.db.query(
      `SELECT o.id FROM occurrence o WHERE o.unit_id = $1 AND o.standing_outcome IS NULL AND NOT EXISTS (SELECT 1 FROM sign_off s WHERE s.occurrence_id = o.id)
        ORDER BY o.deadline, o.id LIMIT 16`,
      [fjellvegen],
    );
    const before = await count(t.db, 'sign_off', 'unit_id = $1', [fjellvegen]);
    // Sixteen at once, and the first of them twice: exactly one of its two sign-offs may stand.
    const targets = [...open.map((o: { id: string }) => o.id), open[0].id];
    const answers = await Promise.all(targets.map((id) => t.http.post(`/api/v1/occurrences/${id}/sign-offs`).set('Authorization', leder).send({ outcome: 'done' })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(16);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(1);
    const chain = await t.db.query(`SELECT sequence::int, previous_hash, hash, xmin::text AS tx FROM sign_off WHERE unit_id = $1 ORDER BY sequence`, [fjellvegen]);
    expect(chain).toHaveLength(before + 16);
    chain.forEach((r: { sequence: number; previous_hash: string }, i: number) => {
      expect(r.sequence).toBe(i + 1);
      if (i > 0) expect(r.previous_hash).toBe(chain[i - 1].hash);
    });
    // The service's own verification recomputes every hash from the canonical form.
    const verified = await t.http.get(`/api/v1/audit/verify?unitId=${fjellvegen}&full=true`).set('Authorization', await t.bearer(DEMO_PEOPLE.kvalitet));
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, records: before + 16 });
  });
});
