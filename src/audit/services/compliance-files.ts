import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { ComplianceDto } from '../dtos/audit.dto';

const GROUP_HEADERS = { month: 'Måned', wheel: 'Årshjul', role: 'Ansvar', person: 'Person' };
const HEADERS = ['Planlagt', 'Utført i tide', 'Utført for sent', 'Ikke aktuelt', 'Forfalt', 'Åpen', 'Andel i tide'];

/**
 * Text that a spreadsheet would take for a formula (CSV injection: `=HYPERLINK(…)`, `@SUM(…)`, `-2+3`) gets
 * a leading apostrophe, as OWASP recommends, and is shown as the text it is. Only text cells: the figures
 * are numbers (none negative) and stay numbers.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * CSV as Norwegian Excel opens it: semicolons between fields, a decimal comma, and a byte order mark so
 * that æ, ø and å survive. Names (wheels, people, roles) are neutralised; the XLSX needs no such care, as
 * its names are string cells, never formulas.
 */
export function complianceCsv(report: ComplianceDto): string {
  const rows = report.rows.map((r) => [
    neutraliseFormula(r.group),
    r.planned,
    r.doneOnTime,
    r.doneLate,
    r.notApplicable,
    r.overdue,
    r.open,
    r.shareOnTime === null ? '' : String(Math.round(r.shareOnTime * 1000) / 10).replace('.', ','),
  ]);
  return '\ufeff' + stringify([[GROUP_HEADERS[report.groupBy], ...HEADERS.slice(0, 6), 'Andel i tide (%)'], ...rows], { delimiter: ';' });
}

/** An XLSX workbook: months as real dates, the share as a percentage, the period in the title. */
export async function complianceXlsx(report: ComplianceDto): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Årshjul';
  const sheet = workbook.addWorksheet('Etterlevelse');
  sheet.addRow([`Etterlevelse ${report.from} – ${report.to}`]).font = { bold: true, size: 14 };
  sheet.addRow([]);
  const header = sheet.addRow([GROUP_HEADERS[report.groupBy], ...HEADERS]);
  header.font = { bold: true };
  for (const r of report.rows) {
    const group = report.groupBy === 'month' ? monthAsDate(r.group) : r.group;
    sheet.addRow([group, r.planned, r.doneOnTime, r.doneLate, r.notApplicable, r.overdue, r.open, r.shareOnTime]);
  }
  sheet.getColumn(1).width = 40;
  if (report.groupBy === 'month') sheet.getColumn(1).numFmt = 'mmmm yyyy';
  sheet.getColumn(8).numFmt = '0.0%';
  for (let c = 2; c <= 8; c++) sheet.getColumn(c).width = 16;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 'YYYY-MM' as the first of the month, a date at UTC midnight so no zone moves it to the day before. */
function monthAsDate(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1));
}
