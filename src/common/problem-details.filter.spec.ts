import { BadRequestException } from '@nestjs/common';
import { toProblem } from './problem-details.filter';
import { ValidationProblem } from './problem';

describe('problem details', () => {
  it('hides the message of an unexpected error', () => {
    const problem = toProblem(new Error('relation "person" violates constraint, password=secret'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/secret|relation|person/);
  });

  it('keeps the field list of a validation problem', () => {
    const problem = toProblem(new ValidationProblem([{ field: 'month', message: 'must look like 2027-02' }]));
    expect(problem).toEqual({
      type: '/problems/validation',
      title: 'Ugyldig forespørsel',
      status: 422,
      detail: 'month: must look like 2027-02',
      errors: [{ field: 'month', message: 'must look like 2027-02' }],
    });
  });

  it("maps Nest's own HTTP exceptions to about:blank problems", () => {
    expect(toProblem(new BadRequestException('nope'))).toMatchObject({ type: 'about:blank', status: 400, title: 'Bad Request', detail: 'nope' });
  });
});
