import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem';

export class UnauthenticatedProblem extends ProblemException {
  constructor(detail: string) {
    super(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'Ikke innlogget', detail);
  }
}

/** Signed in, but the route's policy does not allow it. */
export class ForbiddenProblem extends ProblemException {
  constructor(detail: string) {
    super(HttpStatus.FORBIDDEN, 'forbidden', 'Ingen tilgang', detail);
  }
}

/** A valid token for somebody Årshjul does not know: an administrator has to add them first. */
export class UnknownPersonProblem extends ProblemException {
  constructor() {
    super(
      HttpStatus.FORBIDDEN,
      'unknown-person',
      'Ukjent bruker',
      'You are signed in, but you are not registered as a person in Årshjul for your municipality. Ask your administrator to add you.',
    );
  }
}

/** A valid token of a person archived (or never there): signed out, as if the token were not valid. */
export class InactivePersonProblem extends UnauthenticatedProblem {
  constructor() {
    super('The token belongs to a person who is no longer active in Årshjul.');
  }
}
