import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { ChainHeadsJob } from '../../src/records/heads/chain-heads.job';
import { headsDigest, headsText } from '../../src/records/heads/heads-digest';
import { withClient } from '../setup/test-postgres';
import { LocalTsa } from '../utils/local-tsa';
import { MailCatcher } from '../utils/mail-catcher';
import { startTestApp, TestApp } from '../utils/test-app';

const ROOT = join(__dirname, '../..');

/**
 * Avdeling Fjellvegen gets a wheel of one monthly task (the 10th) in 2027; Anne, its manager, signs the
 * months one by one. Kari, the quality adviser of Helse og omsorg (above it), is the only one who should
 * receive the kjedeavtrykk.
 */
async function fjellvegenWithAWheel(t: TestApp): Promise<{ unit: string; sign: (deadline: string) => Promise<string> }> {
  const admin = await t.bearer(DEMO_PEOPLE.admin);
  const manager = await t.bearer(DEMO_PEOPLE.avdelingsleder);
  const [{ id: unit }] = await t.db.query(`SELECT id FROM unit WHERE name = 'Avdeling Fjellvegen'`);
  const wheel = (await t.http.post('/api/v1/wheels').set('Authorization', admin).send({ name: 'Kjedehjul', kind: 'custom' })).body.id;
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

const verifyCommand = (t: TestApp, unit: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/verify.ts', '--unit', unit], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
  });

/** What only a superuser can do, and must switch the database's own guards off for. */
const behindTheDatabasesBack = (t: TestApp, sql: string, parameters: unknown[]) =>
  withClient(t.databaseUrl, async (superuser) => {
    await superuser.query(`SET session_replication_role = replica`);
    await superuser.query(sql, parameters);
  });

describe('chain heads noted each night and mailed each week', () => {
  const mail = new MailCatcher();
  let t: TestApp;
  let second: TestApp;
  let unit: string;
  let sign: (deadline: string) => Promise<string>;
  let kvalitet: string;

  beforeAll(async () => {
    await mail.start();
    t = await startTestApp({ SMTP_URL: mail.url }, '2027-01-04T06:00:00Z');
    ({ unit, sign } = await fjellvegenWithAWheel(t));
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
  });
  afterAll(async () => {
    await second?.close();
    await t.close();
    await mail.stop();
  });

  const notedHeads = () => t.db.query(`SELECT sequence::int, hash, recorded_at FROM chain_head WHERE unit_id = $1 ORDER BY recorded_at`, [unit]);
  const chainHead = async () => (await t.db.query(`SELECT sequence::int, hash FROM sign_off WHERE unit_id = $1 ORDER BY sequence DESC LIMIT 1`, [unit]))[0];

  it('notes a unit’s head the first night, nothing the next night when the chain has not moved, and the new head when it has', async () => {
    await sign('2027-01-10');
    await sign('2027-02-10');
    const job = t.app.get(ChainHeadsJob);

    t.clock.set('2027-01-05T00:15:00Z');
    expect(await job.runNight()).toMatchObject({ batches: 1, heads: 1, stamped: 0, failed: 0 });
    expect(await notedHeads()).toEqual([{ ...(await chainHead()), recorded_at: new Date('2027-01-05T00:15:00Z') }]);

    t.clock.set('2027-01-06T00:15:00Z');
    expect(await job.runNight()).toMatchObject({ batches: 0, heads: 0 });
    expect(await notedHeads()).toHaveLength(1);

    await sign('2027-03-10');
    t.clock.set('2027-01-07T00:15:00Z');
    expect(await job.runNight()).toMatchObject({ batches: 1, heads: 1 });
    const heads = await notedHeads();
    expect(heads.map((h: { sequence: number }) => h.sequence)).toEqual([2, 3]);
    expect(heads[1].hash).toBe((await chainHead()).hash);

    // The batch's digest is SHA-256 of the canonical text the README describes, rebuilt here with sha256sum.
    const [batch] = await t.db.query(`SELECT b.digest FROM chain_head_batch b JOIN chain_head c ON c.batch_id = b.id WHERE c.unit_id = $1 AND c.sequence = 3`, [unit]);
    const text = `arshjul-chain-heads-v1\n${unit} 3 ${heads[1].hash}\n`;
    expect(headsText([{ unitId: unit, sequence: 3, hash: heads[1].hash }])).toBe(text);
    expect(execFileSync('sha256sum', { input: text }).toString().split(' ')[0]).toBe(batch.digest);
  });

  it('keeps noted heads append-only, and each municipality’s to itself', async () => {
    await expect(t.db.query(`UPDATE chain_head SET sequence = 1`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM chain_head`)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM chain_head_batch`)).rejects.toThrow(/permission denied/);
    await withClient(t.databaseUrl, async (owner) => {
      await expect(owner.query(`DELETE FROM chain_head`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE chain_head_time_stamp`)).rejects.toThrow(/append-only/);
    });
    const seen = await t.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('arshjul.municipality_id', gen_random_uuid()::text, true)`);
      return tx.query(`SELECT count(*)::int AS n FROM chain_head`);
    });
    expect(seen).toEqual([{ n: 0 }]);
  });

  it('mails the week’s kjedeavtrykk to the quality adviser only, as text and CSV, once even from two instances', async () => {
    second = await startTestApp({ SMTP_URL: mail.url }, '2027-01-04T06:00:00Z', { databaseUrl: t.databaseUrl });
    const monday = '2027-01-11T06:05:00Z'; // 07:05 in Oslo
    for (const app of [t, second]) app.clock.set(monday);
    await Promise.all([t, second].map((app) => app.app.get(ChainHeadsJob).runWeekly()));
    await Promise.all([t, second].map((app) => app.app.get(ChainHeadsJob).runWeekly()));

    expect(mail.received.map((m) => m.to)).toEqual([DEMO_PEOPLE.kvalitet]);
    const [imprint] = mail.received;
    const head = await chainHead();
    expect(imprint.subject).toBe('Årshjul – Kjedeavtrykk uke 2 – Demo kommune');
    expect(imprint.text).toContain('Avdeling Fjellvegen');
    expect(imprint.text).toContain(`post 3, kjedehode ${head.hash}`);
    expect(imprint.attachments).toHaveLength(1);
    const [csv] = imprint.attachments;
    expect(csv).toMatchObject({ filename: 'kjedeavtrykk-2027-01-11.csv', contentType: 'text/csv' });
    const lines = csv.content.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('enhet_id;enhet;post;kjedehode;notert;tidsstemplet');
    expect(lines).toContain(`${unit};Avdeling Fjellvegen;3;${head.hash};2027-01-07T00:15:00.000Z;`);

    // Unit names and hashes only: no task, comment, person or recipient code.
    const codes: Array<{ code: string }> = await t.db.query(`SELECT code FROM recipient`);
    for (const body of [imprint.text, imprint.html, csv.content]) {
      for (const { code } of codes) expect(body).not.toContain(code);
      expect(body).not.toContain('medisinrom');
      expect(body).not.toContain('Gjennomgått');
      expect(body).not.toContain('Anne');
    }

    // The rest of the week adds nothing; the next Monday brings the next one.
    for (const app of [t, second]) app.clock.set('2027-01-13T06:05:00Z');
    await t.app.get(ChainHeadsJob).runWeekly();
    expect(mail.received).toHaveLength(1);
    for (const app of [t, second]) app.clock.set('2027-01-18T06:05:00Z');
    await second.app.get(ChainHeadsJob).runWeekly();
    expect(mail.received).toHaveLength(2);
    expect(mail.received[1].subject).toContain('uke 3');
  });

  it('runs the night’s work on one instance when two start it together', async () => {
    await sign('2027-04-10');
    for (const app of [t, second]) app.clock.set('2027-01-19T00:15:00Z');
    const results = await Promise.all([t, second].map((app) => app.app.get(ChainHeadsJob).runNight()));
    const heads = (await notedHeads()).map((h: { sequence: number }) => h.sequence);
    expect(heads).toEqual([2, 3, 4]);
    expect(results.filter((r) => r && r.heads > 0)).toHaveLength(1);
  });

  it('reports the last record deleted behind the database’s back against the head noted for it, in the API and the command', async () => {
    const intact = await t.http.get(`/api/v1/audit/verify?unitId=${unit}`).set('Authorization', kvalitet);
    expect(intact.body).toMatchObject({ valid: true, records: 4, notedHeads: 3, headProblems: [], headProblemCount: 0 });
    expect(intact.body.lastNotedHead).toMatchObject({ sequence: 4, stampedAt: null });

    const [last] = await t.db.query(`SELECT id, hash FROM sign_off WHERE unit_id = $1 AND sequence = 4`, [unit]);
    await behindTheDatabasesBack(t, `DELETE FROM sign_off WHERE id = $1`, [last.id]);

    const res = await t.http.get(`/api/v1/audit/verify?unitId=${unit}`).set('Authorization', kvalitet);
    expect(res.status).toBe(200);
    // The shortened chain is whole in itself: only the noted head shows what is gone.
    expect(res.body).toMatchObject({ valid: false, records: 3, problemCount: 0, headProblemCount: 1 });
    expect(res.body.headProblems[0]).toMatchObject({ sequence: 4, hash: last.hash, problem: 'missing' });
    expect(res.body.headProblems[0].detail).toBe(
      `the chain is shorter than a head it once had: it ends at record 3, but on 2027-01-19T00:15:00.000Z its head was noted as record 4 (hash ${last.hash}). ` +
        'Record 4 was removed from the end of the chain',
    );

    const command = verifyCommand(t, unit);
    expect(command.status).toBe(1);
    expect(command.stderr).toContain('no longer holds 1 head(s) noted for it before');
    expect(command.stderr).toContain('missing: the chain is shorter than a head it once had: it ends at record 3');
    expect(JSON.parse(command.stdout).headProblems[0].sequence).toBe(4);

    // The next night notes the shorter head as it is, says so in the log, and keeps the one noted before.
    const error = jest.spyOn(Logger.prototype, 'error');
    t.clock.set('2027-01-20T00:15:00Z');
    expect(await t.app.get(ChainHeadsJob).runNight()).toMatchObject({ heads: 1 });
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ unitId: unit, noted: { sequence: 4, hash: last.hash } }), expect.stringMatching(/shorter than/));
    error.mockRestore();
    const after = await t.http.get(`/api/v1/audit/verify?unitId=${unit}`).set('Authorization', kvalitet);
    expect(after.body).toMatchObject({ valid: false, notedHeads: 4, headProblemCount: 1 });
  });

  it('reports a record replaced at a noted head’s place as disagreeing with it', async () => {
    // A forger re-signs record 3 (new content, new hash) behind the database's back.
    await behindTheDatabasesBack(t, `UPDATE sign_off SET hash = repeat('e', 64) WHERE unit_id = $1 AND sequence = 3`, [unit]);
    const res = await t.http.get(`/api/v1/audit/verify?unitId=${unit}`).set('Authorization', kvalitet);
    const differs = res.body.headProblems.find((p: { problem: string }) => p.problem === 'differs');
    expect(differs).toMatchObject({ sequence: 3 });
    expect(differs.detail).toContain(`record 3 has hash ${'e'.repeat(64)}, but the head noted on 2027-01-07T00:15:00.000Z was`);
  });
});

describe('chain heads time-stamped by an RFC 3161 authority', () => {
  const tsa = new LocalTsa();
  let t: TestApp;
  let unit: string;
  let sign: (deadline: string) => Promise<string>;
  let kvalitet: string;

  beforeAll(async () => {
    await tsa.start();
    t = await startTestApp({ TSA_URL: tsa.url, TSA_CERT_FILE: tsa.caFile, TSA_TIMEOUT_MS: '2000' }, '2027-01-04T06:00:00Z');
    ({ unit, sign } = await fjellvegenWithAWheel(t));
    kvalitet = await t.bearer(DEMO_PEOPLE.kvalitet);
  });
  afterAll(async () => {
    await t.close();
    await tsa.stop();
  });

  const verify = () => t.http.get(`/api/v1/audit/verify?unitId=${unit}`).set('Authorization', kvalitet);

  it('stamps the night’s heads, keeps a token openssl verifies on its own, and verify checks it', async () => {
    await sign('2027-01-10');
    await sign('2027-02-10');
    t.clock.set('2027-01-05T00:15:00Z');
    expect(await t.app.get(ChainHeadsJob).runNight()).toMatchObject({ batches: 1, heads: 1, stamped: 1, failed: 0 });
    expect(tsa.requests).toBe(1);

    const [kept] = await t.db.query(
      `SELECT t.token, t.tsa_url, t.stamped_at, b.digest FROM chain_head_time_stamp t JOIN chain_head_batch b ON b.id = t.batch_id JOIN chain_head c ON c.batch_id = b.id WHERE c.unit_id = $1`,
      [unit],
    );
    expect(kept.tsa_url).toBe(tsa.url);
    // openssl, knowing nothing of Årshjul, checks the token against the batch's canonical text and the CA.
    const heads = (await t.db.query(`SELECT unit_id, sequence::int, hash FROM chain_head WHERE unit_id = $1`, [unit])).map(
      (h: { unit_id: string; sequence: number; hash: string }) => ({ unitId: h.unit_id, sequence: h.sequence, hash: h.hash }),
    );
    expect(headsDigest(heads)).toBe(kept.digest);
    const dir = mkdtempSync(join(tmpdir(), 'arshjul-stamp-'));
    writeFileSync(join(dir, 'heads.txt'), headsText(heads));
    writeFileSync(join(dir, 'token.der'), kept.token);
    const openssl = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', 'token.der', '-data', 'heads.txt', '-CAfile', tsa.caFile, '-untrusted', tsa.tsaCertFile], { cwd: dir, encoding: 'utf8' });
    expect(openssl.stdout).toContain('Verification: OK');

    const res = await verify();
    expect(res.body).toMatchObject({ valid: true, timeStamps: { verified: 1, untrusted: 0 }, headProblemCount: 0 });
    expect(res.body.lastNotedHead.stampedAt).toBe(new Date(kept.stamped_at).toISOString());
  });

  it('reports the deleted last record against the stamped head', async () => {
    await behindTheDatabasesBack(t, `DELETE FROM sign_off WHERE unit_id = $1 AND sequence = 2`, [unit]);
    const res = await verify();
    expect(res.body.valid).toBe(false);
    expect(res.body.headProblems[0]).toMatchObject({ sequence: 2, problem: 'missing' });
    expect(res.body.headProblems[0].detail).toMatch(/^the chain is shorter than a head it once had: it ends at record 1, .*, time-stamped by the authority at .*\. Record 2 was removed/);
  });

  it('refuses noted heads changed under their time stamp: a forger cannot cover the deletion by rewriting the noted head', async () => {
    const [first] = await t.db.query(`SELECT hash FROM sign_off WHERE unit_id = $1 AND sequence = 1`, [unit]);
    const [noted] = await t.db.query(`SELECT hash FROM chain_head WHERE unit_id = $1 AND sequence = 2`, [unit]);
    await behindTheDatabasesBack(t, `UPDATE chain_head SET sequence = 1, hash = $2 WHERE unit_id = $1 AND sequence = 2`, [unit, first.hash]);
    const res = await verify();
    expect(res.body.valid).toBe(false);
    expect(res.body.headProblems.map((p: { problem: string }) => p.problem)).toEqual(['time-stamp-invalid']);
    expect(res.body.headProblems[0].detail).toContain('does not hold: the token stamps');
    await behindTheDatabasesBack(t, `UPDATE chain_head SET sequence = 2, hash = $2 WHERE unit_id = $1 AND sequence = 1`, [unit, noted.hash]);
    expect((await verify()).body.timeStamps).toEqual({ verified: 1, untrusted: 0 });
  });

  it('refuses a kept token changed by one byte', async () => {
    await behindTheDatabasesBack(t, `UPDATE chain_head_time_stamp SET token = set_byte(token, length(token) - 20, get_byte(token, length(token) - 20) # 1)`, []);
    const res = await verify();
    const invalid = res.body.headProblems.find((p: { problem: string }) => p.problem === 'time-stamp-invalid');
    expect(invalid.detail).toMatch(/^the time stamp over the heads noted on 2027-01-05T00:15:00.000Z does not hold: the token’s signature does not verify/);
    expect(res.body.timeStamps.verified).toBe(0);

    const command = verifyCommand(t, unit, { TSA_CERT_FILE: tsa.caFile });
    expect(command.status).toBe(1);
    expect(command.stderr).toContain('time-stamp-invalid: the time stamp over the heads noted on');
  });

  it('keeps no token from an authority it does not trust, and tries again the next night', async () => {
    const stranger = await new LocalTsa().start();
    const untrusting = await startTestApp({ TSA_URL: stranger.url, TSA_CERT_FILE: tsa.caFile }, '2027-01-04T06:00:00Z');
    try {
      const { sign: signThere } = await fjellvegenWithAWheel(untrusting);
      await signThere('2027-01-10');
      const warn = jest.spyOn(Logger.prototype, 'warn');
      expect(await untrusting.app.get(ChainHeadsJob).runNight()).toMatchObject({ heads: 1, stamped: 0, failed: 1 });
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: { message: expect.stringMatching(/does not verify/) } }), expect.stringMatching(/tried again/));
      warn.mockRestore();
      expect(await untrusting.db.query(`SELECT count(*)::int AS n FROM chain_head_time_stamp`)).toEqual([{ n: 0 }]);
    } finally {
      await untrusting.close();
      await stranger.stop();
    }
  });

  it('lets an authority that hangs stall nothing: the heads are noted, the failure logged, the stamp made the next night', async () => {
    await sign('2027-03-10');
    tsa.hang = true;
    const warn = jest.spyOn(Logger.prototype, 'warn');
    t.clock.set('2027-01-06T00:15:00Z');
    const started = Date.now();
    expect(await t.app.get(ChainHeadsJob).runNight()).toMatchObject({ batches: 1, heads: 1, stamped: 0, failed: 1 });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ tsaUrl: tsa.url, err: { message: 'no answer within 2000 ms' } }), expect.stringMatching(/tried again at the next run/));
    warn.mockRestore();
    // Meanwhile the service answers as usual.
    expect((await verify()).status).toBe(200);

    tsa.hang = false;
    t.clock.set('2027-01-07T00:15:00Z');
    expect(await t.app.get(ChainHeadsJob).runNight()).toMatchObject({ batches: 0, stamped: 1, failed: 0 });
  });
});
