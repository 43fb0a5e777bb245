/**
 * Words that give a language away, for checking that a page speaks only its own. Each list holds words
 * the other two languages never use (bokmål and nynorsk share much, so their lists are what differs).
 */
export const TELLTALES: Record<'nb' | 'nn' | 'en', string[]> = {
  nb: ['ikke', 'oppgave', 'oppgaven', 'oppgaver', 'enhet', 'enheten', 'fra', 'hva', 'hvem', 'hvis', 'bare', 'siden', 'noe', 'finnes', 'måned', 'krever', 'allerede', 'mange forespørsler'],
  nn: ['ikkje', 'oppgåve', 'oppgåva', 'oppgåver', 'eining', 'eininga', 'frå', 'kva', 'kven', 'viss', 'berre', 'sida', 'noko', 'finst', 'månad', 'krev', 'allereie', 'førespurnader'],
  en: ['the', 'not', 'you', 'your', 'is', 'was', 'page', 'task', 'found', 'forbidden', 'error', 'please', 'sign', 'request', 'requests', 'Unprocessable', 'Conflict'],
};

/** A page's visible text: no tags, no script or style, and no link marked as another language (the language switch). */
export function pageText(html: string, lang: string): string {
  return html
    .replace(/<a [^>]*\blang="(?!LANG")[a-z]+"[^>]*>[\s\S]*?<\/a>/g, (m) => (m.includes(`lang="${lang}"`) ? m : ''))
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');
}

/** The telltale words of the other languages found in a page's text (empty when it speaks only `lang`). */
export function foreignWords(html: string, lang: 'nb' | 'nn' | 'en'): string[] {
  const text = pageText(html, lang);
  return (Object.keys(TELLTALES) as Array<'nb' | 'nn' | 'en'>)
    .filter((l) => l !== lang)
    .flatMap((l) => TELLTALES[l].filter((w) => new RegExp(`(?<![\\p{L}])${w}(?![\\p{L}])`, 'iu').test(text)).map((w) => `${l}:${w}`));
}
