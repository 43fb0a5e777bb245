import { RecipientDto } from '../../organisation/dtos/recipient.dto';
import { html, Html } from '../html';
import { Texts } from '../i18n';
import { norwegianDate, statusBadge } from '../layout';
import { RecipientOccurrence } from './recipients-pages.data';

export interface Unit {
  id: string;
  name: string;
}

export interface RecipientListView {
  t: Texts;
  units: Unit[];
  unit: Unit;
  recipients: RecipientDto[];
  personNames: Map<string, string>;
  dates: Map<string, Record<string, string>>;
}

/** Which form a refusal belongs to, so that the message stands beside it. */
export type RecipientForm = 'utflytting' | 'flytt' | 'datoer';

export interface RecipientView {
  t: Texts;
  csrf: string;
  recipient: RecipientDto;
  dates: Record<string, string>;
  unitNames: Map<string, string>;
  personNames: Map<string, string>;
  /** Units the manager may move the recipient to (managed, not the current one). */
  moveUnits: Unit[];
  candidates: Array<{ id: string; displayName: string; units: string }>;
  occurrences: RecipientOccurrence[];
  years: [number, number];
  today: string;
  message?: string;
  error?: { form: RecipientForm; message: string };
  /** What was sent with a refused form, shown again. */
  sent?: Record<string, string | string[] | undefined>;
}

const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A unit's recipients, codes only (never names: they have none here), each with its stay and a link to change it. */
export function recipientListPage(view: RecipientListView): Html {
  const r = view.t.recipients;
  const contacts = (x: RecipientDto) => x.primaryContactIds.map((id) => view.personNames.get(id) ?? '').filter(Boolean).join(', ');
  return html`<p><a href="/administrasjon">← ${r.backToAdmin}</a></p>
    <p>${r.intro}</p>
    <form method="get" action="/administrasjon/tjenestemottakere" class="filters card" aria-label="${r.unit}">
      <div><label for="enhet">${r.unit}</label><select id="enhet" name="enhet">${view.units.map(
        (u) => html`<option value="${u.id}"${u.id === view.unit.id ? html` selected` : ''}>${u.name}</option>`,
      )}</select></div>
      <div><button class="primary" type="submit">${r.show}</button></div>
    </form>
    <section class="card" aria-labelledby="mottakere"><h2 id="mottakere">${view.unit.name}</h2>
      ${view.recipients.length
        ? html`<table class="stack"><thead><tr><th scope="col">${r.code}</th><th scope="col">${r.came}</th><th scope="col">${r.leaves}</th><th scope="col">${r.primaryContacts}</th><th scope="col">${r.namedDates}</th></tr></thead>
          <tbody>${view.recipients.map(
            (x) => html`<tr>
              <td data-label="${r.code}"><a href="/administrasjon/tjenestemottakere/${x.id}" aria-label="${r.openLabel(x.code)}">${x.code}</a>${x.archived ? html` <span class="muted">${r.archived}</span>` : ''}</td>
              <td data-label="${r.came}">${norwegianDate(x.activeFrom)}</td>
              <td data-label="${r.leaves}">${x.activeTo ? norwegianDate(x.activeTo) : r.noLeaving}</td>
              <td data-label="${r.primaryContacts}">${contacts(x)}</td>
              <td data-label="${r.namedDates}">${Object.entries(view.dates.get(x.id) ?? {}).map(([name, date]) => `${name}: ${norwegianDate(date)}`).join('; ')}</td>
            </tr>`,
          )}</tbody></table>`
        : html`<p>${r.none}</p>`}
    </section>`;
}

function errorFor(view: RecipientView, form: RecipientForm): Html {
  return view.error?.form === form ? html`<p class="error" role="alert">${view.t.recipients.errorPrefix}: ${view.error.message}</p>` : html``;
}

/** One recipient: their stays, the three forms (leaving, moving, named dates) and their occurrences. */
export function recipientPage(view: RecipientView): Html {
  const r = view.t.recipients;
  const x = view.recipient;
  const base = `/administrasjon/tjenestemottakere/${x.id}`;
  const sent = view.sent ?? {};
  const sentContacts = new Set([sent.primaerkontakt ?? []].flat());
  const dayBefore = (date: string) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  };
  const status = (o: RecipientOccurrence) => {
    if (o.cancelled) return html`<span class="status cancelled">${r.cancelled}</span>`;
    const s = o.outcome === 'done' ? (o.late ? 'done_late' : 'done') : o.outcome === 'not_applicable' ? 'not_applicable' : o.deadline < view.today ? 'overdue' : 'open';
    return statusBadge(s, view.t);
  };

  return html`<p><a href="/administrasjon/tjenestemottakere?enhet=${x.unitId}">← ${r.back}</a></p>
    ${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
    <section class="card" aria-labelledby="opphold"><h2 id="opphold">${r.stays}</h2>
      <table class="stack"><caption class="muted">${r.staysCaption}</caption>
        <thead><tr><th scope="col">${r.unit}</th><th scope="col">${r.from}</th><th scope="col">${r.until}</th></tr></thead>
        <tbody>${x.stays.map(
          (s) => html`<tr><td data-label="${r.unit}">${view.unitNames.get(s.unitId) ?? ''}</td><td data-label="${r.from}">${norwegianDate(s.from)}</td>
            <td data-label="${r.until}">${s.before ? norwegianDate(dayBefore(s.before)) : x.activeTo ? norwegianDate(x.activeTo) : r.ongoing}</td></tr>`,
        )}</tbody></table>
      <p>${r.primaryContacts}: ${x.primaryContactIds.map((id) => view.personNames.get(id) ?? '').join(', ') || view.t.nobody}</p>
    </section>

    <section class="card" aria-labelledby="utflytting"><h2 id="utflytting">${r.leavingHeading}</h2>
      <p class="muted">${r.leavingHint}</p>
      ${errorFor(view, 'utflytting')}
      <form method="post" action="${base}/utflytting" class="filters">${hidden(view.csrf)}
        <div><label for="til">${r.leavingDate}</label><input type="date" id="til" name="til" value="${first(sent.til) ?? x.activeTo ?? ''}"></div>
        <div class="actions"><button class="primary" type="submit" name="handling" value="lagre">${r.saveLeaving}</button>
          ${x.activeTo ? html`<button class="primary" type="submit" name="handling" value="fjern">${r.clearLeaving}</button>` : ''}</div>
      </form>
    </section>

    <section class="card" aria-labelledby="flytt"><h2 id="flytt">${r.moveHeading}</h2>
      <p class="muted">${r.moveHint}</p>
      ${errorFor(view, 'flytt')}
      ${view.moveUnits.length
        ? html`<form method="post" action="${base}/flytt" class="row-form">${hidden(view.csrf)}
            <div><label for="ny-enhet">${r.newUnit}</label><select id="ny-enhet" name="enhet">${view.moveUnits.map(
              (u) => html`<option value="${u.id}"${u.id === first(sent.enhet) ? html` selected` : ''}>${u.name}</option>`,
            )}</select></div>
            <div><label for="fra">${r.moveFrom}</label><input type="date" id="fra" name="fra" value="${first(sent.fra) ?? ''}"></div>
            <fieldset><legend>${r.newContacts}</legend><p class="muted">${r.newContactsHint}</p>
              <div class="choice">${view.candidates.map(
                (c) => html`<label><input type="checkbox" name="primaerkontakt" value="${c.id}"${sentContacts.has(c.id) ? html` checked` : ''}> ${c.displayName} <span class="muted">(${c.units})</span></label>`,
              )}</div></fieldset>
            <div class="actions"><button class="primary" type="submit">${r.move}</button></div>
          </form>`
        : html`<p>${r.noOtherUnit}</p>`}
    </section>

    <section class="card" aria-labelledby="datoer"><h2 id="datoer">${r.namedDates}</h2>
      <p class="muted">${r.datesHint}</p>
      ${errorFor(view, 'datoer')}
      <form method="post" action="${base}/datoer">${hidden(view.csrf)}
        ${Object.keys(view.dates).length
          ? html`<table class="stack"><thead><tr><th scope="col">${r.dateName}</th><th scope="col">${r.date}</th><th scope="col">${r.remove}</th></tr></thead>
            <tbody>${Object.entries(view.dates).map(
              ([name, date], i) => html`<tr><td data-label="${r.dateName}">${name}<input type="hidden" name="navn" value="${name}"></td>
                <td data-label="${r.date}"><label class="visually-hidden" for="dato-${i}">${r.dateOf(name)}</label><input type="date" id="dato-${i}" name="dato" value="${date}"></td>
                <td data-label="${r.remove}"><div class="choice"><label><input type="checkbox" name="fjern" value="${name}"> <span class="visually-hidden">${r.removeLabel(name)}</span><span aria-hidden="true">${r.remove}</span></label></div></td></tr>`,
            )}</tbody></table>`
          : html`<p>${r.noDates}</p>`}
        <fieldset class="filters"><legend>${r.newDate}</legend>
          <div><label for="ny-navn">${r.newDateName} <span class="muted">${r.newDateNameHint}</span></label><input type="text" id="ny-navn" name="nytt_navn" value="${first(sent.nytt_navn) ?? ''}"></div>
          <div><label for="ny-dato">${r.newDateDate}</label><input type="date" id="ny-dato" name="ny_dato" value="${first(sent.ny_dato) ?? ''}"></div>
        </fieldset>
        <div class="actions"><button class="primary" type="submit">${r.saveDates}</button></div>
      </form>
    </section>

    <section class="card" aria-labelledby="oppgaver"><h2 id="oppgaver">${r.occurrences(x.code)}</h2>
      <p class="muted">${r.occurrencesHint(view.years[0], view.years[1])}</p>
      ${view.occurrences.length
        ? html`<table class="stack"><thead><tr><th scope="col">${r.task}</th><th scope="col">${r.unit}</th><th scope="col">${r.deadline}</th><th scope="col">${r.status}</th></tr></thead>
          <tbody>${view.occurrences.map(
            (o) => html`<tr class="${o.cancelled ? 'cancelled' : ''}"><td data-label="${r.task}">${o.title}</td><td data-label="${r.unit}">${o.unitName}</td>
              <td data-label="${r.deadline}">${norwegianDate(o.deadline)}</td><td data-label="${r.status}">${status(o)}</td></tr>`,
          )}</tbody></table>`
        : html`<p>${r.noOccurrences}</p>`}
    </section>`;
}
