import { DeputyDto } from '../../notifications/dtos/notification.dto';
import { RecipientDto } from '../../organisation/dtos/recipient.dto';
import { RoleAssignmentDto } from '../../organisation/dtos/role.dto';
import { TaskDto } from '../../wheels/dtos/task.dto';
import { WheelDto } from '../../wheels/dtos/wheel.dto';
import { html, Html } from '../html';
import { norwegianDate } from '../layout';

export interface AdminView {
  isAdmin: boolean;
  managedUnits: Array<{ id: string; name: string }>;
  wheels: Array<WheelDto & { tasks: TaskDto[] }>;
  people: Array<{ id: string; displayName: string }>;
  deputies: DeputyDto[];
  /** The unit whose people and recipients are shown, for managers. */
  unit?: { id: string; name: string; roles: RoleAssignmentDto[]; recipients: RecipientDto[] };
  csrf: string;
  /** The task form as last filled in, its preview, or why it was refused. */
  draft: Record<string, string>;
  preview?: { dates: string[]; rrule: string; year: number } | { error: string };
  message?: string;
}

const PATTERNS: Array<[string, string]> = [
  ['yearly-date', 'Hvert år på en dato'],
  ['iso-week', 'Hvert år i en uke (ISO-uke)'],
  ['last-weekday-monthly', 'Siste arbeidsdag hver måned'],
  ['every-n-months', 'Hver n-te måned'],
  ['every-n-years', 'Hvert n-te år fra et startår'],
  ['custom', 'Egen regel (RRULE)'],
];
const ROLES: Array<[string, string]> = [
  ['manager', 'Leder'],
  ['staff', 'Ansatt'],
  ['primary_contact', 'Primærkontakt'],
  ['quality_adviser', 'Kvalitetsrådgiver'],
];

function select(name: string, label: string, options: Array<[string, string]>, value?: string): Html {
  return html`<div><label for="${name}">${label}</label><select id="${name}" name="${name}">${options.map(
    ([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`,
  )}</select></div>`;
}

function input(name: string, label: string, value: string | undefined, type = 'text', extra = ''): Html {
  return html`<div><label for="${name}">${label}${extra ? html` <span class="muted">${extra}</span>` : ''}</label><input type="${type}" id="${name}" name="${name}" value="${value ?? ''}"></div>`;
}

const ROLE_NAMES: Record<string, string> = Object.fromEntries(ROLES);

function unitSection(view: AdminView): Html {
  const unit = view.unit!;
  return html`<section class="card" aria-labelledby="enheten">
    <h2 id="enheten">${unit.name}: roller og tjenestemottakere</h2>
    <form method="get" action="/administrasjon" class="filters">
      ${select('enhet', 'Enhet', view.managedUnits.map((u) => [u.id, u.name]), unit.id)}
      <div><button class="primary" type="submit">Vis enheten</button></div>
    </form>
    <h3>Roller</h3>
    <table><thead><tr><th scope="col">Person</th><th scope="col">Rolle</th><th scope="col">Fjern</th></tr></thead>
    <tbody>${unit.roles.map(
      (r) => html`<tr><td>${r.displayName}</td><td>${ROLE_NAMES[r.role] ?? r.role}</td><td>
        <form method="post" action="/administrasjon/roller/${r.id}/fjern"><input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="enhet" value="${unit.id}">
        <button type="submit" aria-label="Fjern ${ROLE_NAMES[r.role] ?? r.role} for ${r.displayName}">Fjern</button></form></td></tr>`,
    )}</tbody></table>
    <form method="post" action="/administrasjon/roller" class="filters">
      <input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="enhet" value="${unit.id}">
      ${select('person', 'Person', view.people.map((p) => [p.id, p.displayName]))}
      ${select('rolle', 'Rolle', ROLES.filter(([r]) => view.isAdmin || r !== 'quality_adviser'))}
      <div><button class="primary" type="submit">Gi rollen</button></div>
    </form>
    <h3>Tjenestemottakere</h3>
    <p class="muted">Bare pseudonyme koder: aldri navn eller fødselsnummer.</p>
    <p>${unit.recipients.filter((r) => !r.archived).map((r) => r.code).join(', ') || 'Ingen.'}</p>
    <form method="post" action="/administrasjon/tjenestemottakere" class="filters">
      <input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="enhet" value="${unit.id}">
      ${input('kode', 'Kode', '', 'text', '(for eksempel FJV-011)')}
      ${select('primaerkontakt', 'Primærkontakt', view.people.map((p) => [p.id, p.displayName]))}
      <div><button class="primary" type="submit">Legg til</button></div>
    </form>
  </section>`;
}

export function adminPage(view: AdminView): Html {
  const d = view.draft;
  const taskForm = html`<section class="card" aria-labelledby="ny-oppgave">
    <h2 id="ny-oppgave">Ny oppgave i et årshjul</h2>
    <p class="muted">Velg når oppgaven gjentas. «Forhåndsvis» viser fristene før du lagrer.</p>
    <form method="get" action="/administrasjon" class="filters">
      ${select('hjul', 'Årshjul', view.wheels.map((w) => [w.id, w.name]), d.hjul)}
      ${input('tittel', 'Oppgave', d.tittel)}
      ${select('ansvar', 'Ansvar', ROLES, d.ansvar)}
      ${input('lagres', 'Lagres', d.lagres, 'text', '(for eksempel Compilo)')}
      ${select('monster', 'Gjentas', PATTERNS, d.monster)}
      ${input('maned', 'Måned (1–12)', d.maned, 'text')}
      ${input('dag', 'Dag (1–31, –1 = siste)', d.dag, 'text')}
      ${input('uke', 'Uke (1–53)', d.uke, 'text')}
      ${input('intervall', 'Hver n-te', d.intervall, 'text')}
      ${input('startar', 'Startår', d.startar, 'text')}
      ${input('rrule', 'Egen RRULE', d.rrule, 'text')}
      ${input('visningsar', 'Vis frister for år', d.visningsar, 'text')}
      <div><button class="primary" type="submit" name="handling" value="forhandsvis">Forhåndsvis</button></div>
    </form>
    ${view.preview
      ? 'error' in view.preview
        ? html`<p class="error" role="alert">${view.preview.error}</p>`
        : html`<div class="notice" role="status"><p>Regel: <code>${view.preview.rrule}</code></p>
            <p>Frister i ${view.preview.year}: ${view.preview.dates.map(norwegianDate).join(', ')}</p>
            <form method="post" action="/administrasjon/oppgaver">
              <input type="hidden" name="_csrf" value="${view.csrf}">
              ${Object.entries(d).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
              <button class="primary" type="submit">Lagre oppgaven</button>
            </form></div>`
      : ''}
  </section>`;

  return html`
    ${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
    ${view.isAdmin ? taskForm : ''}
    ${view.isAdmin
      ? html`<section class="card" aria-labelledby="hjulene"><h2 id="hjulene">Årshjulene</h2>${view.wheels.map(
          (w) => html`<details><summary>${w.name} (${w.tasks.length} oppgaver)${w.published ? ' – publisert' : ''}</summary>
            <table><thead><tr><th scope="col">Oppgave</th><th scope="col">Regel</th><th scope="col">Ansvar</th><th scope="col" class="optional">Lagres</th></tr></thead>
            <tbody>${w.tasks.map((t) => html`<tr><td>${t.title}${t.archived ? ' (arkivert)' : ''}</td><td><code>${t.rrule}</code></td><td>${t.responsibleRole}</td><td class="optional">${t.storedIn ?? ''}</td></tr>`)}</tbody></table>
          </details>`,
        )}</section>`
      : ''}
    ${view.managedUnits.length
      ? html`<section class="card" aria-labelledby="tildel"><h2 id="tildel">Tildel et årshjul til en enhet</h2>
          <form method="post" action="/administrasjon/tildelinger" class="filters">
            <input type="hidden" name="_csrf" value="${view.csrf}">
            ${select('enhet', 'Enhet', view.managedUnits.map((u) => [u.id, u.name]))}
            ${select('hjul', 'Årshjul', view.wheels.map((w) => [w.id, w.name]))}
            ${input('fraar', 'Fra år', String(new Date().getUTCFullYear() + 1))}
            <div class="choice"><label><input type="checkbox" name="underenheter" value="1" checked> Også underenheter</label></div>
            <div><button class="primary" type="submit">Tildel</button></div>
          </form></section>`
      : ''}
    ${view.unit ? unitSection(view) : ''}
    <section class="card" aria-labelledby="stedfortreder"><h2 id="stedfortreder">Min stedfortreder</h2>
      <p class="muted">Stedfortrederen får dine påminnelser i perioden og kan signere på dine vegne.</p>
      ${view.deputies.length ? html`<ul>${view.deputies.map((x) => html`<li>${x.deputyName}: ${norwegianDate(x.from)}–${norwegianDate(x.to)}</li>`)}</ul>` : html`<p>Ingen stedfortreder er valgt.</p>`}
      <form method="post" action="/administrasjon/stedfortreder" class="filters">
        <input type="hidden" name="_csrf" value="${view.csrf}">
        ${select('stedfortreder', 'Stedfortreder', view.people.map((p) => [p.id, p.displayName]))}
        ${input('fra', 'Fra', '', 'date')}
        ${input('til', 'Til', '', 'date')}
        <div><button class="primary" type="submit">Lagre</button></div>
      </form>
    </section>`;
}
