import { plainToInstance } from 'class-transformer';
import { IsString, validate } from 'class-validator';
import { ValidationProblem } from '../common/problem';

/**
 * A form's values checked with the API's own DTO and the API's rules (unknown fields refused), so a page
 * accepts exactly what the API accepts. A refusal is the API's ValidationProblem, naming each field.
 */
export async function validated<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new ValidationProblem(errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {})[0] ?? 'is not valid' })));
  return instance;
}

/** A form that carries nothing but the session's CSRF token (checked by the CSRF middleware). */
export class CsrfForm {
  @IsString() _csrf: string;
}
