import fc from 'fast-check';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { LEDERE, personId, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Random bodies, made of the real field names and any JSON values, against every write endpoint: each
 * gets a 2xx or a 4xx problem+json, never a 500; and a refused request leaves every table as it was.
 */
describe('bad input, fuzzed', () => {
  let t: TestApp;
  let admin: string;
  const ids: Record<string, string> = {};

  const TABLES = ['unit', 'person', 'role_assignment', 'recipient', 'recipient_primary_contact', 'wheel', 'task_definition', 'wheel_assignment',
    'occurrence', 'occurrence_change', 'sign_off', 'notification_preference', 'deputy', 'audit_log', 'municipality'];
  const snapshot = async () =>
    (await t.db.query(`SELECT ${TABLES.map((table) => `(SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ${table} x) AS "${table}"`).join(', ')}`))[0];

  beforeAll(async () => {
    t = await startTestApp({}, '2026-12-15T08:00:00Z');
    admin = await t.bearer(DEMO_PEOPLE.admin);
    ids.unit = await unitId(t.db, 'Avdeling Fjellvegen');
    ids.person = await personId(t.db, DEMO_PEOPLE.ansatt);
    ids.wheel = await wheelId(t.db, LEDERE);
    ids.task = (await t.db.query(`SELECT id FROM task_definition WHERE wheel_id = $1 LIMIT 1`, [ids.wheel]))[0].id;
    ids.recipient = (await t.db.query(`SELECT id FROM recipient LIMIT 1`))[0].id;
    await t.http.post(`/api/v1/units/${ids.unit}/materialize?year=2027`).set('Authorization', admin);
    ids.occurrence = (await t.db.query(`SELECT id FROM occurrence WHERE unit_id = $1 LIMIT 1`, [ids.unit]))[0].id;
    const signed = await t.http.post(`/api/v1/occurrences/${ids.occurrence}/sign-offs`).set('Authorization', admin).send({ outcome: 'done' });
    ids.signOff = signed.body.id;
  });
  afterAll(() => t.close());

  const endpoints: Array<{ method: 'post' | 'patch' | 'put'; path: () => string; fields: string[] }> = [
    { method: 'post', path: () => '/api/v1/units', fields: ['name', 'parentId'] },
    { method: 'patch', path: () => `/api/v1/units/${ids.unit}`, fields: ['name', 'parentId', 'archived'] },
    { method: 'post', path: () => '/api/v1/people', fields: ['email', 'displayName'] },
    { method: 'patch', path: () => `/api/v1/people/${ids.person}`, fields: ['email', 'displayName', 'archived'] },
    { method: 'post', path: () => `/api/v1/units/${ids.unit}/roles`, fields: ['personId', 'role'] },
    { method: 'post', path: () => '/api/v1/recipients', fields: ['unitId', 'code', 'primaryContactIds', 'activeFrom'] },
    { method: 'patch', path: () => `/api/v1/recipients/${ids.recipient}`, fields: ['code', 'primaryContactIds', 'archived'] },
    { method: 'post', path: () => '/api/v1/wheels', fields: ['name', 'kind', 'description'] },
    { method: 'patch', path: () => `/api/v1/wheels/${ids.wheel}`, fields: ['name', 'description', 'published', 'archived', 'dueSoonDays', 'escalationDays'] },
    {
      method: 'post',
      path: () => `/api/v1/wheels/${ids.wheel}/tasks`,
      fields: ['title', 'rrule', 'startsOn', 'opensDaysBefore', 'deadlineShift', 'responsibleRole', 'storedIn', 'storedInUrl', 'commentRequired', 'scope'],
    },
    { method: 'patch', path: () => `/api/v1/wheels/${ids.wheel}/tasks/${ids.task}`, fields: ['title', 'rrule', 'startsOn', 'deadlineShift', 'archived'] },
    { method: 'post', path: () => `/api/v1/units/${ids.unit}/wheels`, fields: ['wheelId', 'includeSubunits', 'fromYear'] },
    { method: 'post', path: () => '/api/v1/schedules/preview', fields: ['rrule', 'year', 'timezone', 'shift', 'startsOn'] },
    { method: 'post', path: () => `/api/v1/occurrences/${ids.occurrence}/sign-offs`, fields: ['outcome', 'comment', 'storedIn', 'evidenceUrl'] },
    { method: 'post', path: () => `/api/v1/sign-offs/${ids.signOff}/corrections`, fields: ['reason', 'outcome', 'comment'] },
    { method: 'put', path: () => '/api/v1/me/notification-preferences', fields: ['email', 'teams', 'dailyDigest', 'language'] },
    { method: 'post', path: () => '/api/v1/me/deputies', fields: ['deputyId', 'from', 'to'] },
    { method: 'patch', path: () => '/api/v1/municipality', fields: ['timeZone', 'dueSoonDays', 'escalationDays'] },
  ];

  // Values that come close to valid ones often, so the checks behind the first validation are reached too.
  const nearValid = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom('', ' ', 'FREQ=YEARLY;BYMONTH=13', 'FREQ=DAILY', '2027-02-30', '2027-13-01', '01010112377', 'not-a-uuid', 'manager', 'done',
      'not_applicable', 'https://x', 'Europe/Oslo', '00000000-0000-4000-8000-000000000000', 'x'.repeat(5000)),
    fc.integer({ min: -100000, max: 100000 }),
    fc.boolean(),
    fc.constant(null),
  );

  it.each(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path().replace(/[0-9a-f-]{36}/g, ':id')}`, e]))('%s answers 2xx or 4xx problem+json, never 500', async (_, endpoint) => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...endpoint.fields, 'unknownField'), nearValid, { maxKeys: 5 }), async (body) => {
        const before = await snapshot();
        const res = await t.http[endpoint.method](endpoint.path()).set('Authorization', admin).send(body);
        if (res.status >= 500) throw new Error(`500 for ${JSON.stringify(body).slice(0, 300)}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await snapshot()).toEqual(before);
        }
      }),
      { numRuns: 30 },
    );
  });
});
