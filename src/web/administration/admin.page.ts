import { DeputyDto } from '../../notifications/dtos/notification.dto';
import { RecipientDto } from '../../organisation/dtos/recipient.dto';
import { RoleAssignmentDto } from '../../organisation/dtos/role.dto';
import { PersonDto } from '../../organisation/dtos/person.dto';
import { TaskDto } from '../../wheels/dtos/task.dto';
import { WheelDto } from '../../wheels/dtos/wheel.dto';
import { html, Html } from '../html';
import { roleName, TEXTS, Texts } from '../i18n';
import { norwegianDate } from '../layout';
import { PATTERNS, recurrenceText } from '../recurrence-builder';

export interface AdminView {
  isAdmin: boolean;
  managedUnits: Array<{ id: string; name: string }>;
  wheels: Array<WheelDto & { tasks: TaskDto[] }>;
  people: Array<{ id: string; displayName: string }>;
  deputies: DeputyDto[];
  /** Everyone in the municipality, for administrators. */
  allPeople: PersonDto[];
  /** The unit whose people and recipients are shown, for managers. */
  unit?: { id: string; name: string; roles: RoleAssignmentDto[]; recipients: RecipientDto[] };
  /** Set for administrators of a municipality that has only its root unit (or none): the tree is the first thing to build. */
  unitTree?: { units: Array<{ id: string; name: string }> };
  csrf: string;
  /** The task form as last filled in, its preview, or why it was refused. */
  draft: Record<string, string>;
  preview?: { dates: string[]; rule: string; year: number; note?: string } | { error: string };
  message?: string;
  t?: Texts;
}

const ROLES = ['manager', 'staff', 'primary_contact', 'quality_adviser'];

function select(name: string, label: string, options: Array<[string, string]>, value?: string): Html {
  return html`<div><label for="${name}">${label}</label><select id="${name}" name="${name}">${options.map(
    ([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`,
  )}</select></div>`;
}

function input(name: string, label: string, value: string | undefined, type = 'text', extra = ''): Html {
  return html`<div><label for="${name}">${label}${extra ? html` <span class="muted">${extra}</span>` : ''}</label><input type="${type}" id="${name}" name="${name}" value="${value ?? ''}"></div>`;
}

function peopleSection(view: AdminView, a: Texts['admin']): Html {
  return html`<section class="card" aria-labelledby="personer"><h2 id="personer">${a.people}</h2>
    <details><summary>${a.people} (${view.allPeople.length})</summary>
    <table><thead><tr><th scope="col">${a.name}</th><th scope="col">${a.email}</th><th scope="col">${a.archive}</th></tr></thead>
    <tbody>${view.allPeople.map(
      (p) => html`<tr><td>${p.displayName}</td><td>${p.email}</td><td>${p.archived
        ? a.archivedPerson
        : html`<form method="post" action="/administrasjon/personer/${p.id}/arkiver"><input type="hidden" name="_csrf" value="${view.csrf}">
            <button type="submit" aria-label="${a.archiveLabel(p.displayName)}">${a.archive}</button></form>`}</td></tr>`,
    )}</tbody></table></details>
    <form method="post" action="/administrasjon/personer" class="filters">
      <input type="hidden" name="_csrf" value="${view.csrf}">
      ${input('navn', a.name, '')}
      ${input('epost', a.email, '', 'email')}
      <div><button class="primary" type="submit">${a.addPerson}</button></div>
    </form>
  </section>`;
}

function unitSection(view: AdminView, a: Texts['admin']): Html {
  const unit = view.unit!;
  const roleName = (role: string) => a.roles[role] ?? role;
  return html`<section class="card" aria-labelledby="enheten">
    <h2 id="enheten">${a.unitHeading(unit.name)}</h2>
    <form method="get" action="/administrasjon" class="filters">
      ${select('enhet', a.unit, view.managedUnits.map((u) => [u.id, u.name]), unit.id)}
      <div><button class="primary" type="submit">${a.showUnit}</button></div>
    </form>
    <h3>${a.rolesHeading}</h3>
    <table><thead><tr><th scope="col">${a.person}</th><th scope="col">${a.role}</th><th scope="col">${a.remove}</th></tr></thead>
    <tbody>${unit.roles.map(
      (r) => html`<tr><td>${r.displayName}</td><td>${roleName(r.role)}</td><td>
        <form method="post" action="/administrasjon/roller/${r.id}/fjern"><input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="enhet" value="${unit.id}">
        <button type="submit" aria-label="${a.removeLabel(roleName(r.role), r.displayName)}">${a.remove}</button></form></td></tr>`,
    )}</tbody></table>
    <form method="post" action="/administrasjon/roller" class="filters">
      <input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="enhet" value="${unit.id}">
      ${select('person', a.person, view.people.map((p) => [p.id, p.displayName]))}
      ${select('rolle', a.role, ROLES.filter((r) => view.isAdmin || r !== 'quality_adviser').map((r) => [r, roleName(r)]))}
      <div><button class="primary" type="submit">${a.giveRole}</button></div>
    </form>
    <h3>${a.recipients}</h3>
    <p class="muted">${a.codesOnly}</p>
    <p>${unit.recipients.filter((r) => !r.archived).map((r) => r.code).join(', ') || a.none}</p>
    <p><a href="/administrasjon/tjenestemottakere?enhet=${unit.id}">${(view.t ?? TEXTS.nb).recipients.link}</a></p>
    <form method="post" action="/administrasjon/tjenestemottakere" class="filters">
      <input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="enhet" value="${unit.id}">
      ${input('kode', a.code, '', 'text', a.codeHint)}
      ${select('primaerkontakt', a.primaryContact, view.people.map((p) => [p.id, p.displayName]))}
      <div><button class="primary" type="submit">${a.add}</button></div>
    </form>
  </section>`;
}

function unitTreeSection(view: AdminView, a: Texts['admin']): Html {
  const units = view.unitTree!.units;
  return html`<section class="card" aria-labelledby="enhetstreet"><h2 id="enhetstreet">${a.startUnitTree}</h2>
    <p>${a.startUnitTreeHint}</p>
    <form method="post" action="/administrasjon/enheter" class="filters">
      <input type="hidden" name="_csrf" value="${view.csrf}">
      ${input('navn', a.unitName, '', 'text', a.unitNameHint)}
      ${units.length ? select('over', a.unitAbove, units.map((u) => [u.id, u.name]), units[0].id) : ''}
      <div><button class="primary" type="submit">${a.addUnit}</button></div>
    </form></section>`;
}

export function adminPage(view: AdminView): Html {
  const d = view.draft;
  const a = (view.t ?? TEXTS.nb).admin;
  const taskForm = html`<section class="card" aria-labelledby="ny-oppgave">
    <h2 id="ny-oppgave">${a.newTask}</h2>
    <p class="muted">${a.newTaskHint}</p>
    <form method="get" action="/administrasjon" class="filters">
      ${select('hjul', a.wheel, view.wheels.map((w) => [w.id, w.name]), d.hjul)}
      ${input('tittel', a.task, d.tittel)}
      ${select('ansvar', a.responsible, ROLES.map((r) => [r, roleName(r, view.t ?? TEXTS.nb)]), d.ansvar)}
      ${input('lagres', a.storedIn, d.lagres, 'text', a.storedInHint)}
      ${select('monster', a.repeats, PATTERNS.map((p) => [p, a.patterns[p]]), d.monster)}
      ${input('maned', a.month, d.maned, 'text')}
      ${input('dag', a.day, d.dag, 'text')}
      ${input('uke', a.week, d.uke, 'text')}
      ${input('intervall', a.every, d.intervall, 'text')}
      ${input('startar', a.startYear, d.startar, 'text')}
      ${input('rrule', a.rrule, d.rrule, 'text')}
      ${input('visningsar', a.showYear, d.visningsar, 'text')}
      <div><button class="primary" type="submit" name="handling" value="forhandsvis">${a.preview}</button></div>
    </form>
    ${view.preview
      ? 'error' in view.preview
        ? html`<p class="error" role="alert">${view.preview.error}</p>`
        : html`<div class="notice" role="status"><p>${a.rule}: <code>${view.preview.rule}</code></p>
            <p>${a.deadlinesIn(view.preview.year)}: ${view.preview.dates.map(norwegianDate).join(', ')}</p>
            ${view.preview.note ? html`<p>${view.preview.note}</p>` : ''}
            <form method="post" action="/administrasjon/oppgaver">
              <input type="hidden" name="_csrf" value="${view.csrf}">
              ${Object.entries(d).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
              <button class="primary" type="submit">${a.save}</button>
            </form></div>`
      : ''}
  </section>`;

  // Why sections are missing, so nobody hunts for a form they may not use.
  const missing = [view.isAdmin ? '' : a.notAdmin, view.isAdmin || view.managedUnits.length ? '' : a.notManager].filter(Boolean);
  return html`
    ${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
    ${missing.length ? html`<div class="card missing-sections">${missing.map((m) => html`<p>${m}</p>`)}</div>` : ''}
    ${view.unitTree ? unitTreeSection(view, a) : ''}
    ${view.isAdmin || view.managedUnits.length
      ? html`<section class="card" aria-labelledby="forme"><h2 id="forme"><a href="/administrasjon/arshjul">${(view.t ?? TEXTS.nb).wheelEditor.menuLink}</a></h2>
          <p class="muted">${(view.t ?? TEXTS.nb).wheelEditor.menuHint}</p>
          <p><a href="/administrasjon/import">${(view.t ?? TEXTS.nb).wheelImport.link}</a></p></section>`
      : ''}
    ${view.isAdmin ? taskForm : ''}
    ${view.isAdmin
      ? html`<section class="card" aria-labelledby="hjulene"><h2 id="hjulene">${a.wheels}</h2>${view.wheels.map(
          (w) => html`<details><summary>${w.name} (${a.tasksCount(w.tasks.length)})${w.published ? ` – ${a.published}` : ''}</summary>
            <table><thead><tr><th scope="col">${a.task}</th><th scope="col">${a.rule}</th><th scope="col">${a.responsible}</th><th scope="col" class="optional">${a.storedIn}</th></tr></thead>
            <tbody>${w.tasks.map((t) => html`<tr><td>${t.title}${t.archived ? ` ${a.archived}` : ''}</td><td>${recurrenceText(t)}</td><td>${a.roles[t.responsibleRole] ?? t.responsibleRole}</td><td class="optional">${t.storedIn ?? ''}</td></tr>`)}</tbody></table>
          </details>`,
        )}</section>`
      : ''}
    ${view.managedUnits.length
      ? html`<section class="card" aria-labelledby="tildel"><h2 id="tildel">${a.assign}</h2>
          <form method="post" action="/administrasjon/tildelinger" class="filters">
            <input type="hidden" name="_csrf" value="${view.csrf}">
            ${select('enhet', a.unit, view.managedUnits.map((u) => [u.id, u.name]))}
            ${select('hjul', a.wheel, view.wheels.filter((w) => w.status === 'active').map((w) => [w.id, w.name]))}
            ${input('fraar', a.fromYear, String(new Date().getUTCFullYear() + 1))}
            <div class="choice"><label><input type="checkbox" name="underenheter" value="1" checked> ${a.subunitsToo}</label></div>
            <div><button class="primary" type="submit">${a.assignButton}</button></div>
          </form></section>`
      : ''}
    ${view.isAdmin ? peopleSection(view, a) : ''}
    ${view.unit ? unitSection(view, a) : ''}
    <section class="card" aria-labelledby="stedfortreder"><h2 id="stedfortreder">${a.deputy}</h2>
      <p class="muted">${a.deputyHint}</p>
      ${view.deputies.length ? html`<ul>${view.deputies.map((x) => html`<li>${x.deputyName}: ${norwegianDate(x.from)}–${norwegianDate(x.to)}</li>`)}</ul>` : html`<p>${a.noDeputy}</p>`}
      <form method="post" action="/administrasjon/stedfortreder" class="filters">
        <input type="hidden" name="_csrf" value="${view.csrf}">
        ${select('stedfortreder', a.deputyField, view.people.map((p) => [p.id, p.displayName]))}
        ${input('fra', a.from, '', 'date')}
        ${input('til', a.to, '', 'date')}
        <div><button class="primary" type="submit">${a.saveDeputy}</button></div>
      </form>
    </section>`;
}
