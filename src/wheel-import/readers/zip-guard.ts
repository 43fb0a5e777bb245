import * as yauzl from 'yauzl';
import { IMPORT_LIMITS, notAWorkbookOrDocument, unpacksTooLarge } from '../import.problems';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Old binary Office files (.xls, .doc): OLE2 compound documents. */
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export const isZip = (file: Buffer) => file.subarray(0, 4).equals(ZIP_MAGIC);

/**
 * Elements counted while the zip is inflated: exceljs and mammoth parse a whole sheet or document at once
 * (seconds of a blocked event loop for a quarter of a million rows), so a table far beyond the row limit is
 * refused here, before they start. `<c ` counts cells, `<si` shared strings, `<w:p` paragraphs, `<w:tc` cells.
 */
const COUNTED: Array<{ entry: RegExp; tags: string[] }> = [
  // Excel writes no prefix; the Open XML SDK writes `x:`.
  { entry: /^xl\/worksheets\/[^/]+\.xml$/, tags: ['<row', '<c ', '<x:row', '<x:c '] },
  { entry: /^xl\/sharedStrings\.xml$/, tags: ['<si', '<x:si'] },
  { entry: /^word\/document\.xml$/, tags: ['<w:p>', '<w:p ', '<w:tc>', '<w:tc '] },
];

export interface ZipContents {
  names: Set<string>;
  /** Occurrences of each counted tag, over all entries. */
  elements: Record<string, number>;
}
export const isOldOfficeFile = (file: Buffer) => file.subarray(0, 8).equals(OLE2_MAGIC);

/**
 * Looks inside a .xlsx/.docx before exceljs or mammoth unpack it (both inflate every entry into memory):
 * at most IMPORT_LIMITS.zipEntries entries, and their declared sizes together at most
 * IMPORT_LIMITS.unpackedBytes. A declared size can lie, so every entry is then inflated as a stream and
 * counted — yauzl checks each against its declared size (validateEntrySizes) — keeping nothing. Returns
 * the entry names.
 */
export async function inspectZip(file: Buffer): Promise<ZipContents> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(file, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err) : resolve(z))),
  ).catch(() => {
    throw notAWorkbookOrDocument('The file starts like a zip archive (.xlsx/.docx) but cannot be opened as one: it is damaged or not an Office file.');
  });
  if (zip.entryCount > IMPORT_LIMITS.zipEntries) {
    zip.close();
    throw unpacksTooLarge(`The archive holds ${zip.entryCount} entries; a .xlsx or .docx has a few dozen (at most ${IMPORT_LIMITS.zipEntries} are read).`);
  }
  const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
    const found: yauzl.Entry[] = [];
    let declared = 0;
    zip.on('entry', (entry: yauzl.Entry) => {
      declared += entry.uncompressedSize;
      if (declared > IMPORT_LIMITS.unpackedBytes) {
        zip.close();
        reject(unpacksTooLarge(`The archive unpacks to more than ${IMPORT_LIMITS.unpackedBytes / 1024 / 1024} MB.`));
        return;
      }
      found.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(found));
    zip.on('error', () => reject(notAWorkbookOrDocument('The archive is damaged: its entries cannot be read.')));
    zip.readEntry();
  });
  let inflated = 0;
  const elements: Record<string, number> = {};
  try {
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const tags = COUNTED.find((c) => c.entry.test(entry.fileName))?.tags ?? [];
      inflated += await countBytes(zip, entry, IMPORT_LIMITS.unpackedBytes - inflated, tags, elements);
    }
  } finally {
    zip.close();
  }
  return { names: new Set(entries.map((e) => e.fileName)), elements };
}

function countBytes(zip: yauzl.ZipFile, entry: yauzl.Entry, allowed: number, tags: string[], elements: Record<string, number>): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(notAWorkbookOrDocument(`The archive's entry ${entry.fileName} cannot be unpacked: the file is damaged.`));
      let n = 0;
      let tail = '';
      stream.on('data', (chunk: Buffer) => {
        n += chunk.length;
        if (tags.length) {
          // A tag may straddle two chunks: the end of the last one is searched again (tags are ASCII).
          const text = tail + chunk.toString('latin1');
          for (const tag of tags) elements[tag] = (elements[tag] ?? 0) + occurrences(text, tag) - occurrences(tail, tag);
          tail = text.slice(-8);
        }
        if (n > allowed) {
          stream.destroy();
          reject(unpacksTooLarge(`The archive unpacks to more than ${IMPORT_LIMITS.unpackedBytes / 1024 / 1024} MB.`));
        }
      });
      stream.on('end', () => resolve(n));
      stream.on('error', () => reject(notAWorkbookOrDocument(`The archive's entry ${entry.fileName} is damaged (its size or checksum does not match).`)));
    });
  });
}

function occurrences(text: string, tag: string): number {
  let count = 0;
  for (let i = text.indexOf(tag); i !== -1; i = text.indexOf(tag, i + tag.length)) count++;
  return count;
}
