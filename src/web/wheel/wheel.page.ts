import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { WheelMark } from '../../occurrences/dtos/subtree-summary.dto';
import { escapeHtml } from '../../common/escape-html';
import { html, Html, raw } from '../html';
import { TEXTS, Texts } from '../i18n';
import { exampleMark, norwegianDate, shortDate, shownStatus, statusBadge } from '../layout';
import { monthName } from '../checklist/checklist.page';

// Distinguishable colours with enough contrast on white; each ring is also named in the legend.
const RING_COLOURS = ['#1f5c99', '#1e6b34', '#8a4b00', '#6a1b9a', '#a4161a', '#00695c'];

const SIZE = 520;
const C = SIZE / 2;
const OUTER = 230;
const INNER = 40;
/** A dot's radius, and the distance kept between the centres of two dots (so none hides another). */
const DOT = 3.5;
const SPACING = 8.5;
/** At most this many lines of tasks in a month's label; the list beside the wheel has them all. */
const TIP_LINES = 9;

const pad = (n: number) => String(n).padStart(2, '0');

function daysIn(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
}

/** Where in the year a day starts (0 at 1 January 00:00, 1 at the next New Year). */
function dayStart(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000 / daysIn(y);
}

/** A month's share of the circle: from its first day to the next month's first. */
function monthSpan(year: number, month: number): [number, number] {
  const start = dayStart(`${year}-${pad(month + 1)}-01`);
  return [start, month === 11 ? 1 : dayStart(`${year}-${pad(month + 2)}-01`)];
}

/** A point on a circle, 0 at twelve o'clock, clockwise. */
function polar(r: number, fraction: number): [number, number] {
  const angle = fraction * 2 * Math.PI - Math.PI / 2;
  return [Math.round((C + r * Math.cos(angle)) * 10) / 10, Math.round((C + r * Math.sin(angle)) * 10) / 10];
}

function sector(r1: number, r2: number, from: number, to: number): string {
  const [ax, ay] = polar(r2, from);
  const [bx, by] = polar(r2, to);
  const [cx, cy] = polar(r1, to);
  const [dx, dy] = polar(r1, from);
  return `M${ax} ${ay}A${r2} ${r2} 0 0 1 ${bx} ${by}L${cx} ${cy}A${r1} ${r1} 0 0 0 ${dx} ${dy}Z`;
}

interface Placed<T> {
  item: T;
  x: number;
  y: number;
}

/**
 * The dots of one wheel's ring in one month. Each sits at its deadline (the middle of the day) but
 * never outside its month — a deadline on the 31st stays in its month's segment — and never on top of
 * another: dots are dealt round-robin into rows within the ring, and each row is pushed apart along the
 * circle, first forwards and then back from the month's end, so tasks on the same day stay separate dots.
 */
export function placeDots<T extends { deadline: string }>(items: T[], year: number, month: number, radius: number, ringWidth: number): Placed<T>[] {
  const [from, to] = monthSpan(year, month);
  // Rows alternate outwards and inwards from the ring's middle; each row holds as many dots as its arc allows.
  const rowsFor = (count: number) => {
    const rowGap = Math.min(SPACING, Math.max(DOT * 2 + 0.5, (ringWidth - 2) / Math.max(1, count - 1)));
    return Array.from({ length: count }, (_, j) => {
      const r = Math.max(INNER / 2, radius + (j % 2 === 1 ? -1 : 1) * Math.ceil(j / 2) * rowGap);
      const gap = SPACING / (2 * Math.PI * r);
      const lo = from + gap / 2;
      const hi = to - gap / 2;
      return { r, gap, lo, hi, capacity: Math.max(1, Math.floor((hi - lo) / gap) + 1) };
    });
  };
  let rows = rowsFor(1);
  while (rows.reduce((n, row) => n + row.capacity, 0) < items.length && rows.length < 24) rows = rowsFor(rows.length + 1);
  // Dealt round-robin in date order, so that dots of one day fall into different rows, side by side.
  const dealt: T[][] = rows.map(() => []);
  let next = 0;
  for (const item of items) {
    while (dealt[next % rows.length].length >= rows[next % rows.length].capacity && dealt.some((d, j) => d.length < rows[j].capacity)) next++;
    dealt[next % rows.length].push(item);
    next++;
  }
  const placed: Placed<T>[] = [];
  rows.forEach(({ r, gap, lo, hi }, row) => {
    const inRow = dealt[row];
    const at = inRow.map((i) => {
      const [y, m, d] = i.deadline.split('-').map(Number);
      const middle = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1) + 43_200_000) / 86_400_000 / daysIn(y);
      return Math.min(hi, Math.max(lo, middle));
    });
    for (let k = 1; k < at.length; k++) at[k] = Math.max(at[k], at[k - 1] + gap);
    for (let k = at.length - 1; k >= 0; k--) at[k] = Math.min(at[k], k === at.length - 1 ? hi : at[k + 1] - gap);
    inRow.forEach((item, k) => {
      const [x, y] = polar(r, at[k]);
      placed.push({ item, x, y });
    });
  });
  return placed;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export interface WheelView {
  year: number;
  /** The month the list beside the wheel shows, YYYY-MM within `year`. */
  month: string;
  today: string;
  unitId: string;
  unitName: string;
  items: OccurrenceItemDto[];
  /**
   * For a unit with sub-units: one mark per task and month ("37 av 100 enheter utført") instead of a dot
   * per occurrence of every unit below, so the page grows with the wheels, not with the tree (issue 19).
   */
  marks?: WheelMark[];
}

/** What the picture and the list need of a dot, whichever it stands for: one occurrence, or a task's month in many units. */
interface Dot {
  wheelId: string;
  deadline: string;
  href: string;
  /** The words of the dot's link and tooltip. */
  label: string;
  /** One line of the month's label in the middle of the wheel; equal lines are counted together. */
  tipLine: string;
  state: 'signed' | 'overdue' | 'open';
  /** The entry of the month's list beside the wheel. */
  listEntry: Html;
}

function occurrenceDot(i: OccurrenceItemDto, today: string, t: Texts): Dot {
  const status = shownStatus(i, today);
  return {
    wheelId: i.wheelId,
    deadline: i.deadline,
    href: `/oppgaver/${i.occurrenceId}`,
    label: `${norwegianDate(i.deadline)}: ${i.title}${i.recipientCode ? ` (${i.recipientCode})` : ''} – ${t.status[status] ?? status}`,
    tipLine: `${shortDate(i.deadline)} ${i.title}`,
    state: i.signedBy ? 'signed' : status === 'overdue' ? 'overdue' : 'open',
    listEntry: html`<a href="/oppgaver/${i.occurrenceId}">${i.title}</a>${exampleMark(i.example, t)}${i.recipientCode ? html` (${i.recipientCode})` : ''} – ${norwegianDate(i.deadline)} ${statusBadge(shownStatus(i, today), t)}`,
  };
}

/** A task's month across the sub-units: a link to the checklist of that task and month, every unit below listed. */
function markDot(m: WheelMark, unitId: string, t: Texts): Dot {
  const href = `/sjekkliste?${new URLSearchParams({ enhet: unitId, maned: m.month, underenheter: '1', oppgave: m.taskId })}`;
  const done = t.subunits.unitsDone(m.doneUnits, m.units);
  const overdue = m.overdueUnits ? `, ${t.subunits.unitsOverdue(m.overdueUnits)}` : '';
  return {
    wheelId: m.wheelId,
    deadline: m.firstDeadline,
    href,
    label: `${monthName(m.month, t)}: ${m.title} – ${done}${overdue}`,
    tipLine: `${m.title} (${m.doneUnits}/${m.units})`,
    state: m.doneUnits === m.units ? 'signed' : m.overdueUnits ? 'overdue' : 'open',
    listEntry: html`<a href="${href}">${m.title}</a>${exampleMark(m.example, t)} – ${done}${m.overdueUnits ? html` ${statusBadge('overdue', t)} ${t.subunits.unitsOverdue(m.overdueUnits)}` : ''}`,
  };
}

/**
 * The wheel as the seeds' users hang it on the wall, made a tool: twelve month segments, one ring per
 * wheel with a dot per occurrence (for a unit with sub-units, a mark per task and month). Each segment is a
 * link that lists its month beside the wheel and, on hover or keyboard focus, shows the month's tasks in the
 * middle of the picture; each dot is a link to its task (a mark to the task's checklist of the month).
 * No script: the labels are shown by the stylesheet (:hover, :focus-within).
 */
export function wheelPage(view: WheelView, t: Texts = TEXTS.nb): Html {
  const { year, today } = view;
  const sources: Array<{ wheelId: string; wheelName: string }> = view.marks ?? view.items;
  const dots: Dot[] = view.marks ? view.marks.map((m) => markDot(m, view.unitId, t)) : view.items.map((i) => occurrenceDot(i, today, t));
  const wheels = [...new Map(sources.map((i) => [i.wheelId, i.wheelName])).entries()];
  const ringOf = new Map(wheels.map(([id], n) => [id, n]));
  const ringWidth = Math.min(28, 150 / Math.max(1, wheels.length));
  const radius = (n: number) => OUTER - 24 - n * ringWidth;
  const link = (month: string) => `/arshjul?${new URLSearchParams({ enhet: view.unitId, ar: month.slice(0, 4), maned: month })}#maneden`;
  const byMonth = Array.from({ length: 12 }, (_, m) => dots.filter((d) => d.deadline.startsWith(`${year}-${pad(m + 1)}`)));

  const rings = wheels
    .map(([, name], n) => `<circle cx="${C}" cy="${C}" r="${radius(n)}" fill="none" stroke="${RING_COLOURS[n % RING_COLOURS.length]}" stroke-opacity="0.25" stroke-width="${ringWidth - 4}"><title>${escapeHtml(name)}</title></circle>`)
    .join('');
  const labels = t.monthsShort
    .map((label, m) => {
      const [from, to] = monthSpan(year, m);
      const [x1, y1] = polar(INNER, from);
      const [x2, y2] = polar(OUTER, from);
      const [lx, ly] = polar(OUTER + 16, (from + to) / 2);
      return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#d0d5db"/><text x="${lx}" y="${ly}" text-anchor="middle" dominant-baseline="middle" font-size="14" fill="#1b1b1b" aria-hidden="true">${label}</text>`;
    })
    .join('');
  const todayMark = today.startsWith(String(year))
    ? (() => {
        const [x, y] = polar(OUTER, dayStart(today) + 0.5 / daysIn(year));
        return `<g class="today" aria-hidden="true"><line x1="${C}" y1="${C}" x2="${x}" y2="${y}" stroke="#1b1b1b" stroke-width="3"/><circle cx="${C}" cy="${C}" r="6" fill="#1b1b1b"/></g>`;
      })()
    : '';

  const months = byMonth
    .map((monthDots, m) => {
      const month = `${year}-${pad(m + 1)}`;
      const [from, to] = monthSpan(year, m);
      const name = t.wheelMonth(monthName(month, t), monthDots.length);
      const segment = `<a class="month-seg${month === view.month ? ' chosen' : ''}" href="${escapeHtml(link(month))}" aria-label="${escapeHtml(name)}"><path d="${sector(INNER, OUTER, from, to)}"/><title>${escapeHtml(name)}</title></a>`;
      const placed = wheels
        .flatMap(([wheelId], n) => placeDots(monthDots.filter((d) => d.wheelId === wheelId), year, m, radius(n), ringWidth))
        .map(({ item, x, y }) => {
          const colour = RING_COLOURS[ringOf.get(item.wheelId)! % RING_COLOURS.length];
          // Signed ones are hollow, overdue ones red; the words (title, label) say the same for everyone.
          const fill = item.state === 'signed' ? '#fff' : item.state === 'overdue' ? '#a4161a' : colour;
          return `<a class="dot" href="${escapeHtml(item.href)}" aria-label="${escapeHtml(item.label)}" data-deadline="${item.deadline}"><circle cx="${x}" cy="${y}" r="${DOT}" fill="${fill}" stroke="${colour}" stroke-width="1.5"/><title>${escapeHtml(item.label)}</title></a>`;
        })
        .join('');
      return `<g class="month" data-m="${m}">${segment}${placed}</g>`;
    })
    .join('');

  // The month's label in the middle of the wheel: the same task on the same day (one per recipient) on one line.
  const tips = byMonth
    .map((monthDots, m) => {
      const lines = new Map<string, number>();
      for (const d of monthDots) lines.set(d.tipLine, (lines.get(d.tipLine) ?? 0) + 1);
      const all = [...lines].map(([key, n]) => (n > 1 ? `${truncate(key, 40)} (${n})` : truncate(key, 44)));
      const shown = all.length > TIP_LINES ? [...all.slice(0, TIP_LINES - 1), t.wheelMore(all.length - TIP_LINES + 1)] : all;
      const height = 28 + Math.max(1, shown.length) * 16;
      const top = C - height / 2;
      const text = [t.wheelMonth(monthName(`${year}-${pad(m + 1)}`, t), monthDots.length), ...(shown.length ? shown : [t.noTasksThisMonth])]
        .map((line, k) => `<tspan x="${C - 150}" y="${top + 20 + k * 16}"${k === 0 ? ' font-weight="700"' : ''}>${escapeHtml(line)}</tspan>`)
        .join('');
      return `<g class="tip" data-m="${m}" aria-hidden="true"><rect x="${C - 160}" y="${top}" width="320" height="${height + 6}" rx="6" fill="#fff" stroke="#1b1b1b"/><text font-size="12" fill="#1b1b1b">${text}</text></g>`;
    })
    .join('');

  const svg = `<svg role="group" aria-labelledby="hjul-tittel" aria-describedby="hjul-beskrivelse" viewBox="0 0 ${SIZE} ${SIZE}" class="wheel-svg">
    <title id="hjul-tittel">${escapeHtml(t.wheelImage(year, view.unitName))}</title>
    <desc id="hjul-beskrivelse">${escapeHtml(t.wheelDescription)}</desc>
    <circle cx="${C}" cy="${C}" r="${OUTER}" fill="#fff" stroke="#6b7280"/>${rings}${labels}${todayMark}${months}${tips}</svg>`;

  const monthDots = dots.filter((d) => d.deadline.startsWith(view.month));
  const shift = (by: number) => {
    const [y, m] = view.month.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
  };
  return html`<div class="wheel-layout">
    <figure class="card">${raw(svg)}
      <figcaption><p class="muted">${view.marks ? t.subunits.wheelHint : t.wheelMonthHint}</p><ul class="legend">${wheels.map(([, name], n) => html`<li><span class="swatch" data-ring="${n}"></span>${name}</li>`)}</ul></figcaption>
    </figure>
    <section class="card" aria-labelledby="maneden">
      <h2 id="maneden">${monthName(view.month, t)}</h2>
      <div class="pager" aria-label="${t.monthNav}">
        <a href="${link(shift(-1))}">← ${monthName(shift(-1), t)}</a>
        <a href="${link(shift(1))}">${monthName(shift(1), t)} →</a>
      </div>
      ${monthDots.length === 0 ? html`<p>${t.noTasksThisMonth}</p>` : ''}
      <ul class="month-list">${monthDots.map((d) => html`<li>${d.listEntry}</li>`)}</ul>
    </section>
  </div>`;
}
