import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { escapeHtml } from '../../common/escape-html';
import { html, Html, raw } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, statusBadge } from '../layout';
import { monthName } from './checklist.page';

// Distinguishable colours with enough contrast on white; each ring is also named in the legend.
const RING_COLOURS = ['#1f5c99', '#1e6b34', '#8a4b00', '#6a1b9a', '#a4161a', '#00695c'];

function dayOfYear(date: string): { fraction: number } {
  const [y, m, d] = date.split('-').map(Number);
  const start = Date.UTC(y, 0, 1);
  const days = (Date.UTC(y + 1, 0, 1) - start) / 86_400_000;
  return { fraction: (Date.UTC(y, m - 1, d) - start) / 86_400_000 / days };
}

/** A point on a circle, 0 at twelve o'clock, clockwise. */
function polar(cx: number, cy: number, r: number, fraction: number): [number, number] {
  const angle = fraction * 2 * Math.PI - Math.PI / 2;
  return [Math.round((cx + r * Math.cos(angle)) * 10) / 10, Math.round((cy + r * Math.sin(angle)) * 10) / 10];
}

/**
 * The wheel as the seeds' users hang it on the wall: twelve months around a circle, one ring per wheel
 * with a dot for each deadline, and a hand at today. The list beside it carries the same facts in text.
 */
export function wheelPage(year: number, today: string, items: OccurrenceItemDto[], monthItems: OccurrenceItemDto[], unitName: string, t: Texts = TEXTS.nb): Html {
  const size = 520;
  const c = size / 2;
  const wheels = [...new Map(items.map((i) => [i.wheelId, i.wheelName])).entries()];
  const ringOf = new Map(wheels.map(([id], n) => [id, n]));
  const outer = 230;
  const ringWidth = Math.min(28, 150 / Math.max(1, wheels.length));
  const radius = (n: number) => outer - 24 - n * ringWidth;

  const monthLines = t.monthsShort.map((label, m) => {
    const start = dayOfYear(`${year}-${String(m + 1).padStart(2, '0')}-01`).fraction;
    const middle = dayOfYear(`${year}-${String(m + 1).padStart(2, '0')}-15`).fraction;
    const [x1, y1] = polar(c, c, 40, start);
    const [x2, y2] = polar(c, c, outer, start);
    const [lx, ly] = polar(c, c, outer + 16, middle);
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#d0d5db"/><text x="${lx}" y="${ly}" text-anchor="middle" dominant-baseline="middle" font-size="14" fill="#1b1b1b">${label}</text>`;
  }).join('');
  const rings = wheels
    .map(([, name], n) => `<circle cx="${c}" cy="${c}" r="${radius(n)}" fill="none" stroke="${RING_COLOURS[n % RING_COLOURS.length]}" stroke-opacity="0.25" stroke-width="${ringWidth - 4}"><title>${escapeHtml(name)}</title></circle>`)
    .join('');
  const dots = items
    .map((i) => {
      const [x, y] = polar(c, c, radius(ringOf.get(i.wheelId)!), dayOfYear(i.deadline).fraction);
      const colour = RING_COLOURS[ringOf.get(i.wheelId)! % RING_COLOURS.length];
      return `<circle cx="${x}" cy="${y}" r="4" fill="${i.status === 'overdue' ? '#a4161a' : colour}"><title>${escapeHtml(`${norwegianDate(i.deadline)}: ${i.title}`)}</title></circle>`;
    })
    .join('');
  const todayMark = today.startsWith(String(year))
    ? (() => {
        const [x, y] = polar(c, c, outer, dayOfYear(today).fraction);
        return `<line x1="${c}" y1="${c}" x2="${x}" y2="${y}" stroke="#1b1b1b" stroke-width="3"/><circle cx="${c}" cy="${c}" r="6" fill="#1b1b1b"/>`;
      })()
    : '';
  const svg = `<svg role="img" aria-labelledby="hjul-tittel hjul-beskrivelse" viewBox="0 0 ${size} ${size}" class="wheel-svg">
    <title id="hjul-tittel">${escapeHtml(t.wheelImage(year, unitName))}</title>
    <desc id="hjul-beskrivelse">${escapeHtml(t.wheelDescription)}</desc>
    <circle cx="${c}" cy="${c}" r="${outer}" fill="#fff" stroke="#6b7280"/>${monthLines}${rings}${dots}${todayMark}</svg>`;

  return html`<div class="wheel-layout">
    <figure class="card">${raw(svg)}
      <figcaption><ul class="legend">${wheels.map(([, name], n) => html`<li><span class="swatch" data-ring="${n}"></span>${name}</li>`)}</ul></figcaption>
    </figure>
    <section class="card" aria-labelledby="denne-maneden">
      <h2 id="denne-maneden">${monthName(today.slice(0, 7), t)}</h2>
      ${monthItems.length === 0 ? html`<p>${t.noTasksThisMonth}</p>` : ''}
      <ul class="month-list">${monthItems.map(
        (i) => html`<li><a href="/oppgaver/${i.occurrenceId}">${i.title}</a>${exampleMark(i.example, t)}${i.recipientCode ? html` (${i.recipientCode})` : ''} – ${norwegianDate(i.deadline)} ${statusBadge(i.status, t)}</li>`,
      )}</ul>
    </section>
  </div>`;
}

