import { ChecklistDto, ChecklistItemDto, OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { combinedStatus } from '../../occurrences/services/checklist.service';
import { html, Html } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, norwegianTime, ownersText, shownStatus, statusBadge } from '../layout';
import { BulkSigning, checklistSignForm, pickable, pickBox } from '../bulk-sign/bulk-sign.page';
import { SubunitSummaryDto, SummaryCountsDto } from '../../occurrences/dtos/subtree-summary.dto';
import { subunitTable } from '../subunits/subunit-table';
import type { FlatChecklistPage } from '../../occurrences/services/checklist.service';

/** Rows per page of the flat list of a unit and everything below it. */
export const FLAT_PAGE_ROWS = 200;

export interface ChecklistFilters {
  unitId: string;
  month: string;
  subtree: boolean;
  wheelId?: string;
  status?: string;
  personId?: string;
  /** A service recipient's code: codes only, never names. */
  code?: string;
  /** One task only (the wheel's mark of a task's month opens the list so). */
  taskId?: string;
  /** Part of a responsible person's name: the flat list's text field when its people are too many to list. */
  ownerName?: string;
  /** The flat list's page: the rows after the row of this cursor, or those before it. */
  after?: string;
  before?: string;
}

/** Past this many people or recipient codes in the flat list's month, its filters ask for text instead of listing them. */
export const MAX_CHOICES = 100;

export function monthName(month: string, t: Texts = TEXTS.nb): string {
  const [y, m] = month.split('-').map(Number);
  return `${t.months[m - 1]} ${y}`;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** The page's address with these filters; a page of the flat list only when the overrides name its cursor. */
function query(f: ChecklistFilters, overrides: Partial<ChecklistFilters> = {}): string {
  const all = { ...f, after: undefined, before: undefined, ...overrides };
  const params = new URLSearchParams({ enhet: all.unitId, maned: all.month });
  if (all.subtree) params.set('underenheter', '1');
  if (all.wheelId) params.set('hjul', all.wheelId);
  if (all.status) params.set('status', all.status);
  if (all.personId) params.set('person', all.personId);
  if (all.ownerName) params.set('ansvarlig', all.ownerName);
  if (all.code) params.set('kode', all.code);
  if (all.taskId) params.set('oppgave', all.taskId);
  if (all.after) params.set('etter', all.after);
  if (all.before) params.set('forrige', all.before);
  return `/sjekkliste?${params}`;
}

/**
 * The month's checklist of a unit's own tasks, grouped by wheel, filtered here (a unit's own month is small).
 * For a unit with sub-units `summary` gives one row per sub-unit above them. The flat list of everything
 * below is flatChecklistPage.
 */
export function checklistPage(
  checklist: ChecklistDto,
  filters: ChecklistFilters,
  units: Array<{ id: string; name: string }>,
  t: Texts = TEXTS.nb,
  signing?: BulkSigning,
  summary?: { own: SummaryCountsDto; subunits: SubunitSummaryDto[] },
): Html {
  const today = checklist.today;
  const people = new Map<string, string>();
  for (const g of checklist.groups) for (const i of g.items) for (const o of i.owners) people.set(o.id, o.displayName);
  const codes = [...new Set(checklist.groups.flatMap((g) => g.items.map((i) => i.recipientCode)).filter((c): c is string => !!c))].sort();
  const shown = (i: OccurrenceItemDto | ChecklistItemDto) =>
    (!filters.status || shownStatus(i, today) === filters.status) &&
    (!filters.personId || i.owners.some((o) => o.id === filters.personId)) &&
    (!filters.code || i.recipientCode === filters.code);
  const wheels = checklist.groups.filter((g) => !filters.wheelId || g.wheelId === filters.wheelId);
  const groups = wheels
    .map((g) => ({
      ...g,
      // A duty per person is kept when one of its people is shown, opening to those people only.
      items: g.items.flatMap((i): ChecklistItemDto[] => {
        if (!i.people) return shown(i) ? [i] : [];
        const kept = i.people.filter(shown);
        return kept.length ? [{ ...i, people: kept, status: filters.status ? combinedStatus(kept.map((p) => p.status)) : i.status }] : [];
      }),
      progress: progress(g.items),
    }))
    .filter((g) => g.items.length > 0);
  const month = progress(wheels.flatMap((g) => g.items));
  const unitName = units.find((u) => u.id === filters.unitId)?.name ?? '';
  const choices = { wheels: checklist.groups.map((g) => ({ id: g.wheelId, name: g.wheelName })), people: [...people].map(([id, name]) => ({ id, name })), codes };

  return html`
    ${filterForm(filters, choices, units, t)}
    ${monthPager(filters, t)}
    ${summary
      ? html`${subunitTable(summary, unitName, (id) => query({ unitId: id, month: filters.month, subtree: false }), t, true)}
        <p class="actions"><a href="${query(filters, { subtree: true })}">${t.subunits.flatLink}</a></p>
        <h2>${t.subunits.ownTasks}</h2>`
      : ''}
    ${month.total > 0 ? html`<p class="month-progress"><strong>${t.monthDone(month.done, month.total)}</strong></p>` : ''}
    ${groups.length === 0 ? html`<p class="notice">${summary ? t.subunits.noOwnTasks : t.noTasksFiltered}</p>` : ''}
    ${groups.map((g) => wheelSection(g, g.progress, false, today, t, signing))}
    ${signing && groups.some((g) => g.items.some((i) => (i.people ?? [i]).some((r) => pickable(r, signing)))) ? checklistSignForm(signing, t) : ''}`;
}

/**
 * «Med underenheter»: the month of the unit and every unit below it in one list, a page of rows at a time
 * (read a page at a time in SQL, filters and all: src/occurrences/services/checklist.sql.ts), grouped by wheel
 * as the unit's own list is, each wheel's heading with its whole month. The people and recipient codes to
 * filter on are listed when they are few; under a large unit they are typed instead.
 */
export function flatChecklistPage(
  flat: FlatChecklistPage,
  filters: ChecklistFilters,
  units: Array<{ id: string; name: string }>,
  t: Texts = TEXTS.nb,
  signing?: BulkSigning,
): Html {
  const groups: Array<{ wheelId: string; wheelName: string; items: ChecklistItemDto[] }> = [];
  for (const item of flat.items) {
    const last = groups[groups.length - 1];
    if (last && last.wheelId === item.wheelId) last.items.push(item);
    else groups.push({ wheelId: item.wheelId, wheelName: item.wheelName, items: [item] });
  }
  const wheelMonth = new Map(flat.wheels.map((w) => [w.id, w]));
  const month = flat.wheels.filter((w) => !filters.wheelId || w.id === filters.wheelId).reduce((m, w) => ({ done: m.done + w.done, total: m.total + w.total }), { done: 0, total: 0 });
  const few = <T,>(list: T[] | null | undefined) => (list && list.length <= MAX_CHOICES ? list : undefined);
  const choices = { wheels: flat.wheels, people: few(flat.people), codes: few(flat.codes) };
  const pages = flat.total > FLAT_PAGE_ROWS ? flatPageLinks(filters, flat, t) : '';

  return html`
    ${filterForm(filters, choices, units, t)}
    ${monthPager(filters, t)}
    ${pages}
    ${month.total > 0 ? html`<p class="month-progress"><strong>${t.monthDone(month.done, month.total)}</strong></p>` : ''}
    ${groups.length === 0 ? html`<p class="notice">${t.noTasksFiltered}</p>` : ''}
    ${groups.map((g) => wheelSection(g, wheelMonth.get(g.wheelId) ?? { done: 0, total: 0 }, true, flat.today, t, signing))}
    ${pages}
    ${signing && flat.items.some((i) => (i.people ?? [i]).some((r) => pickable(r, signing))) ? checklistSignForm(signing, t) : ''}`;
}

/**
 * The filters. Wheels, people and codes are chosen from lists when given; people and codes not given (a
 * large unit's flat list) are typed: a part of the name, the whole code.
 */
function filterForm(
  filters: ChecklistFilters,
  choices: { wheels: Array<{ id: string; name: string }>; people?: Array<{ id: string; name: string }>; codes?: string[] },
  units: Array<{ id: string; name: string }>,
  t: Texts,
): Html {
  const option = (value: string, label: string, selected?: string) => html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
  const typed = !choices.people || !choices.codes;
  return html`<form class="filters card" method="get" action="/sjekkliste" aria-label="${t.filters}">
      <div><label for="enhet">${t.unit}</label><select id="enhet" name="enhet">${units.map((u) => option(u.id, u.name, filters.unitId))}</select></div>
      <div><label for="maned">${t.month}</label><input type="month" id="maned" name="maned" value="${filters.month}"></div>
      <div><label for="hjul">${t.wheel}</label><select id="hjul" name="hjul">${option('', t.all)}${choices.wheels.map((w) => option(w.id, w.name, filters.wheelId))}</select></div>
      <div><label for="status">${t.status_}</label><select id="status" name="status">${option('', t.all)}${Object.entries(t.status).map(([k, v]) => option(k, v, filters.status))}</select></div>
      ${choices.people
        ? html`<div><label for="person">${t.responsible}</label><select id="person" name="person">${option('', t.all)}${choices.people.map((p) => option(p.id, p.name, filters.personId))}</select></div>`
        : html`<div><label for="ansvarlig">${t.subunits.personByName}</label><input type="search" id="ansvarlig" name="ansvarlig" maxlength="100" value="${filters.ownerName ?? ''}" aria-describedby="mange-valg"></div>
          ${filters.personId ? html`<input type="hidden" name="person" value="${filters.personId}">` : ''}`}
      ${choices.codes
        ? html`<div><label for="kode">${t.recipient}</label><select id="kode" name="kode">${option('', t.all)}${choices.codes.map((c) => option(c, c, filters.code))}</select></div>`
        : html`<div><label for="kode">${t.subunits.codeByText}</label><input type="search" id="kode" name="kode" maxlength="32" autocomplete="off" value="${filters.code ?? ''}" aria-describedby="mange-valg"></div>`}
      <div class="choice"><label><input type="checkbox" name="underenheter" value="1"${filters.subtree ? html` checked` : ''}> ${t.withSubunits}</label></div>
      <div><button class="primary" type="submit">${t.show}</button></div>
      ${typed ? html`<p class="muted" id="mange-valg">${t.subunits.manyChoices}</p>` : ''}
    </form>`;
}

function monthPager(filters: ChecklistFilters, t: Texts): Html {
  return html`<div class="pager" aria-label="${t.browseMonths}">
      <a href="${query(filters, { month: shiftMonth(filters.month, -1) })}">← ${monthName(shiftMonth(filters.month, -1), t)}</a>
      <strong>${monthName(filters.month, t)}</strong>
      <a href="${query(filters, { month: shiftMonth(filters.month, 1) })}">${monthName(shiftMonth(filters.month, 1), t)} →</a>
    </div>`;
}

/** One wheel's rows under its heading, «x av y utført» for the wheel's month. */
function wheelSection(
  g: { wheelId: string; wheelName: string; items: ChecklistItemDto[] },
  done: { done: number; total: number },
  subtree: boolean,
  today: string,
  t: Texts,
  signing?: BulkSigning,
): Html {
  const header = (label: string) => html`<th scope="col">${label}</th>`;
  return html`<section aria-labelledby="hjul-${g.wheelId}">
        <h2 id="hjul-${g.wheelId}">${g.wheelName} <span class="progress">${t.doneOf(done.done, done.total)}</span></h2>
        <table class="stack checklist">
          <caption class="muted">${t.tasksCount(g.items.length, g.items.some((i) => i.fromEarlierMonth))}</caption>
          <thead><tr>${header(t.task)}${header(t.deadline)}${subtree ? header(t.unit) : ''}${header(t.responsibleCol)}${header(t.storedIn)}${header(t.doneCol)}${header(t.comment)}</tr></thead>
          <tbody>${g.items.map((i) => (i.people ? perPersonRow(i, subtree, today, t, signing) : row(i, subtree, today, t, signing)))}</tbody>
        </table>
      </section>`;
}

/**
 * The flat list's pages: where this page stands («Side 3 av 12 (2 301 rader)»), the first, the previous
 * and the next. Keyset pages (a cursor of the row before or after), so rows signed or added meanwhile
 * never push a row onto two pages or off all of them.
 */
function flatPageLinks(filters: ChecklistFilters, flat: FlatChecklistPage, t: Texts): Html {
  const w = t.subunits;
  const pages = Math.max(1, Math.ceil(flat.total / FLAT_PAGE_ROWS));
  const page = Math.min(pages, Math.floor(flat.start / FLAT_PAGE_ROWS) + 1);
  // Back to the first page by its own address when the rows before this one fit on it.
  const previous = flat.previousCursor && flat.start > FLAT_PAGE_ROWS ? query(filters, { before: flat.previousCursor }) : flat.start > 0 ? query(filters) : undefined;
  return html`<nav class="pager" aria-label="${w.pages}">
    <span>${w.page(page, pages, flat.total)}</span>
    ${flat.start > 0 ? html`<a href="${query(filters)}">${w.first}</a>` : ''}
    ${previous ? html`<a href="${previous}" rel="prev">${w.previous}</a>` : ''}
    ${flat.nextCursor ? html`<a href="${query(filters, { after: flat.nextCursor })}" rel="next">${w.next}</a>` : ''}
  </nav>`;
}

/**
 * "5 av 13 utført": the occurrences due in the month itself (not those carried over from earlier months),
 * a duty per person counting each person's own; signed as done, late or not applicable counts as handled.
 */
function progress(items: ChecklistItemDto[]): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const i of items) {
    if (i.fromEarlierMonth) continue;
    if (i.people) {
      done += i.doneCount ?? 0;
      total += i.total ?? 0;
    } else {
      total += 1;
      if (i.signedBy) done += 1;
    }
  }
  return { done, total };
}

const cell = (label: string, content: unknown, className?: string) => html`<td data-label="${label}"${className ? html` class="${className}"` : ''}>${content}</td>`;

/** Frist: the date and the status in words, so the row says at a glance whether it is late. */
const deadline = (i: { deadline: string; status: string; opensOn: string }, today: string, t: Texts) =>
  html`${norwegianDate(i.deadline)}<br>${statusBadge(shownStatus(i, today), t)}`;

/** Utført: who signed and when; «Ikke aktuelt» with who said so; else «Ikke utført». */
function doneBy(i: { signedBy: { displayName: string } | null; signedAt: string | null; status: string }, t: Texts): Html {
  if (!i.signedBy || !i.signedAt) return html`<span class="muted">${t.notDone}</span>`;
  const who = html`${i.signedBy.displayName}<br>${norwegianTime(i.signedAt, 'Europe/Oslo', t.at)}`;
  return i.status === 'not_applicable' ? html`${t.status.not_applicable}<br>${who}` : who;
}

/** Lagres: what the sign-off recorded; until then the task's own Lagres, marked as a suggestion. */
function stored(i: { recordedStoredIn: string | null; storedIn: string | null; signedBy: unknown }, t: Texts): Html | string {
  if (i.signedBy) return i.recordedStoredIn ?? '';
  return i.storedIn ? html`<span class="muted">${t.storedInHint(i.storedIn)}</span>` : '';
}

function row(i: ChecklistItemDto, subtree: boolean, today: string, t: Texts, signing?: BulkSigning): Html {
  return html`<tr>
    ${cell(t.task, html`${pickBox(i, signing, t)}<a href="/oppgaver/${i.occurrenceId}">${i.title}</a>${exampleMark(i.example, t)}${i.recipientCode ? html` <span class="muted">(${i.recipientCode})</span>` : ''}`)}
    ${cell(t.deadline, deadline(i, today, t))}
    ${subtree ? cell(t.unit, i.unitName) : ''}
    ${cell(t.responsibleCol, ownersText(i.owners, t))}
    ${cell(t.storedIn, stored(i, t))}
    ${cell(t.doneCol, doneBy(i, t))}
    ${cell(t.comment, i.comment ?? '', 'comment')}
  </tr>`;
}

/** A duty per person: one row, "7 av 12 utført", opening (without script) to each person and their status. */
function perPersonRow(i: ChecklistItemDto, subtree: boolean, today: string, t: Texts, signing?: BulkSigning): Html {
  const owners = i.people!.length;
  return html`<tr class="per-person">
    ${cell(t.task, html`${i.title}${exampleMark(i.example, t)}`)}
    ${cell(t.deadline, deadline(i, today, t))}
    ${subtree ? cell(t.unit, i.unitName) : ''}
    ${cell(t.responsibleCol, owners ? t.eachPerson(owners) : ownersText([], t))}
    ${cell(t.storedIn, i.storedIn ? html`<span class="muted">${t.storedInHint(i.storedIn)}</span>` : '')}
    ${cell(
      t.doneCol,
      html`<details><summary>${t.doneOf(i.doneCount ?? 0, i.total ?? 0)}</summary>
      <ul class="people">${i.people!.map(
        (p) => html`<li>${pickBox(p, signing, t)}<a href="/oppgaver/${p.occurrenceId}">${p.person?.displayName ?? ''}</a> ${statusBadge(shownStatus(p, today), t)}${p.signedBy && p.signedAt ? html` <span class="muted">${p.signedBy.displayName}, ${norwegianTime(p.signedAt, 'Europe/Oslo', t.at)}</span>` : ''}${p.comment ? html` <span class="muted">– ${p.comment}</span>` : ''}</li>`,
      )}</ul></details>`,
    )}
    ${cell(t.comment, '')}
  </tr>`;
}
