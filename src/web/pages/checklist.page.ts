import { ChecklistDto, ChecklistItemDto, OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { combinedStatus } from '../../occurrences/services/checklist.service';
import { html, Html } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, norwegianTime, ownersText, statusBadge } from '../layout';
import { BulkSigning, checklistSignForm, pickable, pickBox } from '../bulk-sign/bulk-sign.page';

export interface ChecklistFilters {
  unitId: string;
  month: string;
  subtree: boolean;
  wheelId?: string;
  status?: string;
  personId?: string;
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
  return `/sjekkliste?${params}`;
}

export function checklistPage(checklist: ChecklistDto, filters: ChecklistFilters, units: Array<{ id: string; name: string }>, t: Texts = TEXTS.nb, signing?: BulkSigning): Html {
  const people = new Map<string, string>();
  for (const g of checklist.groups) for (const i of g.items) for (const o of i.owners) people.set(o.id, o.displayName);
  const shown = (i: OccurrenceItemDto | ChecklistItemDto) =>
    (!filters.status || i.status === filters.status) && (!filters.personId || i.owners.some((o) => o.id === filters.personId));
  const groups = checklist.groups
    .filter((g) => !filters.wheelId || g.wheelId === filters.wheelId)
    .map((g) => ({
      ...g,
      // A duty per person is kept when one of its people is shown, opening to those people only.
      items: g.items.flatMap((i): ChecklistItemDto[] => {
        if (!i.people) return shown(i) ? [i] : [];
        const kept = i.people.filter(shown);
        return kept.length ? [{ ...i, people: kept, status: filters.status ? combinedStatus(kept.map((p) => p.status)) : i.status }] : [];
      }),
    }))
    .filter((g) => g.items.length > 0);
  const option = (value: string, label: string, selected?: string) => html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;

  return html`
    <form class="filters card" method="get" action="/sjekkliste" aria-label="${t.filters}">
      <div><label for="enhet">${t.unit}</label><select id="enhet" name="enhet">${units.map((u) => option(u.id, u.name, filters.unitId))}</select></div>
      <div><label for="maned">${t.month}</label><input type="month" id="maned" name="maned" value="${filters.month}"></div>
      <div><label for="hjul">${t.wheel}</label><select id="hjul" name="hjul">${option('', t.all)}${checklist.groups.map((g) => option(g.wheelId, g.wheelName, filters.wheelId))}</select></div>
      <div><label for="status">${t.status_}</label><select id="status" name="status">${option('', t.all)}${Object.entries(t.status).map(([k, v]) => option(k, v, filters.status))}</select></div>
      <div><label for="person">${t.responsible}</label><select id="person" name="person">${option('', t.all)}${[...people].map(([id, name]) => option(id, name, filters.personId))}</select></div>
      <div class="choice"><label><input type="checkbox" name="underenheter" value="1"${filters.subtree ? html` checked` : ''}> ${t.withSubunits}</label></div>
      <div><button class="primary" type="submit">${t.show}</button></div>
    </form>
    <div class="pager" aria-label="${t.browseMonths}">
      <a href="${query(filters, { month: shiftMonth(filters.month, -1) })}">← ${monthName(shiftMonth(filters.month, -1), t)}</a>
      <strong>${monthName(filters.month, t)}</strong>
      <a href="${query(filters, { month: shiftMonth(filters.month, 1) })}">${monthName(shiftMonth(filters.month, 1), t)} →</a>
    </div>
    ${groups.length === 0 ? html`<p class="notice">${t.noTasksFiltered}</p>` : ''}
    ${groups.map(
      (g) => html`<section aria-labelledby="hjul-${g.wheelId}">
        <h2 id="hjul-${g.wheelId}">${g.wheelName}</h2>
        <table>
          <caption class="muted">${t.tasksCount(g.items.length, g.items.some((i) => i.fromEarlierMonth))}</caption>
          <thead><tr><th scope="col">${t.task}</th><th scope="col">${t.deadline}</th><th scope="col">${t.status_}</th><th scope="col">${t.responsible}</th><th scope="col" class="optional">${t.unit}</th><th scope="col" class="optional">${t.signedCol}</th></tr></thead>
          <tbody>${g.items.map((i) => (i.people ? perPersonRow(i, t, signing) : row(i, t, signing)))}</tbody>
        </table>
      </section>`,
    )}
    ${signing && groups.some((g) => g.items.some((i) => (i.people ?? [i]).some((r) => pickable(r, signing)))) ? checklistSignForm(signing, t) : ''}`;
}

const signed = (i: { signedBy: { displayName: string } | null; signedAt: string | null }, t: Texts) =>
  i.signedBy && i.signedAt ? html`${i.signedBy.displayName}<br>${norwegianTime(i.signedAt, 'Europe/Oslo', t.at)}` : '–';

const storedIn = (i: ChecklistItemDto, t: Texts) => (i.storedIn ? html`<br><span class="muted">${t.storedIn}: ${i.storedIn}</span>` : '');

function row(i: ChecklistItemDto, t: Texts, signing?: BulkSigning): Html {
  return html`<tr>
    <td>${pickBox(i, signing, t)}<a href="/oppgaver/${i.occurrenceId}">${i.title}</a>${exampleMark(i.example, t)}${i.recipientCode ? html` <span class="muted">(${i.recipientCode})</span>` : ''}${storedIn(i, t)}</td>
    <td>${norwegianDate(i.deadline)}</td>
    <td>${statusBadge(i.status, t)}</td>
    <td>${ownersText(i.owners, t)}</td>
    <td class="optional">${i.unitName}</td>
    <td class="optional">${signed(i, t)}</td>
  </tr>`;
}

/** A duty per person: one row, "7 av 12 utført", opening (without script) to each person and their status. */
function perPersonRow(i: ChecklistItemDto, t: Texts, signing?: BulkSigning): Html {
  return html`<tr class="per-person">
    <td>${i.title}${exampleMark(i.example, t)}${storedIn(i, t)}</td>
    <td>${norwegianDate(i.deadline)}</td>
    <td>${statusBadge(i.status, t)}</td>
    <td><details><summary>${t.doneOf(i.doneCount ?? 0, i.total ?? 0)}</summary>
      <ul class="people">${i.people!.map(
        (p) => html`<li>${pickBox(p, signing, t)}<a href="/oppgaver/${p.occurrenceId}">${p.person?.displayName ?? ''}</a> ${statusBadge(p.status, t)}${p.signedBy && p.signedAt ? html` <span class="muted">${p.signedBy.displayName}, ${norwegianTime(p.signedAt, 'Europe/Oslo', t.at)}</span>` : ''}</li>`,
      )}</ul></details></td>
    <td class="optional">${i.unitName}</td>
    <td class="optional">–</td>
  </tr>`;
}
