import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Sessions, SESSION_COOKIE } from '../../auth/sessions';
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
  constructor(private readonly sessions: Sessions) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    // Only a live session's upload is read (into memory, up to the limit); for anyone else the guard
    // answers, and nothing of the body is held: a made-up cookie buys no memory.
    if (!(await this.sessions.read((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]))) return next();
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
