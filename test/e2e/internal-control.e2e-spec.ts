import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { withClient } from '../setup/test-postgres';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * A unit with one hand-made wheel, so every figure can be counted by hand:
 *   monthly on the 10th (12 occurrences) and once on 15 February (1) in 2027.
 *   10 Jan signed on 9 Jan (on time); 10 Feb signed on 12 Feb (late); 15 Feb not applicable on 14 Feb;
 *   10 Mar never signed; today is 1 April, so April to December are open.
 */
/** Reads a response body as UTF-8 text, whatever its content type. */
const asText = (response: unknown, done: (error: Error | null, body: string) => void) => {
  const stream = response as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => done(null, body));
};

describe('the internal control record, as a quality adviser reads it', () => {
  let t: TestApp;
  let unit: string;
  let admin: string;
  let manager: string;
  let kvalitet: string;
  const recordIds: string[] = [];

  const occurrenceOn = async (deadline: string) =>
    (await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 AND deadline = $2`, [unit, deadline]))[0].id as string;
  const signAt = async (instant: string, deadline: string, body: object) => {
    t.clock.set(instant);
    const res = await t.http.post(`/api/v1/occurrences/${await occurrenceOn(deadline)}/sign-offs`).set('Authorization', manager).send(body);
    expect(res.status).toBe(201);
    recordIds.push(res.body.id);
  };
  const get = (path: string, as = kvalitet) => t.http.get(`/api/v1/audit/${path}`).set('Authorization', as);

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
    // Directly under Helse og omsorg, whose only wheel is not inherited; Anne manages it, Kari audits it.
    const helse = (await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`))[0].id;
    const created = await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Test', parentId: helse });
    unit = created.body.id;
    const anne = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.avdelingsleder]))[0].id;
    expect((await t.http.post(`/api/v1/units/${unit}/roles`).set('Authorization', admin).send({ personId: anne, role: 'manager' })).status).toBe(201);
    const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Testhjul', kind: 'custom' })).body.id;
    for (const rrule of ['FREQ=MONTHLY;BYMONTHDAY=10', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=15']) {
      expect((await t.http.post(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin).send({ title: `Oppgave ${rrule}`, rrule, responsibleRole: 'manager' })).status).toBe(201);
    }
    await t.http.post(`/api/v1/units/${unit}/wheels`).set('Authorization', admin).send({ wheelId: wheel, fromYear: 2027, includeSubunits: false });
    expect((await t.http.post(`/api/v1/units/${unit}/materialize?year=2027`).set('Authorization', manager)).body.created).toBe(13);

    await signAt('2027-01-09T10:00:00Z', '2027-01-10', { outcome: 'done' });
    await signAt('2027-02-12T10:00:00Z', '2027-02-10', { outcome: 'done', comment: 'Forsinket – «sykdom i personalgruppen»' });
    await signAt('2027-02-14T10:00:00Z', '2027-02-15', { outcome: 'not_applicable', comment: 'Avdelingen stengt' });
    t.clock.set('2027-04-01T10:00:00Z');
  });
  afterAll(() => t.close());

  it('counts compliance by month exactly as by hand', async () => {
    const res = await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=month`);
    expect(res.status).toBe(200);
    const row = (month: string) => res.body.rows.find((r: { group: string }) => r.group === month);
    expect(row('2027-01')).toEqual({ group: '2027-01', planned: 1, doneOnTime: 1, doneLate: 0, notApplicable: 0, overdue: 0, open: 0, shareOnTime: 1 });
    expect(row('2027-02')).toEqual({ group: '2027-02', planned: 2, doneOnTime: 0, doneLate: 1, notApplicable: 1, overdue: 0, open: 0, shareOnTime: 0 });
    expect(row('2027-03')).toEqual({ group: '2027-03', planned: 1, doneOnTime: 0, doneLate: 0, notApplicable: 0, overdue: 1, open: 0, shareOnTime: 0 });
    expect(row('2027-04')).toEqual({ group: '2027-04', planned: 1, doneOnTime: 0, doneLate: 0, notApplicable: 0, overdue: 0, open: 1, shareOnTime: null });
    expect(res.body.rows).toHaveLength(12);
  });

  it('counts by wheel, role and person', async () => {
    const total = { planned: 13, doneOnTime: 1, doneLate: 1, notApplicable: 1, overdue: 1, open: 9, shareOnTime: 0.333 };
    expect((await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=wheel`)).body.rows).toEqual([{ group: 'Testhjul', ...total }]);
    expect((await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=role`)).body.rows).toEqual([{ group: 'manager', ...total }]);
    expect((await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=person`)).body.rows).toEqual([{ group: 'Anne Avdelingsleder', ...total }]);
  });

  it('gives the same figures as a CSV that Norwegian Excel opens', async () => {
    const res = await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=month&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('etterlevelse-2027-01-01-2027-12-31.csv');
    const lines = res.text.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('Måned;Planlagt;Utført i tide;Utført for sent;Ikke aktuelt;Forfalt;Åpen;Andel i tide (%)');
    expect(lines[1]).toBe('2027-01;1;1;0;0;0;0;100');
    expect(lines[2]).toBe('2027-02;2;0;1;1;0;0;0');
    expect(lines[4]).toBe('2027-04;1;0;0;0;0;1;');
  });

  it('gives the same figures as an XLSX with Norwegian headers and months as dates', async () => {
    const res = await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31&groupBy=month&format=xlsx`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body);
    const sheet = workbook.getWorksheet('Etterlevelse')!;
    expect(sheet.getRow(3).values).toEqual([undefined, 'Måned', 'Planlagt', 'Utført i tide', 'Utført for sent', 'Ikke aktuelt', 'Forfalt', 'Åpen', 'Andel i tide']);
    const february = sheet.getRow(5);
    expect(february.getCell(1).value).toEqual(new Date(Date.UTC(2027, 1, 1)));
    expect(february.getCell(1).numFmt).toBe('mmmm yyyy');
    expect([2, 3, 4, 5, 6, 7].map((c) => february.getCell(c).value)).toEqual([2, 0, 1, 1, 0, 0]);
    expect(sheet.getRow(4).getCell(8).value).toBe(1);
  });

  it('lists the records behind the figures, filtered and paginated', async () => {
    const all = await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31`);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((r: { outcome: string }) => r.outcome)).toEqual(['done', 'done', 'not_applicable']);
    const notApplicable = await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31&outcome=not_applicable`);
    expect(notApplicable.body.items).toHaveLength(1);
    const page1 = await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31&limit=2`);
    expect(page1.body).toMatchObject({ limit: 2, total: 3 });
    const page2 = await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ limit: 2, total: 3, nextCursor: null });
    expect(page2.body.items).toHaveLength(1);
    // Staff see only the records they signed themselves: none here.
    const [{ id: siri }] = await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    await t.http.post(`/api/v1/units/${unit}/roles`).set('Authorization', admin).send({ personId: siri, role: 'staff' });
    const asStaff = await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31`, await t.bearer(DEMO_PEOPLE.ansatt));
    expect(asStaff.status).toBe(200);
    expect(asStaff.body.total).toBe(0);
  });

  it('verifies an intact chain', async () => {
    const res = await get(`verify?unitId=${unit}`);
    expect(res.body).toMatchObject({ unitId: unit, records: 3, valid: true, firstProblem: null });
    expect(res.body.chainHead).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exports the chain with a manifest that sha256sum and the README’s script verify offline', async () => {
    const res = await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31&format=jsonl`).buffer(true).parse(asText);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text: string = res.body;
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(4);
    const manifest = JSON.parse(lines[3]).manifest;
    expect(manifest).toMatchObject({ records: 3, firstSequence: 1, lastSequence: 3, previousHashOfFirst: '0'.repeat(64) });
    expect(execFileSync('sha256sum', { input: lines[2] }).toString().split(' ')[0]).toBe(manifest.chainHead);

    const dir = mkdtempSync(join(tmpdir(), 'arshjul-export-'));
    writeFileSync(join(dir, 'internkontroll.jsonl'), text);
    const script = /<!-- verify-export:start -->\s*```sh\n([\s\S]*?)```/.exec(readFileSync(join(__dirname, '../../README.md'), 'utf8'))![1];
    const intact = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(intact.stdout).toContain(`last hash: ${manifest.chainHead}`);
    expect(intact.stdout).toContain('chain intact: yes');

    // An inspector's copy with one comment changed no longer verifies.
    writeFileSync(join(dir, 'internkontroll.jsonl'), text.replace('Avdelingen stengt', 'Avdelingen åpen'));
    const tampered = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(tampered.stdout).not.toContain(`last hash: ${manifest.chainHead}`);
    writeFileSync(join(dir, 'internkontroll.jsonl'), text.replace('sykdom', 'ferie'));
    expect(spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' }).stdout).toContain('chain intact: no');
  });

  it('names the record a superuser altered with the triggers switched off, in the API and the command', async () => {
    await withClient(t.databaseUrl, async (superuser) => {
      await superuser.query(`SET session_replication_role = replica`); // what a superuser must do to get past the trigger
      await superuser.query(`UPDATE sign_off SET comment = 'Utført i tide' WHERE id = $1`, [recordIds[1]]);
    });
    const res = await get(`verify?unitId=${unit}`);
    expect(res.body.valid).toBe(false);
    expect(res.body.firstProblem).toMatchObject({ sequence: 2, recordId: recordIds[1], problem: 'altered' });

    const command = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/verify.ts', '--unit', unit], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test' },
      encoding: 'utf8',
    });
    expect(command.status).toBe(1);
    expect(command.stderr).toContain(recordIds[1]);
    expect(JSON.parse(command.stdout).firstProblem.problem).toBe('altered');
  });

  it('names a removed record', async () => {
    await withClient(t.databaseUrl, async (superuser) => {
      await superuser.query(`SET session_replication_role = replica`);
      await superuser.query(`DELETE FROM sign_off WHERE id = $1`, [recordIds[1]]);
    });
    const res = await get(`verify?unitId=${unit}`);
    expect(res.body.firstProblem).toMatchObject({ sequence: 3, problem: 'removed', detail: 'record 2 is missing before record 3' });
  });

  it('logs administrative changes with who, when, before and after, and keeps the log append-only', async () => {
    const tasks = (await t.http.get(`/api/v1/wheels?library=false`).set('Authorization', admin)).body;
    const wheel = tasks.find((w: { name: string }) => w.name === 'Testhjul').id;
    const [task] = (await t.http.get(`/api/v1/wheels/${wheel}/tasks`).set('Authorization', admin)).body;
    await t.http.patch(`/api/v1/wheels/${wheel}/tasks/${task.id}`).set('Authorization', admin).send({ storedIn: 'Compilo' });

    const res = await get('log?entity=task');
    expect(res.status).toBe(200);
    const [latest] = res.body.items;
    expect(latest).toMatchObject({ action: 'updated', entity: 'task', entityId: task.id, actor: { displayName: 'Ada Administrator' } });
    expect(latest.before.storedIn).toBeNull();
    expect(latest.after.storedIn).toBe('Compilo');
    const all = await get('log?limit=500');
    expect(all.body.items.map((e: { entity: string; action: string }) => `${e.entity}:${e.action}`)).toEqual(
      expect.arrayContaining(['unit:created', 'role_assignment:assigned', 'wheel:created', 'task:created', 'wheel_assignment:assigned']),
    );
    expect((await get('log', await t.bearer(DEMO_PEOPLE.ansatt))).status).toBe(403);
    await expect(t.db.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/permission denied/);
    await withClient(t.databaseUrl, async (psql) => {
      await expect(psql.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
      await expect(psql.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    });
  });

  it.each([
    ['a month 13', 'compliance?unitId=UNIT&from=2027-13-01&to=2027-12-31', 'from'],
    ['a day that does not exist', 'compliance?unitId=UNIT&from=2027-02-30&to=2027-12-31', 'from'],
    ['an end before the start', 'compliance?unitId=UNIT&from=2027-12-31&to=2027-01-01', 'to'],
    ['an unknown grouping', 'compliance?unitId=UNIT&from=2027-01-01&to=2027-12-31&groupBy=year', 'groupBy'],
    ['an unknown format', 'compliance?unitId=UNIT&from=2027-01-01&to=2027-12-31&format=pdf', 'format'],
    ['a page size too large', 'records?unitId=UNIT&from=2027-01-01&to=2027-12-31&limit=5000', 'limit'],
  ])('answers %s with 422 naming the field', async (_, path, field) => {
    const res = await get(path.replace('UNIT', unit));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('neutralises names that a spreadsheet would run as formulas: text in CSV, string cells in XLSX', async () => {
    const helse = (await t.db.query(`SELECT id FROM unit WHERE name = 'Helse og omsorg'`))[0].id;
    const formel = (await t.http.post('/api/v1/units').set('Authorization', admin).send({ name: 'Avdeling Formel', parentId: helse })).body.id;
    const anne = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.avdelingsleder]))[0].id;
    await t.http.post(`/api/v1/units/${formel}/roles`).set('Authorization', admin).send({ personId: anne, role: 'manager' });
    // (Names are trimmed on input, so a leading tab or CR never reaches a file; compliance-files.spec.ts covers them.)
    const names = ['=HYPERLINK("http://evil")', '@SUM(1)', '-2+3', '+1'];
    for (const name of names) {
      const wheel = await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name, kind: 'custom' });
      expect(wheel.status).toBe(201);
      await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', admin).send({ title: 'Oppgave', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1', responsibleRole: 'manager' });
      await t.http.post(`/api/v1/units/${formel}/wheels`).set('Authorization', admin).send({ wheelId: wheel.body.id, fromYear: 2027, includeSubunits: false });
    }
    await t.http.post(`/api/v1/units/${formel}/materialize?year=2027`).set('Authorization', manager);
    const period = `compliance?unitId=${formel}&from=2027-01-01&to=2027-12-31&groupBy=wheel`;

    const csv = await get(`${period}&format=csv`);
    const rows = await new Promise<string[][]>((resolve, reject) => {
      const read: string[][] = [];
      parseString(csv.text.replace(/^\ufeff/, ''), { delimiter: ';' }).on('data', (r: string[]) => read.push(r)).on('end', () => resolve(read)).on('error', reject);
    });
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(names.map((n) => `'${n}`).sort());
    expect(rows.slice(1).every((r) => r[1] === '1')).toBe(true); // the figures stay plain numbers

    const xlsx = await get(`${period}&format=xlsx`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    const sheet = workbook.getWorksheet('Etterlevelse')!;
    const cells = names.map((_, i) => sheet.getRow(4 + i).getCell(1));
    expect(cells.map((c) => c.value).sort()).toEqual([...names].sort());
    expect(cells.every((c) => c.type === ExcelJS.ValueType.String && c.formula === undefined)).toBe(true);
  });

  it('keeps the audit pages from staff, and the export from staff too', async () => {
    const staff = await t.bearer(DEMO_PEOPLE.ansatt);
    const [{ id: siri }] = await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.ansatt]);
    await t.http.post(`/api/v1/units/${unit}/roles`).set('Authorization', admin).send({ personId: siri, role: 'staff' });
    expect((await get(`compliance?unitId=${unit}&from=2027-01-01&to=2027-12-31`, staff)).status).toBe(403);
    expect((await get(`verify?unitId=${unit}`, staff)).status).toBe(403);
    expect((await get(`records?unitId=${unit}&from=2027-01-01&to=2027-12-31&format=jsonl`, staff)).status).toBe(403);
  });
});
