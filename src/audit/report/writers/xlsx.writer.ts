import ExcelJS from 'exceljs';
import { COUNT_COLUMNS, Counts, InspectionReport } from '../inspection-report';

const thin = { style: 'thin' as const, color: { argb: 'FFB8BEC7' } };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/** The occurrence sheet's columns: what the PDF's table shows, one fact a column so it can be filtered. */
export const OCCURRENCE_COLUMNS: Array<[string, number]> = [
  ['Frist', 11], ['Enhet', 22], ['Oppgave', 50], ['Årshjul', 26], ['Hjemmel', 26], ['Ansvar', 30], ['Mottaker (kode)', 14], ['Ansatt', 20],
  ['Utfall', 16], ['Begrunnelse (ikke aktuelt)', 28], ['Signert av', 22], ['Signert', 18], ['På vegne av', 20], ['Kommentar', 36], ['Lagres', 24],
  ['Lenke', 30], ['Rettinger', 50],
];

/**
 * The same report as a workbook: one sheet of occurrences (a row each, deadlines as dates, filterable), one
 * summary (by month and by wheel, with the chain), one of corrections. Text cells are strings, never formulas.
 */
export async function inspectionReportXlsx(report: InspectionReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Årshjul';
  workbook.title = report.title;
  const pageSetup = { paperSize: 9, orientation: 'landscape' as const, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  const footer = { oddFooter: '&CSide &P av &N' };

  const occurrences = workbook.addWorksheet('Forekomster', { views: [{ state: 'frozen', ySplit: 4 }], pageSetup: { ...pageSetup, printTitlesRow: '4:4' }, headerFooter: footer });
  title(occurrences, report);
  const header = occurrences.addRow(OCCURRENCE_COLUMNS.map(([name]) => name));
  style(header, OCCURRENCE_COLUMNS.length, true);
  OCCURRENCE_COLUMNS.forEach(([, width], i) => (occurrences.getColumn(i + 1).width = width));
  for (const month of report.months) {
    for (const l of month.lines) {
      const row = occurrences.addRow([
        asDate(l.deadline), l.unitName, l.task, l.wheel, l.legalBasis, l.responsible, l.recipientCode, l.person, outcomeWord(l.outcomeText), l.notApplicableReason,
        l.signedBy, l.signedAt, l.onBehalfOf, l.comment, l.storedIn, l.evidenceUrl, l.history.map((h) => h.text).join('\n'),
      ]);
      row.getCell(1).numFmt = 'dd.mm.yyyy';
      style(row, OCCURRENCE_COLUMNS.length, false);
    }
  }
  occurrences.autoFilter = { from: { row: 4, column: 1 }, to: { row: 4, column: OCCURRENCE_COLUMNS.length } };

  const summary = workbook.addWorksheet('Sammendrag', { pageSetup, headerFooter: footer });
  title(summary, report);
  summary.getColumn(1).width = 40;
  for (let c = 2; c <= COUNT_COLUMNS.length + 1; c++) summary.getColumn(c).width = 15;
  counts(summary, 'Hele perioden', [{ label: report.period.text, counts: report.total }]);
  counts(summary, 'Måned', report.byMonth);
  counts(summary, 'Årshjul', report.byWheel);
  if (report.legalBases.length) {
    summary.addRow(['Hjemmel', 'Oppgaver']).font = { bold: true };
    for (const b of report.legalBases) summary.addRow([b.legalBasis, b.tasks.join('\n')]);
    summary.addRow([]);
  }
  summary.addRow(['Kjeden av signerte poster']).font = { bold: true, size: 12 };
  for (const chain of report.chains) {
    summary.addRow([chain.unitName]).font = { bold: true };
    summary.addRow(['Poster signert i perioden', chain.records]);
    summary.addRow(['Hash før periodens første post', chain.previousHashOfFirst ?? '']);
    summary.addRow(['Kjedehode (hash av periodens siste post)', chain.chainHead ?? '']);
    summary.addRow(['Enhetens kjedehode nå', `${chain.unitChainHead.hash} (post nr. ${chain.unitChainHead.sequence})`]);
    summary.addRow(['Kontroll da rapporten ble laget', chain.verification.join('\n')]);
    summary.addRow([]);
  }
  for (const text of report.howToCheck) summary.addRow([text]);

  const corrections = workbook.addWorksheet('Rettinger', { views: [{ state: 'frozen', ySplit: 4 }], pageSetup, headerFooter: footer });
  title(corrections, report);
  const columns: Array<[string, number]> = [['Frist', 11], ['Oppgave', 50], ['Mottaker (kode)', 14], ['Ansatt', 20], ['Rettet', 18], ['Rettet av', 22], ['Begrunnelse', 40], ['Erstattet', 50], ['Står nå', 40]];
  style(corrections.addRow(columns.map(([name]) => name)), columns.length, true);
  columns.forEach(([, width], i) => (corrections.getColumn(i + 1).width = width));
  for (const c of report.corrections) {
    style(corrections.addRow([c.deadlineText, c.task, c.recipientCode, c.person, c.correctedAt, c.correctedBy, c.reason, c.replaced, c.now]), columns.length, false);
  }
  if (report.corrections.length === 0) corrections.addRow(['Ingen rettinger i perioden.']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Three rows above every sheet's table: the title, the municipality and period, who made it and when. */
function title(sheet: ExcelJS.Worksheet, report: InspectionReport): void {
  sheet.addRow([report.title]).font = { bold: true, size: 14 };
  sheet.addRow([`${report.municipality} · ${report.unitName} · ${report.period.text} · ${report.scope.join(' ')}`]);
  sheet.addRow([`Laget ${report.generatedAt} av ${report.generatedBy}`]).font = { color: { argb: 'FF4A4A4A' } };
}

function counts(sheet: ExcelJS.Worksheet, heading: string, rows: Array<{ label: string; counts: Counts }>): void {
  style(sheet.addRow([heading, ...COUNT_COLUMNS.map(([, label]) => label)]), COUNT_COLUMNS.length + 1, true);
  for (const { label, counts: c } of rows) {
    const row = sheet.addRow([label, ...COUNT_COLUMNS.map(([key]) => c[key])]);
    row.getCell(COUNT_COLUMNS.length + 1).numFmt = '0%';
    style(row, COUNT_COLUMNS.length + 1, false);
  }
  sheet.addRow([]);
}

/** "Ikke aktuelt: reason" → "Ikke aktuelt": the reason has its own column here. */
function outcomeWord(text: string): string {
  return text.startsWith('Ikke aktuelt') ? 'Ikke aktuelt' : text;
}

function style(row: ExcelJS.Row, columns: number, heading: boolean): void {
  for (let c = 1; c <= columns; c++) {
    const cell = row.getCell(c);
    cell.alignment = { vertical: 'top', wrapText: true };
    cell.border = BORDER;
    if (heading) {
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6E9EE' } };
    }
  }
}

/** A deadline as a date at UTC midnight, which Excel shows as that day in any zone. */
function asDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
