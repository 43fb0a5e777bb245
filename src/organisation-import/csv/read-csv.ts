import { parse } from 'csv-parse/sync';
import { decodeWindows1252 } from '../../common/windows-1252';
import { emptyFile, notText, ORGANISATION_IMPORT_LIMITS as LIMITS, tooManyRows, unreadableCsv } from '../import.problems';

export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';
export type CsvDelimiter = ';' | ',' | '\t';

export interface CsvTable {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Every record of the file, the heading first, blank ones included: index + 1 is the row Excel shows. */
  records: string[][];
  /** The file's text, decoded: what the web page sends back to apply what it previewed. */
  text: string;
}

/**
 * A CSV file as Norwegian HR systems and Excel write it. The encoding is read from the bytes: UTF-8 with or
 * without BOM; otherwise Windows-1252, which Excel's "CSV (semikolonseparert)" writes (the bytes are not
 * valid UTF-8 when they hold æøå); UTF-16 with its BOM ("Unicode-tekst"). The delimiter is the one of `;`,
 * tab and `,` that the heading row has most of, outside quotes. csv-parse does the rest (quotes, "" inside
 * quotes, line breaks in cells), bounded: it stops after the row limit, and a record longer than the row
 * limit is refused instead of read on.
 */
export function readCsv(file: Buffer): CsvTable {
  const { text, encoding } = decode(file);
  if (text.trim() === '') throw emptyFile();
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: LIMITS.rowChars,
      // One more than allowed (and the heading), so a file over the limit is told apart from one at it.
      to: LIMITS.rows + 2,
    }) as string[][];
  } catch (error) {
    // csv-parse/sync carries its own copy of CsvError: known by its code, not by instanceof.
    const csv = error as { code?: unknown; lines?: unknown };
    if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) throw unreadableCsv(Number(csv.lines) || 1, csvErrorText(csv.code));
    throw error;
  }
  // Leading blank rows before the heading are dropped; the row numbers after them stay the file's.
  if (records.length > LIMITS.rows + 1) throw tooManyRows();
  if (records.every((r) => r.every((c) => c.trim() === ''))) throw emptyFile();
  if (records.some((r) => r.length > LIMITS.columns)) {
    const line = records.findIndex((r) => r.length > LIMITS.columns) + 1;
    throw unreadableCsv(line, `the row has more than ${LIMITS.columns} columns.`);
  }
  return { encoding, delimiter, records, text };
}

function decode(file: Buffer): { text: string; encoding: CsvEncoding } {
  let text: string;
  let encoding: CsvEncoding;
  if (file.length >= 2 && file[0] === 0xff && file[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(file.subarray(2));
    encoding = 'utf-16le';
  } else {
    const body = file.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? file.subarray(3) : file;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      encoding = 'utf-8';
    } catch {
      text = decodeWindows1252(body);
      encoding = 'windows-1252';
    }
  }
  // Text has no NUL and no control characters but tab and line breaks: anything else is not a CSV file,
  // whatever its name says (a workbook, a PDF, a picture).
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) throw notText();
  return { text, encoding };
}


/** The delimiter the heading row uses most, counted outside quotes; a single column reads as `;`. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  let started = false;
  for (const ch of text.slice(0, LIMITS.rowChars)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (started) break;
    } else if (!quoted && ch in counts) {
      counts[ch as CsvDelimiter]++;
      started = true;
    } else if (ch.trim() !== '') started = true;
  }
  const order: CsvDelimiter[] = [';', '\t', ','];
  return order.reduce((best, d) => (counts[d] > counts[best] ? d : best), ';');
}

function csvErrorText(code: string): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell ("…") is never closed.';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${LIMITS.rowChars} characters.`;
    default:
      return 'the row cannot be read as CSV.';
  }
}
