import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem';

/** Limits of what an import reads: a wheel is a page or two, so these leave room and stop abuse early. */
export const IMPORT_LIMITS = {
  /** Bytes of the uploaded file. */
  fileBytes: 5 * 1024 * 1024,
  /** Bytes a .xlsx/.docx may unpack to, all entries together. */
  unpackedBytes: 50 * 1024 * 1024,
  /** Entries of a .xlsx/.docx (Word and Excel write a few dozen). */
  zipEntries: 1000,
  /** Non-blank rows of the table. */
  rows: 2000,
  /** Characters of a task's title, as the task column allows. */
  titleChars: 300,
  /** Characters of Lagres and of Ansvar. */
  storedInChars: 300,
} as const;

/** A file that cannot be imported at all: 4xx problem+json naming the `file` field, nothing stored. */
export class ImportFileProblem extends ProblemException {
  constructor(status: HttpStatus, slug: string, detail: string) {
    super(status, slug, 'Filen kan ikke importeres', detail, [{ field: 'file', message: detail }]);
  }
}

export const fileMissing = () =>
  new ImportFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'import-file-missing', 'Send the table as the multipart field "file" (.xlsx, .docx, .csv or .txt).');
export const fileTooLarge = () =>
  new ImportFileProblem(HttpStatus.PAYLOAD_TOO_LARGE, 'import-file-too-large', `The file is larger than ${IMPORT_LIMITS.fileBytes / 1024 / 1024} MB.`);
export const notAWorkbookOrDocument = (detail: string) => new ImportFileProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'import-unsupported-file', detail);
export const unpacksTooLarge = (detail: string) => new ImportFileProblem(HttpStatus.PAYLOAD_TOO_LARGE, 'import-unpacks-too-large', detail);
export const tooManyRows = (rows: number) =>
  new ImportFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'import-too-many-rows', `The table has more than ${IMPORT_LIMITS.rows} rows (${rows} or more): a wheel is a page or two; split the file.`);
export const noRecognisableRows = (detail: string) => new ImportFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'import-no-rows', detail);
export const badUpload = (detail: string) => new ImportFileProblem(HttpStatus.BAD_REQUEST, 'import-bad-upload', detail);
