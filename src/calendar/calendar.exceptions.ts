import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { MAX_FEEDS_PER_PERSON } from './calendar-feed.limits';

/** A person has as many live feeds as one may: an old one is revoked before a new one is made. */
export class CalendarFeedLimitProblem extends ProblemException {
  constructor() {
    super(
      HttpStatus.CONFLICT,
      'calendar-feed-limit',
      'For mange kalenderabonnementer',
      `You have ${MAX_FEEDS_PER_PERSON} calendar feeds already: revoke one (DELETE /me/calendar-feeds/:id) before making another.`,
    );
  }
}
