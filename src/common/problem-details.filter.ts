import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { PROBLEM_BASE, ProblemDetails, ProblemException } from './problem';
import { TEXTS } from '../web/i18n';
import { requestLanguage } from '../web/chrome';
import { problemPage } from '../web/problem-page';
import { safeNextPath } from '../auth/next-path';

/**
 * Every error leaves the service as `application/problem+json` (RFC 9457). Unexpected errors are logged
 * with the request id and answered with that id only: no stack trace or SQL leaves the server.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = String(request.id ?? '');
    const problem = toProblem(exception);
    if (problem.status >= 500) this.logger.error({ err: withoutValues(exception), requestId }, 'Unhandled error');
    problem.instance = request.originalUrl?.split('?')[0];
    problem.requestId = requestId || undefined;
    if (response.headersSent) return;
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '5');
    if (isPageRequest(request)) return sendPage(request, response, problem);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/** The web app's pages answer people, not programs: a sign-in page or an error page in the page's language. */
function isPageRequest(request: Request): boolean {
  // The Teams tab's script reads its sign-in's refusal as problem+json, and shows its own words.
  return !/^\/(api|health|assets|metrics)(\/|$)/.test(request.path) && request.path !== '/logg-inn/teams';
}

function sendPage(request: Request, response: Response, problem: ProblemDetails): void {
  // A failed sign-in is explained, not sent round to sign in again.
  if (problem.status === 401 && !request.path.startsWith('/logg-inn')) {
    response.redirect(303, `/logg-inn?neste=${encodeURIComponent(safeNextPath(request.originalUrl))}`);
    return;
  }
  // The page's language (?lang= or the remembered choice); the words come from the problem's type in that
  // language, never from the API's English detail (src/web/problem-page.ts).
  const t = TEXTS[requestLanguage(request) ?? 'nb'];
  const retryAfter = Number(response.getHeader('Retry-After')) || undefined;
  response.status(problem.status).type('html').send(problemPage(problem, t, retryAfter));
}

export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof ProblemException) {
    return {
      type: PROBLEM_BASE + exception.slug,
      title: exception.title,
      status: exception.getStatus(),
      detail: exception.detail,
      ...(exception.errors ? { errors: exception.errors } : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
    };
  }
  if (isStatementTimeout(exception)) {
    return {
      type: PROBLEM_BASE + 'timeout',
      title: 'Tok for lang tid',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'The request took too long and was stopped, so that it does not hold up others. Try again in a moment.',
    };
  }
  if (isRecoveryConflict(exception)) {
    return {
      type: PROBLEM_BASE + 'standby-conflict',
      title: 'Prøv igjen',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'The read was stopped by the standby it ran on while it replayed the primary\'s changes. Try again in a moment.',
    };
  }
  if (isBodyParserError(exception)) {
    return {
      type: PROBLEM_BASE + 'malformed-body',
      title: 'Ugyldig forespørsel',
      status: exception.status,
      detail: exception.status === 413 ? 'The request body is too large.' : 'The request body is not valid JSON.',
    };
  }
  return {
    type: 'about:blank',
    title: STATUS_CODES[HttpStatus.INTERNAL_SERVER_ERROR]!,
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'Something went wrong on our side. Quote the request id if you contact support.',
  };
}

/**
 * What of an unexpected error may be logged: its kind, message and stack. A failed query carries its SQL
 * parameters and PostgreSQL's `detail` (e.g. "Key (code)=(…)"), which may hold recipient codes or free
 * text: those stay out of the logs.
 */
export function withoutValues(exception: unknown): Record<string, unknown> {
  if (!(exception instanceof Error)) return { message: String(exception) };
  const code = (exception as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (exception as { code?: unknown }).code;
  return { type: exception.name, message: exception.message, code, stack: exception.stack };
}

/** PostgreSQL stopped a statement at the service's statement_timeout (57014) or an idle transaction (25P03). */
function isStatementTimeout(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return code === '57014' || code === '25P03';
}

/** A standby cancelled a read that held back its replay (40001, "conflict with recovery"). */
function isRecoveryConflict(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown } } | undefined;
  return (e?.driverError?.code ?? e?.code) === '40001' && /conflict with recovery/.test(String(e?.message));
}

/** Express's body parser reports malformed JSON and oversized bodies as errors with a 4xx `status`. */
function isBodyParserError(error: unknown): error is { status: number; type: string } {
  const e = error as { status?: unknown; type?: unknown };
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}
