import ExcelJS from 'exceljs';
import { YEAR_PLAN_COLUMNS, YearPlan } from '../year-plan';

const WIDTHS = [52, 11, 30, 20, 26, 34];
const HEADER_ROW = 4;
const thin = { style: 'thin' as const, color: { argb: 'FFB8BEC7' } };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/**
 * One sheet as a unit keeps its wheel in Excel: a title, the column headings (repeated on every printed
 * page and frozen on screen), a heading row per month, deadlines as real dates. Printed A4 landscape, one
 * page wide, "Side X av Y" in the footer. Text cells are strings, never formulas.
 */
export async function yearPlanXlsx(plan: YearPlan): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Årshjul';
  workbook.title = plan.title;
  const sheet = workbook.addWorksheet(`Årsplan ${plan.year}`, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.5, right: 0.5, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddHeader: `&L${headerText(plan.title)}&R${headerText(plan.printed)}`, oddFooter: '&CSide &P av &N' },
  });
  WIDTHS.forEach((width, i) => (sheet.getColumn(i + 1).width = width));

  const title = sheet.addRow([plan.title]);
  title.font = { bold: true, size: 14 };
  sheet.addRow([plan.subtitle]);
  sheet.addRow([plan.printed]).font = { color: { argb: 'FF4A4A4A' } };
  const header = sheet.addRow([...YEAR_PLAN_COLUMNS]);
  styleRow(header, { bold: true, fill: 'FFE6E9EE' });

  for (const month of plan.months) {
    spanning(sheet, `${month.name} ${plan.year}`, { bold: true, size: 12, fill: 'FFD5DBE3' });
    if (month.sections.every((s) => s.rows.length === 0)) spanning(sheet, 'Ingen oppgaver denne måneden.', { italic: true });
    for (const section of month.sections) {
      if (section.wheelName) spanning(sheet, section.wheelName, { bold: true, fill: 'FFF3F5F8' });
      for (const r of section.rows) {
        const row = sheet.addRow([r.task, asDate(r.deadline), r.responsible, r.storedIn, r.done, r.comment]);
        row.getCell(2).numFmt = 'dd.mm.yyyy';
        styleRow(row, {});
      }
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A row whose one text runs across the six columns: a month or a wheel. */
function spanning(sheet: ExcelJS.Worksheet, text: string, style: { bold?: boolean; italic?: boolean; size?: number; fill?: string }): void {
  const row = sheet.addRow([text]);
  sheet.mergeCells(row.number, 1, row.number, YEAR_PLAN_COLUMNS.length);
  styleRow(row, style);
}

function styleRow(row: ExcelJS.Row, style: { bold?: boolean; italic?: boolean; size?: number; fill?: string }): void {
  for (let c = 1; c <= YEAR_PLAN_COLUMNS.length; c++) {
    const cell = row.getCell(c);
    cell.alignment = { vertical: 'top', wrapText: true };
    cell.border = BORDER;
    if (style.bold || style.italic || style.size) cell.font = { bold: style.bold, italic: style.italic, size: style.size };
    if (style.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: style.fill } };
  }
}

/** A deadline as a date at UTC midnight, which Excel shows as that day in any zone. */
function asDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** '&' starts a code in Excel's header and footer text: a literal one is written twice. */
function headerText(text: string): string {
  return text.replace(/&/g, '&&');
}
