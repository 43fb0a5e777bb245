import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { badUpload, fileTooLarge, IMPORT_LIMITS } from './import.problems';

/**
 * multer for the import: the file is held in memory (never written to disk) and refused past the limit
 * while it streams in; one file, few and short text fields. Its errors become the import's problems.
 */
const receive = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: IMPORT_LIMITS.fileBytes, files: 1, fields: 8, fieldSize: 2000, fieldNameSize: 100, parts: 10, headerPairs: 50 },
}).single('file');

export function receiveUpload(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    receive(req, res, (error: unknown) => {
      if (!error) return resolve();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') return reject(fileTooLarge());
        if (error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT') return reject(badUpload('Send one file, in the field "file".'));
        return reject(badUpload(`The form is too large or has too many fields (${error.code}).`));
      }
      reject(badUpload('The multipart body could not be read.'));
    }),
  );
}

/** Express middleware form, for the web page: the form's CSRF token is a field, needed before the guard runs. */
export function uploadMiddleware(req: Request, res: Response, next: NextFunction): void {
  receiveUpload(req, res).then(() => next(), next);
}
