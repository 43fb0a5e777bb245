import { OccurrenceItemDto, PersonRefDto } from '../../occurrences/dtos/checklist.dto';
import { SignOffBatchResultDto } from '../../records/dtos/sign-off-batch.dto';
import { SignOffDto } from '../../records/dtos/sign-off.dto';
import { html, Html } from '../html';
import { Texts } from '../i18n';
import { norwegianDate, norwegianTime, statusBadge } from '../layout';

/** The form every bulk signing posts to, wherever its rows were chosen. */
export const BULK_SIGN_ACTION = '/oppgaver/signer-flere';
const CHECKLIST_FORM = 'signer-valgte';

/** Who is looking at the checklist, so that only rows they may sign get a box. */
export interface BulkSigning {
  personId: string;
  /** A manager of the unit shown (or above it) signs any row, on the owners' behalf. */
  manager: boolean;
  csrf: string;
  /** The page to go back to afterwards (checked again with safeNextPath when it is used). */
  back: string;
}

type Row = { occurrenceId: string | null; status: string; owners: PersonRefDto[]; title: string; recipientCode: string | null; person: PersonRefDto | null };

/** Not signed yet, and theirs to sign (or their unit's, for a manager). */
export function pickable(row: Row, signing?: BulkSigning): boolean {
  if (!signing || !row.occurrenceId || !['open', 'overdue'].includes(row.status)) return false;
  return signing.manager || row.owners.some((o) => o.id === signing.personId) || row.person?.id === signing.personId;
}

/**
 * A row's box for the form below the tables: it belongs to that form by its `form` attribute, so the
 * tables stay as they are and the whole works without script.
 */
export function pickBox(row: Row, signing: BulkSigning | undefined, t: Texts): Html | '' {
  if (!pickable(row, signing)) return '';
  const who = row.person?.displayName ?? row.recipientCode;
  return html`<label class="pick"><input type="checkbox" name="forekomst" value="${row.occurrenceId}" form="${CHECKLIST_FORM}"><span class="visually-hidden">${t.bulkSign.pick(row.title, who)}</span></label>`;
}

/** Below the checklist: sign the ticked rows as done, with one optional comment for all. */
export function checklistSignForm(signing: BulkSigning, t: Texts): Html {
  const b = t.bulkSign;
  return html`<section class="card bulk-sign" aria-labelledby="signer-flere-tittel">
    <h2 id="signer-flere-tittel">${b.checklistHeading}</h2>
    <form id="${CHECKLIST_FORM}" method="post" action="${BULK_SIGN_ACTION}" novalidate>
      <input type="hidden" name="_csrf" value="${signing.csrf}">
      <input type="hidden" name="tilbake" value="${signing.back}">
      <fieldset>
        <legend>${b.checklistLegend}</legend>
        <p class="muted" id="signer-flere-hjelp">${b.checklistHint}</p>
        ${commentField('felles-kommentar', t)}
        <button class="primary" type="submit" aria-describedby="signer-flere-hjelp">${b.signChosen}</button>
      </fieldset>
    </form>
  </section>`;
}

/**
 * On a recipient task's page: the same task's open occurrences for the person's other recipients, to sign
 * together. Shown when there are at least two.
 */
export function recipientsSignForm(item: OccurrenceItemDto, sameTask: OccurrenceItemDto[], csrf: string, t: Texts): Html | '' {
  if (!item.recipientCode || sameTask.length < 2) return '';
  const b = t.bulkSign;
  return html`<section class="card bulk-sign" aria-labelledby="flere-mottakere-tittel">
    <h2 id="flere-mottakere-tittel">${b.recipientsHeading}</h2>
    <form method="post" action="${BULK_SIGN_ACTION}" novalidate>
      <input type="hidden" name="_csrf" value="${csrf}">
      <input type="hidden" name="tilbake" value="/oppgaver/${item.occurrenceId}">
      <fieldset class="check-list">
        <legend>${b.recipientsLegend(item.title)}</legend>
        <p class="muted">${b.recipientsHint}</p>
        ${sameTask.map(
          (o) => html`<label><input type="checkbox" name="forekomst" value="${o.occurrenceId}"> <span><strong>${o.recipientCode}</strong>, ${b.deadline(norwegianDate(o.deadline))} ${statusBadge(o.status, t)}</span></label>`,
        )}
      </fieldset>
      ${commentField('flere-kommentar', t)}
      <button class="primary" type="submit">${b.signChosen}</button>
    </form>
  </section>`;
}

function commentField(id: string, t: Texts): Html {
  return html`<label for="${id}">${t.bulkSign.commonComment} <span class="muted">${t.bulkSign.commentHint}</span></label>
    <textarea id="${id}" name="kommentar"></textarea>`;
}

/** How an occurrence is named in the answer, for those who may read it. */
export interface OccurrenceLabel {
  title: string;
  recipientCode: string | null;
  personName: string | null;
  deadline: string;
}

/** Each chosen row and what became of it: signed, or not and why, in the page's language. */
export function bulkSignResults(results: SignOffBatchResultDto[], labels: Map<string, OccurrenceLabel>, back: string, t: Texts, formError?: string): Html {
  const b = t.bulkSign;
  const signed = results.filter((r) => r.signOff).length;
  return html`
    ${formError
      ? html`<p class="error" role="alert">${formError}</p>`
      : html`<p class="${signed === results.length ? 'notice' : 'error'}" role="status">${b.summary(signed, results.length)}</p>`}
    ${results.length
      ? html`<ul class="card bulk-results">${results.map((r) => {
          const label = labels.get(r.occurrenceId);
          const name = label
            ? html`<a href="/oppgaver/${r.occurrenceId}">${label.title}</a>${label.recipientCode || label.personName ? html` (${label.recipientCode ?? label.personName})` : ''}, ${b.deadline(norwegianDate(label.deadline))}`
            : b.unknownTask;
          return html`<li>${name}: ${
            r.signOff
              ? html`${statusBadge(r.signOff.outcome === 'not_applicable' ? 'not_applicable' : r.signOff.late ? 'done_late' : 'done', t)} <span class="muted">${signedLine(r.signOff, t)}</span>`
              : html`<span class="status overdue">${b.notSigned}</span> ${whyNot(r, t)}`
          }</li>`;
        })}</ul>`
      : ''}
    <p><a href="${back}">${back.startsWith('/sjekkliste') ? b.backToChecklist : back.startsWith('/oppgaver/') ? b.backToTask : b.back}</a></p>`;
}

/** «Signert av Anne Avdelingsleder 24.02.2027 kl. 14:00 på vegne av Siri Ansatt» */
function signedLine(record: SignOffDto, t: Texts): string {
  const behalf = record.onBehalfOf ? ` ${t.onBehalfOf} ${record.onBehalfOf.displayName}` : '';
  return `${t.signedBy} ${record.signedBy.displayName} ${norwegianTime(record.signedAt, 'Europe/Oslo', t.at)}${behalf}`;
}

/** The refusal in words: by the problem's type, never the API's English detail. */
function whyNot(result: SignOffBatchResultDto, t: Texts): string {
  const why = t.bulkSign.why;
  const slug = result.problem?.type.replace(/^\/problems\//, '') ?? '';
  if (slug === 'validation' && result.problem?.errors?.some((e) => e.field === 'comment')) return why.comment;
  return why[slug] ?? why.other;
}
