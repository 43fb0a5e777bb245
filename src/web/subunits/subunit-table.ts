import { SubunitSummaryDto, SummaryCountsDto } from '../../occurrences/dtos/subtree-summary.dto';
import { html, Html } from '../html';
import { Texts } from '../i18n';

const signed = (c: SummaryCountsDto) => c.doneOnTime + c.doneLate + c.notApplicable;
const share = (c: SummaryCountsDto) => (c.shareOnTime === null ? '–' : `${Math.round(c.shareOnTime * 100)} %`);

/**
 * One row per direct sub-unit (its whole subtree counted), worst first, each opening that unit's own page
 * (`href`); then the unit's own occurrences, so the rows add up to the flat list. Units only, never a
 * recipient's code. `carried` adds the column of what is overdue from before the period (the checklist).
 */
export function subunitTable(
  summary: { own: SummaryCountsDto; subunits: SubunitSummaryDto[] },
  unitName: string,
  href: (unitId: string) => string,
  t: Texts,
  carried = false,
): Html {
  const w = t.subunits;
  const cell = (label: string, content: unknown) => html`<td data-label="${label}">${content}</td>`;
  const figures = (c: SummaryCountsDto) => html`${cell(w.planned, c.planned)}${cell(w.done, signed(c))}${cell(w.overdue, c.overdue)}${carried ? cell(w.overdueEarlier, c.overdueEarlier) : ''}${cell(w.shareOnTime, share(c))}`;
  const ownShown = summary.own.planned > 0 || summary.own.overdueEarlier > 0;
  return html`<section class="card" aria-labelledby="underenheter">
    <h2 id="underenheter">${w.heading}</h2>
    <p class="muted">${w.intro(summary.subunits.length)}</p>
    <table class="stack subunits">
      <thead><tr><th scope="col">${w.unit}</th><th scope="col">${w.units}</th><th scope="col">${w.planned}</th><th scope="col">${w.done}</th><th scope="col">${w.overdue}</th>${carried ? html`<th scope="col">${w.overdueEarlier}</th>` : ''}<th scope="col">${w.shareOnTime}</th></tr></thead>
      <tbody>${summary.subunits.map(
        (s) => html`<tr${s.overdue + s.overdueEarlier > 0 ? html` class="has-overdue"` : ''}>${cell(w.unit, html`<a href="${href(s.unitId)}">${s.unitName}</a>`)}${cell(w.units, s.units)}${figures(s)}</tr>`,
      )}${ownShown ? html`<tr>${cell(w.unit, w.own(unitName))}${cell(w.units, 1)}${figures(summary.own)}</tr>` : ''}</tbody>
    </table>
  </section>`;
}
