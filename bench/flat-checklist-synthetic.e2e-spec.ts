import { DEMO_PEOPLE } from '../src/database/seeds/demo-data';
import { unitId } from '../test/utils/demo';
import { startTestApp, TestApp } from '../test/utils/test-app';
import { withClient } from '../test/setup/test-postgres';

/**
 * Not a test (outside jest's roots): times the flat checklist («Med underenheter», and the API's subtree page)
 * of a synthetic sector of 1,000 units (10 areas of 99) against one of its units, on the test harness's
 * database: 20 monthly tasks per unit and a recipient task for 5 recipients each, January to April 2027,
 * January signed, February left overdue, asked on 15 March by the demo's administrator (who reads every
 * unit). Until the scale-0.1 data set is at hand: bench/README.md, «Flat checklist».
 *   node test/setup/test-certificate.js && NODE_EXTRA_CA_CERTS=test-artifacts/tls/cert.pem \
 *     npx jest --roots '<rootDir>/bench' bench/flat-checklist-synthetic.e2e-spec.ts
 */
jest.setTimeout(3_600_000);
describe('flat checklist, synthetic sector', () => {
  let t: TestApp;
  let sector: string;
  let one: string;
  let cookie: string;
  let bearer: string;
  beforeAll(async () => {
    t = await startTestApp({}, '2027-03-15T08:00:00Z');
    const helse = await unitId(t.db, 'Helse og omsorg');
    const [{ municipality_id: m }] = await t.db.query(`SELECT municipality_id FROM unit WHERE id = $1`, [helse]);
    [{ id: sector }] = await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) VALUES ($1, $2, 'Sektor Syntetisk') RETURNING id`, [m, helse]);
    await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) SELECT $1, $2, 'Område ' || g FROM generate_series(1, 10) g`, [m, sector]);
    await t.db.query(`INSERT INTO unit (municipality_id, parent_id, name) SELECT $1, a.id, a.name || ' enhet ' || g FROM unit a, generate_series(1, 99) g WHERE a.parent_id = $2`, [m, sector]);
    [{ id: one }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Område 1 enhet 1'`);
    await t.db.query(`INSERT INTO person (municipality_id, email, display_name) SELECT $1, 'syn' || u.id || '@demo.kommune.no', 'Leder ' || u.name FROM unit u WHERE u.name LIKE 'Område%'`, [m]);
    await t.db.query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) SELECT $1, u.id, 'S' || row_number() OVER () || '-' || g, '2026-01-01' FROM unit u, generate_series(1, 5) g WHERE u.name LIKE 'Område % enhet %'`, [m]);
    const admin0 = await t.bearer(DEMO_PEOPLE.admin);
    const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin0).send({ name: 'Syntetisk hjul', kind: 'custom' })).body.id;
    for (let g = 1; g <= 20; g++) {
      const r = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin0).send({ title: `Syntetisk oppgave ${g}`, rrule: `FREQ=MONTHLY;BYMONTHDAY=${g}`, responsibleRole: 'manager' });
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
      await t.db.query(`UPDATE task_definition SET sort_order = $2 WHERE id = $1`, [r.body.id, g]);
    }
    const rt = await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin0).send({ title: 'Syntetisk mottakeroppgave', rrule: 'FREQ=MONTHLY;BYMONTHDAY=25', responsibleRole: 'primary_contact', scope: 'recipient' });
    if (rt.status !== 201) throw new Error(JSON.stringify(rt.body));
    const rtask = rt.body.id;
    await t.db.query(`UPDATE task_definition SET sort_order = 30 WHERE id = $1`, [rtask]);
    for (const month of ['2027-01', '2027-02', '2027-03', '2027-04']) {
      await t.db.query(
        `INSERT INTO occurrence (municipality_id, task_id, unit_id, scheduled_on, deadline, opens_on)
         SELECT $1, t.id, u.id, ($3 || '-' || lpad(t.sort_order::text, 2, '0'))::date, ($3 || '-' || lpad(t.sort_order::text, 2, '0'))::date, ($3 || '-01')::date
           FROM task_definition t, unit u WHERE t.wheel_id = $2 AND t.scope = 'unit' AND u.name LIKE 'Område%'`,
        [m, wheel, month],
      );
      await t.db.query(
        `INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, scheduled_on, deadline, opens_on)
         SELECT $1, $2, r.unit_id, r.id, ($3 || '-25')::date, ($3 || '-25')::date, ($3 || '-01')::date FROM recipient r WHERE r.code LIKE 'S%'`,
        [m, rtask, month],
      );
    }
    await withClient(t.databaseUrl, (c) => c.query(`INSERT INTO occurrence_owner (occurrence_id, person_id) SELECT o.id, p.id FROM occurrence o JOIN unit u ON u.id = o.unit_id JOIN person p ON p.email = 'syn' || u.id || '@demo.kommune.no'`));
    // January signed, most of it: February left open (overdue, carried over).
    await withClient(t.databaseUrl, (c) => c.query(`UPDATE occurrence SET standing_outcome = 'done', standing_late = false WHERE deadline < '2027-02-01' AND unit_id IN (SELECT id FROM unit WHERE name LIKE 'Område%')`)).catch((e) => console.log('no update', e.message));
    await withClient(t.databaseUrl, (c) => c.query('ANALYZE'));
    const [{ n }] = await t.db.query(`SELECT count(*) AS n FROM occurrence`);
    console.log('occurrences', n);
    const admin = DEMO_PEOPLE.admin;
    const res = await t.http.post('/logg-inn').type('form').send({ email: admin, neste: '/oppgaver' });
    cookie = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    bearer = await t.bearer(admin);
  });
  afterAll(() => t?.close());

  it('times', async () => {
    const time = async (path: string, api: boolean) => {
      const once = async () => {
        const start = performance.now();
        const r = api ? await t.http.get(path).set('Authorization', bearer) : await t.http.get(path).set('Cookie', cookie);
        if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 300)}`);
        return { ms: performance.now() - start, bytes: Buffer.byteLength(r.text) };
      };
      await once();
      const runs = [await once(), await once(), await once()];
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[1];
      return `${Math.round(ms)} ms ${(runs[0].bytes / 1e6).toFixed(3)} MB`;
    };
    const out: string[] = [];
    for (const [name, unit] of [['department', one], ['top', sector]] as const) {
      out.push(`page ${name}: ${await time(`/sjekkliste?enhet=${unit}&maned=2027-03&underenheter=1`, false)}`);
      out.push(`api ${name}: ${await time(`/api/v1/units/${unit}/checklist?month=2027-03&subtree=true`, true)}`);
    }
    console.log(out.join('\n'));
  });
});
