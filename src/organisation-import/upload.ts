import type { Request, Response } from 'express';
import multer from 'multer';
import { badUpload, fileTooLarge, ORGANISATION_IMPORT_LIMITS } from './import.problems';

/**
 * multer for the organisation import, as for the wheel import (src/wheel-import/upload.ts): the file is
 * held in memory (never on disk) and refused past the limit while it streams in; one file, few short
 * fields. `textField`: a field that may carry the file's text instead (the web page's "apply" form sends
 * back the text it previewed), as large as a file may be.
 */
function receiver(textField?: string) {
  return multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: ORGANISATION_IMPORT_LIMITS.fileBytes,
      files: 1,
      fields: 8,
      fieldSize: textField ? ORGANISATION_IMPORT_LIMITS.fileBytes * 2 : 2000,
      fieldNameSize: 100,
      parts: 10,
      headerPairs: 50,
    },
  }).single('file');
}
const api = receiver();

/**
 * Takes the file in: a multipart upload (field "file"), or the CSV itself as the body (Content-Type
 * text/csv or text/plain), read up to the same limit. Sets `req.file` either way.
 */
export function receiveOrganisationFile(req: Request, res: Response, textField?: string): Promise<void> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (/^text\/(csv|plain)\b/.test(type)) return receiveBody(req);
  const receive = textField ? receiver(textField) : api;
  return new Promise((resolve, reject) =>
    receive(req, res, (error: unknown) => {
      if (!error) return resolve();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE') return reject(fileTooLarge());
        if (error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT') return reject(badUpload('Send one file, in the field "file".'));
        return reject(badUpload(`The form is too large or has too many fields (${error.code}).`));
      }
      reject(badUpload('The multipart body could not be read.'));
    }),
  );
}

function receiveBody(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > ORGANISATION_IMPORT_LIMITS.fileBytes) return reject(fileTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ORGANISATION_IMPORT_LIMITS.fileBytes) {
        req.removeAllListeners('data');
        req.resume();
        return reject(fileTooLarge());
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= ORGANISATION_IMPORT_LIMITS.fileBytes) {
        req.file = { buffer: Buffer.concat(chunks) } as Express.Multer.File;
        resolve();
      }
    });
    req.on('error', () => reject(badUpload('The body could not be read.')));
  });
}
