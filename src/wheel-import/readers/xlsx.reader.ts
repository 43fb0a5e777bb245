import ExcelJS from 'exceljs';
import { IMPORT_LIMITS, noRecognisableRows, notAWorkbookOrDocument, tooManyRows } from '../import.problems';
import { RawRow } from './table';

/** Columns read per row: a wheel has five (oppgave, Ansvar, Lagres, Utført, Kommentar) and perhaps a Frist. */
const MAX_COLUMNS = 12;

/**
 * The rows of a workbook's first sheet that has any, as text. A cell's text is what Excel shows: rich
 * text joined, a formula's cached result (never evaluated: the file is data, not a program), a link's
 * text. The line is the sheet's row number.
 */
export async function readXlsx(file: Buffer): Promise<RawRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs' types predate Node's generic Buffer.
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw notAWorkbookOrDocument('The file is not an Excel workbook exceljs can read (.xlsx): it may be damaged.');
  }
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) throw noRecognisableRows('The workbook has no rows.');
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rows.length > IMPORT_LIMITS.rows) return;
    const cells: string[] = [];
    for (let c = 1; c <= Math.min(row.cellCount, MAX_COLUMNS); c++) {
      const cell = row.getCell(c);
      // A merged range repeats its first cell's value in every cell of it: read it once.
      cells.push(cell.isMerged && cell.master.address !== cell.address ? '' : cellText(cell.value));
    }
    if (cells.some((text) => text.trim() !== '')) rows.push({ line: rowNumber, cells });
  });
  if (rows.length > IMPORT_LIMITS.rows) throw tooManyRows(rows.length);
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    // Excel stores dates as days; exceljs gives them as UTC midnights.
    const d = value.toISOString().slice(0, 10).split('-');
    return `${Number(d[2])}.${Number(d[1])}.${d[0]}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((part) => part.text ?? '').join('');
    if ('result' in value || 'formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value) return cellText((value as { text: ExcelJS.CellValue }).text);
    if ('error' in value) return '';
  }
  return '';
}
