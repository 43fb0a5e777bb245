import { IMPORT_LIMITS, notAWorkbookOrDocument, tooManyRows } from '../import.problems';

/**
 * How much structure (sheet rows; cells and strings ×10, Word paragraphs and cells ×4) a file may hold per row allowed
 * before its parser is even started: blank and formatted rows count here, so the bound is generous.
 */
const STRUCTURE_FACTOR = 5;
import { readDocx } from './docx.reader';
import { readText } from './text.reader';
import { readXlsx } from './xlsx.reader';
import { inspectZip, isOldOfficeFile, isZip } from './zip-guard';
import { ImportFormat, RawRow } from './table';

/** The table of an uploaded file, its format told by its content, never by its name. */
export async function readTable(file: Buffer): Promise<{ format: ImportFormat; rows: RawRow[] }> {
  if (isOldOfficeFile(file)) {
    throw notAWorkbookOrDocument('This is an old Excel or Word file (.xls/.doc): save it as .xlsx or .docx and import that.');
  }
  if (isZip(file)) {
    const { names, elements } = await inspectZip(file);
    const count = (...tags: string[]) => tags.reduce((sum, tag) => sum + (elements[tag] ?? 0), 0);
    if (names.has('xl/workbook.xml')) {
      const rows = count('<row', '<x:row');
      if (rows > STRUCTURE_FACTOR * IMPORT_LIMITS.rows) throw tooManyRows(rows);
      if (count('<c ', '<si', '<x:c ', '<x:si') > STRUCTURE_FACTOR * IMPORT_LIMITS.rows * 10) throw tooManyRows(IMPORT_LIMITS.rows);
      return { format: 'xlsx', rows: await readXlsx(file) };
    }
    if (names.has('word/document.xml')) {
      if (count('<w:p>', '<w:p ', '<w:tc>', '<w:tc ') > STRUCTURE_FACTOR * IMPORT_LIMITS.rows * 4) throw tooManyRows(IMPORT_LIMITS.rows);
      return { format: 'docx', rows: await readDocx(file) };
    }
    throw notAWorkbookOrDocument('The file is a zip archive but neither an Excel workbook (.xlsx) nor a Word document (.docx).');
  }
  return { format: 'text', rows: readText(file) };
}
