import { DeadlineShift, shiftToWorkingDay } from '../schedule/holidays';
import { ProblemException } from '../common/problem';
import { addDuration, Duration, DurationError, parseDuration } from '../schedule/duration';
import { html, Html } from './html';
import { previewYear } from '../schedule/schedule.validation';
import { RECURRENCE_TEXTS, RecurrenceTexts } from './recurrence-builder.texts';

/**
 * The common cases of an annual wheel, written as RFC 5545 rules for administrators who should not have
 * to: "every year on 1 March", "ISO week 47", "the last working day of each month", "every 6 months",
 * "every 4 years from 2027". Anything else can be typed as an RRULE. One pattern is no rule at all:
 * "N months after the last time" (after-completion) gives repeatAfterCompletion = P{N}M and a first deadline.
 * Two more are the recipient's (the wheel editor offers them, as a task's scope is chosen there): "4 weeks after
 * moving in" or "at moving out" (stay-relative: relativeTo and offset), and "1 year after the recipient's date
 * «vedtak kap. 9»" (after-date: repeatAfterCompletion with repeatAfterDate).
 */
export type Pattern = 'yearly-date' | 'iso-week' | 'last-weekday-monthly' | 'every-n-months' | 'every-n-years' | 'after-completion' | 'after-date' | 'stay-relative' | 'custom';

/** The patterns in the order Administrasjon's task form offers them (its tasks are the unit's: no recipient patterns). */
export const PATTERNS: Pattern[] = ['yearly-date', 'iso-week', 'last-weekday-monthly', 'every-n-months', 'every-n-years', 'after-completion', 'custom'];

/** All patterns, as the wheel editor offers them (it chooses the scope too). */
export const ALL_PATTERNS: Pattern[] = ['yearly-date', 'iso-week', 'last-weekday-monthly', 'every-n-months', 'every-n-years', 'after-completion', 'after-date', 'stay-relative', 'custom'];

/** The unit of a duration the builder writes: days, weeks, months, years (P4W, P6M, P1Y). */
export type DurationUnit = 'D' | 'W' | 'M' | 'Y';
export const DURATION_UNITS: DurationUnit[] = ['D', 'W', 'M', 'Y'];
export type StayAnchorChoice = 'activeFrom' | 'activeTo';

export interface RecurrenceForm {
  pattern: Pattern;
  month?: number; // 1–12
  day?: number; // 1–31, or -1 for the last day of the month
  week?: number; // ISO week 1–53
  weekday?: 'MO' | 'TU' | 'WE' | 'TH' | 'FR';
  interval?: number; // months or years; for a duration, how many of `unit`
  startYear?: number;
  rrule?: string;
  /** A duration's unit (after-completion, after-date, stay-relative); months unless chosen. */
  unit?: DurationUnit;
  /** stay-relative: counted from moving in (activeFrom) or out (activeTo), before or after it. */
  anchor?: StayAnchorChoice;
  before?: boolean;
  /** after-date: the name of the recipient's date, such as "vedtak kap. 9". */
  dateName?: string;
}

export type BuiltRule =
  | { rrule: string; startsOn?: string; repeatAfterCompletion?: undefined; repeatAfterDate?: undefined; relativeTo?: undefined; offset?: undefined }
  /** Counted from the last completion: no rule, a duration and the first deadline. */
  | { rrule: null; repeatAfterCompletion: string; startsOn: string; repeatAfterDate?: undefined; relativeTo?: undefined; offset?: undefined }
  /** Counted from a date the recipient holds, then from each completion: the first deadline is each recipient's. */
  | { rrule: null; repeatAfterCompletion: string; repeatAfterDate: string; startsOn?: undefined; relativeTo?: undefined; offset?: undefined }
  /** Counted from each recipient's stay: one deadline per recipient, none of its own. */
  | { rrule: null; relativeTo: StayAnchorChoice; offset: string; repeatAfterCompletion?: undefined; repeatAfterDate?: undefined; startsOn?: undefined };

const pad = (n: number) => String(n).padStart(2, '0');

/** The rule for a form, or a message saying what is missing, in the page's words (`t.recurrence`; bokmål unless given). */
export function buildRrule(form: RecurrenceForm, w: RecurrenceTexts = RECURRENCE_TEXTS.nb): BuiltRule | { error: string } {
  const e = w.errors;
  const month = form.month ?? 1;
  const day = form.day ?? 1;
  switch (form.pattern) {
    case 'yearly-date':
      return { rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${day}` };
    case 'iso-week':
      if (!form.week) return { error: e.week };
      return { rrule: `FREQ=YEARLY;BYWEEKNO=${form.week};BYDAY=${form.weekday ?? 'MO'}` };
    case 'last-weekday-monthly':
      return { rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1' };
    case 'every-n-months': {
      const interval = form.interval ?? 6;
      // Anchored on the first month it falls in, in the start year.
      return { rrule: `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${day}`, startsOn: `${form.startYear ?? new Date().getUTCFullYear()}-${pad(month)}-01` };
    }
    case 'every-n-years': {
      if (!form.startYear) return { error: e.startYear };
      return { rrule: `FREQ=YEARLY;INTERVAL=${form.interval ?? 4};BYMONTH=${month};BYMONTHDAY=${day}`, startsOn: `${form.startYear}-01-01` };
    }
    case 'after-completion': {
      const interval = form.interval ?? 6;
      const unit = form.unit ?? 'M';
      if (unit === 'M' && (!Number.isInteger(interval) || interval < 1 || interval > 120)) return { error: e.months };
      const repeat = repeatDuration(interval, unit, w);
      if (typeof repeat !== 'string') return repeat;
      const year = form.startYear ?? new Date().getUTCFullYear();
      // The first deadline: the given day of the month (−1: its last day), in the start year.
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const first = day === -1 ? last : day;
      if (month < 1 || month > 12 || first < 1 || first > last) return { error: e.firstDeadline };
      return { rrule: null, repeatAfterCompletion: repeat, startsOn: `${year}-${pad(month)}-${pad(first)}` };
    }
    case 'after-date': {
      const repeat = repeatDuration(form.interval, form.unit ?? 'M', w);
      if (typeof repeat !== 'string') return repeat;
      const dateName = form.dateName?.trim() ?? '';
      if (!dateName) return { error: e.dateName };
      return { rrule: null, repeatAfterCompletion: repeat, repeatAfterDate: dateName };
    }
    case 'stay-relative': {
      // 0 is a deadline on the day itself: "ved utflytting".
      const n = form.interval ?? 0;
      const offset = n === 0 ? 'P0D' : `${form.before ? '-' : ''}P${n}${form.unit ?? 'W'}`;
      if (!Number.isInteger(n) || n < 0) return { error: e.stayCount };
      try {
        parseDuration(offset, 'offset');
      } catch (error) {
        if (error instanceof DurationError) return { error: e.stayRange };
        throw error;
      }
      return { rrule: null, relativeTo: form.anchor === 'activeTo' ? 'activeTo' : 'activeFrom', offset };
    }
    case 'custom':
      if (!form.rrule?.trim()) return { error: e.customRule };
      return { rrule: form.rrule.trim() };
    default:
      // A pattern the form never offers: a crafted or stale request, answered like any other mistake.
      return { error: e.pattern };
  }
}

/** N of a unit as a duration after a completion (P6M, P1Y, P2W), or why not, in the form's words. */
function repeatDuration(n: number | undefined, unit: DurationUnit, w: RecurrenceTexts): string | { error: string } {
  if (n === undefined || !Number.isInteger(n) || n < 1) return { error: w.errors.count };
  if (!DURATION_UNITS.includes(unit)) return { error: w.errors.unit };
  try {
    parseDuration(`P${n}${unit}`, 'repeat');
  } catch (error) {
    if (error instanceof DurationError) return { error: w.errors.duration };
    throw error;
  }
  return `P${n}${unit}`;
}

/** "4 uker etter innflytting", "1 uke før utflytting", "ved utflytting" (a zero offset). */
export function stayWords(anchor: string | null, duration: Duration, w: RecurrenceTexts = RECURRENCE_TEXTS.nb): string {
  const noun = w.anchors[anchor === 'activeTo' ? 'activeTo' : 'activeFrom'].noun;
  if (duration.years + duration.months + duration.weeks + duration.days === 0) return w.atAnchor(noun);
  return w.fromAnchor(w.duration(duration), duration.sign < 0, noun);
}

/**
 * What a form's preview shows: the deadlines of a rule in `year`; for a task counted from the last time,
 * its first deadline and a sentence saying how the next ones come; for a recipient's task counted from their
 * stay or a date they hold, no dates of its own but a sentence and an example. Throws a 422 for a rule that
 * cannot be used (ruleWhy says why, in the page's words).
 */
export function previewBuilt(
  built: BuiltRule,
  year: number,
  shift: DeadlineShift = 'previous',
  w: RecurrenceTexts = RECURRENCE_TEXTS.nb,
): { year: number; dates: string[]; rule: string; note?: string } {
  if (built.relativeTo !== undefined) {
    const offset = parseDuration(built.offset, 'offset');
    const day = built.relativeTo === 'activeTo' ? `${year}-06-15` : `${year}-03-01`;
    const example = shiftToWorkingDay(addDuration(day, offset), shift);
    return {
      year,
      dates: [],
      rule: built.offset,
      note: w.stayNote(stayWords(built.relativeTo, offset, w), w.anchors[built.relativeTo].someone, norwegian(day), norwegian(example)),
    };
  }
  if (built.repeatAfterDate !== undefined) {
    const duration = parseDuration(built.repeatAfterCompletion, 'repeat');
    const example = shiftToWorkingDay(addDuration(`${year}-01-15`, duration), shift);
    return {
      year,
      dates: [],
      rule: built.repeatAfterCompletion,
      note: w.dateNote(w.duration(duration), built.repeatAfterDate, norwegian(`${year}-01-15`), norwegian(example)),
    };
  }
  if (built.rrule === null) {
    return {
      year: Number(built.startsOn.slice(0, 4)),
      dates: [shiftToWorkingDay(built.startsOn, shift)],
      rule: built.repeatAfterCompletion,
      note: w.completionNote(w.duration(parseDuration(built.repeatAfterCompletion, 'repeat'))),
    };
  }
  return { year, dates: previewYear(built.rrule, built.startsOn ?? `${year}-01-01`, shift, year).map((d) => d.deadline), rule: built.rrule };
}

/**
 * Why the schedule's checks refused a rule, in the page's words: their messages are the API's (English, for
 * programs), so the page says what they mean, and the form keeps the rule as it was written.
 */
export function ruleWhy(error: ProblemException, w: RecurrenceTexts): string {
  const message = error.errors?.[0]?.message ?? '';
  const inYear = /yields no dates in (\d{4})/.exec(message);
  if (inYear) return w.ruleWhy.noDatesIn(inYear[1]);
  if (/yields no dates/.test(message)) return w.ruleWhy.noDates;
  const interval = /INTERVAL must be a whole number from 1 to (\d+)/.exec(message);
  if (interval) return w.ruleWhy.interval(interval[1]);
  const count = /COUNT must be a whole number from 1 to (\d+)/.exec(message);
  if (count) return w.ruleWhy.count(count[1]);
  const years = /in a year from (\d+) to (\d+)/.exec(message);
  if (years) return w.ruleWhy.years(years[1], years[2]);
  if (/deadlines are dates/.test(message)) return w.ruleWhy.datesOnly;
  return w.ruleWhy.other;
}

/**
 * How a task recurs, for the pages, by its one way of recurring: the RRULE as written; a duration after the
 * last completion ("P6M etter forrige gjennomføring"); or a deadline counted from the recipient's stay
 * ("4 uker etter innflytting", "1 uke før utflytting").
 */
export function recurrenceText(
  task: { rrule: string | null; repeatAfterCompletion: string | null; repeatAfterDate?: string | null; relativeTo: string | null; offset: string | null },
  w: RecurrenceTexts = RECURRENCE_TEXTS.nb,
): Html {
  if (task.rrule !== null) return html`<code>${task.rrule}</code>`;
  if (task.repeatAfterCompletion !== null && task.repeatAfterDate) return html`<code>${task.repeatAfterCompletion}</code> ${w.afterDate(task.repeatAfterDate)}`;
  if (task.repeatAfterCompletion !== null) return html`<code>${task.repeatAfterCompletion}</code> ${w.afterCompletion}`;
  const anchor = w.anchors[task.relativeTo === 'activeTo' ? 'activeTo' : 'activeFrom'].noun;
  try {
    return html`${stayWords(task.relativeTo, parseDuration(task.offset ?? '', 'offset'), w)} (<code>${task.offset}</code>)`;
  } catch {
    return html`<code>${task.offset ?? ''}</code> ${w.countedFrom(anchor)}`;
  }
}

function norwegian(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
