import { DeadlineShift, shiftToWorkingDay } from '../schedule/holidays';
import { describeDuration, parseDuration } from '../schedule/duration';
import { html, Html } from './html';
import { previewYear } from '../schedule/schedule.validation';

/**
 * The common cases of an annual wheel, written as RFC 5545 rules for administrators who should not have
 * to: "every year on 1 March", "ISO week 47", "the last working day of each month", "every 6 months",
 * "every 4 years from 2027". Anything else can be typed as an RRULE. One pattern is no rule at all:
 * "N months after the last time" (after-completion) gives repeatAfterCompletion = P{N}M and a first deadline.
 */
export type Pattern = 'yearly-date' | 'iso-week' | 'last-weekday-monthly' | 'every-n-months' | 'every-n-years' | 'after-completion' | 'custom';

/** The patterns in the order the forms offer them. */
export const PATTERNS: Pattern[] = ['yearly-date', 'iso-week', 'last-weekday-monthly', 'every-n-months', 'every-n-years', 'after-completion', 'custom'];

export interface RecurrenceForm {
  pattern: Pattern;
  month?: number; // 1–12
  day?: number; // 1–31, or -1 for the last day of the month
  week?: number; // ISO week 1–53
  weekday?: 'MO' | 'TU' | 'WE' | 'TH' | 'FR';
  interval?: number; // months or years
  startYear?: number;
  rrule?: string;
}

export type BuiltRule =
  | { rrule: string; startsOn?: string; repeatAfterCompletion?: undefined }
  /** Counted from the last completion: no rule, a duration and the first deadline. */
  | { rrule: null; repeatAfterCompletion: string; startsOn: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** The rule for a form, or a message (in Norwegian) saying what is missing. */
export function buildRrule(form: RecurrenceForm): BuiltRule | { error: string } {
  const month = form.month ?? 1;
  const day = form.day ?? 1;
  switch (form.pattern) {
    case 'yearly-date':
      return { rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${day}` };
    case 'iso-week':
      if (!form.week) return { error: 'Velg en ukenummer fra 1 til 53.' };
      return { rrule: `FREQ=YEARLY;BYWEEKNO=${form.week};BYDAY=${form.weekday ?? 'MO'}` };
    case 'last-weekday-monthly':
      return { rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1' };
    case 'every-n-months': {
      const interval = form.interval ?? 6;
      // Anchored on the first month it falls in, in the start year.
      return { rrule: `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${day}`, startsOn: `${form.startYear ?? new Date().getUTCFullYear()}-${pad(month)}-01` };
    }
    case 'every-n-years': {
      if (!form.startYear) return { error: 'Velg året det starter (for eksempel valgåret 2027).' };
      return { rrule: `FREQ=YEARLY;INTERVAL=${form.interval ?? 4};BYMONTH=${month};BYMONTHDAY=${day}`, startsOn: `${form.startYear}-01-01` };
    }
    case 'after-completion': {
      const interval = form.interval ?? 6;
      if (!Number.isInteger(interval) || interval < 1 || interval > 120) return { error: 'Velg antall måneder fra 1 til 120.' };
      const year = form.startYear ?? new Date().getUTCFullYear();
      // The first deadline: the given day of the month (−1: its last day), in the start year.
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const first = day === -1 ? last : day;
      if (month < 1 || month > 12 || first < 1 || first > last) return { error: 'Velg en første frist som finnes i kalenderen (måned 1–12, dag 1–31).' };
      return { rrule: null, repeatAfterCompletion: `P${interval}M`, startsOn: `${year}-${pad(month)}-${pad(first)}` };
    }
    case 'custom':
      if (!form.rrule?.trim()) return { error: 'Skriv en RRULE, for eksempel FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1.' };
      return { rrule: form.rrule.trim() };
    default:
      // A pattern the form never offers: a crafted or stale request, answered like any other mistake.
      return { error: 'Velg et mønster fra listen.' };
  }
}

/**
 * What a form's preview shows: the deadlines of a rule in `year`; for a task counted from the last time,
 * its first deadline and a sentence saying how the next ones come. Throws a 422 for a rule that cannot be used.
 */
export function previewBuilt(built: BuiltRule, year: number, shift: DeadlineShift = 'previous'): { year: number; dates: string[]; rule: string; note?: string } {
  if (built.rrule === null) {
    const duration = describeDuration(parseDuration(built.repeatAfterCompletion, 'repeat'));
    return {
      year: Number(built.startsOn.slice(0, 4)),
      dates: [shiftToWorkingDay(built.startsOn, shift)],
      rule: built.repeatAfterCompletion,
      note: `Første frist er den over; deretter kommer neste frist ${duration} etter hver gjennomføring (dagen den signeres).`,
    };
  }
  return { year, dates: previewYear(built.rrule, built.startsOn ?? `${year}-01-01`, shift, year).map((d) => d.deadline), rule: built.rrule };
}

/**
 * How a task recurs, for the pages, by its one way of recurring: the RRULE as written; a duration after the
 * last completion ("P6M etter forrige gjennomføring"); or a deadline counted from the recipient's stay
 * ("4 uker etter innflytting", "1 uke før utflytting").
 */
export function recurrenceText(task: { rrule: string | null; repeatAfterCompletion: string | null; relativeTo: string | null; offset: string | null }): Html {
  if (task.rrule !== null) return html`<code>${task.rrule}</code>`;
  if (task.repeatAfterCompletion !== null) return html`<code>${task.repeatAfterCompletion}</code> etter forrige gjennomføring`;
  const anchor = task.relativeTo === 'activeTo' ? 'utflytting' : 'innflytting';
  try {
    const offset = parseDuration(task.offset ?? '', 'offset');
    return html`${describeDuration(offset)} ${offset.sign < 0 ? 'før' : 'etter'} ${anchor} (<code>${task.offset}</code>)`;
  } catch {
    return html`<code>${task.offset ?? ''}</code> fra ${anchor}`;
  }
}
