import mammoth from 'mammoth';
import { Parser } from 'htmlparser2';
import { IMPORT_LIMITS, notAWorkbookOrDocument, tooManyRows } from '../import.problems';
import { RawRow } from './table';

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li']);

/**
 * The rows of a Word document in reading order: every row of a table, and every paragraph or heading
 * outside a table as a row of one cell (a title above the table, or a month typed as a heading between
 * tables). mammoth turns the .docx into plain HTML (no styles), htmlparser2 reads that; the line is the
 * row's place in that order. A cell of several paragraphs keeps them, one per line.
 */
export async function readDocx(file: Buffer): Promise<RawRow[]> {
  let htmlText: string;
  try {
    htmlText = (await mammoth.convertToHtml({ buffer: file })).value;
  } catch {
    throw notAWorkbookOrDocument('The file is not a Word document mammoth can read (.docx): it may be damaged.');
  }
  const rows: RawRow[] = [];
  let line = 0;
  let tableDepth = 0;
  let row: string[] | null = null;
  let cell: string[] | null = null; // paragraphs of the current cell
  let text = '';
  let inBlock = false;
  const push = (cells: string[]) => {
    line++;
    if (cells.some((c) => c.trim() !== '')) rows.push({ line, cells });
    if (rows.length > IMPORT_LIMITS.rows) throw tooManyRows(rows.length);
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'table') tableDepth++;
        else if (name === 'tr' && tableDepth === 1) row = [];
        else if ((name === 'td' || name === 'th') && tableDepth === 1) cell = [];
        else if (BLOCKS.has(name)) {
          inBlock = true;
          text = '';
        } else if (name === 'br') text += '\n';
      },
      ontext(data) {
        if (inBlock || cell) text += data;
      },
      onclosetag(name) {
        if (BLOCKS.has(name)) {
          inBlock = false;
          if (cell) cell.push(text);
          else if (tableDepth === 0) push([text]);
          text = '';
        } else if ((name === 'td' || name === 'th') && tableDepth === 1 && cell && row) {
          if (text) cell.push(text); // text directly in the cell, outside a paragraph
          row.push(cell.join('\n'));
          cell = null;
          text = '';
        } else if (name === 'tr' && tableDepth === 1 && row) {
          push(row);
          row = null;
        } else if (name === 'table') tableDepth--;
      },
    },
    { decodeEntities: true },
  );
  parser.write(htmlText);
  parser.end();
  return rows;
}
