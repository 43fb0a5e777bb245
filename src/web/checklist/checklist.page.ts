import { ChecklistDto, ChecklistItemDto, OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { combinedStatus } from '../../occurrences/services/checklist.service';
import { html, Html } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, norwegianTime, ownersText, shownStatus, statusBadge } from '../layout';
import { BulkSigning, checklistSignForm, pickable, pickBox } from '../bulk-sign/bulk-sign.page';
import { SubunitSummaryDto, SummaryCountsDto } from '../../occurrences/dtos/subtree-summary.dto';
import { subunitTable } from '../subunits/subunit-table';

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
  /** The page of the flat list (subtree), from 1. */
  page?: number;
}

export function monthName(month: string, t: Texts = TEXTS.nb): string {
  const [y, m] = month.split('-').map(Number);
  return `${t.months[m - 1]} ${y}`;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

function query(f: ChecklistFilters, overrides: Partial<ChecklistFilters> = {}): string {
  const all = { ...f, ...overrides };
  const params = new URLSearchParams({ enhet: all.unitId, maned: all.month });
  if (all.subtree) params.set('underenheter', '1');
  if (all.wheelId) params.set('hjul', all.wheelId);
  if (all.status) params.set('status', all.status);
  if (all.personId) params.set('person', all.personId);
  if (all.code) params.set('kode', all.code);
  if (all.taskId) params.set('oppgave', all.taskId);
  if (all.page && all.page > 1) params.set('side', String(all.page));
  return `/sjekkliste?${params}`;
}

/**
 * The month's checklist. For a unit with sub-units (and not the flat list) `summary` gives one row per
 * sub-unit above the unit's own tasks; the flat list of everything below comes in pages of FLAT_PAGE_ROWS.
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
  let groups = wheels
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
  const paging = filters.subtree ? onePage(groups, filters.page ?? 1) : undefined;
  if (paging) groups = paging.groups;
  const unitName = units.find((u) => u.id === filters.unitId)?.name ?? '';
  const option = (value: string, label: string, selected?: string) => html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
  const header = (label: string) => html`<th scope="col">${label}</th>`;

  return html`
    <form class="filters card" method="get" action="/sjekkliste" aria-label="${t.filters}">
      <div><label for="enhet">${t.unit}</label><select id="enhet" name="enhet">${units.map((u) => option(u.id, u.name, filters.unitId))}</select></div>
      <div><label for="maned">${t.month}</label><input type="month" id="maned" name="maned" value="${filters.month}"></div>
      <div><label for="hjul">${t.wheel}</label><select id="hjul" name="hjul">${option('', t.all)}${checklist.groups.map((g) => option(g.wheelId, g.wheelName, filters.wheelId))}</select></div>
      <div><label for="status">${t.status_}</label><select id="status" name="status">${option('', t.all)}${Object.entries(t.status).map(([k, v]) => option(k, v, filters.status))}</select></div>
      <div><label for="person">${t.responsible}</label><select id="person" name="person">${option('', t.all)}${[...people].map(([id, name]) => option(id, name, filters.personId))}</select></div>
      <div><label for="kode">${t.recipient}</label><select id="kode" name="kode">${option('', t.all)}${codes.map((c) => option(c, c, filters.code))}</select></div>
      <div class="choice"><label><input type="checkbox" name="underenheter" value="1"${filters.subtree ? html` checked` : ''}> ${t.withSubunits}</label></div>
      <div><button class="primary" type="submit">${t.show}</button></div>
    </form>
    <div class="pager" aria-label="${t.browseMonths}">
      <a href="${query(filters, { month: shiftMonth(filters.month, -1) })}">← ${monthName(shiftMonth(filters.month, -1), t)}</a>
      <strong>${monthName(filters.month, t)}</strong>
      <a href="${query(filters, { month: shiftMonth(filters.month, 1) })}">${monthName(shiftMonth(filters.month, 1), t)} →</a>
    </div>
    ${summary
      ? html`${subunitTable(summary, unitName, (id) => query({ unitId: id, month: filters.month, subtree: false }), t, true)}
        <p class="actions"><a href="${query(filters, { subtree: true, page: 1 })}">${t.subunits.flatLink}</a></p>
        <h2>${t.subunits.ownTasks}</h2>`
      : ''}
    ${paging && paging.pages > 1 ? pageLinks(filters, paging, t) : ''}
    ${month.total > 0 ? html`<p class="month-progress"><strong>${t.monthDone(month.done, month.total)}</strong></p>` : ''}
    ${groups.length === 0 ? html`<p class="notice">${summary ? t.subunits.noOwnTasks : t.noTasksFiltered}</p>` : ''}
    ${groups.map(
      (g) => html`<section aria-labelledby="hjul-${g.wheelId}">
        <h2 id="hjul-${g.wheelId}">${g.wheelName} <span class="progress">${t.doneOf(g.progress.done, g.progress.total)}</span></h2>
        <table class="stack checklist">
          <caption class="muted">${t.tasksCount(g.items.length, g.items.some((i) => i.fromEarlierMonth))}</caption>
          <thead><tr>${header(t.task)}${header(t.deadline)}${filters.subtree ? header(t.unit) : ''}${header(t.responsibleCol)}${header(t.storedIn)}${header(t.doneCol)}${header(t.comment)}</tr></thead>
          <tbody>${g.items.map((i) => (i.people ? perPersonRow(i, filters.subtree, today, t, signing) : row(i, filters.subtree, today, t, signing)))}</tbody>
        </table>
      </section>`,
    )}
    ${paging && paging.pages > 1 ? pageLinks(filters, paging, t) : ''}
    ${signing && groups.some((g) => g.items.some((i) => (i.people ?? [i]).some((r) => pickable(r, signing)))) ? checklistSignForm(signing, t) : ''}`;
}

interface Paged<G> {
  groups: G[];
  page: number;
  pages: number;
  rows: number;
}

/** One page of FLAT_PAGE_ROWS rows of the groups, in their order; the groups keep their headings and counts. */
function onePage<G extends { items: unknown[] }>(groups: G[], asked: number): Paged<G> {
  const rows = groups.reduce((n, g) => n + g.items.length, 0);
  const pages = Math.max(1, Math.ceil(rows / FLAT_PAGE_ROWS));
  const page = Math.min(Math.max(1, asked), pages);
  let skip = (page - 1) * FLAT_PAGE_ROWS;
  let room = FLAT_PAGE_ROWS;
  const kept: G[] = [];
  for (const g of groups) {
    const items = g.items.slice(Math.min(skip, g.items.length), Math.min(skip, g.items.length) + room);
    skip = Math.max(0, skip - g.items.length);
    room -= items.length;
    if (items.length) kept.push({ ...g, items });
  }
  return { groups: kept, page, pages, rows };
}

/** Simple links to the flat list's pages: previous, each page by number, next. */
function pageLinks(filters: ChecklistFilters, p: { page: number; pages: number; rows: number }, t: Texts): Html {
  const w = t.subunits;
  return html`<nav class="pager" aria-label="${w.pages}">
    <span>${w.page(p.page, p.pages, p.rows)}</span>
    ${p.page > 1 ? html`<a href="${query(filters, { page: p.page - 1 })}" rel="prev">${w.previous}</a>` : ''}
    ${Array.from({ length: p.pages }, (_, n) => n + 1)
      .filter((n) => n === 1 || n === p.pages || Math.abs(n - p.page) <= 2)
      .map((n) => (n === p.page ? html`<strong aria-current="page">${n}</strong>` : html`<a href="${query(filters, { page: n })}">${n}</a>`))}
    ${p.page < p.pages ? html`<a href="${query(filters, { page: p.page + 1 })}" rel="next">${w.next}</a>` : ''}
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
