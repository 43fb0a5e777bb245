import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { SignOffDto } from '../../records/dtos/sign-off.dto';
import { html, Html } from '../html';
import { norwegianDate, norwegianTime, statusBadge } from '../layout';

function facts(item: OccurrenceItemDto): Html {
  return html`<ul class="facts">
    <li>Frist: <strong>${norwegianDate(item.deadline)}</strong></li>
    <li>Enhet: ${item.unitName}</li>
    ${item.recipientCode ? html`<li>Tjenestemottaker: <strong>${item.recipientCode}</strong></li>` : ''}
    <li>Årshjul: ${item.wheelName}</li>
    <li>Ansvarlig: ${item.owners.map((o) => o.displayName).join(', ') || 'ingen'}</li>
  </ul>`;
}

/** The one-step sign-off: done or not applicable, a comment, Lagres (prefilled) and an optional link. */
export function signOffForm(item: OccurrenceItemDto, csrf: string, error?: string, values: Record<string, string> = {}): Html {
  const id = item.occurrenceId;
  return html`<form method="post" action="/oppgaver/${id}/signer" novalidate>
    <input type="hidden" name="_csrf" value="${csrf}">
    ${error ? html`<p class="error" role="alert" id="feil-${id}">${error}</p>` : ''}
    <fieldset class="choice">
      <legend>Resultat</legend>
      <label><input type="radio" name="outcome" value="done" ${values.outcome !== 'not_applicable' ? html`checked` : ''}> Utført</label>
      <label><input type="radio" name="outcome" value="not_applicable" ${values.outcome === 'not_applicable' ? html`checked` : ''}> Ikke aktuelt</label>
    </fieldset>
    <label for="kommentar-${id}">Kommentar <span class="muted">(påkrevd ved «ikke aktuelt»; ingen navn eller helseopplysninger)</span></label>
    <textarea id="kommentar-${id}" name="comment"${error ? html` aria-describedby="feil-${id}"` : ''}>${values.comment ?? ''}</textarea>
    <label for="lagres-${id}">Lagres</label>
    <input type="text" id="lagres-${id}" name="storedIn" value="${values.storedIn ?? item.storedIn ?? ''}">
    <label for="lenke-${id}">Lenke til dokumentasjon <span class="muted">(valgfritt)</span></label>
    <input type="url" id="lenke-${id}" name="evidenceUrl" value="${values.evidenceUrl ?? ''}" placeholder="https://">
    <button class="primary" type="submit">Signer «${item.title}»</button>
  </form>`;
}

export function myTasksPage(items: OccurrenceItemDto[], csrf: string): Html {
  if (items.length === 0) return html`<p class="notice">Du har ingen åpne eller forfalte oppgaver. Godt jobbet!</p>`;
  return html`<p class="muted">${items.length} oppgaver er åpne eller forfalt. De med passert frist står først.</p>
    ${items.map(
      (item) => html`<article class="card task" aria-labelledby="tittel-${item.occurrenceId}">
        <h3 id="tittel-${item.occurrenceId}"><a href="/oppgaver/${item.occurrenceId}">${item.title}</a> ${statusBadge(item.status)}</h3>
        ${facts(item)}
        <details><summary>Signer oppgaven</summary>${signOffForm(item, csrf)}</details>
      </article>`,
    )}`;
}

export function taskPage(item: OccurrenceItemDto, history: SignOffDto[], canSign: boolean, csrf: string, message?: { error?: string; signed?: boolean; values?: Record<string, string> }): Html {
  const standing = history.length ? history[history.length - 1] : undefined;
  return html`
    ${message?.signed ? html`<p class="notice" role="status">Oppgaven er signert.</p>` : ''}
    <section class="card task" aria-label="Oppgaven">
      <p>${statusBadge(item.status)}</p>
      ${facts(item)}
      ${item.signedBy && item.signedAt
        ? html`<p>Signert av <strong>${item.signedBy.displayName}</strong> ${norwegianTime(item.signedAt)}${standing?.onBehalfOf ? html` på vegne av ${standing.onBehalfOf.displayName}` : ''}.</p>
          ${standing?.comment ? html`<p>Kommentar: ${standing.comment}</p>` : ''}
          ${standing?.storedIn ? html`<p>Lagres: ${standing.storedIn}</p>` : ''}`
        : canSign
          ? signOffForm(item, csrf, message?.error, message?.values)
          : html`<p class="muted">Ikke signert ennå.</p>`}
    </section>
    ${history.length > 1
      ? html`<h2>Historikk</h2><ol>${history.map(
          (r) => html`<li>${norwegianTime(r.signedAt)}: ${r.kind === 'correction' ? 'Korrigert' : 'Signert'} av ${r.signedBy.displayName}${r.reason ? html` – ${r.reason}` : ''}</li>`,
        )}</ol>`
      : ''}
    <p><a href="/oppgaver">Tilbake til mine oppgaver</a></p>`;
}
