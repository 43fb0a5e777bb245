import fc from 'fast-check';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { count, LEDERE, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Text that enters Årshjul: a record hashes exactly what PostgreSQL stores, no fødselsnummer gets in by
 * any field or spelling, and no input (impossible dates, NUL, broken characters, deep nesting,
 * `__proto__`) is answered with a 500.
 */
describe('text entering the record', () => {
  let t: TestApp;
  let fjellvegen: string;
  let leder: string;
  let admin: string;
  let occurrences: string[];
  const nextOccurrence = () => occurrences.shift()!;

  const signOff = (body: object, occurrenceId = nextOccurrence()) =>
    t.http.post(`/api/v1/occurrences/${occurrenceId}/sign-offs`).set('Authorization', leder).send(body);
  const verify = async () => (await t.http.get(`/api/v1/audit/verify?unitId=${fjellvegen}`).set('Authorization', leder)).body;
  const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_PERSON: '100000', RATE_LIMIT_PER_IP: '100000' }, '2026-12-15T08:00:00Z');
    fjellvegen = await unitId(t.db, 'Avdeling Fjellvegen');
    leder = await t.bearer(DEMO_PEOPLE.avdelingsleder);
    admin = await t.bearer(DEMO_PEOPLE.admin);
    await t.http.post(`/api/v1/units/${fjellvegen}/materialize?year=2027`).set('Authorization', leder);
    t.clock.set('2027-02-24T13:00:00Z');
    // Tasks that need no comment, so that any accepted text signs them.
    occurrences = (
      await t.db.query(
        `SELECT o.id FROM occurrence o JOIN task_definition t ON t.id = o.task_id WHERE o.unit_id = $1 AND NOT t.comment_required ORDER BY o.deadline, o.id`,
        [fjellvegen],
      )
    ).map((r: { id: string }) => r.id);
  });
  afterAll(() => t.close());

  describe('a record hashes exactly what is stored', () => {
    it.each([
      ['a lone surrogate', '\ud800'],
      ['a lone low surrogate', 'ok \udfff'],
      ['NUL', 'a\u0000b'],
      ['a control character', 'bell \u0007'],
      ['a C1 control character', 'x\u0085y'],
    ])('refuses a comment holding %s with 422, and writes nothing', async (_, comment) => {
      const before = await count(t.db, 'sign_off');
      const res = await signOff({ outcome: 'done', comment });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fieldsOf(res.body)).toEqual(['comment']);
      expect(await count(t.db, 'sign_off')).toBe(before);
      expect((await verify()).valid).toBe(true);
    });

    it.each([
      ['storedIn', { outcome: 'done', storedIn: 'Compilo \ud83d' }],
      ['evidenceUrl', { outcome: 'done', evidenceUrl: 'https://compilo.no/\u0000' }],
    ])('refuses broken text in %s', async (field, body) => {
      const res = await signOff(body);
      expect(res.status).toBe(422);
      expect(fieldsOf(res.body)).toContain(field);
    });

    it('stores and hashes text in NFC, keeps line breaks and tabs, and verifies', async () => {
      const res = await signOff({ outcome: 'done', comment: 'Gjennomga\u030At\r\nmed\tpersonalet 🙂', storedIn: 'A\u030Arshjul' });
      expect(res.status).toBe(201);
      expect(res.body.comment).toBe('Gjennomgåt\nmed\tpersonalet 🙂');
      expect(res.body.storedIn).toBe('Årshjul');
      const [row] = await t.db.query(`SELECT comment, stored_in FROM sign_off WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ comment: 'Gjennomgåt\nmed\tpersonalet 🙂', stored_in: 'Årshjul' });
      expect((await verify()).valid).toBe(true);
    });

    it('refuses a correction whose reason holds broken text', async () => {
      const signed = await signOff({ outcome: 'done' });
      const res = await t.http.post(`/api/v1/sign-offs/${signed.body.id}/corrections`).set('Authorization', leder).send({ reason: 'Feil \ud800 forekomst' });
      expect(res.status).toBe(422);
      expect(fieldsOf(res.body)).toEqual(['reason']);
    });

    it.each([
      ['a unit name', 'post', '/api/v1/units', { name: 'Avdeling \ud800' }, 'name'],
      ['a wheel name', 'post', '/api/v1/wheels', { name: 'Hjul \u0000', kind: 'manager' }, 'name'],
      ['a person name', 'post', '/api/v1/people', { email: 'ny@demo.kommune.no', displayName: 'Kari \udc00' }, 'displayName'],
    ])('refuses %s that a snapshot would hold with broken text', async (_, method, path, body, field) => {
      const res = await t.http[method as 'post'](path).set('Authorization', admin).send(body);
      expect(res.status).toBe(422);
      expect(fieldsOf(res.body)).toContain(field);
    });

    it('refuses a task title with broken text', async () => {
      const wheel = await wheelId(t.db, LEDERE);
      const res = await t.http
        .post(`/api/v1/wheels/${wheel}/tasks`)
        .set('Authorization', admin)
        .send({ title: 'Planlegg \ud800', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', responsibleRole: 'manager' });
      expect(res.status).toBe(422);
      expect(fieldsOf(res.body)).toEqual(['title']);
    });

    it('any accepted sign-off of random full-Unicode text verifies; a refused one writes nothing', async () => {
      const text = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('a', 'e\u0301', '\u0000', '\ud800', '\udc00', '\u0007', '\n', '\t', '\r', ' ', '\u200b', '–', '1', '5', '0', '7', '6'), maxLength: 30 }),
      );
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(text, fc.option(text, { nil: undefined }), async (comment, storedIn) => {
          const before = await count(t.db, 'sign_off');
          const res = await signOff({ outcome: 'done', comment, ...(storedIn === undefined ? {} : { storedIn }) });
          if (res.status === 201) {
            accepted++;
            expect((await verify()).valid).toBe(true);
            expect(res.body.comment).toBe(comment.replace(/\r\n/g, '\n').normalize('NFC').trim() || null);
          } else {
            expect(res.status).toBe(422);
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(await count(t.db, 'sign_off')).toBe(before);
          }
        }),
        { numRuns: 60 },
      );
      expect(accepted).toBeGreaterThan(10);
      expect((await verify()).valid).toBe(true);
    });
  });

  describe('no fødselsnummer in any free-text field', () => {
    // Synthetic numbers with valid check digits: an ordinary one, a D-number and an H-number.
    const FNR = '15076500565';
    const D_NUMBER = '55076510007';
    const H_NUMBER = '15476510187';

    it.each([
      ['storedIn', { outcome: 'done', storedIn: `Gerica journal ${FNR}` }],
      ['evidenceUrl', { outcome: 'done', evidenceUrl: `https://gerica.kommune.no/journal/${FNR}/notat` }],
      ['comment', { outcome: 'done', comment: 'Gjelder 150765–00565' }],
      ['comment', { outcome: 'done', comment: 'Gjelder 150765/00565' }],
      ['comment', { outcome: 'done', comment: 'Gjelder 150765_00565' }],
      ['comment', { outcome: 'done', comment: 'Gjelder １５０７６５００５６５' }],
      ['comment', { outcome: 'done', comment: 'Gjelder 150765\u200b00565' }],
      ['comment', { outcome: 'done', comment: `D-nummer ${D_NUMBER}` }],
      ['comment', { outcome: 'done', comment: `H-nummer ${H_NUMBER.slice(0, 6)} ${H_NUMBER.slice(6)}` }],
    ])('refuses a sign-off with a fødselsnummer in %s (%j) with 422 naming the field', async (field, body) => {
      const before = await count(t.db, 'sign_off');
      const res = await signOff(body);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(/fødselsnummer/) }]);
      expect(await count(t.db, 'sign_off')).toBe(before);
    });

    it('refuses a correction whose reason holds a fødselsnummer', async () => {
      const signed = await signOff({ outcome: 'done' });
      const before = await count(t.db, 'sign_off');
      const res = await t.http.post(`/api/v1/sign-offs/${signed.body.id}/corrections`).set('Authorization', leder).send({ reason: `Gjaldt ${FNR}` });
      expect(res.status).toBe(422);
      expect(fieldsOf(res.body)).toEqual(['reason']);
      expect(await count(t.db, 'sign_off')).toBe(before);
    });

    it('refuses a fødselsnummer in the free text of tasks, wheels, units and people', async () => {
      const wheel = await wheelId(t.db, LEDERE);
      const task = { title: 'Planlegg', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', responsibleRole: 'manager' };
      const cases: Array<[string, string, object, string]> = [
        ['post', `/api/v1/wheels/${wheel}/tasks`, { ...task, title: `Oppfølging ${FNR}` }, 'title'],
        ['post', `/api/v1/wheels/${wheel}/tasks`, { ...task, description: `Gjelder ${FNR}` }, 'description'],
        ['post', `/api/v1/wheels/${wheel}/tasks`, { ...task, storedIn: `Gerica ${FNR}` }, 'storedIn'],
        ['post', `/api/v1/wheels/${wheel}/tasks`, { ...task, storedInUrl: `https://gerica.no/${FNR}` }, 'storedInUrl'],
        ['post', `/api/v1/wheels/${wheel}/tasks`, { ...task, legalBasis: `§ 6 ${FNR}` }, 'legalBasis'],
        ['post', '/api/v1/wheels', { name: `Hjul ${FNR}`, kind: 'manager' }, 'name'],
        ['patch', `/api/v1/wheels/${wheel}`, { description: `Hjul ${FNR}` }, 'description'],
        ['post', '/api/v1/units', { name: `Bolig ${FNR}` }, 'name'],
        ['post', '/api/v1/people', { email: 'ny@demo.kommune.no', displayName: `Kari ${FNR}` }, 'displayName'],
      ];
      const before = await t.db.query(`SELECT (SELECT count(*) FROM task_definition) t, (SELECT count(*) FROM wheel) w, (SELECT count(*) FROM unit) u, (SELECT count(*) FROM person) p`);
      for (const [method, path, body, field] of cases) {
        const res = await t.http[method as 'post'](path).set('Authorization', admin).send(body);
        expect([path, res.status, res.body.errors]).toEqual([path, 422, [{ field, message: expect.stringMatching(/fødselsnummer/) }]]);
      }
      expect(await t.db.query(`SELECT (SELECT count(*) FROM task_definition) t, (SELECT count(*) FROM wheel) w, (SELECT count(*) FROM unit) u, (SELECT count(*) FROM person) p`)).toEqual(before);
    });

    it.each([
      'Møte 01.03.2027 kl. 10.00, ring 12345678 eller 98765432',
      'Avvik 2027-0042 lukket, sak 12345678901',
      'Rom 104, 1. etasje; tlf. +47 55 55 55 55',
    ])('accepts ordinary text with dates and phone numbers: %j', async (comment) => {
      const res = await signOff({ outcome: 'done', comment });
      expect(res.status).toBe(201);
    });

    it('refuses a fødselsnummer typed in the web form, in words', async () => {
      const login = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.avdelingsleder });
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const id = nextOccurrence();
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await t.http.get(`/oppgaver/${id}`).set('Cookie', cookie)).text)![1];
      const before = await count(t.db, 'sign_off');
      const res = await t.http.post(`/oppgaver/${id}/signer`).set('Cookie', cookie).type('form').send({ _csrf: csrf, outcome: 'done', storedIn: 'Gerica 150765–00565' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('fødselsnummer');
      expect(await count(t.db, 'sign_off')).toBe(before);
    });
  });

  describe('no 500 for bad input', () => {
    const expectProblem = (res: { status: number; headers: Record<string, string>; body: unknown }, what: string) => {
      expect([what, res.status >= 400 && res.status < 500]).toEqual([what, true]);
      expect([what, res.headers['content-type']]).toEqual([what, expect.stringMatching(/^application\/problem\+json/)]);
    };

    it('refuses impossible calendar dates in queries and bodies with 422 naming the field', async () => {
      const quality = await t.bearer(DEMO_PEOPLE.kvalitet);
      const wheel = await wheelId(t.db, LEDERE);
      const deputy = (await t.db.query(`SELECT id FROM person WHERE email = $1`, [DEMO_PEOPLE.ansatt]))[0].id;
      const gets: Array<[string, string]> = [
        [`/api/v1/audit/compliance?unitId=${fjellvegen}&from=2027-02-30&to=2027-12-31`, 'from'],
        [`/api/v1/audit/records?unitId=${fjellvegen}&from=2027-01-01&to=2027-02-29`, 'to'],
        [`/api/v1/audit/log?from=2027-04-31`, 'from'],
        [`/api/v1/audit/access-log?to=2027-06-31`, 'to'],
        [`/api/v1/units/${fjellvegen}/checklist?month=2027-13`, 'month'],
        [`/api/v1/units/${fjellvegen}/checklist?month=0000-01`, 'month'],
      ];
      for (const [path, field] of gets) {
        const res = await t.http.get(path).set('Authorization', quality);
        expectProblem(res, path);
        expect([path, res.status, fieldsOf(res.body)]).toEqual([path, 422, [field]]);
      }
      const writes: Array<[string, object, string, string]> = [
        ['/api/v1/me/deputies', { deputyId: deputy, from: '2027-02-30', to: '2027-03-10' }, 'from', leder],
        ['/api/v1/recipients', { unitId: fjellvegen, code: 'FJV-099', activeFrom: '2027-02-29' }, 'activeFrom', leder],
        [`/api/v1/wheels/${wheel}/tasks`, { title: 'X', rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', responsibleRole: 'manager', startsOn: '2027-02-30' }, 'startsOn', admin],
        ['/api/v1/schedules/preview', { rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', year: 2027, startsOn: '2027-09-31' }, 'startsOn', admin],
      ];
      for (const [path, body, field, as] of writes) {
        const res = await t.http.post(path).set('Authorization', as).send(body);
        expectProblem(res, path);
        expect([path, res.status, fieldsOf(res.body)]).toEqual([path, 422, [field]]);
      }
    });

    it('answers NUL and broken characters in bodies, queries and paths with 4xx problem+json', async () => {
      const quality = await t.bearer(DEMO_PEOPLE.kvalitet);
      const requests: Array<[string, () => Promise<{ status: number; headers: Record<string, string>; body: unknown }>]> = [
        ['NUL in a recipient code', () => t.http.post('/api/v1/recipients').set('Authorization', leder).send({ unitId: fjellvegen, code: 'FJV\u0000' })],
        ['NUL in a unit id', () => t.http.post('/api/v1/recipients').set('Authorization', leder).send({ unitId: `${fjellvegen}\u0000`, code: 'FJV-098' })],
        ['NUL in an rrule', () => t.http.post('/api/v1/schedules/preview').set('Authorization', leder).send({ rrule: 'FREQ=YEARLY\u0000', year: 2027 })],
        ['a lone surrogate in an rrule', () => t.http.post('/api/v1/schedules/preview').set('Authorization', leder).send({ rrule: 'FREQ=YEARLY;\ud800', year: 2027 })],
        ['NUL in a time zone', () => t.http.patch('/api/v1/municipality').set('Authorization', admin).send({ timeZone: 'Europe/Oslo\u0000' })],
        ['NUL in an e-mail', () => t.http.post('/api/v1/people').set('Authorization', admin).send({ email: 'a\u0000@demo.kommune.no', displayName: 'A' })],
        ['NUL in a query', () => t.http.get(`/api/v1/audit/access-log?code=FJV%00`).set('Authorization', quality)],
        ['a broken character in a query', () => t.http.get(`/api/v1/audit/verify?unitId=%ED%A0%80`).set('Authorization', quality)],
        ['NUL in a path id', () => t.http.get(`/api/v1/units/${fjellvegen}%00`).set('Authorization', leder)],
        ['a broken character in a path id', () => t.http.get(`/api/v1/units/%ED%A0%80`).set('Authorization', leder)],
        ['a bad percent escape in a path', () => t.http.get(`/api/v1/units/%E0%A4%A`).set('Authorization', leder)],
        ['NUL in a sign-off path', () => t.http.post(`/api/v1/occurrences/%00/sign-offs`).set('Authorization', leder).send({ outcome: 'done' })],
      ];
      for (const [what, send] of requests) expectProblem(await send(), what);
    });

    it.each([
      ['50,000 unclosed [', '['.repeat(50_000)],
      ['50,000 nested arrays', '['.repeat(50_000) + ']'.repeat(50_000)],
      ['a field nesting 30,000 arrays', `{"name":${'['.repeat(30_000)}${']'.repeat(30_000)}}`],
      ['a field nesting 20,000 objects', `{"name":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`],
    ])('answers a body of %s with 4xx problem+json', async (_, raw) => {
      for (const path of ['/api/v1/units', `/api/v1/occurrences/${occurrences[0]}/sign-offs`, '/api/v1/schedules/preview']) {
        const res = await t.http.post(path).set('Authorization', admin).set('Content-Type', 'application/json').send(raw);
        expectProblem(res, path);
      }
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses a body key %s like any unknown field', async (key) => {
      const before = await count(t.db, 'unit');
      const res = await t.http.post('/api/v1/units').set('Authorization', admin).set('Content-Type', 'application/json').send(`{"name":"Avdeling Ny","${key}":{"isAdmin":true}}`);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: key, message: 'is not a known field' }]);
      expect(await count(t.db, 'unit')).toBe(before);
    });

    it.each(['__proto__', 'constructor'])('refuses a form field %s like any unknown field', async (key) => {
      const login = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.admin });
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await t.http.get('/administrasjon').set('Cookie', cookie)).text)![1];
      const before = await count(t.db, 'person');
      const res = await t.http
        .post('/administrasjon/personer')
        .set('Cookie', cookie)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&navn=Ny&epost=ny.person%40demo.kommune.no&${key}=x`);
      expect(res.status).toBe(422);
      expect(res.text).toContain(key);
      expect(await count(t.db, 'person')).toBe(before);
    });

    it('answers impossible years on the pages with a page, not a 500', async () => {
      const login = await t.http.post('/logg-inn').type('form').send({ email: DEMO_PEOPLE.avdelingsleder });
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      for (const path of ['/internkontroll?ar=0000', '/arshjul?ar=0000', '/sjekkliste?maned=0000-01', `/sjekkliste?hjul=%00&person=x&status=%ED%A0%80`, '/oppgaver/%00']) {
        const res = await t.http.get(path).set('Cookie', cookie);
        expect([path, res.status < 500]).toEqual([path, true]);
      }
    });
  });
});
