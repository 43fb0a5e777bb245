import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '../../auth/sessions';
import { receiveUpload } from '../../wheel-import/upload';

/** Where a refused upload waits for the page, which explains it in Norwegian. */
export const UPLOAD_PROBLEM = 'wheelImportUploadProblem';

/**
 * The upload form is multipart: its CSRF token is one of its fields, and the guard needs it before any
 * handler runs, so the body is read here, before the guard (with the same limits as the API). A refused
 * upload is not an error yet: the page says why, after the guard has checked who is asking.
 */
@Injectable()
export class UploadMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    // Without a session the guard sends the browser to sign in: nothing is read for it.
    if (!(req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]) return next();
    receiveUpload(req, res).then(
      () => next(),
      (problem: unknown) => {
        res.locals[UPLOAD_PROBLEM] = problem;
        req.body = req.body ?? {};
        next();
      },
    );
  }
}
