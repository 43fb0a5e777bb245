import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { DEMO_PEOPLE } from '../../src/database/seeds/demo-data';
import { createMunicipality, LEDERE, personId, unitId, wheelId } from '../utils/demo';
import { startTestApp, TestApp } from '../utils/test-app';

type Persona = 'admin' | 'leder' | 'avdelingsleder' | 'primaer' | 'ansatt' | 'kvalitet' | 'outsider' | 'otherAdmin';
const ALL: Persona[] = ['admin', 'leder', 'avdelingsleder', 'primaer', 'ansatt', 'kvalitet', 'outsider', 'otherAdmin'];
const READERS: Persona[] = ['admin', 'leder', 'avdelingsleder', 'primaer', 'ansatt', 'kvalitet'];
const MANAGERS: Persona[] = ['admin', 'leder', 'avdelingsleder'];
const AUDITORS: Persona[] = ['admin', 'leder', 'avdelingsleder', 'kvalitet'];
const ADMINS: Persona[] = ['admin', 'otherAdmin'];

/**
 * Who may call what, route by route: the units are Demo kommune's Avdeling Fjellvegen and what belongs to
 * it. `outsider` works in Demo kommune with no role; `otherAdmin` administers another municipality. A route
 * missing from this table fails the test, so no endpoint ships without its row.
 */
const MATRIX: Record<string, { allowed: Persona[]; body?: (ids: Record<string, string>) => object; query?: string }> = {
  'GET /municipality': { allowed: ALL },
  'PATCH /municipality': { allowed: ADMINS, body: () => ({ dueSoonDays: 0 }) },
  'GET /units': { allowed: ALL },
  'POST /units': { allowed: ADMINS, body: () => ({}) },
  'GET /units/:id': { allowed: READERS },
  // Admin-only changes carry valid bodies that change nothing, so another municipality's admin gets past
  // validation to the lookup, which does not find Demo kommune's things.
  'PATCH /units/:id': { allowed: ['admin'], body: () => ({ name: 'Avdeling Fjellvegen' }) },
  'GET /people': { allowed: ALL },
  'POST /people': { allowed: ADMINS, body: () => ({}) },
  'GET /people/:id': { allowed: ['admin', 'leder', 'avdelingsleder', 'primaer', 'ansatt', 'kvalitet', 'outsider'] },
  'PATCH /people/:id': { allowed: ['admin'], body: () => ({ displayName: 'Siri Ansatt' }) },
  'GET /units/:id/roles': { allowed: READERS },
  'POST /units/:id/roles': { allowed: MANAGERS, body: () => ({}) },
  'DELETE /units/:id/roles/:assignmentId': { allowed: MANAGERS },
  'GET /recipients': { allowed: READERS, query: 'unitId=UNIT' },
  'POST /recipients': { allowed: MANAGERS, body: (ids) => ({ unitId: ids.unit }) },
  'GET /recipients/:id': { allowed: READERS },
  'PATCH /recipients/:id': { allowed: MANAGERS, body: () => ({ code: '' }) },
  'GET /recipients/:id/dates': { allowed: READERS },
  'PUT /recipients/:id/dates': { allowed: MANAGERS, body: () => ({ dates: {} }) }, // 422 past the guard: no dates named
  // Managers over the recipient's unit pass the route; the new unit's managers are checked by the service (422 here: no body).
  'POST /recipients/:id/move': { allowed: MANAGERS, body: () => ({}) },
  'GET /wheels': { allowed: ALL },
  // A wheel owned by Avdeling Fjellvegen is shaped by its managers and those above; another municipality's
  // admin does not find the unit.
  'POST /wheels': { allowed: MANAGERS, body: (ids) => ({ ownerUnitId: ids.unit }) },
  'GET /wheels/:id': { allowed: ALL }, // a published wheel
  // Past the guard a manager of Avdeling Fjellvegen (or above) is told the file is missing; another municipality's admin does not find the unit.
  'POST /wheels/import': { allowed: MANAGERS, body: (ids) => ({ unitId: ids.unit }) },
  // Administrators of any municipality get past the guard to their own import (422 here: no file); nobody else's file is read.
  'POST /organisation/import': { allowed: ADMINS, body: () => ({}) },
  // The wheel below is the managers' wheel, owned here by Bo og habilitering: its manager (leder) and
  // administrators shape it; the manager of Avdeling Fjellvegen, below it, does not.
  'PATCH /wheels/:id': { allowed: ['admin', 'leder'], body: () => ({ name: LEDERE }) },
  'POST /wheels/:id/copy': { allowed: MANAGERS, body: (ids) => ({ ownerUnitId: ids.unit }) },
  'POST /wheels/:id/drafts': { allowed: ['admin', 'leder'] },
  'POST /wheels/:id/publish': { allowed: ['admin', 'leder'], body: () => ({}) }, // 409: it is in use already
  'GET /wheels/:id/tasks': { allowed: ALL },
  // In use: administrators change it in place; its manager gets 409 (change it through a draft).
  'POST /wheels/:id/tasks': { allowed: ['admin', 'leder'], body: () => ({ title: 'Ny rad', rrule: 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1', responsibleRole: 'manager' }) },
  'PATCH /wheels/:id/tasks/:taskId': { allowed: ['admin', 'leder'], body: (ids) => ({ title: ids.taskTitle }) },
  'GET /units/:id/task-opt-outs': { allowed: READERS },
  'POST /units/:id/task-opt-outs': { allowed: MANAGERS, body: () => ({}) },
  'POST /units/:id/task-opt-outs/:optOutId/end': { allowed: MANAGERS, body: () => ({}) },
  'GET /units/:id/wheels': { allowed: READERS },
  'POST /units/:id/wheels': { allowed: MANAGERS, body: () => ({}) },
  'DELETE /units/:id/wheels/:assignmentId': { allowed: MANAGERS },
  'POST /schedules/preview': { allowed: ALL, body: () => ({}) },
  'POST /units/:id/materialize': { allowed: MANAGERS, query: 'year=abc' },
  'GET /units/:id/checklist': { allowed: READERS, query: 'month=2027-02' },
  'GET /units/:id/checklist/summary': { allowed: READERS, query: 'month=2027-02' },
  'GET /units/:id/year-plan': { allowed: READERS, query: 'year=2027&format=odt' }, // past the policy to the 422 of the format
  'GET /me/tasks': { allowed: ALL },
  'POST /occurrences/:id/sign-offs': { allowed: ['admin', 'leder', 'avdelingsleder', 'primaer'], body: () => ({ outcome: 'done', comment: 'Utført' }) },
  // Anyone signed in passes the route; each item is then checked as a single sign-off (here: 200, the item 404).
  'POST /sign-offs/batch': { allowed: ALL, body: () => ({ items: [{ occurrenceId: '00000000-0000-4000-8000-000000000000', outcome: 'done' }] }) },
  'GET /occurrences/:id/sign-offs': { allowed: READERS },
  'POST /sign-offs/:id/corrections': { allowed: ['admin', 'leder', 'avdelingsleder', 'primaer'], body: () => ({ reason: 'Feil', outcome: 'done' }) },
  'GET /audit/verify': { allowed: AUDITORS, query: 'unitId=UNIT' },
  'GET /audit/log': { allowed: ['admin', 'kvalitet', 'otherAdmin'] },
  'GET /audit/access-log': { allowed: ['admin', 'kvalitet', 'otherAdmin'] },
  'GET /audit/occurrence-changes': { allowed: AUDITORS, query: 'unitId=UNIT' },
  'GET /audit/compliance': { allowed: AUDITORS, query: 'unitId=UNIT&from=2027-01-01&to=2027-12-31' },
  'GET /audit/records': { allowed: READERS, query: 'unitId=UNIT&from=2027-01-01&to=2027-12-31' },
  'GET /audit/report': { allowed: AUDITORS, query: 'unitId=UNIT&from=2027-01-01&to=2027-12-31&format=odt' }, // past the policy to the 422 of the format
  'GET /notifications': { allowed: READERS, query: 'occurrenceId=OCCURRENCE' },
  'GET /me/notification-preferences': { allowed: ALL },
  'PUT /me/notification-preferences': { allowed: ALL, body: () => ({}) },
  'GET /me/deputies': { allowed: ALL },
  'POST /me/deputies': { allowed: ALL, body: () => ({}) },
  'DELETE /me/deputies/:id': { allowed: ALL },
  'POST /me/calendar-feeds': { allowed: ALL, body: () => ({}) },
  'GET /me/calendar-feeds': { allowed: ALL },
  'DELETE /me/calendar-feeds/:id': { allowed: ALL }, // a feed nobody has: 404 from the service, for everyone alike
  'POST /units/:id/calendar-feeds': { allowed: MANAGERS, body: () => ({}) },
  'GET /units/:id/calendar-feeds': { allowed: MANAGERS },
  'DELETE /units/:id/calendar-feeds/:feedId': { allowed: MANAGERS }, // past the guard, managers are told the feed is not found
  // The web app's pages (answered in HTML).
  'GET /oppgaver': { allowed: ALL },
  'GET /oppgaver/:id': { allowed: READERS },
  'POST /oppgaver/:id/signer': { allowed: ['admin', 'leder', 'avdelingsleder', 'primaer'], body: () => ({ _csrf: 'x', outcome: 'done', comment: 'Utført' }) },
  // Each ticked row is checked as a single sign-off; the page answers each (here: 200, the row not found).
  'POST /oppgaver/signer-flere': { allowed: ALL, body: () => ({ _csrf: 'x', forekomst: '00000000-0000-4000-8000-000000000000' }) },
  'GET /sjekkliste': { allowed: [...READERS, 'otherAdmin'] }, // another municipality's admin sees their own units
  'POST /logg-ut': { allowed: ALL, body: () => ({ _csrf: 'x' }) },
  'GET /arshjul': { allowed: [...READERS, 'otherAdmin'] },
  'GET /internkontroll': { allowed: [...AUDITORS, 'otherAdmin'] },
  'GET /administrasjon': { allowed: ALL },
  'POST /administrasjon/oppgaver': { allowed: ADMINS, body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/tildelinger': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  'POST /administrasjon/stedfortreder': { allowed: ALL, body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/roller': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  'POST /administrasjon/roller/:assignmentId/fjern': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  'POST /administrasjon/personer': { allowed: ADMINS, body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/enheter': { allowed: ADMINS, body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/personer/:personId/arkiver': { allowed: ['admin'], body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/tjenestemottakere': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  // Tjenestemottakere: the list shows the units a person manages (another municipality's admin sees their own);
  // a recipient's page and forms are the API's PATCH, move and dates: managers over the recipient's unit
  // (the bodies below are refused past the guard with 422, so nothing changes).
  'GET /administrasjon/tjenestemottakere': { allowed: [...MANAGERS, 'otherAdmin'] },
  'GET /administrasjon/tjenestemottakere/:recipientId': { allowed: MANAGERS },
  'POST /administrasjon/tjenestemottakere/:recipientId/utflytting': { allowed: MANAGERS, body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/tjenestemottakere/:recipientId/flytt': { allowed: MANAGERS, body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/tjenestemottakere/:recipientId/datoer': { allowed: MANAGERS, body: () => ({ _csrf: 'x' }) },
  'GET /administrasjon/import': { allowed: [...MANAGERS, 'otherAdmin'] },
  // Past the guard a manager of Avdeling Fjellvegen is told the file is missing; another municipality's admin does not find the unit.
  'POST /administrasjon/import': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  // A draft nobody has: managers get 404 from the service, the others 403 from the guard.
  'GET /administrasjon/import/:wheelId': { allowed: [] },
  'POST /administrasjon/import/:wheelId': { allowed: [], body: () => ({ _csrf: 'x' }) },
  // The organisation import page: administrators only (each their own municipality's); past the guard, no file is a 422 page.
  'GET /administrasjon/organisasjon': { allowed: ADMINS },
  'POST /administrasjon/organisasjon': { allowed: ADMINS, body: () => ({ _csrf: 'x' }) },
  // The wheel editor: the list shows what each may shape (empty for most); a wheel opens for its shapers.
  'GET /administrasjon/arshjul': { allowed: ALL },
  'POST /administrasjon/arshjul': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', ownerUnitId: ids.unit }) },
  'POST /administrasjon/arshjul/kopier': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', ownerUnitId: ids.unit }) },
  'GET /administrasjon/arshjul/:wheelId': { allowed: ['admin', 'leder'] },
  // The managers' wheel is in use: its rows are changed through a draft (409), publishing it again is 409.
  'POST /administrasjon/arshjul/:wheelId/rader': { allowed: ['admin', 'leder'], body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/arshjul/:wheelId/rader/:taskId': { allowed: ['admin', 'leder'], body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/arshjul/:wheelId/rader/:taskId/fjern': { allowed: ['admin', 'leder'], body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/arshjul/:wheelId/navn': { allowed: ['admin', 'leder'], body: () => ({ _csrf: 'x', navn: LEDERE }) },
  'POST /administrasjon/arshjul/:wheelId/publiser': { allowed: ['admin', 'leder'], body: () => ({ _csrf: 'x' }) },
  'POST /administrasjon/arshjul/:wheelId/utkast': { allowed: ['admin', 'leder'], body: () => ({ _csrf: 'x' }) },
  'GET /administrasjon/fravalg': { allowed: [...MANAGERS, 'otherAdmin'] }, // another municipality's admin sees their own units
  'POST /administrasjon/fravalg': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  'POST /administrasjon/fravalg/:optOutId/avslutt': { allowed: MANAGERS, body: (ids) => ({ _csrf: 'x', enhet: ids.unit }) },
  // «Abonner i Outlook»: everyone makes and revokes their own calendar feeds (a unit's only as its manager: the form checks).
  'GET /kalender': { allowed: ALL },
  'POST /kalender': { allowed: ALL, body: () => ({ _csrf: 'x', utforte: '1' }) },
  'POST /kalender/:id/trekk-tilbake': { allowed: ALL, body: () => ({ _csrf: 'x' }) },
};

/** Routes anyone may call: the probes, the sign-in page (the Teams tab's too), and calendar feeds (the secret in the URL is the credential). */
const PUBLIC = ['GET /', 'GET /logg-inn', 'GET /logg-inn/tilbake', 'POST /logg-inn', 'GET /teams', 'POST /logg-inn/teams', 'GET /kalender/:file', 'GET /metrics'];
// GET /metrics answers the bearer of METRICS_TOKEN, not people (test/e2e/operations.e2e-spec.ts).

describe('the route-by-role matrix', () => {
  let t: TestApp;
  const tokens = {} as Record<Persona, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({}, '2027-02-10T08:00:00Z');
    for (const [persona, email] of Object.entries({ admin: DEMO_PEOPLE.admin, leder: DEMO_PEOPLE.leder, avdelingsleder: DEMO_PEOPLE.avdelingsleder, primaer: DEMO_PEOPLE.primaer, ansatt: DEMO_PEOPLE.ansatt, kvalitet: DEMO_PEOPLE.kvalitet })) {
      tokens[persona as Persona] = await t.bearer(email);
    }
    const [{ id: municipality }] = await t.db.query(`SELECT id FROM municipality WHERE name = 'Demo kommune'`);
    await t.db.query(`INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'utenforstaende@demo.kommune.no', 'Ola Utenfor')`, [municipality]);
    tokens.outsider = await t.bearer('utenforstaende@demo.kommune.no');
    [{ id: ids.archivable }] = await t.db.query(
      `INSERT INTO person (municipality_id, email, display_name) VALUES ($1, 'slutter@demo.kommune.no', 'Slutter Snart') RETURNING id`,
      [municipality],
    );
    await createMunicipality(t.db, 'Speilvik kommune', 'admin@speilvik.kommune.no');
    tokens.otherAdmin = await t.bearer('admin@speilvik.kommune.no');

    ids.unit = await unitId(t.db, 'Avdeling Fjellvegen');
    ids.person = await personId(t.db, DEMO_PEOPLE.ansatt);
    ids.wheel = await wheelId(t.db, LEDERE);
    await t.db.query(`UPDATE wheel SET owner_unit_id = $1 WHERE id = $2`, [await unitId(t.db, 'Bo og habilitering'), ids.wheel]);
    [{ id: ids.task, title: ids.taskTitle }] = await t.db.query(`SELECT id, title FROM task_definition WHERE wheel_id = $1 LIMIT 1`, [ids.wheel]);
    ids.recipient = (await t.db.query(`SELECT id FROM recipient WHERE code = 'FJV-001'`))[0].id;
    t.clock.set('2026-12-15T08:00:00Z');
    await t.http.post(`/api/v1/units/${ids.unit}/materialize?year=2027`).set('Authorization', tokens.admin);
    t.clock.set('2027-02-10T08:00:00Z');
    const recipientTasks = await t.db.query(`SELECT id FROM occurrence WHERE recipient_id = $1 ORDER BY deadline LIMIT 2`, [ids.recipient]);
    ids.occurrence = recipientTasks[0].id;
    const signed = await t.http.post(`/api/v1/occurrences/${recipientTasks[1].id}/sign-offs`).set('Authorization', tokens.primaer).send({ outcome: 'done', comment: 'Utført' });
    expect(signed.status).toBe(201);
    ids.signOff = signed.body.id;
  });
  afterAll(() => t.close());

  it('has a row for every route, and every persona gets the expected answer', async () => {
    const scanner = t.app.get(MetadataScanner);
    const routes: string[] = [];
    for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
      const controller = wrapper.metatype as { prototype: Record<string, object> } | undefined;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const path = Reflect.getMetadata(PATH_METADATA, controller.prototype[name]);
        if (path === undefined || base === 'health') continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, controller.prototype[name]) as number];
        const route = `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
        if (!PUBLIC.includes(route)) routes.push(route);
      }
    }
    expect(routes.filter((r) => !MATRIX[r])).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);

    const fake = '00000000-0000-4000-8000-000000000000';
    const mismatches: string[] = [];
    for (const route of routes) {
      const [method, template] = route.split(' ');
      const row = MATRIX[route];
      const path = template
        .replace(':id/sign-offs', `${ids.occurrence}/sign-offs`)
        .replace('sign-offs/:id', `sign-offs/${ids.signOff}`)
        .replace('oppgaver/:id', `oppgaver/${ids.occurrence}`)
        .replace('units/:id', `units/${ids.unit}`)
        .replace('people/:id', `people/${ids.person}`)
        .replace('recipients/:id', `recipients/${ids.recipient}`)
        .replace('wheels/:id', `wheels/${ids.wheel}`)
        .replace('arshjul/:wheelId', `arshjul/${ids.wheel}`)
        .replace(':taskId', ids.task)
        .replace(':personId', ids.archivable)
        .replace(':recipientId', ids.recipient)
        .replace(/:\w+/g, fake);
      const query = row.query ? `?${row.query.replace('UNIT', ids.unit).replace('OCCURRENCE', ids.occurrence)}` : '';
      const page = /^\/(oppgaver|sjekkliste|logg-ut|arshjul|internkontroll|administrasjon|kalender)/.test(path);
      for (const persona of ALL) {
        const request = t.http[method.toLowerCase() as 'get'](`${page ? '' : '/api/v1'}${path}${query}`).set('Authorization', tokens[persona]);
        const res = row.body ? await request.send(row.body(ids)) : await request;
        // Refused: 403, or 404 for something the persona may not know exists (another unit, municipality or wheel).
        // Pages answer in HTML, where a 404 can only mean "not yours to see".
        const refused =
          res.status === 403 ||
          (res.status === 404 && (page || /^(Unit|Recipient|Occurrence|Wheel|Person|Sign-off) [0-9a-f-]{36} was not found/.test(res.body.detail ?? '')));
        if (res.status === 401 || res.status >= 500 || refused === row.allowed.includes(persona)) {
          mismatches.push(`${route} as ${persona}: ${res.status} ${res.body?.detail ?? ''}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Every route answered for every persona, one after another: the time grows with the routes, not with a stall.
  }, 120_000);
});
