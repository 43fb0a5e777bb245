import type { OrganisationImportResultDto, RoleRefDto } from '../../organisation-import/dtos/organisation-import.dto';
import { ORGANISATION_IMPORT_LIMITS, RowProblem } from '../../organisation-import/import.problems';
import { html, Html } from '../html';
import type { Lang } from '../i18n';
import type { OrganisationImportTexts } from './organisation-import.texts';

export interface UploadView {
  w: OrganisationImportTexts;
  csrf: string;
  /** Why the last upload was refused, in the page's language. */
  error?: string;
}

export interface PreviewView {
  w: OrganisationImportTexts;
  lang: Lang;
  csrf: string;
  result: OrganisationImportResultDto;
  problems: RowProblem[];
  /** The file's text, sent back by the apply form; absent when there is nothing (more) to apply. */
  text?: string;
}

export function uploadPage(v: UploadView): Html {
  const w = v.w;
  return html`
    ${v.error ? html`<div class="error" role="alert"><h2>${w.refused}</h2><p>${v.error}</p></div>` : ''}
    <section class="card" aria-labelledby="last-opp"><h2 id="last-opp">${w.title}</h2>
      <p class="muted">${w.intro}</p>
      <form method="post" action="/administrasjon/organisasjon" enctype="multipart/form-data" class="filters import-form">
        <input type="hidden" name="_csrf" value="${v.csrf}">
        <div><label for="fil">${w.file} <span class="muted">${w.fileHint}</span></label><input type="file" id="fil" name="file" accept=".csv,.txt,text/csv" required></div>
        <div><button class="primary" type="submit">${w.upload}</button></div>
      </form>
    </section>
    <p><a href="/administrasjon">${w.back}</a></p>`;
}

export function previewPage(v: PreviewView): Html {
  const { w, result } = v;
  const role = (r: RoleRefDto) => `${w.roleNames[r.role] ?? r.role} – ${r.unitName}${r.unitCode ? ` (${r.unitCode})` : ''}`;
  const table = (caption: string, heads: string[], rows: Html[][]) =>
    rows.length
      ? html`<div class="table-scroll"><table class="stack"><caption>${caption} (${rows.length})</caption>
          <thead><tr>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
          <tbody>${rows.map((cells) => html`<tr>${cells.map((c, i) => html`<td data-label="${heads[i]}">${c}</td>`)}</tr>`)}</tbody></table></div>`
      : html`<p><strong>${caption}:</strong> ${w.none}</p>`;
  const unitChange = (u: OrganisationImportResultDto['units']['update'][number]) =>
    html`${[u.previousName !== undefined ? w.renamed(u.previousName) : '', u.moved ? w.moved(u.parentName, u.previousParentName ?? null) : '', u.codeGiven ? `${w.codeGiven} ${u.code}` : ''].filter(Boolean).join('; ')}`;
  const personChange = (p: OrganisationImportResultDto['people']['update'][number]) =>
    html`${p.previousName !== undefined ? html`${w.renamed(p.previousName)}<br>` : ''}${p.rolesAdded.map((r) => html`${w.added}: ${role(r)}<br>`)}${p.rolesRemoved.map((r) => html`${w.removed}: ${role(r)}<br>`)}`;
  const summary = v.problems.length ? '' : result.changes ? (v.lang === 'en' ? result.summary : result.oppsummering) : w.nothing;
  return html`
    ${result.applied ? html`<p class="notice" role="status">${w.applied} ${summary}</p>` : summary ? html`<p class="notice" role="status">${summary}</p>` : ''}
    ${v.problems.length
      ? html`<section class="card error" aria-labelledby="problemer"><h2 id="problemer">${w.problems}</h2>
          ${v.problems.length > ORGANISATION_IMPORT_LIMITS.problemsListed ? html`<p>${w.firstProblems(ORGANISATION_IMPORT_LIMITS.problemsListed, v.problems.length)}</p>` : ''}
          <div class="table-scroll"><table class="stack"><thead><tr><th scope="col">${w.line}</th><th scope="col">${w.column}</th><th scope="col">${w.problem}</th></tr></thead>
          <tbody>${v.problems.slice(0, ORGANISATION_IMPORT_LIMITS.problemsListed).map((p) => html`<tr><td data-label="${w.line}">${p.line}</td><td data-label="${w.column}">${p.column}</td><td data-label="${w.problem}">${v.lang === 'en' ? p.message : p.melding}</td></tr>`)}</tbody></table></div></section>`
      : ''}
    <section class="card" aria-labelledby="enheter"><h2 id="enheter">${w.unitsTitle}</h2>
      ${table(w.create, [w.line, w.code, w.name, w.parent], result.units.create.map((u) => [html`${u.line}`, html`${u.code}`, html`${u.name}`, html`${u.parentName ?? ''}`]))}
      ${table(w.update, [w.line, w.code, w.name, w.change], result.units.update.map((u) => [html`${u.line}`, html`${u.code}`, html`${u.name}`, unitChange(u)]))}
      <p><strong>${w.unchanged}:</strong> ${result.units.unchanged.length}</p>
    </section>
    <section class="card" aria-labelledby="personer"><h2 id="personer">${w.peopleTitle}</h2>
      ${table(w.create, [w.line, w.name, w.email, w.roles], result.people.create.map((p) => [html`${p.line}`, html`${p.displayName}`, html`${p.email}`, html`${p.rolesAdded.map((r) => html`${role(r)}<br>`)}`]))}
      ${table(w.update, [w.line, w.name, w.email, w.change], result.people.update.map((p) => [html`${p.line}`, html`${p.displayName}`, html`${p.email}`, personChange(p)]))}
      <p><strong>${w.unchanged}:</strong> ${result.people.unchanged.length}</p>
      ${result.people.notInFile.length
        ? html`<details><summary>${w.notInFile}: ${result.people.notInFile.length}</summary><ul>${result.people.notInFile.map((p) => html`<li>${p.displayName} (${p.email})</li>`)}</ul></details>`
        : ''}
    </section>
    ${v.text !== undefined
      ? html`<section class="card" aria-labelledby="importer"><h2 id="importer">${w.apply}</h2><p class="muted">${w.applyHint}</p>
          <form method="post" action="/administrasjon/organisasjon" enctype="multipart/form-data">
            <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="handling" value="importer">
            <input type="hidden" name="innhold" value="${v.text}">
            <button class="primary" type="submit">${w.apply}</button></form></section>`
      : ''}
    <p><a href="/administrasjon/organisasjon">${w.again}</a> · <a href="/administrasjon">${w.back}</a></p>`;
}
