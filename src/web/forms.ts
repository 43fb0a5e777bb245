import { plainToInstance } from 'class-transformer';
import { IsString, validate } from 'class-validator';
import { ProblemException, ValidationProblem } from '../common/problem';
import { Texts } from './i18n';
import { fieldName, problemWords } from './problem-page';

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

/**
 * Why a form was refused, in the page's language, for a form that shows it beside its fields. The API's
 * field messages and `detail` are English, written for programs: the page says what the problem's type
 * means and names the fields it could not use, by the form's own words (as the error pages do).
 */
export function refusalWords(error: ProblemException, t: Texts): string {
  const problems = error.errors ?? [];
  if (problems.some((p) => /fødselsnummer/i.test(p.message))) return t.errors.fodselsnummerAny;
  if (problems.some((p) => /holds a (broken|NUL|control) character/.test(p.message))) return t.errors.badText; // src/common/text.ts
  const words = problemWords(error.slug, error.getStatus(), t);
  // Rows to be looked at are named by their titles (the only words of theirs that are the person's own).
  const titles = [...new Set(problems.flatMap((p) => /«([^»]+)»/.exec(p.message)?.[1] ?? []))];
  if (error.slug === 'rows-need-review' && titles.length) return `${words.title}: ${titles.join(', ')}. ${words.text}`;
  if (problems.length) return `${words.title}. ${t.errors.fieldsRefused([...new Set(problems.map((p) => fieldName(p.field, t)))].join(', '))}`;
  return `${words.title}. ${words.text}`;
}
