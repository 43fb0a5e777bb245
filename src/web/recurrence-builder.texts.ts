import type { Lang } from './i18n';
import type { Duration } from '../schedule/duration';

const EXAMPLE_RULE = 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1';

/** "6 måneder", "1 år og 2 uker": the parts of a duration joined as a sentence would (without its sign). */
function joined(parts: string[], and: string, none: string): string {
  if (!parts.length) return none;
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} ${and} ${parts[parts.length - 1]}` : parts[0];
}

/**
 * The recurrence builder's words (src/web/recurrence-builder.ts): what a form is missing, the preview's notes,
 * how a task recurs in plain words, and why a rule was refused. Reached as `t.recurrence` (src/web/i18n.ts).
 */
const nb = {
  errors: {
    week: 'Velg et ukenummer fra 1 til 53.',
    startYear: 'Velg året det starter (for eksempel valgåret 2027).',
    months: 'Velg antall måneder fra 1 til 120.',
    firstDeadline: 'Velg en første frist som finnes i kalenderen (måned 1–12, dag 1–31).',
    dateName: 'Skriv navnet på datoen hos tjenestemottakeren, for eksempel «vedtak kap. 9».',
    stayCount: 'Velg et antall fra 0 (samme dag) og oppover.',
    stayRange: 'Fristen kan ligge høyst ett år før eller etter innflytting eller utflytting (for eksempel 4 uker eller 12 måneder).',
    customRule: `Skriv en RRULE, for eksempel ${EXAMPLE_RULE}.`,
    pattern: 'Velg et mønster fra listen.',
    count: 'Velg et antall fra 1 og oppover.',
    unit: 'Velg dager, uker, måneder eller år.',
    duration: 'Velg en varighet fra 1 dag til 10 år.',
  },
  duration: (d: Duration) =>
    joined(
      [
        d.years ? `${d.years} år` : '',
        d.months ? `${d.months} ${d.months === 1 ? 'måned' : 'måneder'}` : '',
        d.weeks ? `${d.weeks} ${d.weeks === 1 ? 'uke' : 'uker'}` : '',
        d.days ? `${d.days} ${d.days === 1 ? 'dag' : 'dager'}` : '',
      ].filter(Boolean),
      'og',
      '0 dager',
    ),
  anchors: { activeFrom: { noun: 'innflytting', someone: 'flytter inn' }, activeTo: { noun: 'utflytting', someone: 'flytter ut' } },
  atAnchor: (noun: string) => `ved ${noun}`,
  fromAnchor: (duration: string, before: boolean, noun: string) => `${duration} ${before ? 'før' : 'etter'} ${noun}`,
  stayNote: (stay: string, someone: string, day: string, deadline: string) =>
    `Ingen faste datoer: fristen er ${stay} for hver tjenestemottaker. Eksempel: en som ${someone} ${day}, har frist ${deadline}.`,
  dateNote: (duration: string, name: string, day: string, deadline: string) =>
    `Første frist er ${duration} etter datoen «${name}» hos hver tjenestemottaker (er datoen ${day}, er fristen ${deadline}); deretter ${duration} etter hver gjennomføring. Uten datoen får tjenestemottakeren ingen frist.`,
  completionNote: (duration: string) => `Første frist er den over; deretter kommer neste frist ${duration} etter hver gjennomføring (dagen den signeres).`,
  afterDate: (name: string) => `etter «${name}», deretter etter forrige gjennomføring`,
  afterCompletion: 'etter forrige gjennomføring',
  countedFrom: (noun: string) => `fra ${noun}`,
  notSaved: (why: string) => `Ikke lagret: ${why}`,
  ruleRefused: (why: string) => `Regelen kan ikke brukes: ${why}`,
  ruleWhy: {
    noDatesIn: (year: string) => `den gir ingen frister i ${year}.`,
    noDates: 'den gir ingen frister de nærmeste årene.',
    interval: (max: string) => `intervallet må være et helt tall fra 1 til ${max}.`,
    count: (max: string) => `COUNT må være et helt tall fra 1 til ${max}.`,
    years: (from: string, to: string) => `regelen må begynne i et år fra ${from} til ${to}.`,
    datesOnly: 'frister er datoer: regelen kan gjenta seg høyst daglig.',
    other: `sjekk regelen (for eksempel ${EXAMPLE_RULE}).`,
  },
};

export type RecurrenceTexts = typeof nb;

const nn: RecurrenceTexts = {
  errors: {
    week: 'Vel eit vekenummer frå 1 til 53.',
    startYear: 'Vel året det startar (til dømes valåret 2027).',
    months: 'Vel talet på månader frå 1 til 120.',
    firstDeadline: 'Vel ein første frist som finst i kalenderen (månad 1–12, dag 1–31).',
    dateName: 'Skriv namnet på datoen hos tenestemottakaren, til dømes «vedtak kap. 9».',
    stayCount: 'Vel eit tal frå 0 (same dag) og oppover.',
    stayRange: 'Fristen kan liggje høgst eitt år før eller etter innflytting eller utflytting (til dømes 4 veker eller 12 månader).',
    customRule: `Skriv ein RRULE, til dømes ${EXAMPLE_RULE}.`,
    pattern: 'Vel eit mønster frå lista.',
    count: 'Vel eit tal frå 1 og oppover.',
    unit: 'Vel dagar, veker, månader eller år.',
    duration: 'Vel ei varigheit frå 1 dag til 10 år.',
  },
  duration: (d: Duration) =>
    joined(
      [
        d.years ? `${d.years} år` : '',
        d.months ? `${d.months} ${d.months === 1 ? 'månad' : 'månader'}` : '',
        d.weeks ? `${d.weeks} ${d.weeks === 1 ? 'veke' : 'veker'}` : '',
        d.days ? `${d.days} ${d.days === 1 ? 'dag' : 'dagar'}` : '',
      ].filter(Boolean),
      'og',
      '0 dagar',
    ),
  anchors: { activeFrom: { noun: 'innflytting', someone: 'flyttar inn' }, activeTo: { noun: 'utflytting', someone: 'flyttar ut' } },
  atAnchor: (noun: string) => `ved ${noun}`,
  fromAnchor: (duration: string, before: boolean, noun: string) => `${duration} ${before ? 'før' : 'etter'} ${noun}`,
  stayNote: (stay: string, someone: string, day: string, deadline: string) =>
    `Ingen faste datoar: fristen er ${stay} for kvar tenestemottakar. Døme: ein som ${someone} ${day}, har frist ${deadline}.`,
  dateNote: (duration: string, name: string, day: string, deadline: string) =>
    `Første frist er ${duration} etter datoen «${name}» hos kvar tenestemottakar (er datoen ${day}, er fristen ${deadline}); deretter ${duration} etter kvar gjennomføring. Utan datoen får tenestemottakaren ingen frist.`,
  completionNote: (duration: string) => `Første frist er den over; deretter kjem neste frist ${duration} etter kvar gjennomføring (dagen ho vert signert).`,
  afterDate: (name: string) => `etter «${name}», deretter etter førre gjennomføring`,
  afterCompletion: 'etter førre gjennomføring',
  countedFrom: (noun: string) => `frå ${noun}`,
  notSaved: (why: string) => `Ikkje lagra: ${why}`,
  ruleRefused: (why: string) => `Regelen kan ikkje brukast: ${why}`,
  ruleWhy: {
    noDatesIn: (year: string) => `han gir ingen fristar i ${year}.`,
    noDates: 'han gir ingen fristar dei næraste åra.',
    interval: (max: string) => `intervallet må vere eit heilt tal frå 1 til ${max}.`,
    count: (max: string) => `COUNT må vere eit heilt tal frå 1 til ${max}.`,
    years: (from: string, to: string) => `regelen må byrje i eit år frå ${from} til ${to}.`,
    datesOnly: 'fristar er datoar: regelen kan gjenta seg høgst dagleg.',
    other: `sjekk regelen (til dømes ${EXAMPLE_RULE}).`,
  },
};

const en: RecurrenceTexts = {
  errors: {
    week: 'Choose a week number from 1 to 53.',
    startYear: 'Choose the year it starts (for example the election year 2027).',
    months: 'Choose a number of months from 1 to 120.',
    firstDeadline: 'Choose a first deadline that exists in the calendar (month 1–12, day 1–31).',
    dateName: "Write the name of the recipient's date, for example «vedtak kap. 9».",
    stayCount: 'Choose a number from 0 (the same day) upwards.',
    stayRange: 'The deadline can be at most a year before or after moving in or out (for example 4 weeks or 12 months).',
    customRule: `Write an RRULE, for example ${EXAMPLE_RULE}.`,
    pattern: 'Choose a pattern from the list.',
    count: 'Choose a number from 1 upwards.',
    unit: 'Choose days, weeks, months or years.',
    duration: 'Choose a duration from 1 day to 10 years.',
  },
  duration: (d: Duration) =>
    joined(
      [
        d.years ? `${d.years} ${d.years === 1 ? 'year' : 'years'}` : '',
        d.months ? `${d.months} ${d.months === 1 ? 'month' : 'months'}` : '',
        d.weeks ? `${d.weeks} ${d.weeks === 1 ? 'week' : 'weeks'}` : '',
        d.days ? `${d.days} ${d.days === 1 ? 'day' : 'days'}` : '',
      ].filter(Boolean),
      'and',
      '0 days',
    ),
  anchors: { activeFrom: { noun: 'moving in', someone: 'moves in on' }, activeTo: { noun: 'moving out', someone: 'moves out on' } },
  atAnchor: (noun: string) => `on ${noun}`,
  fromAnchor: (duration: string, before: boolean, noun: string) => `${duration} ${before ? 'before' : 'after'} ${noun}`,
  stayNote: (stay: string, someone: string, day: string, deadline: string) =>
    `No fixed dates: the deadline is ${stay} for each service recipient. Example: someone who ${someone} ${day} has the deadline ${deadline}.`,
  dateNote: (duration: string, name: string, day: string, deadline: string) =>
    `The first deadline is ${duration} after the recipient's date «${name}» (if the date is ${day}, the deadline is ${deadline}); then ${duration} after each completion. Without the date the recipient gets no deadline.`,
  completionNote: (duration: string) => `The first deadline is the one above; then the next deadline comes ${duration} after each completion (the day it is signed off).`,
  afterDate: (name: string) => `after «${name}», then after the last completion`,
  afterCompletion: 'after the last completion',
  countedFrom: (noun: string) => `from ${noun}`,
  notSaved: (why: string) => `Not saved: ${why}`,
  ruleRefused: (why: string) => `The rule cannot be used: ${why}`,
  ruleWhy: {
    noDatesIn: (year: string) => `it yields no deadlines in ${year}.`,
    noDates: 'it yields no deadlines in the coming years.',
    interval: (max: string) => `the interval must be a whole number from 1 to ${max}.`,
    count: (max: string) => `COUNT must be a whole number from 1 to ${max}.`,
    years: (from: string, to: string) => `the rule must start in a year from ${from} to ${to}.`,
    datesOnly: 'deadlines are dates: the rule may repeat at most daily.',
    other: `check the rule (for example ${EXAMPLE_RULE}).`,
  },
};

export const RECURRENCE_TEXTS: Record<Lang, RecurrenceTexts> = { nb, nn, en };
