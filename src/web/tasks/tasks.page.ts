import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { SignOffDto } from '../../records/dtos/sign-off.dto';
import { html, Html } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, norwegianTime, ownersText, shortDate, shownStatus, statusBadge } from '../layout';
import { TaskTexts } from '../../occurrences/services/checklist.service';

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

/**
 * Mine oppgaver: the open and overdue tasks, each with its sign-off form, then «Kommende» — those not open
 * yet that fall due this month or within 30 days, each with its deadline and when it opens.
 */
export function myTasksPage(items: OccurrenceItemDto[], upcoming: OccurrenceItemDto[], month: string, csrf: string, t: Texts = TEXTS.nb): Html {
  const lead =
    items.length > 0
      ? html`<p class="muted">${t.tasksOpen(items.length)}</p>`
      : upcoming.length > 0
        ? html`<p class="notice">${t.noOpenTasks(upcoming.length)}</p>`
        : html`<p class="notice">${t.noTasks}</p>`;
  return html`${lead}
    ${openTasks(items, csrf, t)}
    ${upcoming.length > 0
      ? html`<section aria-labelledby="kommende">
          <h2 id="kommende">${t.upcoming}</h2>
          <p class="muted">${t.upcomingIntro(month)}</p>
          <ul class="upcoming">${upcoming.map(
            (item) => html`<li class="card">
              <a href="/oppgaver/${item.occurrenceId}">${item.title}</a>${exampleMark(item.example, t)}${item.recipientCode ? html` <span class="muted">(${item.recipientCode})</span>` : ''}
              <span class="when">${t.deadline} <strong>${norwegianDate(item.deadline)}</strong>, ${t.opens(shortDate(item.opensOn))}</span>
            </li>`,
          )}</ul>
        </section>`
      : ''}`;
}

function openTasks(items: OccurrenceItemDto[], csrf: string, t: Texts): Html {
  return html`${items.map(
      (item) => html`<article class="card task" aria-labelledby="tittel-${item.occurrenceId}">
        <h3 id="tittel-${item.occurrenceId}"><a href="/oppgaver/${item.occurrenceId}">${item.title}</a> ${statusBadge(item.status, t)}</h3>
        ${facts(item, t)}
        <details><summary>${t.signThis}</summary>${signOffForm(item, csrf, undefined, {}, t)}</details>
      </article>`,
    )}`;
}

export function taskPage(
  item: OccurrenceItemDto & Partial<TaskTexts>,
  history: SignOffDto[],
  canSign: boolean,
  csrf: string,
  message?: { error?: string; signed?: boolean; values?: Record<string, string> },
  t: Texts = TEXTS.nb,
  today = '',
): Html {
  const standing = history.length ? history[history.length - 1] : undefined;
  const time = (instant: string) => norwegianTime(instant, 'Europe/Oslo', t.at);
  return html`
    ${message?.signed ? html`<p class="notice" role="status">${t.signedNotice}</p>` : ''}
    <section class="card task" aria-label="${t.taskAria}">
      <p>${statusBadge(shownStatus(item, today), t)}${shownStatus(item, today) === 'not_open' ? html` <span class="muted">${t.opens(shortDate(item.opensOn))}</span>` : ''}</p>
      ${facts(item, t)}
      ${item.description ? html`<h2>${t.description}</h2><p class="prose">${item.description}</p>` : ''}
      ${item.legalBasis ? html`<p><strong>${t.legalBasis}:</strong> ${item.legalBasis}</p>` : ''}
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
