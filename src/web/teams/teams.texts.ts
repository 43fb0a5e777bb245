import type { Lang } from '../i18n';

/** The Teams tab's words (teams.page.ts), reached as `t.teams` (src/web/i18n.ts). */
const nb = {
  title: 'Årshjul i Teams',
  wait: 'Logger deg inn med Microsoft Teams …',
  outside: 'Denne siden er Årshjul-fanen i Microsoft Teams, og den logger deg inn bare når den er åpnet i Teams.',
  signInUsual: 'Logg inn på vanlig måte',
  unknown: 'Du er logget inn i Teams, men er ikke registrert i Årshjul for kommunen din. Be administratoren om å legge deg til.',
  refused: 'Teams kunne ikke logge deg inn i Årshjul. Lukk fanen og prøv igjen, eller logg inn på vanlig måte.',
  signInBrowser: 'Logg inn på vanlig måte (åpnes i nettleseren)',
};

export type TeamsTexts = typeof nb;

const nn: TeamsTexts = {
  title: 'Årshjul i Teams',
  wait: 'Loggar deg inn med Microsoft Teams …',
  outside: 'Denne sida er Årshjul-fana i Microsoft Teams, og ho loggar deg inn berre når ho er opna i Teams.',
  signInUsual: 'Logg inn på vanleg måte',
  unknown: 'Du er logga inn i Teams, men er ikkje registrert i Årshjul for kommunen din. Be administratoren om å leggje deg til.',
  refused: 'Teams kunne ikkje logge deg inn i Årshjul. Lukk fana og prøv igjen, eller logg inn på vanleg måte.',
  signInBrowser: 'Logg inn på vanleg måte (blir opna i nettlesaren)',
};

const en: TeamsTexts = {
  title: 'Årshjul in Teams',
  wait: 'Signing you in with Microsoft Teams …',
  outside: 'This page is the Årshjul tab in Microsoft Teams, and it signs you in only when it is opened in Teams.',
  signInUsual: 'Sign in the usual way',
  unknown: 'You are signed in to Teams, but not registered in Årshjul for your municipality. Ask the administrator to add you.',
  refused: 'Teams could not sign you in to Årshjul. Close the tab and try again, or sign in the usual way.',
  signInBrowser: 'Sign in the usual way (opens in the browser)',
};

export const TEAMS_TEXTS: Record<Lang, TeamsTexts> = { nb, nn, en };
