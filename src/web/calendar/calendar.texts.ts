import type { Lang } from '../i18n';

/**
 * The calendar pages' words, in bokmål, nynorsk and English, kept beside the pages that use them (like the
 * wheel editor's). A language missing here is a type error, not a silent fallback.
 */
const nb = {
  title: 'Abonner i Outlook',
  cardIntro: 'Få fristene dine som heldagsavtaler i Outlook-kalenderen.',
  subscribe: 'Abonner i Outlook',
  myFeedsLink: 'Mine kalenderadresser',
  intro:
    'Årshjul lager en hemmelig kalenderadresse med fristene dine som heldagsavtaler. Den som har adressen, ser oppgavene og tjenestemottakernes koder — del den ikke, og trekk den tilbake om den kommer på avveie.',
  newFeed: 'Ny kalenderadresse',
  calendarFor: 'Kalender for',
  mine: 'Mine oppgaver',
  unit: (name: string) => `Enheten ${name}`,
  includeSubunits: 'Ta med enhetene under (gjelder enheter)',
  includeSigned: 'Vis utførte oppgaver (merket «✓ Utført»)',
  create: 'Lag kalenderadresse',
  created: 'Ny kalenderadresse er laget',
  shownOnce: 'Adressen vises bare nå: kopier den inn i Outlook med en gang.',
  address: 'Kalenderadresse',
  howTo: 'Slik abonnerer du',
  steps: [
    'Kopier adressen over.',
    'Outlook på nettet: Kalender → Legg til kalender → Abonner fra nettet. Lim inn adressen, gi kalenderen et navn og velg Importer.',
    'Outlook for Windows: Legg til kalender → Fra Internett. Lim inn adressen og velg OK.',
    'Outlook henter endringer selv, vanligvis innen noen timer.',
  ],
  listHeading: 'Mine kalenderadresser',
  none: 'Du har ingen kalenderadresser.',
  columns: { signed: 'Utførte oppgaver', created: 'Laget' },
  shown: 'Vises',
  leftOut: 'Utelatt',
  withSubunits: 'med enhetene under',
  revoke: 'Trekk tilbake',
  revokeLabel: (what: string) => `Trekk tilbake kalenderadressen ${what}`,
  revoked: 'Kalenderadressen er trukket tilbake: Outlook får ikke lenger noe fra den.',
  limit: 'Du har allerede 10 kalenderadresser. Trekk tilbake en før du lager en ny.',
  notManager: 'Du kan bare lage kalenderadresser for enheter du leder.',
};

export type CalendarTexts = typeof nb;

const en: CalendarTexts = {
  title: 'Subscribe in Outlook',
  cardIntro: 'Get your deadlines as all-day events in your Outlook calendar.',
  subscribe: 'Subscribe in Outlook',
  myFeedsLink: 'My calendar addresses',
  intro:
    'Årshjul makes a secret calendar address with your deadlines as all-day events. Whoever has the address sees the tasks and the service recipients’ codes — do not share it, and revoke it if it goes astray.',
  newFeed: 'New calendar address',
  calendarFor: 'Calendar for',
  mine: 'My tasks',
  unit: (name: string) => `The unit ${name}`,
  includeSubunits: 'Include the units below (for units)',
  includeSigned: 'Show completed tasks (marked «✓ Utført»)',
  create: 'Make calendar address',
  created: 'A new calendar address has been made',
  shownOnce: 'The address is shown only now: copy it into Outlook straight away.',
  address: 'Calendar address',
  howTo: 'How to subscribe',
  steps: [
    'Copy the address above.',
    'Outlook on the web: Calendar → Add calendar → Subscribe from web. Paste the address, name the calendar and choose Import.',
    'Outlook for Windows: Add calendar → From Internet. Paste the address and choose OK.',
    'Outlook fetches changes itself, usually within a few hours.',
  ],
  listHeading: 'My calendar addresses',
  none: 'You have no calendar addresses.',
  columns: { signed: 'Completed tasks', created: 'Made' },
  shown: 'Shown',
  leftOut: 'Left out',
  withSubunits: 'with the units below',
  revoke: 'Revoke',
  revokeLabel: (what: string) => `Revoke the calendar address ${what}`,
  revoked: 'The calendar address has been revoked: Outlook gets nothing from it any more.',
  limit: 'You already have 10 calendar addresses. Revoke one before making another.',
  notManager: 'You can only make calendar addresses for units you manage.',
};

const nn: CalendarTexts = {
  title: 'Abonner i Outlook',
  cardIntro: 'Få fristane dine som heildagsavtalar i Outlook-kalenderen.',
  subscribe: 'Abonner i Outlook',
  myFeedsLink: 'Kalenderadressene mine',
  intro:
    'Årshjul lagar ei hemmeleg kalenderadresse med fristane dine som heildagsavtalar. Den som har adressa, ser oppgåvene og kodane til tenestemottakarane — del henne ikkje, og trekk henne tilbake om ho kjem på avvegar.',
  newFeed: 'Ny kalenderadresse',
  calendarFor: 'Kalender for',
  mine: 'Mine oppgåver',
  unit: (name: string) => `Eininga ${name}`,
  includeSubunits: 'Ta med einingane under (gjeld einingar)',
  includeSigned: 'Vis utførte oppgåver (merkte «✓ Utført»)',
  create: 'Lag kalenderadresse',
  created: 'Ny kalenderadresse er laga',
  shownOnce: 'Adressa blir vist berre no: kopier henne inn i Outlook med ein gong.',
  address: 'Kalenderadresse',
  howTo: 'Slik abonnerer du',
  steps: [
    'Kopier adressa over.',
    'Outlook på nettet: Kalender → Legg til kalender → Abonner frå nettet. Lim inn adressa, gje kalenderen eit namn og vel Importer.',
    'Outlook for Windows: Legg til kalender → Frå Internett. Lim inn adressa og vel OK.',
    'Outlook hentar endringar sjølv, vanlegvis innan nokre timar.',
  ],
  listHeading: 'Kalenderadressene mine',
  none: 'Du har ingen kalenderadresser.',
  columns: { signed: 'Utførte oppgåver', created: 'Laga' },
  shown: 'Blir viste',
  leftOut: 'Utelatne',
  withSubunits: 'med einingane under',
  revoke: 'Trekk tilbake',
  revokeLabel: (what: string) => `Trekk tilbake kalenderadressa ${what}`,
  revoked: 'Kalenderadressa er trekt tilbake: Outlook får ikkje lenger noko frå henne.',
  limit: 'Du har allereie 10 kalenderadresser. Trekk tilbake éi før du lagar ei ny.',
  notManager: 'Du kan berre lage kalenderadresser for einingar du leiar.',
};

export const CALENDAR_TEXTS: Record<Lang, CalendarTexts> = { nb, en, nn };

export function calendarTexts(lang: Lang): CalendarTexts {
  return CALENDAR_TEXTS[lang];
}
