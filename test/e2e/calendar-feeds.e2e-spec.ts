import ICAL from 'ical.js';
import { randomBytes } from 'node:crypto';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, personId, unitId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

const BASE = 'https://arshjul.demo.kommune.no';
const PER_DUTY = 'Forflytningskurs, egen gjennomføring';

interface ParsedEvent {
  uid: string;
  date: string;
  isDate: boolean;
  end: string;
  summary: string;
  description: string;
  location: string;
  url: string;
}

/** The feed read back with an independent iCalendar parser (ical.js), not by comparing bytes. */
function parse(text: string): { name: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      date: event.startDate.toString(),
      isDate: event.startDate.isDate,
      end: event.endDate.toString(),
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: String(vevent.getFirstPropertyValue('url')),
    };
  });
  return { name: String(calendar.getFirstPropertyValue('x-wr-calname')), events };
}

describe('calendar feeds: my tasks and a unit’s in Outlook', () => {
  let t: TestApp;
  let fjellvegen: string;
  let per: string;
  let tokens: Record<'primaer' | 'ansatt' | 'avdelingsleder' | 'leder' | 'admin' | 'kvalitet', string>;

  const pathOf = (url: string) => new URL(url).pathname;
  const feedOf = async (token: string, body: object = {}) => {
    const res = await t.http.post('/api/v1/me/calendar-feeds').set('Authorization', token).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; url: string };
  };
  /** Per's occurrences in the feed's window (today 10 February 2027: November 2026 to May 2028). */
  const occurrencesOf = (person: string): Promise<Array<{ id: string; deadline: string; title: string; code: string | null }>> =>
    t.db.query(
      `SELECT o.id, o.deadline, t.title, r.code FROM occurrence_owner oo JOIN occurrence o ON o.id = oo.occurrence_id
         JOIN task_definition t ON t.id = o.task_id LEFT JOIN recipient r ON r.id = o.recipient_id
        WHERE oo.person_id = $1 AND o.cancelled_at IS NULL AND o.deadline BETWEEN '2026-11-01' AND '2028-05-31'`,
      [person],
    );

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_BASE_URL: `${BASE}/` }, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    per = await personId(t.db, DEMO_PEOPLE.primaer);
    tokens = {
      primaer: await t.bearer(DEMO_PEOPLE.primaer),
      ansatt: await t.bearer(DEMO_PEOPLE.ansatt),
      avdelingsleder: await t.bearer(DEMO_PEOPLE.avdelingsleder),
      leder: await t.bearer(DEMO_PEOPLE.leder),
      admin: await t.bearer(DEMO_PEOPLE.admin),
      kvalitet: await t.bearer(DEMO_PEOPLE.kvalitet),
    };
    // A duty per employee beside the demo wheels: each staff member has an occurrence of their own.
    const wheel = await t.http.post('/api/v1/wheels').set('Authorization', tokens.admin).send({ name: 'Kompetanse per ansatt', kind: 'custom' });
    const task = await t.http.post(`/api/v1/wheels/${wheel.body.id}/tasks`).set('Authorization', tokens.admin).send({
      title: PER_DUTY, rrule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15', startsOn: '2027-01-01', responsibleRole: 'staff', scope: 'person',
    });
    expect(task.status).toBe(201);
    await t.http.post(`/api/v1/units/${fjellvegen}/wheels`).set('Authorization', tokens.avdelingsleder).send({ wheelId: wheel.body.id, fromYear: 2027 });
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', tokens.avdelingsleder)).status).toBe(200);
    t.clock.set('2027-02-10T08:00:00Z');
  });
  afterAll(() => t.close());

  it('gives a secret URL whose feed parses and holds one all-day event per occurrence of mine, as Mine oppgaver shows them', async () => {
    const feed = await feedOf(tokens.primaer);
    expect(feed.url).toMatch(new RegExp(`^${BASE}/kalender/[A-Za-z0-9_-]{43}\\.ics$`));
    const res = await t.http.get(pathOf(feed.url));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    expect(res.headers['cache-control']).toMatch(/private/);
    expect(res.headers['cache-control']).not.toMatch(/public/);
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);

    const { name, events } = parse(res.text);
    expect(name).toBe('Årshjul – mine oppgaver');
    const expected = await occurrencesOf(per);
    expect(expected.length).toBeGreaterThan(20);
    expect(events.map((e) => e.uid).sort()).toEqual(expected.map((o) => `${o.id}@arshjul`).sort());
    for (const occurrence of expected) {
      const event = events.find((e) => e.uid === `${occurrence.id}@arshjul`)!;
      expect(event.isDate).toBe(true); // DTSTART;VALUE=DATE
      expect(event.date).toBe(occurrence.deadline);
      expect(event.summary).toBe(occurrence.code ? `${occurrence.title} – ${occurrence.code}` : occurrence.title);
      expect(event.url).toBe(`${BASE}/oppgaver/${occurrence.id}`);
      expect(event.location).toBe('Avdeling Fjellvegen');
      expect(event.description).toContain(`Åpne i Årshjul: ${BASE}/oppgaver/${occurrence.id}`);
      if (occurrence.code) expect(event.description).toContain(`Tjenestemottaker: ${occurrence.code}`);
    }
    // A recipient's task is Per's per recipient: ten recipients, ten events of the yearly GP check-up.
    expect(events.filter((e) => /årskontroll hos fastlege/.test(e.summary)).map((e) => e.summary.split(' – ').pop()).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `FJV-${String(i + 1).padStart(3, '0')}`),
    );
    // Everything Mine oppgaver shows is in the feed.
    const mine = await t.http.get('/api/v1/me/tasks').set('Authorization', tokens.primaer);
    expect(mine.body.length).toBeGreaterThan(0);
    expect(mine.body.every((item: { occurrenceId: string }) => events.some((e) => e.uid === `${item.occurrenceId}@arshjul`))).toBe(true);
    // A duty per person: only Per's own occurrence, never Siri's.
    const duty = events.filter((e) => e.summary === PER_DUTY);
    const own: Array<{ id: string }> = await t.db.query(
      `SELECT o.id FROM occurrence o JOIN task_definition t ON t.id = o.task_id WHERE t.title = $1 AND o.person_id = $2 ORDER BY o.deadline`,
      [PER_DUTY, per],
    );
    expect(own.length).toBeGreaterThan(0);
    expect(duty.map((e) => e.uid)).toEqual(own.map((o) => `${o.id}@arshjul`));
    // Codes, never names: nobody's name is in the feed.
    expect(res.text).not.toMatch(/Per Primærkontakt|Siri Ansatt|Anne Avdelingsleder/);
  });

  it('answers the same bytes, UIDs and ETag twice, 304 to If-None-Match, and a new ETag after a sign-off marks the event done', async () => {
    const feed = await feedOf(tokens.primaer);
    const first = await t.http.get(pathOf(feed.url));
    const second = await t.http.get(pathOf(feed.url));
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(parse(second.text).events.map((e) => e.uid)).toEqual(parse(first.text).events.map((e) => e.uid));

    const unchanged = await t.http.get(pathOf(feed.url)).set('If-None-Match', first.headers.etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text ?? '').toBe('');
    expect(unchanged.headers.etag).toBe(first.headers.etag);
    expect((await t.http.get(pathOf(feed.url)).set('If-None-Match', `W/${first.headers.etag}, "other"`)).status).toBe(304);
    expect((await t.http.get(pathOf(feed.url)).set('If-None-Match', '"something-else"')).status).toBe(200);

    const [open] = await t.http.get('/api/v1/me/tasks').set('Authorization', tokens.primaer).then((r) => r.body);
    expect((await t.http.post(`/api/v1/occurrences/${open.occurrenceId}/sign-offs`).set('Authorization', tokens.primaer).send({ outcome: 'done', comment: 'Utført' })).status).toBe(201);
    const after = await t.http.get(pathOf(feed.url)).set('If-None-Match', first.headers.etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    const signed = parse(after.text).events.find((e) => e.uid === `${open.occurrenceId}@arshjul`)!;
    expect(signed.summary).toMatch(/^✓ Utført: /);
    expect(signed.description).toContain('Status: Utført');

    // A feed made to leave signed ones out does so.
    const without = await feedOf(tokens.primaer, { includeSigned: false });
    const events = parse((await t.http.get(pathOf(without.url))).text).events;
    expect(events.some((e) => e.uid === `${open.occurrenceId}@arshjul`)).toBe(false);
    expect(events.length).toBe(parse(after.text).events.length - 1);
  });

  it('logs each read of a feed that shows codes, with the feed’s owner as reader; not a 304 or a HEAD, not a feed without codes', async () => {
    const feed = await feedOf(tokens.primaer);
    const before = await count(t.db, 'access_log', `person_id = $1 AND endpoint = 'GET /kalender/:secret.ics'`, [per]);
    const res = await t.http.get(pathOf(feed.url));
    expect(await count(t.db, 'access_log', `person_id = $1 AND endpoint = 'GET /kalender/:secret.ics'`, [per])).toBe(before + 1);
    const [row] = await t.db.query(`SELECT recipient_codes, at FROM access_log WHERE person_id = $1 AND endpoint = 'GET /kalender/:secret.ics' ORDER BY id DESC LIMIT 1`, [per]);
    expect(row.recipient_codes).toHaveLength(10);
    expect(new Date(row.at).toISOString()).toBe('2027-02-10T08:00:00.000Z');
    await t.http.get(pathOf(feed.url)).set('If-None-Match', res.headers.etag);
    expect((await t.http.head(pathOf(feed.url))).status).toBe(200);
    expect(await count(t.db, 'access_log', `person_id = $1 AND endpoint = 'GET /kalender/:secret.ics'`, [per])).toBe(before + 1);
    // The API's access log shows it to a quality adviser like every other read.
    const log = await t.http.get('/api/v1/audit/access-log?code=FJV-003').set('Authorization', tokens.kvalitet);
    expect(log.body.items.some((e: { endpoint: string; reader: { displayName: string } }) => e.endpoint === 'GET /kalender/:secret.ics' && e.reader.displayName === 'Per Primærkontakt')).toBe(true);

    const siris = await feedOf(tokens.ansatt);
    const logged = await count(t.db, 'access_log');
    expect(parse((await t.http.get(pathOf(siris.url))).text).events.length).toBeGreaterThan(0);
    expect(await count(t.db, 'access_log')).toBe(logged);
  });

  it('answers a revoked, an unknown and a malformed feed URL with the same bare 404', async () => {
    const feed = await feedOf(tokens.primaer);
    expect((await t.http.get(pathOf(feed.url))).status).toBe(200);
    expect((await t.http.delete(`/api/v1/me/calendar-feeds/${feed.id}`).set('Authorization', tokens.primaer)).status).toBe(204);
    const revoked = await t.http.get(pathOf(feed.url));
    const unknown = await t.http.get(`/kalender/${randomBytes(32).toString('base64url')}.ics`);
    const malformed = await t.http.get('/kalender/ikke-en-hemmelighet.ics');
    for (const res of [revoked, unknown, malformed]) {
      expect(res.status).toBe(404);
      expect(res.text ?? '').toBe('');
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.headers.etag).toBeUndefined();
    }
    expect(revoked.text).toBe(unknown.text);
    // Revoked is gone for good: a second revocation does not find it.
    expect((await t.http.delete(`/api/v1/me/calendar-feeds/${feed.id}`).set('Authorization', tokens.primaer)).status).toBe(404);
    expect(await count(t.db, 'audit_log', `entity = 'calendar_feed' AND entity_id = $1`, [feed.id])).toBe(2); // created, revoked
  });

  it('lists only my own feeds, without secrets, and never lets another person revoke one', async () => {
    const pers = await feedOf(tokens.primaer);
    const siris = await feedOf(tokens.ansatt);
    const refused = await t.http.delete(`/api/v1/me/calendar-feeds/${pers.id}`).set('Authorization', tokens.ansatt);
    expect(refused.status).toBe(404);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect((await t.http.get(pathOf(pers.url))).status).toBe(200);

    const list = await t.http.get('/api/v1/me/calendar-feeds').set('Authorization', tokens.ansatt);
    expect(list.status).toBe(200);
    expect(list.body.map((f: { id: string }) => f.id)).toContain(siris.id);
    expect(list.body.map((f: { id: string }) => f.id)).not.toContain(pers.id);
    expect(list.body.every((f: object) => !('url' in f) && !('secretHash' in f))).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(pathOf(siris.url).slice(10, 53));
    // The secret is stored only as its hash.
    const [stored] = await t.db.query(`SELECT encode(secret_hash, 'hex') AS hash FROM calendar_feed WHERE id = $1`, [siris.id]);
    expect(stored.hash).toHaveLength(64);
    expect(stored.hash).not.toContain(Buffer.from(pathOf(siris.url).slice(10, 53)).toString('hex'));
  });

  it('lets a manager make a unit’s feed, with a duty per person as one event, readable while they manage it', async () => {
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/calendar-feeds`).set('Authorization', tokens.ansatt).send({})).status).toBe(403);
    const made = await t.http.post(`/api/v1/units/${fjellvegen}/calendar-feeds`).set('Authorization', tokens.avdelingsleder).send({ includeSigned: true });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ kind: 'unit', unitId: fjellvegen, unitName: 'Avdeling Fjellvegen', includeSubunits: false });
    const res = await t.http.get(pathOf(made.body.url));
    const { name, events } = parse(res.text);
    expect(name).toBe('Årshjul – Avdeling Fjellvegen');
    const shared: Array<{ id: string }> = await t.db.query(
      `SELECT id FROM occurrence WHERE unit_id = $1 AND cancelled_at IS NULL AND person_id IS NULL AND deadline BETWEEN '2026-11-01' AND '2028-05-31'`,
      [fjellvegen],
    );
    const duty = events.filter((e) => e.summary.includes(PER_DUTY));
    // A duty per person (this test's own and the seed wheels' rows for each employee) is one event per task and
    // deadline, its UID made of task, unit and date; every other event is one shared occurrence.
    const perPerson = events.filter((e) => e.uid.split('@')[0].includes('.'));
    expect(events.filter((e) => !perPerson.includes(e)).map((e) => e.uid).sort()).toEqual(shared.map((o) => `${o.id}@arshjul`).sort());
    const personGroups: Array<{ task_id: string; deadline: string }> = await t.db.query(
      `SELECT DISTINCT task_id, deadline FROM occurrence WHERE unit_id = $1 AND cancelled_at IS NULL AND person_id IS NOT NULL AND deadline BETWEEN '2026-11-01' AND '2028-05-31'`,
      [fjellvegen],
    );
    expect(perPerson.map((e) => e.uid).sort()).toEqual(personGroups.map((g) => `${g.task_id}.${fjellvegen}.${g.deadline}@arshjul`).sort());
    const dutyDates: Array<{ deadline: string }> = await t.db.query(
      `SELECT DISTINCT o.deadline FROM occurrence o JOIN task_definition t ON t.id = o.task_id WHERE t.title = $1 AND o.cancelled_at IS NULL ORDER BY o.deadline`,
      [PER_DUTY],
    );
    expect(duty.map((e) => [e.date, e.summary])).toEqual(dutyDates.map((d) => [d.deadline, `${PER_DUTY} (0 av 2 utført)`]));
    expect(res.text).not.toMatch(/Per Primærkontakt|Siri Ansatt/);
    const [row] = await t.db.query(`SELECT person_id FROM access_log WHERE endpoint = 'GET /kalender/:secret.ics' ORDER BY id DESC LIMIT 1`);
    expect(row.person_id).toBe(await personId(t.db, DEMO_PEOPLE.avdelingsleder));

    // The unit's managers (and those above) see and may revoke it; staff may not.
    expect((await t.http.get(`/api/v1/units/${fjellvegen}/calendar-feeds`).set('Authorization', tokens.ansatt)).status).toBe(403);
    const listed = await t.http.get(`/api/v1/units/${fjellvegen}/calendar-feeds`).set('Authorization', tokens.leder);
    expect(listed.body.map((f: { id: string; createdBy: { displayName: string } }) => [f.id, f.createdBy.displayName])).toContainEqual([made.body.id, 'Anne Avdelingsleder']);
    expect((await t.http.delete(`/api/v1/units/${fjellvegen}/calendar-feeds/${made.body.id}`).set('Authorization', tokens.ansatt)).status).toBe(403);
    expect((await t.http.delete(`/api/v1/units/${fjellvegen}/calendar-feeds/${made.body.id}`).set('Authorization', tokens.leder)).status).toBe(204);
    expect((await t.http.get(pathOf(made.body.url))).status).toBe(404);
  });

  it('closes a unit’s feed when its maker no longer manages the unit', async () => {
    const made = await t.http.post(`/api/v1/units/${fjellvegen}/calendar-feeds`).set('Authorization', tokens.avdelingsleder).send({});
    expect((await t.http.get(pathOf(made.body.url))).status).toBe(200);
    const anne = await personId(t.db, DEMO_PEOPLE.avdelingsleder);
    const [role] = await t.db.query(`SELECT id FROM role_assignment WHERE person_id = $1 AND unit_id = $2 AND role = 'manager'`, [anne, fjellvegen]);
    expect((await t.http.delete(`/api/v1/units/${fjellvegen}/roles/${role.id}`).set('Authorization', tokens.admin)).status).toBe(204);
    expect((await t.http.get(pathOf(made.body.url))).status).toBe(404);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/roles`).set('Authorization', tokens.admin).send({ personId: anne, role: 'manager' })).status).toBe(201);
    expect((await t.http.get(pathOf(made.body.url))).status).toBe(200);
  });

  it('refuses bad input by name and changes nothing; stops at ten feeds a person', async () => {
    const before = await count(t.db, 'calendar_feed');
    const wrong = await t.http.post('/api/v1/me/calendar-feeds').set('Authorization', tokens.kvalitet).send({ includeSigned: 'ja' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ field: 'includeSigned', message: 'must be true or false' }]);
    const unknown = await t.http.post('/api/v1/me/calendar-feeds').set('Authorization', tokens.kvalitet).send({ secret: 'mine' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('secret');
    const subunitsForMe = await t.http.post('/api/v1/me/calendar-feeds').set('Authorization', tokens.kvalitet).send({ includeSubunits: true });
    expect(subunitsForMe.status).toBe(422);
    expect((await t.http.post(`/api/v1/units/${fjellvegen}/calendar-feeds`).set('Authorization', tokens.avdelingsleder).send({ includeSubunits: 'yes' })).body.errors[0].field).toBe('includeSubunits');
    expect((await t.http.delete('/api/v1/me/calendar-feeds/not-a-uuid').set('Authorization', tokens.kvalitet)).status).toBe(400);
    expect(await count(t.db, 'calendar_feed')).toBe(before);

    for (let i = 0; i < 10; i++) await feedOf(tokens.kvalitet);
    const eleventh = await t.http.post('/api/v1/me/calendar-feeds').set('Authorization', tokens.kvalitet).send({});
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.type).toBe('/problems/calendar-feed-limit');
    expect(await count(t.db, 'calendar_feed')).toBe(before + 10);
    const [oldest] = (await t.http.get('/api/v1/me/calendar-feeds').set('Authorization', tokens.kvalitet)).body;
    expect((await t.http.delete(`/api/v1/me/calendar-feeds/${oldest.id}`).set('Authorization', tokens.kvalitet)).status).toBe(204);
    await feedOf(tokens.kvalitet);
  });

  it('makes and revokes feeds from the «Abonner i Outlook» form, with the session’s CSRF token, and a unit’s only for its manager', async () => {
    const signIn = async (email: string) => {
      const res = await t.http.post('/logg-inn').type('form').send({ email, neste: '/oppgaver' });
      return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    };
    const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const perCookie = await signIn(DEMO_PEOPLE.primaer);
    const tasksPage = await t.http.get('/oppgaver').set('Cookie', perCookie);
    expect(tasksPage.text).toContain('<form method="post" action="/kalender">');
    const csrf = csrfOf(tasksPage.text);
    const before = await count(t.db, 'calendar_feed');
    const persEarlier = (await t.db.query(`SELECT id FROM calendar_feed WHERE owner_id = $1`, [per])).map((r: { id: string }) => r.id);

    expect((await t.http.post('/kalender').set('Cookie', perCookie).type('form').send({ utforte: '1' })).status).toBe(403);
    expect(await count(t.db, 'calendar_feed')).toBe(before);
    const made = await t.http.post('/kalender').set('Cookie', perCookie).type('form').send({ _csrf: csrf, utforte: '1' });
    expect(made.status).toBe(201);
    const url = /value="(https:[^"]+\.ics)"/.exec(made.text)![1];
    expect(made.text).toContain('Legg til kalender → Abonner fra nettet');
    expect((await t.http.get(pathOf(url))).status).toBe(200);

    // Per is no manager: a unit's feed is refused, and nothing is made.
    const refused = await t.http.post('/kalender').set('Cookie', perCookie).type('form').send({ _csrf: csrf, enhet: fjellvegen });
    expect(refused.status).toBe(403);
    expect(await count(t.db, 'calendar_feed')).toBe(before + 1);
    const anneCookie = await signIn(DEMO_PEOPLE.avdelingsleder);
    const anneCsrf = csrfOf((await t.http.get('/kalender').set('Cookie', anneCookie)).text);
    const unitFeed = await t.http.post('/kalender').set('Cookie', anneCookie).type('form').send({ _csrf: anneCsrf, enhet: fjellvegen, underenheter: '1' });
    expect(unitFeed.status).toBe(201);
    expect(unitFeed.text).toContain('Enheten Avdeling Fjellvegen med enhetene under');

    // Siri cannot revoke Per's feed through the form either; Per can.
    // The feed made above: the earlier tests' feeds of Per have the same created_at (the test clock stands still).
    const [{ id }] = await t.db.query(`SELECT id FROM calendar_feed WHERE owner_id = $1 AND id <> ALL($2::uuid[])`, [per, persEarlier]);
    const siriCookie = await signIn(DEMO_PEOPLE.ansatt);
    const siriCsrf = csrfOf((await t.http.get('/kalender').set('Cookie', siriCookie)).text);
    expect((await t.http.post(`/kalender/${id}/trekk-tilbake`).set('Cookie', siriCookie).type('form').send({ _csrf: siriCsrf })).status).toBe(303);
    expect(await count(t.db, 'calendar_feed', 'id = $1 AND revoked_at IS NULL', [id])).toBe(1);
    const revoked = await t.http.post(`/kalender/${id}/trekk-tilbake`).set('Cookie', perCookie).type('form').send({ _csrf: csrf });
    expect([revoked.status, revoked.headers.location]).toEqual([303, '/kalender?melding=trukket']);
    expect(await count(t.db, 'calendar_feed', 'id = $1 AND revoked_at IS NULL', [id])).toBe(0);
  });

  it('keeps municipalities apart: a feed reads its own municipality only, and nobody else’s feed can be revoked', async () => {
    const feed = await feedOf(tokens.primaer);
    const [{ id: other }] = await t.db.query(`INSERT INTO municipality (name) VALUES ('Speilvik kommune') RETURNING id`);
    const [{ id: unit }] = await t.db.query(`INSERT INTO unit (municipality_id, name) VALUES ($1, 'Helse') RETURNING id`, [other]);
    await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'admin@speilvik.kommune.no', 'Admin')`, [other]);
    const [{ id: admin }] = await t.db.query(`SELECT id FROM person WHERE email = 'admin@speilvik.kommune.no'`);
    await t.db.query(`INSERT INTO role_assignment (municipality_id, person_id, unit_id, role) VALUES ($1, $2, $3, 'admin')`, [other, admin, unit]);
    const otherAdmin = await t.bearer('admin@speilvik.kommune.no');
    expect((await t.http.delete(`/api/v1/me/calendar-feeds/${feed.id}`).set('Authorization', otherAdmin)).status).toBe(404);
    expect((await t.http.delete(`/api/v1/units/${fjellvegen}/calendar-feeds/${feed.id}`).set('Authorization', otherAdmin)).status).toBe(404);
    const theirs = await feedOf(otherAdmin);
    expect(parse((await t.http.get(pathOf(theirs.url))).text).events).toEqual([]);
    expect(parse((await t.http.get(pathOf(feed.url))).text).events.length).toBeGreaterThan(20);
  });
});
