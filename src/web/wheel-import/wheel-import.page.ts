import { html, Html } from '../html';
import { Texts } from '../i18n';
import { norwegianDate } from '../layout';

export interface UploadView {
  t: Texts;
  csrf: string;
  units: Array<{ id: string; name: string }>;
  isAdmin: boolean;
  /** Wheels the person may shape: drafts to import into again, wheels in use to replace. */
  wheels: Array<{ id: string; name: string; status: string }>;
  /** Why the last upload was refused, in the page's language. */
  error?: string;
}

export interface PreviewRow {
  taskId: string;
  line: number | null;
  month: number | null;
  title: string;
  /** The deadlines of the coming twelve months; null: no fixed deadline ("løpende", "ved behov"). */
  deadlines: string[] | null;
  responsibleText: string | null;
  responsibleRole: string;
  /** person: one task per employee («Alle ansatte», «Hver ansatt»), each signing their own. */
  scope: string;
  storedIn: string | null;
  reviewNote: string | null;
  warnings: string[];
  /** Ansvar not understood: a role must be chosen, perhaps a new one of this key. */
  chooseRole: boolean;
  suggestedRole: string | null;
}

export interface PreviewView {
  t: Texts;
  csrf: string;
  wheel: { id: string; name: string; replaces: string | null };
  rows: PreviewRow[];
  problems: Array<{ line: number; message: string }>;
  roles: string[];
  message?: string;
}

export function uploadPage(v: UploadView): Html {
  const w = v.t.wheelImport;
  const drafts = v.wheels.filter((x) => x.status === 'draft');
  return html`
    ${v.error ? html`<div class="error" role="alert"><h2>${w.refused}</h2><p>${v.error}</p></div>` : ''}
    <section class="card" aria-labelledby="last-opp"><h2 id="last-opp">${w.title}</h2>
      <p class="muted">${w.intro}</p>
      <form method="post" action="/administrasjon/import" enctype="multipart/form-data" class="filters import-form">
        <input type="hidden" name="_csrf" value="${v.csrf}">
        <div><label for="enhet">${w.owner}</label><select id="enhet" name="enhet">
          ${v.units.map((u) => html`<option value="${u.id}">${u.name}</option>`)}
          ${v.isAdmin ? html`<option value="">${w.municipality}</option>` : ''}
        </select></div>
        <div><label for="navn">${w.name} <span class="muted">${w.nameHint}</span></label><input type="text" id="navn" name="navn"></div>
        <div><label for="hjul">${w.into}</label><select id="hjul" name="hjul"><option value="">${w.newWheel}</option>
          ${v.wheels.map((x) => html`<option value="${x.id}">${x.name}${x.status === 'draft' ? ` (${w.drafts.toLowerCase()})` : ''}</option>`)}
        </select></div>
        <div><label for="fil">${w.file} <span class="muted">${w.fileHint}</span></label><input type="file" id="fil" name="file" accept=".xlsx,.docx,.csv,.txt" required></div>
        <div><button class="primary" type="submit">${w.upload}</button></div>
      </form>
    </section>
    <section class="card" aria-labelledby="utkast"><h2 id="utkast">${w.drafts}</h2>
      ${drafts.length ? html`<ul>${drafts.map((d) => html`<li><a href="/administrasjon/import/${d.id}">${d.name}</a></li>`)}</ul>` : html`<p>${w.noDrafts}</p>`}
    </section>`;
}

export function previewPage(v: PreviewView): Html {
  const w = v.t.wheelImport;
  const roleLabel = (role: string) => v.t.admin.roles[role] ?? role;
  const review = v.rows.filter((r) => r.reviewNote).length;
  const choosing = v.rows.some((r) => r.chooseRole);
  const table = html`<div class="table-scroll"><table class="stack">
    <caption class="muted">${w.summary(v.rows.length, review)}</caption>
    <thead><tr><th scope="col">${w.month}</th><th scope="col">${w.task}</th><th scope="col">${w.deadlines}</th><th scope="col">${w.responsible}</th><th scope="col">${w.storedIn}</th><th scope="col">${w.notes}</th></tr></thead>
    <tbody>${v.rows.map(
      (r) => html`<tr>
        <td data-label="${w.month}">${r.month ? v.t.months[r.month - 1] : ''}</td>
        <td data-label="${w.task}">${r.title}${r.line ? html`<br><span class="muted">${w.line} ${r.line}</span>` : ''}</td>
        <td data-label="${w.deadlines}">${r.deadlines === null ? html`<span class="review">${w.noSchedule}</span>` : r.deadlines.map(norwegianDate).join(', ')}</td>
        <td data-label="${w.responsible}">${r.chooseRole
          ? html`<label for="rolle_${r.taskId}">${w.chooseRole(r.title.length > 40 ? `${r.title.slice(0, 40)}…` : r.title)}</label>
              <select id="rolle_${r.taskId}" name="rolle_${r.taskId}" form="roller"><option value="">${w.choose}</option>
              ${v.roles.map((role) => html`<option value="${role}">${roleLabel(role)}</option>`)}
              ${r.suggestedRole && !v.roles.includes(r.suggestedRole) ? html`<option value="${r.suggestedRole}">${w.newRole(r.suggestedRole)}</option>` : ''}
              </select>`
          : roleLabel(r.responsibleRole)}${r.scope === 'person' && !r.chooseRole ? html`, <strong class="each-employee">${w.eachEmployee}</strong> <span class="muted">${w.eachEmployeeHint}</span>` : ''}
          ${r.responsibleText ? html`<br><span class="muted">${w.written}: «${r.responsibleText}»</span>` : ''}</td>
        <td data-label="${w.storedIn}">${r.storedIn ?? ''}</td>
        <td data-label="${w.notes}">${r.reviewNote ? html`<p class="review">${r.reviewNote}</p>` : ''}${r.warnings.length ? html`<ul class="warnings">${r.warnings.map((x) => html`<li>${x}</li>`)}</ul>` : r.reviewNote ? '' : w.ok}</td>
      </tr>`,
    )}</tbody></table></div>`;
  return html`
    ${v.message ? html`<p class="notice" role="status">${v.message}</p>` : ''}
    ${v.wheel.replaces ? html`<p>${w.replaces(v.wheel.replaces)}</p>` : ''}
    ${v.problems.length
      ? html`<section class="card error" aria-labelledby="problemer"><h2 id="problemer">${w.problems}</h2>
          <ul>${v.problems.map((p) => html`<li>${w.line} ${p.line}: ${p.message}</li>`)}</ul></section>`
      : ''}
    <section class="card" aria-labelledby="rader"><h2 id="rader">${v.wheel.name}</h2>
      ${table}
      ${choosing
        ? html`<form id="roller" method="post" action="/administrasjon/import/${v.wheel.id}"><input type="hidden" name="_csrf" value="${v.csrf}">
            <button class="primary" type="submit">${w.save}</button></form>`
        : ''}
    </section>
    <p><a href="/administrasjon/import">${w.back}</a></p>`;
}
