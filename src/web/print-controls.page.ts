import { html, Html } from './html';
import { Texts } from './i18n';

const WORDS = {
  nb: {
    heading: 'Skriv ut / Last ned',
    print: 'Skriv ut denne siden',
    blank: (year: number) => `Årsplan ${year}, blank til planlegging:`,
    filled: (year: number) => `Årsplan ${year}, utfylt så langt:`,
    word: 'Word',
    excel: 'Excel',
    notYet: (year: number) => `Årsplanen for ${year} kan lastes ned når årets oppgaver er laget (en leder gjør det, ellers skjer det 1. desember).`,
  },
  en: {
    heading: 'Print / Download',
    print: 'Print this page',
    blank: (year: number) => `Year plan ${year}, blank for planning:`,
    filled: (year: number) => `Year plan ${year}, filled in so far:`,
    word: 'Word',
    excel: 'Excel',
    notYet: (year: number) => `The year plan for ${year} can be downloaded once the year's tasks are made (a manager does it, or it happens on 1 December).`,
  },
};

/**
 * "Skriv ut / Last ned" on the checklist and the wheel: the unit's year plan as PDF, Word and Excel by plain
 * links (they work without script; the API takes the session cookie for reading; a year not yet made has no
 * plan to download, and says so), and a print button that
 * only the script served from /assets can show and run. The print stylesheet leaves all this off the paper.
 */
export function printControls(unitId: string, year: number, t: Texts, yearMade = true): Html {
  const w = WORDS[t.lang === 'en' ? 'en' : 'nb'];
  const link = (format: string, label: string, filled: boolean) =>
    html`<a href="/api/v1/units/${unitId}/year-plan?year=${year}&amp;format=${format}${filled ? html`&amp;filled=true` : ''}">${label}</a>`;
  const links = (filled: boolean) => html`${link('pdf', 'PDF', filled)} ${link('docx', w.word, filled)} ${link('xlsx', w.excel, filled)}`;
  return html`<link rel="stylesheet" href="/assets/print.css">
    <section class="card print-actions" aria-labelledby="skriv-ut">
      <h2 id="skriv-ut">${w.heading}</h2>
      <p class="actions"><button type="button" class="primary" data-print hidden>${w.print}</button></p>
      ${yearMade
        ? html`<ul class="downloads">
            <li>${w.blank(year)} <span class="actions">${links(false)}</span></li>
            <li>${w.filled(year)} <span class="actions">${links(true)}</span></li>
          </ul>`
        : html`<p>${w.notYet(year)}</p>`}
    </section>
    <script src="/assets/print.js" defer></script>`;
}
