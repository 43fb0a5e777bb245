import { Injectable, Logger } from '@nestjs/common';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { FieldProblem, ValidationProblem } from '../../common/problem';
import { toProblem, withoutValues } from '../../common/problem-details.filter';
import { SignOffBatchItem, SignOffBatchResponse, SignOffBatchResultDto } from '../dtos/sign-off-batch.dto';
import { SignOffsService } from './sign-offs.service';

/**
 * Many sign-offs in one request (a manager ticking rows of the checklist, a primary contact signing one
 * task for several recipients). Each item is exactly the single sign-off — the same checks, its own record
 * sealed into its unit's chain, its own answer — so one refused item neither hides nor undoes the others.
 */
@Injectable()
export class SignOffBatchService {
  private readonly logger = new Logger('SignOffBatch');

  constructor(private readonly signOffs: SignOffsService) {}

  async signAll(actor: AuthenticatedPerson, items: SignOffBatchItem[], requestId?: string): Promise<SignOffBatchResponse> {
    refuseRepeats(items);
    const results: SignOffBatchResultDto[] = [];
    // One after another, in the order sent: items of one unit would wait for each other's chain lock anyway.
    for (const item of items) {
      try {
        results.push({ occurrenceId: item.occurrenceId, status: 201, signOff: await this.signOffs.signOff(actor, item.occurrenceId, item) });
      } catch (error) {
        results.push(this.refused(item.occurrenceId, error, requestId));
      }
    }
    return { results };
  }

  /** The item's answer as the single sign-off would have given it; what went wrong on our side is logged, not told. */
  private refused(occurrenceId: string, error: unknown, requestId?: string): SignOffBatchResultDto {
    const { status, type, title, detail, errors } = toProblem(error);
    if (status >= 500) this.logger.error({ err: withoutValues(error), requestId, occurrenceId }, 'A sign-off of a batch failed');
    return { occurrenceId, status, problem: { type, title, detail, ...(errors ? { errors } : {}) } };
  }
}

/** An occurrence named twice would be answered "signed" and then "already signed": the request is refused whole. */
function refuseRepeats(items: SignOffBatchItem[]): void {
  const first = new Map<string, number>();
  const problems: FieldProblem[] = [];
  items.forEach((item, index) => {
    const id = item.occurrenceId.toLowerCase();
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else problems.push({ field: `items.${index}.occurrenceId`, message: `names the same occurrence as items.${earlier}; sign each occurrence once` });
  });
  if (problems.length) throw new ValidationProblem(problems);
}
