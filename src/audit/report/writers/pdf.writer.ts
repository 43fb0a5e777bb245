import type { Content, ContentCanvas, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { pageNumberFooter, pdfmake } from '../../../common/documents/pdfmake';
import { COUNT_COLUMNS, Counts, InspectionReport, OUTCOME_WORDS, OutcomeKey, percent, ReportLine } from '../inspection-report';

const GREY = '#e6e9ee';
const LIGHT = '#f3f5f8';
const LINES = { hLineColor: () => '#b8bec7', vLineColor: () => '#b8bec7', paddingTop: () => 2, paddingBottom: () => 2 };

/** The chart's colours, one per outcome, stacked from the bottom in this order. */
const SERIES: Array<[OutcomeKey, string, string]> = [
  ['doneOnTime', '#2e7d32', 'Utført i tide'],
  ['doneLate', '#ef6c00', 'Utført for sent'],
  ['notApplicable', '#9e9e9e', 'Ikke aktuelt'],
  ['notDone', '#c62828', 'Ikke utført'],
  ['open', '#90caf9', 'Åpen'],
];

/** The occurrence table: nine columns of small text need A4 landscape; the task takes what is left. */
const COLUMNS = ['Frist', 'Oppgave', 'Årshjul', 'Ansvar', 'Gjelder', 'Utfall', 'Signert', 'Kommentar, begrunnelse', 'Lagres'];
const WIDTHS: Array<number | string> = [42, '*', 66, 76, 54, 66, 88, 86, 78];

/**
 * The internkontrollrapport as a PDF: A4 landscape, Norwegian, "Side X av Y". The summary with its chart, every
 * occurrence by deadline grouped by month (corrections beneath the line they belong to), the legal bases, and
 * the chain with its head in full on one line.
 */
export async function inspectionReportPdf(report: InspectionReport): Promise<Buffer> {
  const content: Content[] = [
    { text: report.title, style: 'title' },
    {
      table: {
        widths: [110, '*'],
        body: [
          ['Kommune', report.municipality],
          ['Enhet', report.unitName],
          ['Periode', report.period.text],
          ['Omfang', report.scope.join(' ')],
          ['Laget av', report.generatedBy],
          ['Laget', report.generatedAt],
        ].map(([k, v]) => [{ text: k, bold: true }, v]),
      },
      layout: 'noBorders',
      margin: [0, 0, 0, 8],
    },
    { text: 'Sammendrag', style: 'h2' },
    countsTable('Hele perioden', [{ label: `${report.period.text}`, counts: report.total }]),
    { text: 'Per måned', style: 'h3' },
    chart(report.byMonth),
    countsTable('Måned', report.byMonth),
    { text: 'Per årshjul', style: 'h3' },
    countsTable('Årshjul', report.byWheel),
    { text: 'Hjemmel', style: 'h2' },
    ...(report.legalBases.length
      ? report.legalBases.map((b) => ({ stack: [{ text: b.legalBasis, bold: true }, { ul: b.tasks }], margin: [0, 0, 0, 4] as [number, number, number, number] }))
      : [{ text: 'Ingen av oppgavene i rapporten har hjemmel registrert.', italics: true }]),
    { text: 'Forekomster etter frist', style: 'h2', pageBreak: 'before' },
    {
      text: 'Hver planlagt forekomst i perioden, etter frist. Utfall: «Utført i tide», «Utført for sent», «Ikke aktuelt» (begrunnelsen står i kommentaren), «Ikke utført» (fristen er passert uten signering) eller «Åpen» (fristen er ikke passert). Rettinger står under linjen de gjelder, med begrunnelse.',
      style: 'muted',
      margin: [0, 0, 0, 6],
    },
  ];
  if (report.months.length === 0) content.push({ text: 'Ingen planlagte forekomster i perioden.', italics: true });
  const showUnit = new Set(report.months.flatMap((m) => m.lines.map((l) => l.unitName))).size > 1;
  for (const month of report.months) {
    const body: TableCell[][] = [
      [{ text: month.name, colSpan: COLUMNS.length, style: 'month', fillColor: GREY }, ...blank(COLUMNS.length - 1)],
      COLUMNS.map((c) => ({ text: c, bold: true, fillColor: LIGHT })),
    ];
    for (const line of month.lines) {
      body.push(lineCells(line, showUnit));
      for (const entry of line.history) body.push(['', { text: entry.text, colSpan: COLUMNS.length - 1, italics: true, color: '#333333' }, ...blank(COLUMNS.length - 2)]);
    }
    content.push({ table: { headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths: WIDTHS, body }, layout: LINES, margin: [0, 0, 0, 8] });
  }
  content.push({ text: 'Kjeden av signerte poster', style: 'h2', pageBreak: 'before' });
  for (const chain of report.chains) {
    content.push(
      { text: chain.unitName, style: 'h3' },
      {
        table: {
          widths: [190, '*'],
          body: [
            ['Poster signert i perioden', `${chain.records}${chain.firstSequence !== null ? ` (nr. ${chain.firstSequence}–${chain.lastSequence} i enhetens kjede)` : ''}`],
            ['Hash før periodens første post', hash(chain.previousHashOfFirst)],
            ['Kjedehode (hash av periodens siste post)', hash(chain.chainHead)],
            ['Enhetens kjedehode nå', [hash(chain.unitChainHead.hash), { text: `post nr. ${chain.unitChainHead.sequence}`, style: 'muted' }]],
            ['Kontroll da rapporten ble laget', { stack: chain.verification, bold: !chain.verified, color: chain.verified ? '#1b5e20' : '#b71c1c' }],
          ].map(([k, v]) => [{ text: k as string, bold: true }, v as TableCell]),
        },
        layout: LINES,
        margin: [0, 0, 0, 8],
      },
    );
  }
  content.push({ text: 'Slik kontrollerer du kjeden', style: 'h3' }, { ol: report.howToCheck, margin: [0, 0, 0, 4] });

  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [28, 40, 28, 36],
    info: { title: report.title, creator: 'Årshjul', producer: 'Årshjul' },
    defaultStyle: { font: 'Roboto', fontSize: 7.5, lineHeight: 1.1 },
    styles: {
      title: { fontSize: 16, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 12, bold: true, margin: [0, 8, 0, 4] },
      h3: { fontSize: 9.5, bold: true, margin: [0, 6, 0, 3] },
      month: { fontSize: 10, bold: true },
      muted: { color: '#4a4a4a' },
    },
    header: () => ({ columns: [{ text: `${report.title}, ${report.period.text}`, style: 'muted' }, { text: `Laget ${report.generatedAt}`, alignment: 'right', style: 'muted' }], margin: [28, 18, 28, 0], fontSize: 8 }),
    footer: pageNumberFooter,
    content,
  };
  return pdfmake.createPdf(doc).getBuffer();
}

function blank(n: number): TableCell[] {
  return Array.from({ length: n }, () => '');
}

/** A hash in full on one line: 64 hexadecimal characters never wrap (a column wide enough, and noWrap). */
function hash(value: string | null): TableCell {
  return value ? { text: value, noWrap: true, fontSize: 9, characterSpacing: 0.2 } : { text: '– (ingen poster)', italics: true };
}

function lineCells(line: ReportLine, showUnit: boolean): TableCell[] {
  const task: Content[] = [{ text: line.task }];
  if (showUnit) task.push({ text: line.unitName, style: 'muted' });
  if (line.legalBasis) task.push({ text: `Hjemmel: ${line.legalBasis}`, italics: true, style: 'muted' });
  const signed = line.signedBy ? `${line.signedBy}${line.onBehalfOf ? ` for ${line.onBehalfOf}` : ''}\n${line.signedAt}` : '';
  // «Ikke aktuelt» has its reason beside it, in the comment column, as the record keeps it.
  const outcome: TableCell = { text: OUTCOME_WORDS[line.outcome], bold: line.outcome === 'notDone', color: line.outcome === 'notDone' ? '#b71c1c' : undefined };
  return [
    line.deadlineText,
    { stack: task },
    line.wheel,
    line.responsible,
    line.recipientCode || line.person,
    outcome,
    signed,
    line.comment,
    [line.storedIn, line.evidenceUrl].filter(Boolean).join('\n'),
  ];
}

function countsTable(heading: string, rows: Array<{ label: string; counts: Counts }>): Content {
  const body: TableCell[][] = [[{ text: heading, bold: true, fillColor: LIGHT }, ...COUNT_COLUMNS.map(([, label]) => ({ text: label, bold: true, fillColor: LIGHT, alignment: 'right' as const }))]];
  for (const { label, counts } of rows) {
    body.push([label, ...COUNT_COLUMNS.map(([key]) => ({ text: key === 'shareOnTime' ? percent(counts.shareOnTime) : String(counts[key]), alignment: 'right' as const }))]);
  }
  if (rows.length === 0) body.push([{ text: 'Ingen planlagte forekomster.', colSpan: COUNT_COLUMNS.length + 1, italics: true }, ...blank(COUNT_COLUMNS.length)]);
  return { table: { headerRows: 1, dontBreakRows: true, widths: ['*', ...COUNT_COLUMNS.map(() => 62)], body }, layout: LINES, margin: [0, 0, 0, 6] };
}

/** Stacked bars per month, drawn as vectors: one column per month holding its bar and its label. */
function chart(months: Array<{ label: string; counts: Counts }>): Content {
  if (months.length === 0) return { text: '' };
  const height = 110;
  const width = Math.min(46, Math.floor(700 / months.length));
  const max = Math.max(1, ...months.map((m) => m.counts.planned));
  const columns: Content[] = months.map(({ label, counts }) => {
    let top = height;
    const rects: ContentCanvas['canvas'] = [{ type: 'line', x1: 0, y1: height, x2: width, y2: height, lineWidth: 0.5, lineColor: '#6b7280' }];
    for (const [key, color] of SERIES) {
      const h = (height * counts[key]) / max;
      if (h <= 0) continue;
      top -= h;
      rects.push({ type: 'rect', x: 4, y: top, w: width - 8, h, color });
    }
    const [name, year] = label.split(' ');
    return {
      width,
      stack: [
        { canvas: rects },
        { text: `${name.slice(0, 3)}${months.length > 12 ? ` ${year.slice(2)}` : ''}`, alignment: 'center', fontSize: 6.5 },
        { text: String(counts.planned), alignment: 'center', fontSize: 6.5, style: 'muted' },
      ],
    };
  });
  const legend: Content = {
    columns: SERIES.map(([, color, label]) => ({
      width: 'auto',
      columns: [{ width: 8, canvas: [{ type: 'rect', x: 0, y: 1, w: 7, h: 7, color }] }, { width: 'auto', text: label, margin: [2, 0, 10, 0] }],
    })),
    margin: [0, 4, 0, 6],
  };
  return { stack: [{ text: `Planlagte forekomster per måned etter utfall (høyeste søyle: ${max})`, style: 'muted', margin: [0, 0, 0, 3] }, { columns, columnGap: 0 }, legend], unbreakable: true };
}
