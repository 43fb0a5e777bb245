import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Sessions, SESSION_COOKIE } from '../../auth/sessions';
import { receiveOrganisationFile } from '../../organisation-import/upload';

/** Where a refused upload waits for the page, which explains it in the page's language. */
export const UPLOAD_PROBLEM = 'organisationImportUploadProblem';

/**
 * The forms are multipart: the CSRF token is one of their fields, and the guard needs it before any handler
 * runs, so the body is read here, before the guard, with the API's limits (as the wheel import's page does).
 * The apply form sends the previewed file back as its text, in the field `innhold`.
 */
@Injectable()
export class OrganisationUploadMiddleware implements NestMiddleware {
  constructor(private readonly sessions: Sessions) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    // Only a live session's upload is read; for anyone else the guard answers, and nothing is held.
    if (!(await this.sessions.read((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]))) return next();
    receiveOrganisationFile(req, res, 'innhold').then(
      () => next(),
      (problem: unknown) => {
        res.locals[UPLOAD_PROBLEM] = problem;
        req.body = req.body ?? {};
        next();
      },
    );
  }
}
