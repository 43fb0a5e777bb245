import { TaskDto } from '../../wheels/dtos/task.dto';
import { TaskOptOutDto } from '../../wheels/dtos/task-opt-out.dto';
import { WheelDto } from '../../wheels/dtos/wheel.dto';
import { WHEEL_KINDS } from '../../wheels/entities/wheel.entity';
import { html, Html } from '../html';
import { Texts } from '../i18n';
import { exampleMark, norwegianDate } from '../layout';
import { ALL_PATTERNS, DURATION_UNITS, recurrenceText } from '../recurrence-builder';
import { RowFields } from './row-form';

export const EDITOR_ROLES = ['manager', 'staff', 'primary_contact', 'quality_adviser'];

export interface Unit {
  id: string;
  name: string;
}

export interface WheelSummary {
  wheel: WheelDto;
  ownerName: string;
  rows: number;
  flagged: number;
}

export interface WheelListView {
  t: Texts;
  csrf: string;
  wheels: WheelSummary[];
  /** Units whose wheels the person may own (managed, and below); administrators may also choose the municipality. */
  owners: Unit[];
  isAdmin: boolean;
  /** Wheels to copy from: this municipality's, and the library's. */
  sources: Array<{ id: string; name: string; library: boolean }>;
  error?: string;
}

export interface RowView {
  task: TaskDto;
  deadlines: string[];
  month: number | null;
}

export interface EditorView {
  t: Texts;
  csrf: string;
  wheel: WheelDto;
  ownerName: string;
  replaces?: { id: string; name: string };
  /** The draft being shaped to replace this wheel, or the wheel that replaced it. */
  successor?: { id: string; name: string; status: string };
  year: number;
  today: string;
  rows: RowView[];
  /** The row whose form is open: a task id, or 'ny' for a new row. */
  editing?: string;
  form: RowFields;
  preview?: { year: number; dates: string[]; note?: string } | { error: string };
  message?: string;
  error?: string;
  publishFrom?: string;
}

const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

function field(name: string, label: string, value: string | undefined, extra?: string, type = 'text'): Html {
  return html`<div><label for="${name}">${label}${extra ? html` <span class="muted">${extra}</span>` : ''}</label><input type="${type}" id="${name}" name="${name}" value="${value ?? ''}"></div>`;
}

function choice(name: string, label: string, options: Array<[string, string]>, value?: string): Html {
  return html`<div><label for="${name}">${label}</label><select id="${name}" name="${name}">${options.map(
    ([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`,
  )}</select></div>`;
}

const wheelStatus = (status: string, t: Texts) => html`<span class="status ${status === 'draft' ? 'overdue' : 'done'}">${t.wheelEditor.status[status] ?? status}</span>`;

/** The wheels the person may shape, and the forms to make or copy one. */
export function wheelListPage(view: WheelListView): Html {
  const e = view.t.wheelEditor;
  const owners: Array<[string, string]> = [...view.owners.map((u): [string, string] => [u.id, u.name]), ...(view.isAdmin ? [['', e.municipality] as [string, string]] : [])];
  const list = (wheels: WheelSummary[]) =>
    wheels.length
      ? html`<ul class="wheel-list">${wheels.map(
          (w) => html`<li><a href="/administrasjon/arshjul/${w.wheel.id}" aria-label="${e.open(w.wheel.name)}">${w.wheel.name}</a>
            ${wheelStatus(w.wheel.status, view.t)} <span class="muted">${e.owner}: ${w.ownerName} · ${e.rows(w.rows)}</span>${w.flagged ? html` <strong class="review-count">${e.needReview(w.flagged)}</strong>` : ''}</li>`,
        )}</ul>`
      : html`<p>${e.noneYet}</p>`;
  return html`<p>${e.intro}</p>
    ${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
    <p><a href="/administrasjon/fravalg">${e.optOutMenu}</a></p>
    <section class="card" aria-labelledby="utkast"><h2 id="utkast">${e.drafts}</h2>${list(view.wheels.filter((w) => w.wheel.status === 'draft'))}</section>
    <section class="card" aria-labelledby="i-bruk"><h2 id="i-bruk">${e.inUse}</h2>${list(view.wheels.filter((w) => w.wheel.status === 'active'))}</section>
    ${owners.length
      ? html`<section class="card" aria-labelledby="nytt"><h2 id="nytt">${e.newWheel}</h2>
          <form method="post" action="/administrasjon/arshjul" class="filters">${hidden(view.csrf)}
            ${field('navn', e.name, '')}
            ${choice('type', e.kind, WHEEL_KINDS.map((k) => [k, e.kinds[k]]), 'manager')}
            ${choice('ownerUnitId', e.owner, owners)}
            <div><button class="primary" type="submit">${e.create}</button></div>
          </form></section>
        <section class="card" aria-labelledby="kopier"><h2 id="kopier">${e.copyHeading}</h2><p class="muted">${e.copyHint}</p>
          <form method="post" action="/administrasjon/arshjul/kopier" class="filters">${hidden(view.csrf)}
            ${choice('kilde', e.source, view.sources.map((s) => [s.id, s.library ? `${s.name} (${e.library})` : s.name]))}
            ${html`<div><label for="kopi-eier">${e.owner}</label><select id="kopi-eier" name="ownerUnitId">${owners.map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select></div>`}
            ${field('kopinavn', e.name, '', view.t.optional)}
            <div><button class="primary" type="submit">${e.copy}</button></div>
          </form></section>`
      : ''}`;
}

function facts(row: RowView, view: EditorView): Html {
  const e = view.t.wheelEditor;
  const task = row.task;
  const fact = (label: string, value: Html | string | null) => (value ? html`<div><dt>${label}</dt><dd>${value}</dd></div>` : '');
  return html`<dl class="row-facts">
    ${fact(e.deadlinesNextYear(view.year), row.deadlines.length ? row.deadlines.map(norwegianDate).join(', ') : e.noDate)}
    ${fact(e.rule, recurrenceText(task, view.t.recurrence))}
    ${fact(e.responsible, view.t.admin.roles[task.responsibleRole] ?? task.responsibleRole)}
    ${fact(e.responsibleText, task.responsibleText)}
    ${fact(e.scope, e.scopes[task.scope])}
    ${fact(e.storedIn, task.storedIn)}
    ${fact(e.description, task.description)}
    ${fact(e.legalBasis, task.legalBasis)}
  </dl>`;
}

function rowForm(view: EditorView, task?: TaskDto): Html {
  const e = view.t.wheelEditor;
  const a = view.t.admin;
  const f = view.form;
  const action = task ? `/administrasjon/arshjul/${view.wheel.id}/rader/${task.id}` : `/administrasjon/arshjul/${view.wheel.id}/rader`;
  const roles = EDITOR_ROLES.includes(f.ansvar ?? 'manager') ? EDITOR_ROLES : [...EDITOR_ROLES, f.ansvar!];
  return html`<form method="post" action="${action}#rad-skjema" id="rad-skjema" class="row-form" aria-label="${task ? e.editHeading(task.title) : e.newRow}">${hidden(view.csrf)}
    <div class="wide"><label for="tittel">${e.title_}</label><textarea id="tittel" name="tittel" rows="2">${f.tittel ?? ''}</textarea></div>
    ${choice('ansvar', e.responsible, roles.map((r) => [r, a.roles[r] ?? r]), f.ansvar ?? 'manager')}
    ${choice('omfang', e.scope, [['unit', e.scopes.unit], ['recipient', e.scopes.recipient], ['person', e.scopes.person]], f.omfang ?? 'unit')}
    ${field('lagres', e.storedIn, f.lagres, a.storedInHint)}
    ${field('hjemmel', e.legalBasis, f.hjemmel, view.t.optional)}
    <div class="wide"><label for="beskrivelse">${e.description} <span class="muted">${view.t.optional}</span></label><textarea id="beskrivelse" name="beskrivelse">${f.beskrivelse ?? ''}</textarea></div>
    <fieldset class="filters"><legend>${a.repeats}</legend>
      ${choice('monster', a.repeats, ALL_PATTERNS.map((p) => [p, a.patterns[p]]), f.monster)}
      ${field('maned', a.month, f.maned)}
      ${field('dag', a.day, f.dag)}
      ${field('uke', a.week, f.uke)}
      ${field('intervall', `${a.every} / ${e.amount}`, f.intervall)}
      ${choice('tidsenhet', e.durationUnit, DURATION_UNITS.map((u) => [u, e.durationUnits[u]]), f.tidsenhet ?? 'M')}
      ${field('startar', a.startYear, f.startar)}
      ${field('rrule', a.rrule, f.rrule)}
      ${choice('anker', e.anchor, [['activeFrom', e.anchors.activeFrom], ['activeTo', e.anchors.activeTo]], f.anker)}
      ${choice('retning', e.direction, [['etter', e.directions.etter], ['foer', e.directions.foer]], f.retning)}
      ${field('datonavn', e.dateName, f.datonavn, e.dateNameHint)}
      <p class="muted">${e.patternHint}</p>
    </fieldset>
    ${task?.reviewNote ? html`<div class="choice"><label><input type="checkbox" name="gjennomgatt" value="1"${f.gjennomgatt === '1' ? html` checked` : ''}> ${e.reviewed}</label></div>` : ''}
    ${view.preview
      ? 'error' in view.preview
        ? html`<p class="error" role="alert">${view.preview.error}</p>`
        : html`<p class="notice" role="status">${view.preview.dates.length ? e.preview(view.preview.year, view.preview.dates.map(norwegianDate).join(', ')) : ''}${view.preview.note ? `${view.preview.dates.length ? ' ' : ''}${view.preview.note}` : ''}</p>`
      : ''}
    <div class="actions">
      <button class="primary" type="submit" name="handling" value="forhandsvis">${e.previewRow}</button>
      <button class="primary" type="submit" name="handling" value="lagre">${task ? e.saveRow : e.addRow}</button>
      <a href="/administrasjon/arshjul/${view.wheel.id}">${e.cancel}</a>
    </div>
  </form>`;
}

/** One wheel: its rows under the months they fall in, each with next year's deadlines; forms to change and publish it. */
export function wheelEditorPage(view: EditorView): Html {
  const e = view.t.wheelEditor;
  const draft = view.wheel.status === 'draft';
  const flagged = view.rows.filter((r) => r.task.reviewNote);
  const months = [...new Set(view.rows.map((r) => r.month))].sort((x, y) => (x ?? 13) - (y ?? 13));
  const monthLabel = (m: number | null) => (m === null ? e.noDate : view.t.months[m - 1].replace(/^./, (c) => c.toUpperCase()));

  const row = (r: RowView) => html`<article class="card row${r.task.reviewNote ? ' needs-review' : ''}" id="rad-${r.task.id}" aria-labelledby="tittel-${r.task.id}">
    <h3 id="tittel-${r.task.id}">${r.task.title}${exampleMark(r.task.example, view.t)}</h3>
    ${r.task.reviewNote ? html`<p class="review-note"><strong>${e.reviewMark}${r.task.sourceLine ? ` (${e.line(r.task.sourceLine)})` : ''}:</strong> ${r.task.reviewNote}</p>` : ''}
    ${facts(r, view)}
    ${draft && view.editing !== r.task.id
      ? html`<div class="actions"><a href="/administrasjon/arshjul/${view.wheel.id}?rad=${r.task.id}#rad-skjema" aria-label="${e.editLabel(r.task.title)}">${e.edit}</a>
          <form method="post" action="/administrasjon/arshjul/${view.wheel.id}/rader/${r.task.id}/fjern">${hidden(view.csrf)}<button type="submit" aria-label="${e.archiveLabel(r.task.title)}">${e.archiveRow}</button></form></div>`
      : ''}
    ${draft && view.editing === r.task.id ? rowForm(view, r.task) : ''}
  </article>`;

  const publish = draft
    ? html`<section class="card" aria-labelledby="publiser"><h2 id="publiser">${e.publishHeading}</h2>
        <p>${view.replaces ? e.replaceHint(view.replaces.name) : e.publishHint}</p>
        ${flagged.length ? html`<p class="error">${e.blocked(flagged.length)} ${flagged.map((r) => html`<a href="#rad-${r.task.id}">${r.task.title}</a>`).reduce((all, link, i) => html`${all}${i ? ', ' : ''}${link}`, html``)}</p>` : ''}
        <form method="post" action="/administrasjon/arshjul/${view.wheel.id}/publiser" class="filters">${hidden(view.csrf)}
          ${view.replaces ? field('fra', e.replacesFrom, view.publishFrom ?? '', undefined, 'date') : ''}
          <div><button class="primary" type="submit">${e.publish}</button></div>
        </form></section>`
    : html`<section class="card" aria-labelledby="i-bruk"><h2 id="i-bruk">${e.status.active}</h2><p>${e.activeHint}</p>
        ${view.successor
          ? html`<p><a href="/administrasjon/arshjul/${view.successor.id}">${view.successor.status === 'draft' ? e.openDraft : `${view.successor.name}`}</a></p>`
          : html`<form method="post" action="/administrasjon/arshjul/${view.wheel.id}/utkast">${hidden(view.csrf)}<button class="primary" type="submit">${e.startDraft}</button></form>`}
      </section>`;

  return html`<p><a href="/administrasjon/arshjul">← ${e.back}</a></p>
    <p>${wheelStatus(view.wheel.status, view.t)} <span class="muted">${e.owner}: ${view.ownerName}${view.replaces
      ? html` · <a href="/administrasjon/arshjul/${view.replaces.id}">${e.replaces(view.replaces.name)}</a>${view.wheel.replacesFrom ? ` ${e.replacedFrom(norwegianDate(view.wheel.replacesFrom))}` : ''}`
      : ''}</span></p>
    ${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
    ${view.error ? html`<p class="error" role="alert">${e.errorPrefix}: ${view.error}</p>` : ''}
    ${publish}
    <details class="card"><summary>${e.nameAndDescription}</summary>
      <form method="post" action="/administrasjon/arshjul/${view.wheel.id}/navn" class="row-form">${hidden(view.csrf)}
        ${field('navn', e.name, view.wheel.name)}
        <div class="wide"><label for="hjul-beskrivelse">${e.description} <span class="muted">${view.t.optional}</span></label><textarea id="hjul-beskrivelse" name="beskrivelse">${view.wheel.description ?? ''}</textarea></div>
        <div><button class="primary" type="submit">${e.saveWheel}</button></div>
      </form></details>
    ${months.map(
      (m) => html`<section aria-labelledby="maned-${m ?? 'uten'}"><h2 id="maned-${m ?? 'uten'}">${monthLabel(m)}</h2>
        ${view.rows.filter((r) => r.month === m).map(row)}</section>`,
    )}
    ${draft
      ? html`<section class="card" aria-labelledby="ny-rad"><h2 id="ny-rad">${e.newRow}</h2>
          ${view.editing === 'ny' ? rowForm(view) : html`<p><a href="/administrasjon/arshjul/${view.wheel.id}?rad=ny#rad-skjema">${e.newRow}</a></p>`}</section>`
      : ''}`;
}

export interface OptOutView {
  t: Texts;
  csrf: string;
  units: Unit[];
  unit: Unit;
  today: string;
  /** The tasks of the wheels the unit follows. */
  wheels: Array<{ id: string; name: string; tasks: Array<{ id: string; title: string }> }>;
  optOuts: TaskOptOutDto[];
  message?: string;
  error?: string;
}

/** A unit switches a task off for itself; the units above see who did, and why. */
export function optOutsPage(view: OptOutView): Html {
  const e = view.t.wheelEditor;
  return html`<p><a href="/administrasjon/arshjul">← ${e.back}</a></p>
    <p>${e.optOutIntro}</p>
    ${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
    ${view.error ? html`<p class="error" role="alert">${e.errorPrefix}: ${view.error}</p>` : ''}
    <form method="get" action="/administrasjon/fravalg" class="filters card" aria-label="${e.unit}">
      ${choice('enhet', e.unit, view.units.map((u) => [u.id, u.name]), view.unit.id)}
      <div><button class="primary" type="submit">${e.show}</button></div>
    </form>
    <section class="card" aria-labelledby="sla-av"><h2 id="sla-av">${e.optOutMenu}: ${view.unit.name}</h2>
      ${view.wheels.length
        ? html`<form method="post" action="/administrasjon/fravalg" class="filters">${hidden(view.csrf)}<input type="hidden" name="enhet" value="${view.unit.id}">
            <div><label for="oppgave">${e.task}</label><select id="oppgave" name="oppgave">${view.wheels.map(
              (w) => html`<optgroup label="${w.name}">${w.tasks.map((t) => html`<option value="${t.id}">${t.title}</option>`)}</optgroup>`,
            )}</select></div>
            ${field('begrunnelse', e.reason, '', e.reasonHint)}
            ${field('fra', e.from, view.today, undefined, 'date')}
            <div><button class="primary" type="submit">${e.switchOff}</button></div>
          </form>`
        : html`<p>${e.nothingToSwitch}</p>`}
    </section>
    <section class="card" aria-labelledby="slatt-av"><h2 id="slatt-av">${e.whoDid}</h2>
      ${view.optOuts.length
        ? html`<div class="scroll" role="region" aria-labelledby="slatt-av" tabindex="0"><table><thead><tr><th scope="col">${e.unit}</th><th scope="col">${e.task}</th><th scope="col">${e.reason}</th><th scope="col">${e.from}</th><th scope="col">${e.onAgainFrom}</th></tr></thead>
          <tbody>${view.optOuts.map(
            (o) => html`<tr><td>${o.unitName}</td><td>${o.taskTitle} <span class="muted">(${o.wheelName})</span></td><td>${o.reason}${o.createdBy ? html` <span class="muted">${e.by} ${o.createdBy}</span>` : ''}</td>
              <td>${norwegianDate(o.from)}</td>
              <td>${o.endedOn && o.endedOn <= view.today
                ? norwegianDate(o.endedOn)
                : html`${o.endedOn ? html`${norwegianDate(o.endedOn)} ` : ''}<form method="post" action="/administrasjon/fravalg/${o.id}/avslutt" class="filters">${hidden(view.csrf)}<input type="hidden" name="enhet" value="${o.unitId}">
                    <div><label for="fra-${o.id}">${e.onAgainFrom}</label><input type="date" id="fra-${o.id}" name="fra" value="${o.endedOn ?? view.today}"></div>
                    <div><button type="submit" aria-label="${e.switchOnLabel(o.taskTitle, o.unitName)}">${e.switchOn}</button></div></form>`}</td></tr>`,
          )}</tbody></table></div>`
        : html`<p>${e.noOptOuts}</p>`}
    </section>`;
}

