import { html, Html } from '../html';
import { Texts } from '../i18n';

const WORDS = {
  nb: {
    heading: 'Skriv ut / Last ned',
    print: 'Skriv ut denne siden',
    blank: (year: number) => `Årsplan ${year}, blank til planlegging:`,
    filled: (year: number) => `Årsplan ${year}, utfylt så langt:`,
    word: 'Word',
    excel: 'Excel',
  },
  en: {
    heading: 'Print / Download',
    print: 'Print this page',
    blank: (year: number) => `Year plan ${year}, blank for planning:`,
    filled: (year: number) => `Year plan ${year}, filled in so far:`,
    word: 'Word',
    excel: 'Excel',
  },
};

/**
 * "Skriv ut / Last ned" on the checklist and the wheel: the unit's year plan as PDF, Word and Excel by plain
 * links (they work without script; the API takes the session cookie for reading), and a print button that
 * only the script served from /assets can show and run. The print stylesheet leaves all this off the paper.
 */
export function printControls(unitId: string, year: number, t: Texts): Html {
  const w = WORDS[t.lang === 'en' ? 'en' : 'nb'];
  const link = (format: string, label: string, filled: boolean) =>
    html`<a href="/api/v1/units/${unitId}/year-plan?year=${year}&amp;format=${format}${filled ? html`&amp;filled=true` : ''}" download>${label}</a>`;
  const links = (filled: boolean) => html`${link('pdf', 'PDF', filled)} ${link('docx', w.word, filled)} ${link('xlsx', w.excel, filled)}`;
  return html`<link rel="stylesheet" href="/assets/print.css">
    <section class="card print-actions" aria-labelledby="skriv-ut">
      <h2 id="skriv-ut">${w.heading}</h2>
      <p class="actions"><button type="button" class="primary" data-print hidden>${w.print}</button></p>
      <ul class="downloads">
        <li>${w.blank(year)} <span class="actions">${links(false)}</span></li>
        <li>${w.filled(year)} <span class="actions">${links(true)}</span></li>
      </ul>
    </section>
    <script src="/assets/print.js" defer></script>`;
}
