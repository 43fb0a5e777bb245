import { HttpException, HttpStatus } from '@nestjs/common';

/** One wrong field in a request, in words a manager understands. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem details body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldProblem[];
}

/** Problem types are relative URI references, documented in the README ("Errors"). */
export const PROBLEM_BASE = '/problems/';

/**
 * The one exception the service throws on purpose. Domain exceptions extend it with their own
 * `type` slug, so each kind of refusal has a stable, machine-readable name.
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail, status);
  }
}

/** Well-formed JSON whose fields are wrong: 422, with every wrong field listed. */
export class ValidationProblem extends ProblemException {
  constructor(errors: FieldProblem[], status: HttpStatus = HttpStatus.UNPROCESSABLE_ENTITY) {
    super(status, 'validation', 'Ugyldig forespørsel', describe(errors), errors);
  }
}

export class ConflictProblem extends ProblemException {
  constructor(slug: string, detail: string) {
    super(HttpStatus.CONFLICT, slug, 'Konflikt', detail);
  }
}

export class NotFoundProblem extends ProblemException {
  /** `field`: the request field that named it, when the caller can correct that field. */
  constructor(what: string, id: string, field?: string) {
    super(HttpStatus.NOT_FOUND, 'not-found', 'Finnes ikke', `${what} ${id} was not found.`, field ? [{ field, message: `is no ${what.toLowerCase()} of your municipality` }] : undefined);
  }
}

function describe(errors: FieldProblem[]): string {
  return errors.length === 1
    ? `${errors[0].field}: ${errors[0].message}`
    : `${errors.length} fields are wrong: ${errors.map((e) => e.field).join(', ')}.`;
}
