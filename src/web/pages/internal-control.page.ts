import { ChainReport } from '../../records/chain-verification';
import { ComplianceDto, RecordsPageDto } from '../../audit/dtos/audit.dto';
import { html, Html, raw } from '../html';
import { norwegianTime } from '../layout';

const SERIES: Array<[keyof ComplianceDto['rows'][number], string, string]> = [
  ['doneOnTime', 'Utført i tide', 'done'],
  ['doneLate', 'Utført for sent', 'late'],
  ['notApplicable', 'Ikke aktuelt', 'na'],
  ['overdue', 'Forfalt', 'overdue'],
  ['open', 'Åpen', 'open'],
];

/** Compliance per month as stacked bars, with the same numbers in a table beneath for screen readers. */
function chart(report: ComplianceDto): Html {
  const width = 720;
  const height = 260;
  const max = Math.max(1, ...report.rows.map((r) => r.planned));
  const barWidth = (width - 60) / Math.max(12, report.rows.length);
  const bars = report.rows
    .map((row, n) => {
      let y = height - 30;
      const x = 40 + n * barWidth + 4;
      const parts = SERIES.map(([key, label, css]) => {
        const value = row[key] as number;
        const h = ((height - 50) * value) / max;
        y -= h;
        return value ? `<rect class="bar-${css}" x="${x}" y="${Math.round(y)}" width="${Math.round(barWidth - 8)}" height="${Math.round(h)}"><title>${row.group}: ${label} ${value}</title></rect>` : '';
      }).join('');
      return `${parts}<text x="${x + (barWidth - 8) / 2}" y="${height - 12}" text-anchor="middle" font-size="12">${row.group.slice(5) || row.group}</text>`;
    })
    .join('');
  return raw(`<svg role="img" aria-labelledby="graf-tittel" viewBox="0 0 ${width} ${height}" class="wheel-svg chart-svg">
    <title id="graf-tittel">Etterlevelse per måned: utført i tide, for sent, ikke aktuelt, forfalt og åpen</title>
    <line x1="36" y1="${height - 30}" x2="${width - 10}" y2="${height - 30}" stroke="#6b7280"/>${bars}</svg>`);
}

export function internalControlPage(
  unit: { id: string; name: string },
  year: number,
  report: ComplianceDto,
  byWheel: ComplianceDto,
  records: RecordsPageDto,
  chain: ChainReport,
): Html {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const api = (path: string, extra = '') => `/api/v1/audit/${path}?unitId=${unit.id}&from=${from}&to=${to}${extra}`;
  const table = (r: ComplianceDto, heading: string) => html`<table>
    <thead><tr><th scope="col">${heading}</th><th scope="col">Planlagt</th>${SERIES.map(([, label]) => html`<th scope="col">${label}</th>`)}<th scope="col">Andel i tide</th></tr></thead>
    <tbody>${r.rows.map(
      (row) => html`<tr><th scope="row">${row.group}</th><td>${row.planned}</td>${SERIES.map(([key]) => html`<td>${row[key] as number}</td>`)}<td>${row.shareOnTime === null ? '–' : `${Math.round(row.shareOnTime * 100)} %`}</td></tr>`,
    )}</tbody></table>`;
  return html`
    <p class="muted">${unit.name}, med underenheter, ${year}.</p>
    <section class="card" aria-labelledby="verifisering">
      <h2 id="verifisering">Signaturkjeden</h2>
      ${chain.valid
        ? html`<p class="notice">Kjeden er hel: ${chain.records} signerte poster, ingen endret eller fjernet.${chain.chainHead ? html` Siste hash: <code>${chain.chainHead.slice(0, 16)}…</code>` : ''}</p>`
        : html`<p class="error" role="alert">Kjeden er brutt ved post ${chain.firstProblem?.sequence}: ${chain.firstProblem?.detail}</p>`}
    </section>
    <section class="card" aria-labelledby="per-maned">
      <h2 id="per-maned">Etterlevelse per måned</h2>
      ${chart(report)}
      <ul class="chart-legend">${SERIES.map(([, label, css]) => html`<li><span class="key ${css}"></span>${label}</li>`)}</ul>
      ${table(report, 'Måned')}
    </section>
    <section class="card" aria-labelledby="per-hjul">
      <h2 id="per-hjul">Per årshjul</h2>
      ${table(byWheel, 'Årshjul')}
    </section>
    <section class="card" aria-labelledby="eksport">
      <h2 id="eksport">Eksport</h2>
      <p class="actions">
        <a href="${api('compliance', '&subtree=true&groupBy=month&format=csv')}">Etterlevelse som CSV</a>
        <a href="${api('compliance', '&subtree=true&groupBy=month&format=xlsx')}">Etterlevelse som Excel (XLSX)</a>
        <a href="${api('records', '&format=jsonl')}">Signerte poster med manifest (JSONL)</a>
      </p>
    </section>
    <section class="card" aria-labelledby="poster">
      <h2 id="poster">Signerte poster (${records.total})</h2>
      <table>
        <thead><tr><th scope="col">Signert</th><th scope="col">Oppgave</th><th scope="col">Resultat</th><th scope="col" class="optional">Av</th><th scope="col" class="optional">Kommentar</th></tr></thead>
        <tbody>${records.items.map(
          (r) => html`<tr><td>${norwegianTime(r.signedAt)}</td><td><a href="/oppgaver/${r.occurrenceId}">${String(r.snapshot.taskTitle)}</a>${r.snapshot.recipientCode ? html` (${String(r.snapshot.recipientCode)})` : ''}</td>
            <td>${r.outcome === 'done' ? (r.late ? 'Utført for sent' : 'Utført') : r.outcome === 'not_applicable' ? 'Ikke aktuelt' : 'Trukket tilbake'}${r.kind === 'correction' ? ' (korrigering)' : ''}</td>
            <td class="optional">${r.signedBy.displayName}</td><td class="optional">${r.comment ?? ''}</td></tr>`,
        )}</tbody>
      </table>
      ${records.total > records.items.length ? html`<p class="muted">Viser de ${records.items.length} første. Hele listen finnes i eksporten.</p>` : ''}
    </section>`;
}
