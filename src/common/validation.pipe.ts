import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, ValidationProblem } from './problem';

/**
 * The one validation pipe: strips nothing silently (unknown fields are refused), converts query and path
 * strings to the DTO's types, and answers with a problem+json that lists every wrong field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationProblem(fieldProblems(errors)),
  });
}

export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known field' : message.replace(new RegExp(`^${error.property} `), ''),
    }));
    return [...own, ...fieldProblems(error.children ?? [], `${field}.`)];
  });
}
