import { html, Html } from './html';

export interface PageChrome {
  title: string;
  /** The signed-in person's name, and the session's CSRF token for the sign-out form. */
  person?: { displayName: string };
  csrf?: string;
  current?: 'oppgaver' | 'sjekkliste' | 'arshjul' | 'internkontroll' | 'administrasjon';
}

const NAV: Array<[NonNullable<PageChrome['current']>, string, string]> = [
  ['oppgaver', '/oppgaver', 'Mine oppgaver'],
  ['sjekkliste', '/sjekkliste', 'Månedens sjekkliste'],
  ['arshjul', '/arshjul', 'Årshjulet'],
  ['internkontroll', '/internkontroll', 'Internkontroll'],
  ['administrasjon', '/administrasjon', 'Administrasjon'],
];

/** Every page: Norwegian, landmarks, a skip link, the navigation, and no inline script or style. */
export function page(chrome: PageChrome, content: Html): string {
  const nav = chrome.person
    ? html`<nav aria-label="Hovedmeny"><ul>${NAV.map(
        ([key, href, label]) => html`<li><a href="${href}"${chrome.current === key ? html` aria-current="page"` : ''}>${label}</a></li>`,
      )}</ul></nav>
      <form method="post" action="/logg-ut"><input type="hidden" name="_csrf" value="${chrome.csrf}"><button type="submit">Logg ut (${chrome.person.displayName})</button></form>`
    : '';
  return html`<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${chrome.title} – Årshjul</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip" href="#innhold">Hopp til innholdet</a>
<header><div class="bar"><a class="brand" href="/oppgaver">Årshjul</a>${nav}</div></header>
<main id="innhold" tabindex="-1">
<h1>${chrome.title}</h1>
${content}
</main>
</body>
</html>`.value;
}

export const STATUS_TEXT: Record<string, string> = {
  open: 'Åpen',
  overdue: 'Forfalt',
  done: 'Utført',
  done_late: 'Utført for sent',
  not_applicable: 'Ikke aktuelt',
};

/** A status in words and colour: never colour alone. */
export function statusBadge(status: string): Html {
  return html`<span class="status ${status}">${STATUS_TEXT[status] ?? status}</span>`;
}

/** 2027-02-26 → 26.02.2027 */
export function norwegianDate(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** An instant as Oslo reads it: 24.02.2027 kl. 14:03 */
export function norwegianTime(instant: string, timeZone = 'Europe/Oslo'): string {
  const parts = new Intl.DateTimeFormat('nb-NO', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(instant));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('day')}.${p('month')}.${p('year')} kl. ${p('hour')}:${p('minute')}`;
}
