import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * What stands on an occurrence (done, late, cancelled) is what the compliance report counts, so the service's
 * own role must not be able to change it behind the records' back, every move or cancellation must leave a
 * trace, and verification must find what was forced past both. A unit with one monthly task (the 10th) in
 * 2027: January, February, April, May and June signed, March never; today is 1 July.
 */
describe('what stands on an occurrence, its trace and its verification', () => {
  let t: TestApp;
  let unit: string;
  let wheel: string;
  let task: string;
  let admin: string;
  let manager: string;
  let kvalitet: string;
  let adminId: string;
  const recordIds: string[] = [];

  const occurrenceOn = async (deadline: string) =>
    (await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 AND deadline = $2`, [unit, deadline]))[0].id as string;
  const compliance = async () =>
    (await t.http.get(`/api/v1/audit/compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=wheel`).set('Authorization', kvalitet)).body.rows[0];
  const changes = async (query = '') => {
    const res = await t.http.get(`/api/v1/audit/occurrence-changes?unitId=${unit}${query}`).set('Authorization', kvalitet);
    expect(res.status).toBe(200);
    return res.body;
  };
  const verify = () => t.http.get(`/api/v1/audit/verify?unitId=${unit}`).set('Authorization', kvalitet);
  const verifyCommand = () =>
    spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/verify.ts', '--unit', unit], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test' },
      encoding: 'utf8',
    });
  /** As the schema's owner with every trigger switched off: what it takes to get past the database. */
  const forced = (sql: string, parameters: unknown[]) =>
    withClient(t.databaseUrl, async (owner) => {
      await owner.query(`SET session_replication_role = replica`);
      await owner.query(sql, parameters);
    });

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    adminId = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.admin]))[0].id;
    const helse = (await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`))[0].id;
    unit = (await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Spor', parentId: helse })).body.id;
    const anne = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.avdelingsleder]))[0].id;
    expect((await t.http.post(`/api/v1/units/${unit}/roles`).set('Authorization', admin).send({ personId: anne, role: 'manager' })).status).toBe(201);
    wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Sporhjul', kind: 'custom' })).body.id;
    task = (
      await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: 'Månedlig kontroll', rrule: 'FREQ=MONTHLY;BYMONTHDAY=10', responsibleRole: 'manager' })
    ).body.id;
    await t.http.post(`/api/v1/units/${unit}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect((await t.http.post(`/api/v1/units/${unit}/materialize?year=2027`).set('Authorization', manager)).body.created).toBe(12);
    for (const month of ['01', '02', '04', '05', '06']) {
      t.clock.set(`2027-${month}-09T10:00:00Z`);
      const res = await t.http
        .post(`/api/v1/occurrences/${await occurrenceOn(`2027-${month}-10`)}/sign-offs`)
        .set('Authorization', manager)
        .send({ outcome: 'done', comment: `Kontroll ${month}` });
      expect(res.status).toBe(201);
      recordIds.push(res.body.id);
    }
    t.clock.set('2027-07-01T10:00:00Z');
  });
  afterAll(() => t.close());

  it('keeps what stands out of reach of the service’s own role: the records alone set it', async () => {
    expect((await t.db.query(`SELECT current_user`))[0].current_user).toBe('arshjul_service');
    const before = await compliance();
    expect(before).toMatchObject({ planned: 12, doneOnTime: 5, overdue: 1, open: 6 });
    const march = await occurrenceOn('2027-03-10');
    await expect(t.db.query(`UPDATE occurrence SET standing_outcome = 'done' WHERE id = $1`, [march])).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`UPDATE occurrence SET standing_late = true WHERE unit_id = $1`, [unit])).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`UPDATE occurrence SET unit_id = unit_id WHERE id = $1`, [march])).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM occurrence WHERE id = $1`, [march])).rejects.toThrow(/permission denied/);
    // What it may change (a future deadline, a cancellation), it may not change on anything signed.
    const january = await occurrenceOn('2027-01-10');
    await expect(t.db.query(`UPDATE occurrence SET cancelled_at = now() WHERE id = $1`, [january])).rejects.toThrow(/has signed records/);
    await expect(t.db.query(`UPDATE occurrence SET deadline = '2027-01-20' WHERE id = $1`, [january])).rejects.toThrow(/has signed records/);
    await expect(
      t.db.query(
        `INSERT INTO occurrence (municipality_id, task_id, unit_id, scheduled_on, deadline, opens_on, standing_outcome)
         SELECT municipality_id, task_id, unit_id, '2027-03-11', '2027-03-11', '2027-03-01', 'done' FROM occurrence WHERE id = $1`,
        [march],
      ),
    ).rejects.toThrow(/permission denied/);
    expect(await compliance()).toEqual(before);
    // Creating occurrences and signing them are no changes to trace: the records are the trace of signing.
    expect((await changes()).total).toBe(0);
  });

  it('leaves a trace of a cancellation made by a raw UPDATE, which quality advisers read and nobody can erase', async () => {
    const august = await occurrenceOn('2027-08-10');
    await t.db.query(`UPDATE occurrence SET cancelled_at = now() WHERE id = $1`, [august]);
    const { items } = await changes(`&occurrenceId=${august}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ occurrenceId: august, deadline: '2027-08-10', taskTitle: 'Månedlig kontroll', actor: null, reason: null, databaseRole: 'arshjul_service' });
    expect(items[0].before).toEqual({ cancelledAt: null });
    expect(items[0].after.cancelledAt).toEqual(expect.any(String));

    await expect(t.db.query(`UPDATE occurrence_change SET reason = 'template-changed'`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM occurrence_change`)).rejects.toThrow(/permission denied/);
    await withClient(t.databaseUrl, async (owner) => {
      await expect(owner.query(`UPDATE occurrence_change SET reason = 'template-changed'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM occurrence_change`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE occurrence_change`)).rejects.toThrow(/append-only/);
    });
    expect((await t.http.get(`/api/v1/audit/occurrence-changes?unitId=${unit}`).set('Authorization', await t.bearer(DEMO_PEOPLE.ansatt))).status).toBe(403);
  });

  it('names who moved or cancelled occurrences and why, when a template or an assignment changes', async () => {
    // The 10th of July and October 2027 fall on a weekend: to the previous working day they go.
    const moved = await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task}`).set('Authorization', admin).send({ deadlineShift: 'previous' });
    expect(moved.status).toBe(200);
    const july = (await changes(`&occurrenceId=${await occurrenceOn('2027-07-09')}`)).items;
    expect(july).toEqual([
      expect.objectContaining({ reason: 'task-changed', actor: { id: adminId, displayName: 'Ada Administrator' }, before: { deadline: '2027-07-10', opensOn: '2027-06-26' }, after: { deadline: '2027-07-09', opensOn: '2027-06-25' } }),
    ]);
    // The raw cancellation of August was undone by the resynchronisation: traced too.
    const august = (await changes()).items.filter((c: { deadline: string }) => c.deadline === '2027-08-10');
    expect(august.map((c: { reason: string | null }) => c.reason)).toEqual(['task-changed', null]);

    const [assignment] = (await t.http.get(`/api/v1/units/${unit}/wheels`).set('Authorization', manager)).body;
    expect((await t.http.delete(`/api/v1/units/${unit}/wheels/${assignment.id}`).set('Authorization', manager)).status).toBe(204);
    const cancelled = (await changes(`&limit=500`)).items.filter((c: { reason: string }) => c.reason === 'wheel-assignment-removed');
    expect(cancelled.map((c: { deadline: string }) => c.deadline).sort()).toEqual(['2027-07-09', '2027-08-10', '2027-09-10', '2027-10-08', '2027-11-10', '2027-12-10']);
    expect(cancelled.every((c: { actor: { displayName: string }; after: { cancelledAt: string } }) => c.actor.displayName === 'Anne Avdelingsleder' && c.after.cancelledAt)).toBe(true);
    // Nothing signed, nothing past was touched.
    expect(await compliance()).toMatchObject({ planned: 6, doneOnTime: 5, overdue: 1, open: 0 });
  });

  it('names who closed a unit when its future occurrences are cancelled', async () => {
    const helse = (await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`))[0].id;
    const closing = (await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Lukkes', parentId: helse })).body.id;
    await t.http.post(`/api/v1/units/${closing}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    await t.http.post(`/api/v1/units/${closing}/materialize?year=2027`).set('Authorization', admin);
    const [{ n: future }] = await t.db.query(`SELECT count(*)::int AS n FROM occurrence WHERE unit_id = $1 AND cancelled_at IS NULL`, [closing]);
    expect(future).toBe(6); // July to December
    expect((await t.http.patch(`/api/v1/units/${closing}`).set('Authorization', admin).send({ archived: true })).status).toBe(200);
    // The closed unit's own endpoints answer 404 now; its trace is read from the unit above.
    const res = await t.http.get(`/api/v1/audit/occurrence-changes?unitId=${helse}&subtree=true&limit=500`).set('Authorization', kvalitet);
    const closed = res.body.items.filter((c: { unitId: string }) => c.unitId === closing);
    expect(closed).toHaveLength(6);
    expect(closed.every((c: { reason: string; actor: { id: string } }) => c.reason === 'unit-archived' && c.actor.id === adminId)).toBe(true);
  });

  it('reports an occurrence whose standing disagrees with its records, in the API and the command', async () => {
    expect((await verify()).body).toMatchObject({ valid: true, problems: [], standingProblems: [] });
    const march = await occurrenceOn('2027-03-10');
    const february = await occurrenceOn('2027-02-10');
    const may = await occurrenceOn('2027-05-10');
    await forced(`UPDATE occurrence SET standing_outcome = 'done', standing_late = false WHERE id = $1`, [march]);
    await forced(`UPDATE occurrence SET cancelled_at = now() WHERE id = $1`, [may]);
    // The owner, triggers on, leaves a trace even of this …
    await withClient(t.databaseUrl, (owner) => owner.query(`UPDATE occurrence SET standing_outcome = 'not_applicable' WHERE id = $1`, [february]));
    const [traced] = (await changes(`&occurrenceId=${february}`)).items;
    expect(traced).toMatchObject({ reason: null, actor: null, before: { standingOutcome: 'done' }, after: { standingOutcome: 'not_applicable' } });
    expect(traced.databaseRole).not.toBe('arshjul_service');
    expect(await compliance()).toMatchObject({ planned: 5, doneOnTime: 4, notApplicable: 1, overdue: 0 }); // the figures lie now …

    const res = await verify(); // … and verification says so
    expect(res.body.valid).toBe(false);
    expect(res.body.problems).toEqual([]); // the chain itself is intact
    expect(res.body.standingProblems).toEqual([
      expect.objectContaining({ occurrenceId: february, deadline: '2027-02-10', standing: { outcome: 'not_applicable', late: false, cancelled: false }, records: { outcome: 'done', late: false, recordId: recordIds[1] } }),
      expect.objectContaining({ occurrenceId: march, deadline: '2027-03-10', standing: { outcome: 'done', late: false, cancelled: false }, records: { outcome: null, late: null, recordId: null } }),
      expect.objectContaining({ occurrenceId: may, deadline: '2027-05-10', standing: { outcome: 'done', late: false, cancelled: true }, records: { outcome: 'done', late: false, recordId: recordIds[3] } }),
    ]);

    const command = verifyCommand();
    expect(command.status).toBe(1);
    expect(command.stderr).toContain(march);
    expect(command.stderr).toContain(february);
    expect(command.stderr).toContain(`the occurrence of 2027-05-10 was cancelled, so the reports leave it out, but its records say done on time (occurrence ${may})`);
    expect(JSON.parse(command.stdout).standingProblems).toHaveLength(3);
  });

  it('lists every broken link of the chain, not only the first, in the API, the command and the Internkontroll page', async () => {
    await forced(`UPDATE sign_off SET comment = 'Utført' WHERE id = $1`, [recordIds[1]]);
    await forced(`UPDATE sign_off SET comment = 'Utført' WHERE id = $1`, [recordIds[4]]);
    const res = await verify();
    expect(res.body.valid).toBe(false);
    expect(res.body.problems).toEqual([
      expect.objectContaining({ sequence: 2, recordId: recordIds[1], problem: 'altered' }),
      expect.objectContaining({ sequence: 5, recordId: recordIds[4], problem: 'altered' }),
    ]);
    expect(res.body.firstProblem).toMatchObject({ sequence: 2 });

    const command = verifyCommand();
    expect(command.status).toBe(1);
    expect(command.stderr).toContain(recordIds[1]);
    expect(command.stderr).toContain(recordIds[4]);
    expect(JSON.parse(command.stdout).problems.map((p: { sequence: number }) => p.sequence)).toEqual([2, 5]);

    // A record removed between them is named as well, and the altered ones after it still are.
    await forced(`DELETE FROM sign_off WHERE id = $1`, [recordIds[2]]);
    expect((await verify()).body.problems.map((p: { sequence: number; problem: string }) => `${p.sequence} ${p.problem}`)).toEqual(['2 altered', '4 removed', '5 altered']);

    const login = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.kvalitet, neste: '/internkontroll' });
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await t.http.get(`/internkontroll?enhet=${unit}&ar=2027&lang=en`).set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Record 2 no longer matches its hash');
    expect(page.text).toContain('Record 3 is missing before record 4');
    expect(page.text).toContain('Record 5 no longer matches its hash');
    expect(page.text).toContain('2027-03-10');
    const bokmal = await t.http.get(`/internkontroll?enhet=${unit}&ar=2027&lang=nb`).set('Cookie', cookie);
    expect(bokmal.text).toContain('Post 2 stemmer ikke lenger med sin hash');
    expect(bokmal.text).toContain('Det mangler poster foran post 4.');
    expect(bokmal.text).toContain('Post 5 stemmer ikke lenger med sin hash');
    expect(bokmal.text).toMatch(/2027-03-10<\/a>: teller som utført i tide, men postene sier ikke signert\./);
  });
});
