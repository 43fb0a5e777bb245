import { UnitVerification } from '../../records/chain-verification';
import { ComplianceDto, RecordsPageDto } from '../../audit/dtos/audit.dto';
import { ChecklistItemDto } from '../../occurrences/dtos/checklist.dto';
import { html, Html, raw } from '../html';
import { TEXTS, Texts } from '../i18n';
import { norwegianDate, norwegianTime, statusBadge } from '../layout';
import { SubunitSummaryDto, SummaryCountsDto } from '../../occurrences/dtos/subtree-summary.dto';
import { subunitTable } from '../subunits/subunit-table';

const SERIES: Array<[keyof ComplianceDto['rows'][number], string]> = [
  ['doneOnTime', 'done'],
  ['doneLate', 'late'],
  ['notApplicable', 'na'],
  ['overdue', 'overdue'],
  ['open', 'open'],
];

/** Compliance per month as stacked bars, with the same numbers in a table beneath for screen readers. */
function chart(report: ComplianceDto, t: Texts): Html {
  const width = 720;
  const height = 260;
  const max = Math.max(1, ...report.rows.map((r) => r.planned));
  const barWidth = (width - 60) / Math.max(12, report.rows.length);
  const bars = report.rows
    .map((row, n) => {
      let y = height - 30;
      const x = 40 + n * barWidth + 4;
      const parts = SERIES.map(([key, css]) => {
        const label = t.series[key as string];
        const value = row[key] as number;
        const h = ((height - 50) * value) / max;
        y -= h;
        return value ? `<rect class="bar-${css}" x="${x}" y="${Math.round(y)}" width="${Math.round(barWidth - 8)}" height="${Math.round(h)}"><title>${monthLabel(row.group, t)}: ${label} ${value}</title></rect>` : '';
      }).join('');
      return `${parts}<text x="${x + (barWidth - 8) / 2}" y="${height - 12}" text-anchor="middle" font-size="12">${monthLabel(row.group, t, true)}</text>`;
    })
    .join('');
  return raw(`<svg role="img" aria-labelledby="graf-tittel" viewBox="0 0 ${width} ${height}" class="wheel-svg chart-svg">
    <title id="graf-tittel">${t.chartTitle}</title>
    <line x1="36" y1="${height - 30}" x2="${width - 10}" y2="${height - 30}" stroke="#6b7280"/>${bars}</svg>`);
}

export function internalControlPage(
  unit: { id: string; name: string },
  year: number,
  report: ComplianceDto,
  byWheel: ComplianceDto,
  records: Omit<RecordsPageDto, 'total'> & { total: number | null },
  chain: UnitVerification,
  t: Texts = TEXTS.nb,
  perPerson: ChecklistItemDto[] = [],
  subunits?: { own: SummaryCountsDto; subunits: SubunitSummaryDto[] },
): Html {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const api = (path: string, extra = '') => `/api/v1/audit/${path}?unitId=${unit.id}&from=${from}&to=${to}${extra}`;
  const table = (r: ComplianceDto, heading: string) => html`<table>
    <thead><tr><th scope="col">${heading}</th><th scope="col">${t.planned}</th>${SERIES.map(([key]) => html`<th scope="col">${t.series[key as string]}</th>`)}<th scope="col">${t.shareOnTime}</th></tr></thead>
    <tbody>${r.rows.map(
      (row) => html`<tr><th scope="row">${monthLabel(row.group, t)}</th><td>${row.planned}</td>${SERIES.map(([key]) => html`<td>${row[key] as number}</td>`)}<td>${row.shareOnTime === null ? '–' : `${Math.round(row.shareOnTime * 100)} %`}</td></tr>`,
    )}</tbody></table>`;
  return html`
    <p class="muted">${t.controlScope(unit.name, year)}</p>
    <section class="card" aria-labelledby="verifisering">
      <h2 id="verifisering">${t.chain}</h2>
      ${chain.valid
        ? html`<p class="notice">${t.chainIntact(chain.records)}${chain.chainHead ? html` ${t.lastHash}: <code>${chain.chainHead.slice(0, 16)}…</code>` : ''}</p>
            ${chain.from ? html`<p class="muted">${t.verifiedFrom(chain.from.sequence, norwegianTime(chain.from.verifiedAt, 'Europe/Oslo', t.at))}</p>` : ''}`
        : html`<div class="error" role="alert">
            ${chain.problemCount ? html`<p>${t.chainBroken(chain.problemCount)}</p><ul>${chain.problems.map((p) => html`<li>${t.chainProblem(p)}</li>`)}</ul>` : ''}
            ${chain.headProblemCount ? html`<p>${t.headsBroken(chain.headProblemCount)}</p><ul>${chain.headProblems.map((h) => html`<li>${t.headProblem(h)}</li>`)}</ul>` : ''}
            ${chain.standingProblemCount
              ? html`<p>${t.standingDisagrees(chain.standingProblemCount)}</p><ul>${chain.standingProblems.map((s) => html`<li><a href="/oppgaver/${s.occurrenceId}">${s.deadline}</a>: ${t.standingProblem(s)}</li>`)}</ul>`
              : ''}
          </div>`}
    </section>
    ${subunits ? subunitTable(subunits, unit.name, (id) => `/internkontroll?${new URLSearchParams({ enhet: id, ar: String(year) })}`, t) : ''}
    <section class="card" aria-labelledby="per-maned">
      <h2 id="per-maned">${t.perMonth}</h2>
      ${chart(report, t)}
      <ul class="chart-legend">${SERIES.map(([key, css]) => html`<li><span class="key ${css}"></span>${t.series[key as string]}</li>`)}</ul>
      ${table(report, t.month)}
    </section>
    <section class="card" aria-labelledby="per-hjul">
      <h2 id="per-hjul">${t.perWheel}</h2>
      ${table(byWheel, t.wheel)}
    </section>
    ${perPerson.length
      ? html`<section class="card" aria-labelledby="per-ansatt">
      <h2 id="per-ansatt">${t.perPerson}</h2>
      <table>
        <thead><tr><th scope="col">${t.task}</th><th scope="col">${t.deadline}</th><th scope="col" class="optional">${t.unit}</th><th scope="col">${t.status_}</th><th scope="col">${t.responsible}</th></tr></thead>
        <tbody>${perPerson.map(
          (i) => html`<tr class="per-person"><td>${i.title}</td><td>${norwegianDate(i.deadline)}</td><td class="optional">${i.unitName}</td><td>${statusBadge(i.status, t)}</td>
            <td><details><summary>${t.doneOf(i.doneCount ?? 0, i.total ?? 0)}</summary><ul class="people">${(i.people ?? []).map(
              (p) => html`<li><a href="/oppgaver/${p.occurrenceId}">${p.person?.displayName ?? ''}</a> ${statusBadge(p.status, t)}${p.signedBy && p.signedAt ? html` <span class="muted">${p.signedBy.displayName}, ${norwegianTime(p.signedAt, 'Europe/Oslo', t.at)}</span>` : ''}</li>`,
            )}</ul></details></td></tr>`,
        )}</tbody>
      </table>
    </section>`
      : ''}
    <section class="card" aria-labelledby="rapport">
      <h2 id="rapport">${t.report}</h2>
      <p>${t.reportIntro}</p>
      <p class="actions">
        <a href="${api('report', '&subtree=true&format=pdf')}" download>${t.reportPdf}</a>
        <a href="${api('report', '&subtree=true&format=xlsx')}" download>${t.reportXlsx}</a>
        <a href="${api('report', '&subtree=true&format=zip')}" download>${t.reportZip}</a>
      </p>
    </section>
    <section class="card" aria-labelledby="eksport">
      <h2 id="eksport">${t.export}</h2>
      <p class="actions">
        <a href="${api('compliance', '&subtree=true&groupBy=month&format=csv')}">${t.exportCsv}</a>
        <a href="${api('compliance', '&subtree=true&groupBy=month&format=xlsx')}">${t.exportXlsx}</a>
        <a href="${api('records', '&format=jsonl')}">${t.exportJsonl}</a>
      </p>
    </section>
    <section class="card" aria-labelledby="poster">
      <h2 id="poster">${t.records(records.total)}</h2>
      <table>
        <thead><tr><th scope="col">${t.deadline}</th><th scope="col">${t.task}</th><th scope="col">${t.result}</th><th scope="col" class="optional">${t.signedByCol}</th><th scope="col" class="optional">${t.signedCol}</th><th scope="col" class="optional">${t.comment}</th></tr></thead>
        <tbody>${records.items.map(
          (r) => html`<tr><td>${norwegianDate(String(r.snapshot.deadline ?? ''))}</td><td><a href="/oppgaver/${r.occurrenceId}">${String(r.snapshot.taskTitle)}</a>${r.snapshot.recipientCode ? html` (${String(r.snapshot.recipientCode)})` : ''}${personOf(r.snapshot) ? html` (${personOf(r.snapshot)})` : ''}</td>
            <td>${r.outcome === 'done' ? (r.late ? t.status.done_late : t.status.done) : r.outcome === 'not_applicable' ? t.status.not_applicable : t.revoked}${r.kind === 'correction' ? ` ${t.correction}` : ''}</td>
            <td class="optional">${r.signedBy.displayName}</td><td class="optional">${norwegianTime(r.signedAt, 'Europe/Oslo', t.at)}</td><td class="optional">${r.comment ?? ''}</td></tr>`,
        )}</tbody>
      </table>
      ${(records.total === null ? records.nextCursor !== null : records.total > records.items.length) ? html`<p class="muted">${t.firstOnly(records.items.length)}</p>` : ''}
    </section>`;
}

/** Whose own duty a record signs, for a task per person (the snapshot keeps the person). */
function personOf(snapshot: Record<string, unknown>): string | undefined {
  const person = snapshot.person as { displayName?: string } | undefined;
  return person?.displayName;
}

/** A month group ("2026-12") in words: "desember 2026", or "des" under a bar; anything else as it is. */
export function monthLabel(group: string, t: Texts, short = false): string {
  const m = /^(\d{4})-(\d{2})$/.exec(group);
  if (!m) return group;
  const index = Number(m[2]) - 1;
  return short ? t.monthsShort[index] : `${t.months[index]} ${m[1]}`;
}
