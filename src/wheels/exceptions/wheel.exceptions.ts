import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../../common/problem';

/** Refusals of the wheels' life: draft → published → replaced. Each has its own problem type (README, "Errors"). */

export class NotYourWheelProblem extends ProblemException {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'not-your-wheel', 'Ikke din kommunes årshjul', 'This wheel belongs to another municipality: copy it to change it.');
  }
}

/** A draft is not in use yet: it cannot be assigned (nor, therefore, materialised) before it is published. */
export class WheelIsDraftProblem extends ProblemException {
  constructor(name: string) {
    super(HttpStatus.CONFLICT, 'wheel-is-draft', 'Årshjulet er et utkast', `«${name}» is a draft: publish it (POST /wheels/:id/publish) before it is assigned to a unit.`);
  }
}

/** Managers change a wheel in use through a draft that replaces it from a date, never in place. */
export class WheelInUseProblem extends ProblemException {
  constructor(name: string) {
    super(
      HttpStatus.CONFLICT,
      'wheel-in-use',
      'Årshjulet er i bruk',
      `«${name}» is in use: start a draft of it (POST /wheels/:id/drafts), change that, and publish it to replace this one from a date.`,
    );
  }
}

export class NotADraftProblem extends ProblemException {
  constructor(name: string) {
    super(HttpStatus.CONFLICT, 'not-a-draft', 'Ikke et utkast', `«${name}» is already published.`);
  }
}

export class WheelReplacedProblem extends ProblemException {
  constructor(name: string, by: string, from: string) {
    super(HttpStatus.CONFLICT, 'wheel-replaced', 'Årshjulet er erstattet', `«${name}» was replaced by «${by}» from ${from}: use that one.`);
  }
}

export class DraftExistsProblem extends ProblemException {
  constructor(draftId: string) {
    super(HttpStatus.CONFLICT, 'draft-exists', 'Et utkast finnes allerede', `A draft replacing this wheel is being shaped already: wheel ${draftId}. Change that one, or archive it first.`);
  }
}

/** Publishing is refused while an imported (or marked) row still has to be looked at; every such row is listed. */
export class RowsNeedReviewProblem extends ProblemException {
  constructor(rows: Array<{ id: string; title: string; sourceLine: number | null; reviewNote: string }>) {
    super(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'rows-need-review',
      'Rader må gjennomgås',
      `${rows.length === 1 ? 'One row has' : `${rows.length} rows have`} to be looked at before the wheel is published: resolve each and clear its reviewNote.`,
      rows.map((r) => ({ field: `tasks.${r.id}`, message: `${r.sourceLine ? `line ${r.sourceLine}, ` : ''}«${r.title}»: ${r.reviewNote}` })),
    );
  }
}
