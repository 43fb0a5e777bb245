import { IMPORT_LIMITS, notAWorkbookOrDocument, tooManyRows } from '../import.problems';
import { decodeWindows1252 } from '../../common/windows-1252';
import { RawRow } from './table';

/**
 * A table pasted as text or saved as .csv/.txt. Excel and Word put tabs between cells when a table is
 * copied; Norwegian Excel saves CSV with semicolons; otherwise commas. The first of those that occurs
 * decides. Quoted cells ("…", with "" for a quote) may hold the separator and line breaks, as Excel writes
 * them. UTF-8 (with or without BOM), else Windows-1252, which Excel's "CSV" (not "CSV UTF-8") writes.
 */
export function readText(file: Buffer): RawRow[] {
  const text = decode(file);
  const delimiter = text.includes('\t') ? '\t' : text.includes(';') ? ';' : ',';
  const rows: RawRow[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
    if (rows.length > IMPORT_LIMITS.rows) throw tooManyRows(rows.length);
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      endRow();
      line++;
      rowLine = line;
    } else if (ch !== '\r') cell += ch;
  }
  endRow();
  return rows;
}

function decode(file: Buffer): string {
  const body = file.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? file.subarray(3) : file;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = decodeWindows1252(body);
  }
  // Text has no NUL and few control characters; a file with them is binary whatever its name says.
  const controls = (text.match(/[\u0000-\u0008\u000e-\u001f\u007f]/g) ?? []).length;
  if (text.includes('\u0000') || controls > 0) {
    throw notAWorkbookOrDocument('The file is neither an Excel workbook (.xlsx), a Word document (.docx) nor text (.csv/.txt): it holds binary data.');
  }
  return text;
}
