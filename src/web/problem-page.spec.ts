import { foreignWords } from '../../test/utils/telltales';
import { PROBLEM_BASE } from '../common/problem';
import { LANGS, TEXTS } from './i18n';
import { fieldName, problemPage, problemWords } from './problem-page';

describe('error and refusal pages', () => {
  const types = Object.keys(TEXTS.nb.problems);
  const statuses = [400, 401, 403, 404, 409, 413, 422, 429, 500, 503];

  it.each(LANGS)('every problem type and status is worded in %s only, with no word of the other languages', (lang) => {
    const t = TEXTS[lang];
    for (const slug of [...types, 'some-new-type']) {
      for (const status of statuses) {
        const html = problemPage({ type: PROBLEM_BASE + slug, title: 'Konflikt', status, detail: 'The English detail for programs.', requestId: 'abc123' }, t, status === 429 ? 30 : undefined);
        expect({ slug, status, foreign: foreignWords(html, lang) }).toEqual({ slug, status, foreign: [] });
        expect(html).not.toContain('English detail');
        expect(html).toContain(`<html lang="${lang}">`);
      }
    }
  });

  it('words a type by itself, an unknown type by its status, and a server error with its reference only', () => {
    expect(problemWords('not-your-task', 403, TEXTS.nb).title).toBe('Dette er ikke din oppgave');
    expect(problemWords('already-signed', 409, TEXTS.nn).title).toBe('Oppgåva er allereie signert');
    expect(problemWords('duplicate-code', 409, TEXTS.en)).toBe(TEXTS.en.problems.conflict);
    expect(problemWords('', 404, TEXTS.nn)).toBe(TEXTS.nn.problems['not-found']);
    const page = problemPage({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side.', requestId: 'req-42' }, TEXTS.nb);
    expect(page).toContain('Oppgi referansen req-42');
    expect(page).not.toContain('Internal Server Error');
  });

  it('names refused fields by the form’s words, and any other name as sent (never a property of Object)', () => {
    expect(fieldName('title', TEXTS.nn)).toBe('Oppgåve');
    expect(fieldName('dates.vedtak kap. 9', TEXTS.en)).toBe('Dates');
    expect(fieldName('__proto__', TEXTS.nb)).toBe('__proto__');
    expect(fieldName('constructor', TEXTS.nb)).toBe('constructor');
  });
});
