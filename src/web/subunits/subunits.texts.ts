import type { Lang } from '../i18n';

/**
 * The words of a unit with sub-units seen as a summary (the checklist, Internkontroll, the wheel), in bokmål,
 * nynorsk and English. Reached through the shared dictionary (`t.subunits`, src/web/i18n.ts).
 */
const nb = {
  heading: 'Per underenhet',
  intro: (n: number) => `${n === 1 ? '1 underenhet' : `${n} underenheter`}, hver med alle enhetene under seg. Dårligst først: lavest andel utført i tide, så flest forfalte. Velg en enhet for å åpne dens egen liste.`,
  unit: 'Enhet',
  units: 'Enheter',
  planned: 'Planlagt',
  done: 'Utført',
  overdue: 'Forfalt',
  overdueEarlier: 'Forfalt fra før',
  shareOnTime: 'Andel i tide',
  own: (name: string) => `${name} selv`,
  ownTasks: 'Enhetens egne oppgaver',
  noOwnTasks: 'Enheten har ingen egne oppgaver denne måneden.',
  flatOption: 'Alle oppgavene under i én liste',
  flatLink: 'Vis alle oppgavene under i én liste',
  summaryLink: 'Vis oppsummering per underenhet',
  page: (page: number, pages: number, rows: number) => `Side ${page} av ${pages} (${rows} rader)`,
  previous: 'Forrige side',
  next: 'Neste side',
  pages: 'Sider',
  unitsDone: (done: number, units: number) => `${done} av ${units} ${units === 1 ? 'enhet' : 'enheter'} utført`,
  unitsOverdue: (n: number) => `${n} med forfalte`,
  wheelHint: 'Hvert merke er én oppgave i én måned for alle enhetene under; det lenker til sjekklisten for oppgaven den måneden. Fylt merke: ikke alle enheter har utført; rødt: noen har forfalte.',
  perSubunitControl: 'Per underenhet',
};

type SubunitTexts = typeof nb;

const nn: SubunitTexts = {
  heading: 'Per undereining',
  intro: (n) => `${n === 1 ? '1 undereining' : `${n} undereiningar`}, kvar med alle einingane under seg. Dårlegast først: lågast del i tide, så flest forfalne. Vel ei eining for å opne hennar eiga liste.`,
  unit: 'Eining',
  units: 'Einingar',
  planned: 'Planlagt',
  done: 'Utført',
  overdue: 'Forfalle',
  overdueEarlier: 'Forfalle frå før',
  shareOnTime: 'Del i tide',
  own: (name) => `${name} sjølv`,
  ownTasks: 'Einingas eigne oppgåver',
  noOwnTasks: 'Eininga har ingen eigne oppgåver denne månaden.',
  flatOption: 'Alle oppgåvene under i éi liste',
  flatLink: 'Vis alle oppgåvene under i éi liste',
  summaryLink: 'Vis samandrag per undereining',
  page: (page, pages, rows) => `Side ${page} av ${pages} (${rows} rader)`,
  previous: 'Førre side',
  next: 'Neste side',
  pages: 'Sider',
  unitsDone: (done, units) => `${done} av ${units} ${units === 1 ? 'eining' : 'einingar'} utførte`,
  unitsOverdue: (n) => `${n} med forfalne`,
  wheelHint: 'Kvart merke er éi oppgåve i éin månad for alle einingane under; det lenkjer til sjekklista for oppgåva den månaden. Fylt merke: ikkje alle einingar har utført; raudt: nokre har forfalne.',
  perSubunitControl: 'Per undereining',
};

const en: SubunitTexts = {
  heading: 'By sub-unit',
  intro: (n) => `${n === 1 ? '1 sub-unit' : `${n} sub-units`}, each with all the units below it. Worst first: lowest share on time, then most overdue. Choose a unit to open its own list.`,
  unit: 'Unit',
  units: 'Units',
  planned: 'Planned',
  done: 'Done',
  overdue: 'Overdue',
  overdueEarlier: 'Overdue from before',
  shareOnTime: 'Share on time',
  own: (name) => `${name} itself`,
  ownTasks: "The unit's own tasks",
  noOwnTasks: 'The unit has no tasks of its own this month.',
  flatOption: 'Every task below in one list',
  flatLink: 'Show every task below in one list',
  summaryLink: 'Show the summary by sub-unit',
  page: (page, pages, rows) => `Page ${page} of ${pages} (${rows} rows)`,
  previous: 'Previous page',
  next: 'Next page',
  pages: 'Pages',
  unitsDone: (done, units) => `${done} of ${units} ${units === 1 ? 'unit' : 'units'} done`,
  unitsOverdue: (n) => `${n} with overdue`,
  wheelHint: "Every mark is one task in one month for all the units below; it links to the task's checklist for that month. Filled: not every unit has done it; red: some are overdue.",
  perSubunitControl: 'By sub-unit',
};

export const SUBUNIT_TEXTS: Record<Lang, SubunitTexts> = { nb, nn, en };
