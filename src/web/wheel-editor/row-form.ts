import { DeadlineShift, shiftToWorkingDay } from '../../schedule/holidays';
import { LocalDate } from '../../schedule/local-date';
import { deadlinesInYear, RecurrenceError } from '../../schedule/recurrence';
import type { RecurrenceTexts } from '../recurrence-builder.texts';
import { BuiltRule, buildRrule, DURATION_UNITS, DurationUnit, Pattern, RecurrenceForm } from '../recurrence-builder';

/** The row form's fields, as the browser sends them (Norwegian names, like Administrasjon's). */
export interface RowFields {
  tittel?: string;
  beskrivelse?: string;
  hjemmel?: string;
  ansvar?: string;
  omfang?: string;
  lagres?: string;
  monster?: string;
  maned?: string;
  dag?: string;
  uke?: string;
  intervall?: string;
  startar?: string;
  rrule?: string;
  /** A duration's unit (D, W, M, Y), whether before the day (foer) or after, from moving in or out, and a named date. */
  tidsenhet?: string;
  retning?: string;
  anker?: string;
  datonavn?: string;
  gjennomgatt?: string;
}

const number = (v: string | undefined) => (v && /^-?\d{1,4}$/.test(v.trim()) ? Number(v) : undefined);

/** The builder's form from the row's fields. */
export function recurrenceOf(fields: RowFields): RecurrenceForm {
  return {
    pattern: (fields.monster as Pattern) || 'yearly-date',
    month: number(fields.maned),
    day: number(fields.dag),
    week: number(fields.uke),
    interval: number(fields.intervall),
    startYear: number(fields.startar),
    rrule: fields.rrule,
    unit: DURATION_UNITS.includes(fields.tidsenhet as DurationUnit) ? (fields.tidsenhet as DurationUnit) : undefined,
    anchor: fields.anker === 'activeTo' ? 'activeTo' : 'activeFrom',
    before: fields.retning === 'foer',
    dateName: fields.datonavn,
  };
}

export function ruleOf(fields: RowFields, thisYear: number, w?: RecurrenceTexts): BuiltRule | { error: string } {
  const form = recurrenceOf(fields);
  // "every n months" is anchored in a start year; without one, this year (the builder's own default reads the system clock).
  return buildRrule({ ...form, startYear: form.startYear ?? (form.pattern === 'every-n-months' || form.pattern === 'after-completion' ? thisYear : undefined) }, w);
}

/** A stored duration as the builder's number and unit (P4W → 4 uker); a mixed one in the smallest unit it allows. */
function durationFields(text: string | null): Pick<RowFields, 'intervall' | 'tidsenhet' | 'retning'> {
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(text ?? '');
  if (!m) return { intervall: '' };
  const [y, mo, w, d] = m.slice(2).map((n) => Number(n ?? 0));
  const retning = m[1] ? 'foer' : 'etter';
  const one = [[y, 'Y'], [mo, 'M'], [w, 'W'], [d, 'D']].filter(([n]) => n !== 0);
  if (one.length === 0) return { intervall: '0', tidsenhet: 'D', retning };
  if (one.length === 1) return { intervall: String(one[0][0]), tidsenhet: String(one[0][1]), retning };
  if (!w && !d) return { intervall: String(y * 12 + mo), tidsenhet: 'M', retning };
  if (!y && !mo) return { intervall: String(w * 7 + d), tidsenhet: 'D', retning };
  return { intervall: '', retning }; // months and days together: the builder cannot say it; the row must be given anew
}

/** The builder's fields for a stored task, whichever way it recurs. */
export function fieldsOfTask(task: {
  rrule: string | null;
  startsOn: LocalDate;
  repeatAfterCompletion: string | null;
  repeatAfterDate: string | null;
  relativeTo: string | null;
  offset: string | null;
}): Partial<RowFields> {
  if (task.relativeTo !== null) return { monster: 'stay-relative', anker: task.relativeTo, ...durationFields(task.offset) };
  if (task.repeatAfterDate !== null) return { monster: 'after-date', datonavn: task.repeatAfterDate, ...durationFields(task.repeatAfterCompletion) };
  return fieldsOfRule(task.rrule, task.startsOn, task.repeatAfterCompletion);
}

/**
 * The builder's fields for a stored rule, so that a row opens in the pattern it was made with; a rule
 * the builder does not write (an imported or hand-written one) opens as "own RRULE".
 */
export function fieldsOfRule(
  rrule: string | null,
  startsOn: LocalDate,
  repeatAfterCompletion: string | null = null,
): Pick<RowFields, 'monster' | 'maned' | 'dag' | 'uke' | 'intervall' | 'startar' | 'rrule' | 'tidsenhet'> {
  let m: RegExpMatchArray | null;
  if (rrule === null) {
    // Counted from the last time: N of a unit (P6M, P1Y, P2W).
    const { intervall, tidsenhet } = durationFields(repeatAfterCompletion);
    return { monster: 'after-completion', intervall, tidsenhet: tidsenhet ?? 'M', maned: String(Number(startsOn.slice(5, 7))), dag: String(Number(startsOn.slice(8, 10))), startar: startsOn.slice(0, 4) };
  }
  if ((m = rrule.match(/^FREQ=YEARLY;BYMONTH=(\d{1,2});BYMONTHDAY=(-?\d{1,2})$/))) return { monster: 'yearly-date', maned: m[1], dag: m[2] };
  if ((m = rrule.match(/^FREQ=YEARLY;BYWEEKNO=(\d{1,2});BYDAY=MO$/))) return { monster: 'iso-week', uke: m[1] };
  if (rrule === 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1') return { monster: 'last-weekday-monthly' };
  if ((m = rrule.match(/^FREQ=MONTHLY;INTERVAL=(\d{1,3});BYMONTHDAY=(\d{1,2})$/))) {
    return { monster: 'every-n-months', intervall: m[1], dag: m[2], maned: String(Number(startsOn.slice(5, 7))), startar: startsOn.slice(0, 4) };
  }
  if ((m = rrule.match(/^FREQ=YEARLY;INTERVAL=(\d{1,2});BYMONTH=(\d{1,2});BYMONTHDAY=(\d{1,2})$/))) {
    return { monster: 'every-n-years', intervall: m[1], maned: m[2], dag: m[3], startar: startsOn.slice(0, 4) };
  }
  return { monster: 'custom', rrule };
}

/**
 * A rule's deadlines in a year, or none (a rule refused by today's checks yields nothing, as in materialising).
 * A task that repeats after its last completion (no rule) shows its first deadline, `startsOn`, in its year:
 * the later ones depend on when it is done.
 */
export function deadlinesOf(rrule: string | null, startsOn: LocalDate, shift: DeadlineShift, year: number): LocalDate[] {
  if (rrule === null) return startsOn.startsWith(`${year}-`) ? [shiftToWorkingDay(startsOn, shift)] : [];
  try {
    return deadlinesInYear({ rrule, startsOn, shift }, year).map((d) => d.deadline);
  } catch (error) {
    if (error instanceof RecurrenceError) return [];
    throw error;
  }
}

/**
 * The month block a row belongs in, as the unit's table has it: the month of its first deadline next
 * year, else the month it stood under when imported; null: no fixed deadline ("løpende").
 */
export function monthOfRow(deadlines: LocalDate[], sourceMonth: number | null): number | null {
  return deadlines.length ? Number(deadlines[0].slice(5, 7)) : sourceMonth;
}
