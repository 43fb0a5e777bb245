import { html } from './html';
import { page } from './layout';
import { ProblemWords, Texts } from './i18n';
import type { ProblemDetails } from '../common/problem';
import { PROBLEM_BASE } from '../common/problem';

/** A status with no type of its own is worded by its class of refusal. */
const BY_STATUS: Record<number, keyof Texts['problems']> = {
  400: 'badRequest',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'malformed-body',
  422: 'validation',
  429: 'too-many-requests',
  503: 'busy',
  504: 'timeout',
};

/**
 * What a refusal or error says to a person, from the problem's type in the page's language: the API's
 * `detail` is written for programs, in English, and never shown on a page.
 */
export function problemWords(slug: string, status: number, t: Texts): ProblemWords {
  const byType = (t.problems as Record<string, ProblemWords>)[slug];
  if (byType) return byType;
  if (status >= 500 && status !== 503 && status !== 504) return t.problems.serverError;
  return t.problems[BY_STATUS[status] ?? (status >= 500 ? 'serverError' : 'badRequest')];
}

/** An API field by the name its form gives it (`t.fields`), else as the API names it. */
export function fieldName(field: string, t: Texts): string {
  // Own names only: a field called `__proto__` or `constructor` is named as sent, never looked up on Object.
  const own = (key: string) => (Object.hasOwn(t.fields, key) ? t.fields[key] : undefined);
  return own(field) ?? own(field.split('.')[0]) ?? field;
}

/** The type's slug: `/problems/already-signed` → `already-signed`; `about:blank` → ''. */
export function problemSlug(problem: Pick<ProblemDetails, 'type'>): string {
  return problem.type.startsWith(PROBLEM_BASE) ? problem.type.slice(PROBLEM_BASE.length) : '';
}

/** An error or refusal page: its title and words by type, a reference for server errors, a way back. */
export function problemPage(problem: ProblemDetails, t: Texts, retryAfterSeconds?: number): string {
  const words = problemWords(problemSlug(problem), problem.status, t);
  const serverError = problem.status >= 500 && words === t.problems.serverError;
  return page(
    { title: words.title, t },
    html`<p class="error">${serverError ? t.errors.ourFault(problem.requestId ?? '') : words.text}</p>
      ${problem.errors?.some((e) => /fødselsnummer/i.test(e.message)) ? html`<p>${t.errors.fodselsnummerAny}</p>` : ''}
      ${problem.errors?.length ? html`<p>${t.errors.fieldsRefused([...new Set(problem.errors.map((e) => fieldName(e.field, t)))].join(', '))}</p>` : ''}
      ${retryAfterSeconds ? html`<p>${t.errors.tryAgainIn(retryAfterSeconds)}</p>` : ''}
      ${!serverError && problem.status >= 500 && problem.requestId ? html`<p class="muted">${t.errors.reference(problem.requestId)}</p>` : ''}
      <p><a href="/oppgaver">${t.errors.toMyTasks}</a></p>`,
  );
}
