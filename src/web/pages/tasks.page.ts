import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { SignOffDto } from '../../records/dtos/sign-off.dto';
import { html, Html } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, norwegianTime, ownersText, statusBadge } from '../layout';

function facts(item: OccurrenceItemDto, t: Texts): Html {
  return html`<ul class="facts">
    <li>${t.deadline}: <strong>${norwegianDate(item.deadline)}</strong></li>
    <li>${t.unit}: ${item.unitName}</li>
    ${item.recipientCode ? html`<li>${t.recipient}: <strong>${item.recipientCode}</strong></li>` : ''}
    <li>${t.wheel}: ${item.wheelName}</li>
    <li>${t.responsible}: ${ownersText(item.owners, t)}</li>${item.example ? html`<li>${exampleMark(true, t)}</li>` : ''}
  </ul>`;
}

/** The one-step sign-off: done or not applicable, a comment, Lagres (prefilled) and an optional link. */
export function signOffForm(item: OccurrenceItemDto, csrf: string, error?: string, values: Record<string, string> = {}, t: Texts = TEXTS.nb): Html {
  const id = item.occurrenceId;
  return html`<form method="post" action="/oppgaver/${id}/signer" novalidate>
    <input type="hidden" name="_csrf" value="${csrf}">
    ${error ? html`<p class="error" role="alert" id="feil-${id}">${error}</p>` : ''}
    <fieldset class="choice">
      <legend>${t.outcome}</legend>
      <label><input type="radio" name="outcome" value="done" ${values.outcome !== 'not_applicable' ? html`checked` : ''}> ${t.status.done}</label>
      <label><input type="radio" name="outcome" value="not_applicable" ${values.outcome === 'not_applicable' ? html`checked` : ''}> ${t.status.not_applicable}</label>
    </fieldset>
    <label for="kommentar-${id}">${t.comment} <span class="muted">${t.commentHint}</span></label>
    <textarea id="kommentar-${id}" name="comment"${error ? html` aria-describedby="feil-${id}"` : ''}>${values.comment ?? ''}</textarea>
    <label for="lagres-${id}">${t.storedIn}</label>
    <input type="text" id="lagres-${id}" name="storedIn" value="${values.storedIn ?? item.storedIn ?? ''}">
    <label for="lenke-${id}">${t.evidence} <span class="muted">${t.optional}</span></label>
    <input type="url" id="lenke-${id}" name="evidenceUrl" value="${values.evidenceUrl ?? ''}" placeholder="https://">
    <button class="primary" type="submit">${t.signTask(item.title)}</button>
  </form>`;
}

export function myTasksPage(items: OccurrenceItemDto[], csrf: string, t: Texts = TEXTS.nb): Html {
  if (items.length === 0) return html`<p class="notice">${t.noTasks}</p>`;
  return html`<p class="muted">${t.tasksOpen(items.length)}</p>
    ${items.map(
      (item) => html`<article class="card task" aria-labelledby="tittel-${item.occurrenceId}">
        <h3 id="tittel-${item.occurrenceId}"><a href="/oppgaver/${item.occurrenceId}">${item.title}</a> ${statusBadge(item.status, t)}</h3>
        ${facts(item, t)}
        <details><summary>${t.signThis}</summary>${signOffForm(item, csrf, undefined, {}, t)}</details>
      </article>`,
    )}`;
}

export function taskPage(
  item: OccurrenceItemDto,
  history: SignOffDto[],
  canSign: boolean,
  csrf: string,
  message?: { error?: string; signed?: boolean; values?: Record<string, string> },
  t: Texts = TEXTS.nb,
): Html {
  const standing = history.length ? history[history.length - 1] : undefined;
  const time = (instant: string) => norwegianTime(instant, 'Europe/Oslo', t.at);
  return html`
    ${message?.signed ? html`<p class="notice" role="status">${t.signedNotice}</p>` : ''}
    <section class="card task" aria-label="${t.taskAria}">
      <p>${statusBadge(item.status, t)}</p>
      ${facts(item, t)}
      ${item.signedBy && item.signedAt
        ? html`<p>${t.signedBy} <strong>${item.signedBy.displayName}</strong> ${time(item.signedAt)}${standing?.onBehalfOf ? html` ${t.onBehalfOf} ${standing.onBehalfOf.displayName}` : ''}.</p>
          ${standing?.comment ? html`<p>${t.comment}: ${standing.comment}</p>` : ''}
          ${standing?.storedIn ? html`<p>${t.storedIn}: ${standing.storedIn}</p>` : ''}`
        : canSign
          ? signOffForm(item, csrf, message?.error, message?.values, t)
          : html`<p class="muted">${t.notSigned}</p>`}
    </section>
    ${history.length > 1
      ? html`<h2>${t.history}</h2><ol>${history.map(
          (r) => html`<li>${time(r.signedAt)}: ${r.kind === 'correction' ? t.corrected : t.signed} ${t.by} ${r.signedBy.displayName}${r.reason ? html` – ${r.reason}` : ''}</li>`,
        )}</ol>`
      : ''}
    <p><a href="/oppgaver">${t.backToTasks}</a></p>`;
}
