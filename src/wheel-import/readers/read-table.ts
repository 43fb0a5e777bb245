import { notAWorkbookOrDocument } from '../import.problems';
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
    const entries = await inspectZip(file);
    if (entries.has('xl/workbook.xml')) return { format: 'xlsx', rows: await readXlsx(file) };
    if (entries.has('word/document.xml')) return { format: 'docx', rows: await readDocx(file) };
    throw notAWorkbookOrDocument('The file is a zip archive but neither an Excel workbook (.xlsx) nor a Word document (.docx).');
  }
  return { format: 'text', rows: readText(file) };
}
