import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem';

export class UnauthenticatedProblem extends ProblemException {
  constructor(detail: string) {
    super(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'Ikke innlogget', detail);
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
