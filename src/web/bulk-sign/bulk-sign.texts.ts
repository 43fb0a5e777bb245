import type { Lang } from '../i18n';

/**
 * The words of signing many rows at once, in bokmål and English. Reached through the shared dictionary
 * (`t.bulkSign`, src/web/i18n.ts), kept here beside the pages that use them.
 */
const nb = {
  pick: (title: string, who: string | null) => `Velg «${title}»${who ? ` (${who})` : ''}`,
  checklistHeading: 'Signer flere rader',
  checklistLegend: 'Signer de valgte radene som utført',
  checklistHint: 'Kryss av radene i tabellene over. De signeres som utført, på vegne av de ansvarlige; hver rad får sin egen signerte post.',
  recipientsHeading: 'Signer for flere tjenestemottakere',
  recipientsLegend: (title: string) => `Tjenestemottakere der «${title}» er åpen`,
  recipientsHint: 'Hver tjenestemottaker får sin egen signerte post.',
  deadline: (date: string) => `frist ${date}`,
  commonComment: 'Felles kommentar',
  commentHint: '(valgfri; ingen navn eller helseopplysninger)',
  signChosen: 'Signer valgte som utført',
  resultsTitle: 'Resultat av signeringen',
  summary: (signed: number, total: number) => `${signed} av ${total} signert.`,
  notSigned: 'Ikke signert',
  unknownTask: 'Ukjent oppgave',
  back: 'Tilbake',
  backToChecklist: 'Tilbake til sjekklisten',
  backToTask: 'Tilbake til oppgaven',
  /** Why an item was not signed, by the problem's type. */
  why: {
    'already-signed': 'Oppgaven er allerede signert.',
    'not-your-task': 'Dette er ikke din oppgave, og du er ikke leder for enheten.',
    'not-found': 'Oppgaven finnes ikke, eller du har ikke tilgang til den.',
    cancelled: 'Oppgaven er avlyst og kan ikke signeres.',
    comment: 'Oppgaven krever en kommentar: signer den alene med kommentar.',
    timeout: 'Det tok for lang tid. Prøv igjen om litt.',
    other: 'Kunne ikke signeres. Prøv igjen, eller signer oppgaven alene.',
  } as Record<string, string>,
  /** Why the form as a whole was not taken. */
  form: {
    noneChosen: 'Velg minst én rad å signere.',
    tooMany: (n: number) => `Velg høyst ${n} rader om gangen.`,
    commentTooLong: 'Kommentaren er for lang (høyst 2000 tegn).',
    unreadable: 'Skjemaet kunne ikke leses. Gå tilbake og prøv igjen.',
  },
};

export type BulkSignTexts = typeof nb;

const en: BulkSignTexts = {
  pick: (title: string, who: string | null) => `Choose “${title}”${who ? ` (${who})` : ''}`,
  checklistHeading: 'Sign several rows',
  checklistLegend: 'Sign the chosen rows as done',
  checklistHint: 'Tick the rows in the tables above. They are signed as done, on behalf of those responsible; each row gets its own signed record.',
  recipientsHeading: 'Sign for several service recipients',
  recipientsLegend: (title: string) => `Service recipients for whom “${title}” is open`,
  recipientsHint: 'Each service recipient gets their own signed record.',
  deadline: (date: string) => `deadline ${date}`,
  commonComment: 'Common comment',
  commentHint: '(optional; no names or health details)',
  signChosen: 'Sign the chosen as done',
  resultsTitle: 'Result of the signing',
  summary: (signed: number, total: number) => `${signed} of ${total} signed.`,
  notSigned: 'Not signed',
  unknownTask: 'Unknown task',
  back: 'Back',
  backToChecklist: 'Back to the checklist',
  backToTask: 'Back to the task',
  why: {
    'already-signed': 'The task is already signed off.',
    'not-your-task': 'This is not your task, and you do not manage its unit.',
    'not-found': 'The task does not exist, or you have no access to it.',
    cancelled: 'The task was cancelled and cannot be signed.',
    comment: 'The task needs a comment: sign it on its own with a comment.',
    timeout: 'It took too long. Try again in a moment.',
    other: 'Could not be signed. Try again, or sign the task on its own.',
  },
  form: {
    noneChosen: 'Choose at least one row to sign.',
    tooMany: (n: number) => `Choose at most ${n} rows at a time.`,
    commentTooLong: 'The comment is too long (at most 2000 characters).',
    unreadable: 'The form could not be read. Go back and try again.',
  },
};

const nn: BulkSignTexts = {
  pick: (title: string, who: string | null) => `Vel «${title}»${who ? ` (${who})` : ''}`,
  checklistHeading: 'Signer fleire rader',
  checklistLegend: 'Signer dei valde radene som utført',
  checklistHint: 'Kryss av radene i tabellane over. Dei blir signerte som utført, på vegner av dei ansvarlege; kvar rad får sin eigen signerte post.',
  recipientsHeading: 'Signer for fleire tenestemottakarar',
  recipientsLegend: (title: string) => `Tenestemottakarar der «${title}» er open`,
  recipientsHint: 'Kvar tenestemottakar får sin eigen signerte post.',
  deadline: (date: string) => `frist ${date}`,
  commonComment: 'Felles kommentar',
  commentHint: '(valfri; ingen namn eller helseopplysningar)',
  signChosen: 'Signer dei valde som utført',
  resultsTitle: 'Resultatet av signeringa',
  summary: (signed: number, total: number) => `${signed} av ${total} signerte.`,
  notSigned: 'Ikkje signert',
  unknownTask: 'Ukjend oppgåve',
  back: 'Tilbake',
  backToChecklist: 'Tilbake til sjekklista',
  backToTask: 'Tilbake til oppgåva',
  why: {
    'already-signed': 'Oppgåva er allereie signert.',
    'not-your-task': 'Dette er ikkje di oppgåve, og du er ikkje leiar for eininga.',
    'not-found': 'Oppgåva finst ikkje, eller du har ikkje tilgang til henne.',
    cancelled: 'Oppgåva er avlyst og kan ikkje signerast.',
    comment: 'Oppgåva krev ein kommentar: signer henne åleine med kommentar.',
    timeout: 'Det tok for lang tid. Prøv igjen om litt.',
    other: 'Kunne ikkje signerast. Prøv igjen, eller signer oppgåva åleine.',
  },
  form: {
    noneChosen: 'Vel minst éi rad å signere.',
    tooMany: (n: number) => `Vel høgst ${n} rader om gongen.`,
    commentTooLong: 'Kommentaren er for lang (høgst 2000 teikn).',
    unreadable: 'Skjemaet kunne ikkje lesast. Gå tilbake og prøv igjen.',
  },
};

export const BULK_SIGN_TEXTS: Record<Lang, BulkSignTexts> = { nb, en, nn };
