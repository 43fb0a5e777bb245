import { html, Html } from './html';
import { LANGS, LANGUAGE_NAMES, TEXTS, Texts } from './i18n';
import { labelTableCells } from './table-labels';

export type MenuKey = 'oppgaver' | 'sjekkliste' | 'arshjul' | 'internkontroll' | 'administrasjon';

export interface PageChrome {
  title: string;
  /** The signed-in person's name, and the session's CSRF token for the sign-out form. */
  person?: { displayName: string };
  csrf?: string;
  current?: MenuKey;
  /** The page's language; bokmål unless the person chose nynorsk or English. */
  t?: Texts;
  /** The menu entries the person may open (src/web/chrome.ts); without it, all. */
  menu?: MenuKey[];
}

const NAV: MenuKey[] = ['oppgaver', 'sjekkliste', 'arshjul', 'internkontroll', 'administrasjon'];

/** The other languages, each named in itself and marked with its own `lang`. */
function languageSwitch(t: Texts): Html {
  return html`${LANGS.filter((l) => l !== t.lang).map((l) => html`<li><a href="?lang=${l}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a></li>`)}`;
}

/** Every page: Norwegian, landmarks, a skip link, the navigation, and no inline script or style. */
export function page(chrome: PageChrome, content: Html): string {
  const t = chrome.t ?? TEXTS.nb;
  const nav = chrome.person
    ? html`<nav aria-label="${t.mainMenu}"><ul>${NAV.filter((key) => !chrome.menu || chrome.menu.includes(key)).map(
        (key) => html`<li><a href="/${key}"${chrome.current === key ? html` aria-current="page"` : ''}>${t.nav[key]}</a></li>`,
      )}${languageSwitch(t)}</ul></nav>
      <form method="post" action="/logg-ut"><input type="hidden" name="_csrf" value="${chrome.csrf}"><button type="submit">${t.signOut} (${chrome.person.displayName})</button></form>`
    : '';
  return html`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${chrome.title} – Årshjul</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="icon" href="/favicon.ico" sizes="32x32">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip" href="#innhold">${t.skip}</a>
<header><div class="bar"><a class="brand" href="/oppgaver">Årshjul</a>${nav}</div></header>
<main id="innhold" tabindex="-1">
<h1>${chrome.title}</h1>
${content}
</main>
</body>
</html>`.value.replace(/<main\b[\s\S]*<\/main>/, labelTableCells);
}

/**
 * The status a page shows: the API's, except that an open task whose window has not opened yet reads
 * «Ikke åpnet ennå» (the API tells it by `opensOn`).
 */
export function shownStatus(item: { status: string; opensOn: string }, today: string): string {
  return item.status === 'open' && today !== '' && item.opensOn > today ? 'not_open' : item.status;
}

/** A status in words and colour: never colour alone. */
export function statusBadge(status: string, t: Texts = TEXTS.nb): Html {
  return html`<span class="status ${status}">${t.status[status] ?? status}</span>`;
}

/** «Eksempel» beside an invented row's title: never mistaken for the seed wheel's own words. */
export function exampleMark(example: boolean, t: Texts = TEXTS.nb): Html {
  return example ? html` <span class="example" title="${t.exampleHint}">${t.example}</span>` : html``;
}

/** The owners' names, or «Ingen ansvarlig» when nobody holds the task's role (the managers are told). */
export function ownersText(owners: Array<{ displayName: string }>, t: Texts = TEXTS.nb): Html {
  return owners.length ? html`${owners.map((o) => o.displayName).join(', ')}` : html`<strong class="ownerless">${t.noOwner}</strong>`;
}

/** Choose the unit and year a page shows: a plain GET form, so it works without script. */
export function unitYearForm(action: string, units: Array<{ id: string; name: string }>, unitId: string, year: number, t: Texts): Html {
  return html`<form method="get" action="${action}" class="filters card" aria-label="${t.filters}">
    <div><label for="enhet">${t.unit}</label><select id="enhet" name="enhet">${units.map(
      (u) => html`<option value="${u.id}"${u.id === unitId ? html` selected` : ''}>${u.name}</option>`,
    )}</select></div>
    <div><label for="ar">${t.year}</label><input type="text" inputmode="numeric" id="ar" name="ar" value="${year}"></div>
    <div><button class="primary" type="submit">${t.show}</button></div>
  </form>`;
}

/** 2027-02-26 → 26.02.2027 */
export function norwegianDate(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** 2026-12-04 → 4.12. (a date this year, as Norwegians write it short) */
export function shortDate(date: string): string {
  const [, m, d] = date.slice(0, 10).split('-');
  return `${Number(d)}.${Number(m)}.`;
}

/** An instant as Oslo reads it: 24.02.2027 kl. 14:03 */
export function norwegianTime(instant: string, timeZone = 'Europe/Oslo', at = 'kl.'): string {
  const parts = new Intl.DateTimeFormat('nb-NO', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(instant));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('day')}.${p('month')}.${p('year')} ${at} ${p('hour')}:${p('minute')}`;
}
