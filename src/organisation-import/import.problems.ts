import { HttpStatus } from '@nestjs/common';
import { FieldProblem, ProblemException } from '../common/problem';

/**
 * Limits of what an organisation import reads. A large municipality has about 1,000 units and a few
 * thousand people who sign in: one file of those fits well inside; a bigger one is split by sector.
 */
export const ORGANISATION_IMPORT_LIMITS = {
  /** Bytes of the uploaded file (or of a text/csv body). */
  fileBytes: 2 * 1024 * 1024,
  /** Rows of the file after the heading row, blank ones included. */
  rows: 5000,
  /** Columns of a row; HR exports have a dozen or two. */
  columns: 40,
  /** Characters of one row as read, quoted line breaks included. */
  rowChars: 4000,
  /** Characters of a unit's name (as the API allows) and of a person's. */
  unitNameChars: 120,
  personNameChars: 200,
  /** Problems listed in one answer: a file wrong on every row is told so without an answer of megabytes. */
  problemsListed: 500,
} as const;

/** A row's problem: the file's row (as Excel numbers it, the heading row being 1), the column as headed, why in Norwegian and English. */
export interface RowProblem {
  line: number;
  column: string;
  /** Norwegian (bokmål). */
  melding: string;
  message: string;
}

/** A file that cannot be read at all: 4xx problem+json naming the `file` field, nothing stored. */
export class OrganisationFileProblem extends ProblemException {
  constructor(status: HttpStatus, slug: string, detail: string) {
    super(status, slug, 'Filen kan ikke importeres', detail, [{ field: 'file', message: detail }]);
  }
}

/**
 * Rows of the file are wrong: 422 with every problem, each naming its row and column. The cell's value is
 * never echoed: it may be the very fødselsnummer that was refused.
 */
export class OrganisationRowsProblem extends ProblemException {
  constructor(problems: RowProblem[]) {
    const listed = problems.slice(0, ORGANISATION_IMPORT_LIMITS.problemsListed);
    const errors: Array<FieldProblem & RowProblem> = listed.map((p) => ({ field: `line ${p.line}, ${p.column}`, ...p }));
    super(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'organisation-import-rows',
      'Filen har feil',
      `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in the file${listed.length < problems.length ? ` (the first ${listed.length} listed)` : ''}: nothing was imported. ${problems
        .slice(0, 3)
        .map((p) => `Line ${p.line}, ${p.column}: ${p.message}`)
        .join(' ')}`,
      errors,
    );
  }
}

const L = ORGANISATION_IMPORT_LIMITS;
export const fileMissing = () =>
  new OrganisationFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'organisation-import-file-missing', 'Send the CSV file as the multipart field "file", or as a text/csv body.');
export const fileTooLarge = () =>
  new OrganisationFileProblem(HttpStatus.PAYLOAD_TOO_LARGE, 'organisation-import-file-too-large', `The file is larger than ${L.fileBytes / 1024 / 1024} MB.`);
export const notText = () =>
  new OrganisationFileProblem(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'organisation-import-not-csv',
    'The file is not a CSV text file (it holds binary data): save the sheet as "CSV (semikolonseparert)" or "CSV UTF-8" and import that.',
  );
export const emptyFile = () =>
  new OrganisationFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'organisation-import-empty', 'The file is empty: it needs a heading row and one row per unit or person.');
export const tooManyRows = () =>
  new OrganisationFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'organisation-import-too-many-rows', `The file has more than ${L.rows} rows after the heading: split it, e.g. by sector.`);
export const unreadableCsv = (line: number, detail: string) =>
  new OrganisationFileProblem(HttpStatus.UNPROCESSABLE_ENTITY, 'organisation-import-unreadable', `Line ${line}: ${detail}`);
export const badUpload = (detail: string) => new OrganisationFileProblem(HttpStatus.BAD_REQUEST, 'organisation-import-bad-upload', detail);
