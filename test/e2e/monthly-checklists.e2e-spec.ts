import { DataSource } from 'typeorm';
import { DEV_TOKENS } from '../../src/auth/auth.service';
import { DevTokens } from '../../src/auth/dev-tokens';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { ChecklistService } from '../../src/occurrences/services/checklist.service';
import { MonthlyChecklists } from '../../src/notifications/services/monthly-checklists';
import { PlannedMessage } from '../../src/notifications/services/reminder-planner';
import { RemindersService } from '../../src/notifications/services/reminders.service';
import { referenceMonthlyChecklists } from '../utils/monthly-checklists-reference';
import { severalMunicipalities } from '../utils/several-municipalities';
import { startTestApp, TestApp } from '../utils/test-app';

const MORNING = '2027-03-01T06:30:00Z'; // Monday 1 March 2027, 07:30 in Oslo: the first working day of March

/**
 * Four municipalities like the demo one, each a little different, so every kind of row a monthly checklist
 * has is there: overdue from earlier months, signed and open rows of the month, duties per person (one
 * signed), «Ingen ansvarlig» (a municipality without primary contacts), an archived unit, two managers of one
 * unit (one in English, on Teams too) and a unit's Teams channel.
 */
async function fourMunicipalities(t: TestApp): Promise<string[]> {
  const ids = await severalMunicipalities(t.app, 4, 2027, async (db, municipalityId, index) => {
    if (index === 1) {
      await db.query(`DELETE FROM recipient_primary_contact WHERE municipality_id = $1`, [municipalityId]);
      await db.query(`DELETE FROM role_assignment WHERE municipality_id = $1 AND role = 'primary_contact'`, [municipalityId]);
    }
    if (index === 2) {
      const [leder] = await db.query(`SELECT id FROM person WHERE municipality_id = $1 AND email = $2`, [municipalityId, DEMO_PEOPLE.leder]);
      await db.query(`INSERT INTO notification_preference (person_id, email, teams, language) VALUES ($1, true, true, 'en')`, [leder.id]);
    }
  });
  const [demo] = ids;
  const [fjellvegen] = await t.db.query(`SELECT id FROM unit WHERE municipality_id = $1 AND name = 'Avdeling Fjellvegen'`, [demo]);
  await t.db.query(`UPDATE unit SET teams_webhook_url = 'https://example.org/workflows/fjellvegen' WHERE id = $1`, [fjellvegen.id]);
  const [deputy] = await t.db.query(
    `INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'nestleder@demo.kommune.no', 'Nina Nestleder') RETURNING id`,
    [demo],
  );
  await t.db.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, 'manager')`, [demo, deputy.id, fjellvegen.id]);
  await t.db.query(`INSERT INTO notification_preference (person_id, email, teams, language) VALUES ($1, true, true, 'en')`, [deputy.id]);
  await t.db.query(`UPDATE unit SET archived_at = now() WHERE municipality_id = $1 AND name = 'Avdeling Åsen'`, [ids[3]]);
  // Two wheels of one name in a municipality: their rows interleave by deadline, and each checklist groups
  // them by which wheel comes first in it (the planning orders such a municipality's checklists one by one).
  const wheels = await t.db.query(
    `SELECT DISTINCT w.id, w.name FROM wheel w JOIN occurrence o ON o.task_id IN (SELECT id FROM task_definition WHERE wheel_id = w.id)
      WHERE o.municipality_id = $1 ORDER BY w.name LIMIT 2`,
    [ids[2]],
  );
  expect(wheels).toHaveLength(2);
  await t.db.query(`UPDATE wheel SET name = $2 WHERE id = $1`, [wheels[1].id, wheels[0].name]);

  // Sign-offs in the demo municipality: one of February's (so it is not overdue), and one person's duty of 1 March.
  const signAs = async (email: string, occurrenceId: string) => {
    const [p] = await t.db.query(`SELECT id, municipality_id, email FROM person WHERE municipality_id = $1 AND email = $2`, [demo, email]);
    const token = await t.app.get<DevTokens>(DEV_TOKENS).issue({ personId: p.id, municipalityId: p.municipality_id, email: p.email });
    const res = await t.http.post(`/api/v1/occurrences/${occurrenceId}/sign-offs`).set('Authorization', `Bearer ${token}`).send({ outcome: 'done' });
    expect(res.status).toBe(201);
  };
  const [february] = await t.db.query(
    `SELECT o.id FROM occurrence o JOIN recipient r ON r.id = o.recipient_id WHERE o.municipality_id = $1 AND r.code = 'FJV-002' AND o.deadline = '2027-02-26'`,
    [demo],
  );
  await signAs(DEMO_PEOPLE.primaer, february.id);
  const [ownDuty] = await t.db.query(
    `SELECT o.id FROM occurrence o JOIN person p ON p.id = o.person_id WHERE o.municipality_id = $1 AND p.email = $2 AND o.deadline = '2027-03-01'`,
    [demo, DEMO_PEOPLE.ansatt],
  );
  await signAs(DEMO_PEOPLE.ansatt, ownDuty.id);

  // An item of March with three owners whose names sort differently by code point and by the database's
  // collation, one of them (a fault in the data) from another municipality: the planning names owners
  // from people read once, and must name and order them as the checklist does.
  const [shared] = await t.db.query(
    `SELECT o.id FROM occurrence o JOIN unit u ON u.id = o.unit_id WHERE o.municipality_id = $1 AND u.name = 'Avdeling Fjellvegen'
        AND o.deadline BETWEEN '2027-03-01' AND '2027-03-31' AND o.person_id IS NULL ORDER BY o.deadline, o.id LIMIT 1`,
    [demo],
  );
  const [lower] = await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'aase@demo.kommune.no', 'aase Liten') RETURNING id`, [demo]);
  const [stranger] = await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'zed@annen.kommune.no', 'Zed Annen') RETURNING id`, [ids[1]]);
  const [accented] = await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'ase@demo.kommune.no', 'Åse Aksent') RETURNING id`, [demo]);
  for (const person of [lower, stranger, accented]) {
    await t.db.query(`INSERT INTO occurrence_owner (occurrence_id, person_id) VALUES ($1, $2)`, [shared.id, person.id]);
  }
  return ids;
}

/** What the set-based planning must equal: the old planning, one checklist per manager. */
async function reference(t: TestApp, municipalities: string[], today: string): Promise<PlannedMessage[]> {
  const planned: PlannedMessage[] = [];
  for (const m of municipalities) planned.push(...(await referenceMonthlyChecklists(t.db, t.app.get(ChecklistService), 'http://localhost:3000', m, today)));
  return planned;
}

async function outboxRows(db: DataSource, forDate: string) {
  return db.query(
    `SELECT n.dedupe_key, n.municipality_id, n.channel, n.person_id, n.unit_id, n.address, n.subject, n.body_text, n.body_html,
            ARRAY(SELECT i.occurrence_id FROM notification_item i WHERE i.notification_id = n.id ORDER BY i.occurrence_id) AS items
       FROM notification n WHERE n.kind = 'monthly_checklist' AND n.for_date = $1 ORDER BY n.dedupe_key`,
    [forDate],
  );
}

function asOutboxRows(planned: PlannedMessage[]) {
  return planned
    .map((p) => ({
      dedupe_key: p.dedupeKey, municipality_id: p.municipalityId, channel: p.channel, person_id: p.personId, unit_id: p.unitId, address: p.address,
      subject: p.message.subject, body_text: p.message.text, body_html: p.message.html, items: [...p.itemIds].sort(),
    }))
    .sort((a, b) => (a.dedupe_key < b.dedupe_key ? -1 : 1));
}

describe('the first working day planned with set-based statements', () => {
  let t: TestApp;
  let municipalities: string[];
  beforeAll(async () => {
    t = await startTestApp({}, '2027-02-24T08:00:00Z');
    municipalities = await fourMunicipalities(t);
    t.clock.set(MORNING);
  }, 120_000);
  afterAll(() => t.close());

  it('plans exactly the messages the per-manager checklists made: recipients, contents, items and keys', async () => {
    for (const today of ['2027-03-01', '2027-02-01']) {
      const expected = await reference(t, municipalities, today);
      const planned: PlannedMessage[] = [];
      for (const m of municipalities) planned.push(...(await t.app.get(MonthlyChecklists).plan(m, today)));
      expect(planned).toEqual(expected);
      // All four in one batch, as a replica claims small municipalities: the same messages, in the same order.
      expect(await t.app.get(MonthlyChecklists).planMornings(municipalities.map((municipalityId) => ({ municipalityId, today })))).toEqual(expected);
    }
    // The data set has every kind of row (or the comparison above would prove little).
    const march = await reference(t, municipalities, '2027-03-01');
    const text = march.map((p) => p.message.text).join('\n');
    expect(march.map((p) => p.channel).sort()).toEqual(expect.arrayContaining(['email', 'teams', 'teams_channel']));
    expect(text).toContain('Forfalt fra tidligere måneder');
    expect(text).toContain('Ingen ansvarlig');
    expect(text).toContain('Overdue from earlier months');
    expect(text).toContain('Ansatte registrerer ferieønsker');
    expect(text).toContain('Zed Annen');
    expect(march.filter((p) => p.itemIds.length > 50).length).toBeGreaterThan(0);
    expect(new Set(march.map((p) => p.municipalityId)).size).toBe(4);
  });

  it('a reminder pass queues those messages in the outbox, once however often it runs', async () => {
    const expected = asOutboxRows(await reference(t, municipalities, '2027-03-01'));
    const first = await t.app.get(RemindersService).pass();
    expect(first.failed).toBe(0);
    expect(await outboxRows(t.db, '2027-03-01')).toEqual(expected);
    const again = await t.app.get(RemindersService).pass();
    expect(again.queued).toBe(0);
    expect(await outboxRows(t.db, '2027-03-01')).toHaveLength(expected.length);
    const mornings = await t.db.query(`SELECT municipality_id, claims, planned_at IS NOT NULL AS planned FROM reminder_morning WHERE for_date = '2027-03-01'`);
    expect(mornings).toHaveLength(4);
    expect(mornings.every((m: { claims: number; planned: boolean }) => m.claims === 1 && m.planned)).toBe(true);
  });
});

describe('three replicas planning the same morning', () => {
  const replicas: TestApp[] = [];
  let municipalities: string[];
  let expected: ReturnType<typeof asOutboxRows>;
  const setClocks = (instant: string) => replicas.forEach((r) => r.clock.set(instant));
  const passAll = () => Promise.all(replicas.map((r) => r.app.get(RemindersService).pass()));

  beforeAll(async () => {
    replicas.push(await startTestApp({ REMINDER_LEASE_SECONDS: '120' }, '2027-02-24T08:00:00Z'));
    municipalities = await fourMunicipalities(replicas[0]);
    for (let i = 0; i < 2; i++) replicas.push(await startTestApp({ REMINDER_LEASE_SECONDS: '120' }, MORNING, { databaseUrl: replicas[0].databaseUrl }));
    setClocks(MORNING);
    expected = asOutboxRows(await reference(replicas[0], municipalities, '2027-03-01'));
  }, 180_000);
  afterAll(async () => {
    for (const r of [...replicas].reverse()) await r.close();
  });

  it('plans each municipality once, on one replica, and queues each message once', async () => {
    const db = replicas[0].db;
    // A replica that claimed the fourth municipality and was killed (SIGKILL) before planning it.
    await db.query(
      `INSERT INTO reminder_morning (municipality_id, for_date, claimed_by, claimed_at, lease_until) VALUES ($1, '2027-03-01', 'killed-replica', $2, $3)`,
      [municipalities[3], MORNING, '2027-03-01T06:32:00Z'],
    );
    const results = await passAll();
    expect(results.every((r) => r.failed === 0)).toBe(true);
    const planned = await db.query(`SELECT municipality_id, claimed_by, claims FROM reminder_morning WHERE for_date = '2027-03-01' AND planned_at IS NOT NULL`);
    expect(planned.map((m: { municipality_id: string }) => m.municipality_id).sort()).toEqual(municipalities.slice(0, 3).sort());
    expect(planned.every((m: { claims: number }) => m.claims === 1)).toBe(true);
    // Nothing of the killed replica's municipality yet; everything of the others, once.
    expect(await outboxRows(db, '2027-03-01')).toEqual(expected.filter((r) => r.municipality_id !== municipalities[3]));

    // Within the lease nobody takes it; after it, one replica does.
    setClocks('2027-03-01T06:31:59Z');
    await passAll();
    expect(await outboxRows(db, '2027-03-01')).toHaveLength(expected.filter((r) => r.municipality_id !== municipalities[3]).length);
    setClocks('2027-03-01T06:32:00Z');
    await passAll();
    expect(await outboxRows(db, '2027-03-01')).toEqual(expected);
    const [takenOver] = await db.query(`SELECT claimed_by, claims, planned_at IS NOT NULL AS planned FROM reminder_morning WHERE municipality_id = $1 AND for_date = '2027-03-01'`, [
      municipalities[3],
    ]);
    expect(takenOver).toMatchObject({ claims: 2, planned: true });
    expect(takenOver.claimed_by).not.toBe('killed-replica');
  });

  it('a replica that fails while planning gives its municipality back, and another plans it at its next pass', async () => {
    const db = replicas[0].db;
    setClocks('2027-04-01T06:30:00Z'); // Thursday 1 April 2027: the first working day of April
    const failing = replicas[1].app.get(MonthlyChecklists);
    const spy = jest.spyOn(failing, 'planMornings').mockRejectedValueOnce(new Error('connection lost'));
    await expect(replicas[1].app.get(RemindersService).pass()).rejects.toThrow('connection lost');
    spy.mockRestore();
    const [given] = await db.query(`SELECT municipality_id, planned_at, lease_until <= $1 AS free FROM reminder_morning WHERE for_date = '2027-04-01'`, [
      '2027-04-01T06:30:00Z',
    ]);
    expect(given).toMatchObject({ planned_at: null, free: true });
    await replicas[2].app.get(RemindersService).pass();
    await replicas[0].app.get(RemindersService).pass();
    const april = await db.query(`SELECT municipality_id FROM reminder_morning WHERE for_date = '2027-04-01' AND planned_at IS NOT NULL`);
    expect(april).toHaveLength(4);
    const keys = await db.query(`SELECT dedupe_key FROM notification WHERE kind = 'monthly_checklist' AND for_date = '2027-04-01'`);
    expect(new Set(keys.map((k: { dedupe_key: string }) => k.dedupe_key)).size).toBe(keys.length);
    expect(keys).toHaveLength(asOutboxRows(await reference(replicas[0], municipalities, '2027-04-01')).length);
  });
});
