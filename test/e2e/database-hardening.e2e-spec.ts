import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { tenantContext } from '../../src/auth/tenant-context';
import { NextYearJob } from '../../src/occurrences/services/next-year.job';
import { ADMIN_URL_VARIABLE, withClient, withDatabase } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * What the database itself guarantees under the service: each request's queries see only its own
 * municipality however busy the pool is, the service's login cannot take back an owner's rights, and no
 * unit tree (not even one an owner broke by hand) can make a query run away.
 */
describe('the database under the service', () => {
  let t: TestApp;
  let demo: string;
  let speilvik: string;
  let adminA: string;
  let adminB: string;
  let unitsA: string[];
  let unitsB: string[];

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    adminA = await t.bearer(DEMO_PEOPLE.admin);
    [{ id: demo }] = await t.db.query(`SELECT id FROM municipality WHERE name = 'Demo kommune'`);
    [{ id: speilvik }] = await t.db.query(`INSERT INTO municipality (name) VALUES ('Speilvik kommune') RETURNING id`);
    const [{ id: root }] = await t.db.query(`INSERT INTO unit (municipality_id, name) VALUES ($1, 'Speilvik helse') RETURNING id`, [speilvik]);
    await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, 'Speilvik bo')`, [speilvik, root]);
    const [{ id: person }] = await t.db.query(
      `INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'admin@speilvik.kommune.no', 'Admin Speilvik') RETURNING id`,
      [speilvik],
    );
    await t.db.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, 'admin')`, [speilvik, person, root]);
    adminB = await t.bearer('admin@speilvik.kommune.no');
    const names = async (m: string) => (await t.db.query(`SELECT name FROM unit WHERE municipality_id = $1 AND archived_at IS NULL ORDER BY name`, [m])).map((u: { name: string }) => u.name);
    unitsA = await names(demo);
    unitsB = await names(speilvik);
  });
  afterAll(() => t.close());

  describe('row-level security under load', () => {
    it('answers 400 concurrent requests of two municipalities each with its own units, and nothing else', async () => {
      const requests = Array.from({ length: 400 }, (_, n) => {
        const [bearer, expected] = n % 2 === 0 ? [adminA, unitsA] : [adminB, unitsB];
        return t.http.get('/api/v1/units').set('Authorization', bearer).then((res) => ({ status: res.status, names: res.status === 200 ? res.body.map((u: { name: string }) => u.name).sort() : res.body, expected }));
      });
      const wrong = (await Promise.all(requests)).filter((r) => r.status !== 200 || JSON.stringify(r.names) !== JSON.stringify([...r.expected].sort()));
      expect(wrong).toEqual([]);
    });

    it('lets a query that forgot its where see only the municipality it runs for, however many run at once', async () => {
      const queries = Array.from({ length: 400 }, (_, n) => {
        const municipalityId = n % 2 === 0 ? demo : speilvik;
        return tenantContext.run({ municipalityId }, async () => {
          await new Promise((r) => setImmediate(r));
          const rows: Array<{ municipality_id: string }> = await t.db.query(`SELECT DISTINCT municipality_id FROM unit`);
          return { municipalityId, seen: rows.map((r) => r.municipality_id) };
        });
      });
      const wrong = (await Promise.all(queries)).filter((q) => q.seen.length !== 1 || q.seen[0] !== q.municipalityId);
      expect(wrong).toEqual([]);
    });

    it('lets work outside any request (scheduled jobs) see every municipality, never a leftover one', async () => {
      let done = false;
      const requests = Promise.all(
        Array.from({ length: 300 }, (_, n) =>
          n % 3 === 0
            ? t.http.get('/api/v1/units').set('Authorization', n % 2 ? adminA : adminB).then((r) => r.status)
            : tenantContext.run({ municipalityId: n % 2 ? demo : speilvik }, () => t.db.query(`SELECT pg_sleep(0.001)`).then(() => 200)),
        ),
      );
      void requests.finally(() => (done = true));
      const seen: number[] = [];
      // A job's queries, one after another, while requests take and release connections around them.
      await tenantContext.exit(async () => {
        while (!done) {
          const [row] = await t.db.query(`SELECT count(DISTINCT municipality_id)::int AS n FROM unit`);
          seen.push(row.n);
        }
      });
      expect(new Set(await requests)).toEqual(new Set([200]));
      expect(new Set(seen)).toEqual(new Set([2]));
    });
  });
  describe('the service’s own login', () => {
    it('is a login of its own, not the owner acting as another role', async () => {
      const [who] = await t.db.query(`SELECT current_user, session_user`);
      expect(who).toEqual({ current_user: 'arshjul_service', session_user: 'arshjul_service' });
    });

    it('keeps one password verifier across boots, so a pooler that looked it up is not left with stale keys', async () => {
      const verifier = async () =>
        (await withClient(process.env[ADMIN_URL_VARIABLE]!, (c) => c.query(`SELECT rolpassword FROM pg_authid WHERE rolname = 'arshjul_service'`))).rows[0].rolpassword as string;
      const before = await verifier();
      expect(before).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      const again = await startTestApp({}, '2026-12-15T08:00:00Z'); // a second replica's boot sets it again
      try {
        expect(await verifier()).toBe(before);
        const [who] = await again.db.query(`SELECT session_user`); // and the login works with it
        expect(who).toEqual({ session_user: 'arshjul_service' });
      } finally {
        await again.close();
      }
    });

    it('sees no municipality’s rows on a connection of its own that carries no municipality (fail closed)', async () => {
      const url = (t.db.options as { url: string }).url;
      await withClient(url, async (raw) => {
        const count = async () => (await raw.query(`SELECT (SELECT count(*) FROM unit)::int AS units, (SELECT count(*) FROM municipality)::int AS municipalities, (SELECT count(*) FROM occurrence)::int AS occurrences`)).rows[0];
        expect(await count()).toEqual({ units: 0, municipalities: 0, occurrences: 0 });
        await raw.query(`SELECT set_config('arshjul.municipality_id', '', false)`);
        expect(await count()).toEqual({ units: 0, municipalities: 0, occurrences: 0 });
        // Only the explicit marker of work across municipalities (jobs, EVERY_MUNICIPALITY) sees them all.
        await raw.query(`SELECT set_config('arshjul.municipality_id', '*', false)`);
        expect((await count()).municipalities).toBe(2);
        await raw.query(`SELECT set_config('arshjul.municipality_id', $1, false)`, [speilvik]);
        expect(await count()).toMatchObject({ municipalities: 1, units: unitsB.length });
      });
    });

    it.each([
      ['alter a table', `ALTER TABLE sign_off ADD COLUMN x int`],
      ['rewrite a signed record', `UPDATE sign_off SET comment = 'endret'`],
      ['switch the triggers off', `SET session_replication_role = replica`],
      ['create a role', `CREATE ROLE intruder LOGIN SUPERUSER`],
      ['create a table', `CREATE TABLE stash (x int)`],
      ['become the owner', `SET ROLE arshjul`],
      ['become the owner by session', `SET SESSION AUTHORIZATION arshjul`],
    ])('cannot %s, even after RESET ROLE and SET ROLE NONE', async (_, sql) => {
      const runner = t.db.createQueryRunner();
      try {
        // What an injected statement would try first: drop whatever role the session was told to act as.
        await runner.query(`RESET ROLE`);
        await runner.query(`SET ROLE NONE`);
        await expect(runner.query(sql)).rejects.toThrow(/permission denied|must be|not permitted|privilege/);
      } finally {
        await runner.release();
      }
    });

    describe('on a managed PostgreSQL, where the owner may not create roles', () => {
      const production = {
        NODE_ENV: 'production',
        AUTH_MODE: 'entra',
        ENTRA_AUDIENCE: 'api://arshjul',
        SESSION_SECRET: 'x'.repeat(40),
        PUBLIC_BASE_URL: 'https://arshjul.example.no',
      };
      const adminUrl = () => process.env[ADMIN_URL_VARIABLE]!;
      const as = (user: string, password: string, database: string) => {
        const url = new URL(withDatabase(adminUrl(), database));
        url.username = user;
        url.password = password;
        return url.toString();
      };
      beforeAll(() =>
        withClient(adminUrl(), async (superuser) => {
          // What the platform's administrator does once (README, "Access and hardening"): the owner may not create roles.
          await superuser.query(`CREATE ROLE managed_owner LOGIN PASSWORD 'owner-secret' NOCREATEROLE`);
          await superuser.query(`CREATE DATABASE managed OWNER managed_owner`);
          await superuser.query(`GRANT arshjul_app TO managed_owner WITH ADMIN OPTION`);
        }),
      );
      afterAll(() => withClient(adminUrl(), (superuser) => superuser.query(`DROP DATABASE IF EXISTS managed WITH (FORCE)`)));

      it('refuses to start in production without a login of the service’s own, naming APP_DATABASE_URL', async () => {
        await expect(
          startTestApp({ ...production, DATABASE_URL: as('managed_owner', 'owner-secret', 'managed') }, undefined, { databaseUrl: as('managed_owner', 'owner-secret', 'managed') }),
        ).rejects.toThrow(/APP_DATABASE_URL/);
      });

      it('works as the login APP_DATABASE_URL names, with arshjul_app’s rights only', async () => {
        await withClient(adminUrl(), (superuser) => superuser.query(`CREATE ROLE managed_service LOGIN PASSWORD 'service-secret' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS IN ROLE arshjul_app`));
        const owner = as('managed_owner', 'owner-secret', 'managed');
        const app = await startTestApp({ ...production, DATABASE_URL: owner, APP_DATABASE_URL: as('managed_service', 'service-secret', 'managed') }, undefined, { databaseUrl: owner });
        try {
          expect(await app.db.query(`SELECT current_user, session_user`)).toEqual([{ current_user: 'managed_service', session_user: 'managed_service' }]);
          await expect(app.db.query(`ALTER TABLE unit ADD COLUMN x int`)).rejects.toThrow(/must be owner/);
          expect(await app.db.query(`SELECT count(*)::int AS n FROM unit`)).toEqual([{ n: 0 }]);
        } finally {
          await app.app.close();
        }
      });
    });
  });

  describe('unit moves and tree queries', () => {
    const patch = (id: string, parentId: string) => t.http.patch(`/api/v1/units/${id}`).set('Authorization', adminA).send({ parentId });

    it('never lets two crossing moves make a cycle', async () => {
      const [{ id: root }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`);
      for (let round = 0; round < 15; round++) {
        const [{ id: a }] = await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id`, [demo, root, `Kryss A${round}`]);
        const [{ id: b }] = await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id`, [demo, root, `Kryss B${round}`]);
        const [first, second] = await Promise.all([patch(a, b), patch(b, a)]);
        expect([first.status, second.status].sort()).toEqual([200, 422]);
        const refused = first.status === 422 ? first : second;
        expect(refused.body).toMatchObject({ type: '/problems/validation', errors: [{ field: 'parentId', message: expect.any(String) }] });
        const parents = await t.db.query(`SELECT id, parent_id FROM unit WHERE id IN ($1, $2)`, [a, b]);
        expect(parents.filter((u: { parent_id: string }) => u.parent_id === a || u.parent_id === b)).toHaveLength(1);
      }
    });

    it('refuses a cycle in the database itself, and answers the tree’s readers quickly even where a superuser forced one in', async () => {
      const [{ id: root }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`);
      const [{ id: a }] = await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, 'Sløyfe A') RETURNING id`, [demo, root]);
      const [{ id: b }] = await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, 'Sløyfe B') RETURNING id`, [demo, a]);
      await withClient(t.databaseUrl, async (superuser) => {
        await expect(superuser.query(`UPDATE unit SET parent_id = $2 WHERE id = $1`, [a, b])).rejects.toThrow(/cannot be moved under itself/);
        await superuser.query(`SET session_replication_role = replica`); // what it takes to get past the database's own guard
        await superuser.query(`UPDATE unit SET parent_id = $2 WHERE id = $1`, [a, b]);
      });
      const started = Date.now();
      const answers = await Promise.all([
        t.http.get(`/api/v1/units/${a}/checklist?month=2027-02&subtree=true`).set('Authorization', adminA),
        t.http.get(`/api/v1/audit/compliance?unitId=${a}&from=2027-01-01&to=2027-12-31&subtree=true`).set('Authorization', adminA),
        t.http.post(`/api/v1/units/${a}/materialize?year=2027`).set('Authorization', adminA),
        t.http.get(`/api/v1/units/${b}/roles`).set('Authorization', await t.bearer(DEMO_PEOPLE.leder)),
        patch(b, root),
      ]);
      expect(Date.now() - started).toBeLessThan(5_000);
      for (const answer of answers) expect(answer.status).toBeLessThan(500);
    });

    it('lets the December job hold its lock while it materialises for longer than a transaction may sit idle', async () => {
      // 1 s, not less: the materialiser's own transaction, which the setting bounds too, computes its rows between
      // two statements, and on a busy CI machine that once took over 300 ms.
      const strict = await startTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '1000' }, '2026-12-01T03:30:00Z');
      try {
        // The job's own transaction holds the lock, idle, while each municipality is materialised on other connections.
        const slowMaterialiser = strict.app.get(NextYearJob)['materialiser'];
        const materialise = slowMaterialiser.materialise.bind(slowMaterialiser);
        slowMaterialiser.materialise = async (...args: Parameters<typeof materialise>) => {
          await new Promise((r) => setTimeout(r, 1500));
          return materialise(...args);
        };
        expect(await strict.app.get(NextYearJob).run()).toBe(2027);
        expect(await strict.db.query(`SELECT period FROM scheduled_job_run`)).toEqual([{ period: '2027' }]);
      } finally {
        await strict.close();
      }
    });

    it('stops a statement that runs too long, and answers 503 problem+json instead of hanging', async () => {
      const slow = await startTestApp({ DATABASE_STATEMENT_TIMEOUT_MS: '300' }, '2026-12-15T08:00:00Z', { databaseUrl: t.databaseUrl });
      try {
        await expect(slow.db.query(`SELECT pg_sleep(2)`)).rejects.toThrow(/statement timeout/);
        // An owner's long migration holds the unit table: the request waits 300 ms, not minutes.
        const admin = await slow.bearer(DEMO_PEOPLE.admin);
        const res = await withClient(t.databaseUrl, async (owner) => {
          await owner.query(`BEGIN`);
          await owner.query(`LOCK TABLE unit IN ACCESS EXCLUSIVE MODE`);
          try {
            return await slow.http.get('/api/v1/units').set('Authorization', admin);
          } finally {
            await owner.query(`ROLLBACK`);
          }
        });
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ type: '/problems/timeout', status: 503 });
        expect(res.headers['retry-after']).toBe('5');
      } finally {
        await slow.app.close();
      }
    });
  });

  describe('in transaction mode (DATABASE_POOL_MODE=transaction, as behind PgBouncer)', () => {
    let tx: TestApp;
    beforeAll(async () => {
      tx = await startTestApp({ DATABASE_POOL_MODE: 'transaction', DATABASE_STATEMENT_TIMEOUT_MS: '4000' }, '2026-12-15T08:00:00Z', { databaseUrl: t.databaseUrl });
    });
    afterAll(() => tx.app.close());

    it('answers 300 concurrent requests of two municipalities each with its own units', async () => {
      // This instance has a DATA_DIR, and so a development signing key, of its own.
      const [a, b] = [await tx.bearer(DEMO_PEOPLE.admin), await tx.bearer('admin@speilvik.kommune.no')];
      // Read now: the tests of unit moves above add units to the demo municipality.
      const names = async (m: string) => (await t.db.query(`SELECT name FROM unit WHERE municipality_id = $1 AND archived_at IS NULL`, [m])).map((u: { name: string }) => u.name);
      const [nowA, nowB] = [await names(demo), await names(speilvik)];
      const requests = Array.from({ length: 300 }, (_, n) => {
        const [bearer, expected] = n % 2 === 0 ? [a, nowA] : [b, nowB];
        return tx.http.get('/api/v1/units').set('Authorization', bearer).then((res) => ({ status: res.status, names: res.status === 200 ? res.body.map((u: { name: string }) => u.name).sort() : res.body, expected }));
      });
      const wrong = (await Promise.all(requests)).filter((r) => r.status !== 200 || JSON.stringify(r.names) !== JSON.stringify([...r.expected].sort()));
      expect(wrong).toEqual([]);
    });

    it('carries the municipality and the timeout in each transaction, and leaves nothing in the session', async () => {
      const inside = await tenantContext.run({ municipalityId: speilvik }, () =>
        tx.db.query(`SELECT current_setting('arshjul.municipality_id') AS tag, current_setting('statement_timeout') AS timeout, (SELECT count(DISTINCT municipality_id) FROM unit)::int AS seen`),
      );
      expect(inside).toEqual([{ tag: speilvik, timeout: '4s', seen: 1 }]);
      // A connection of the pool, asked outside any transaction of ours (a query config object is passed on
      // as it is), carries no municipality and none of the instance's settings: the session holds nothing.
      const runner = tx.db.createQueryRunner();
      try {
        const client = (await runner.connect()) as { query(config: { text: string }): Promise<{ rows: unknown[] }> };
        const { rows } = await client.query({ text: `SELECT coalesce(current_setting('arshjul.municipality_id', true), '') AS tag, current_setting('statement_timeout') AS timeout` });
        // The login's own default (migration ServiceLoginRole), not this instance's 4 s, which only travels per transaction.
        expect(rows).toEqual([{ tag: '', timeout: '15s' }]);
      } finally {
        await runner.release();
      }
      await expect(tenantContext.run({ municipalityId: demo }, () => tx.db.query(`SELECT pg_sleep(6)`))).rejects.toThrow(/statement timeout/);
    });
  });
});
