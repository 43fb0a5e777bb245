import { escapeHtml } from '../common/escape-html';

/**
 * HTML from tagged template literals. Every interpolated value is escaped unless it is already Html
 * (made by this tag or by `raw`), so user data — task titles, comments, codes — can never become markup.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
}

/** Markup that is already safe (made here, never from user input). */
export function raw(markup: string): Html {
  return new Html(markup);
}
