import { DeadlineShift, shiftToWorkingDay } from '../../schedule/holidays';
import { LocalDate } from '../../schedule/local-date';
import { deadlinesInYear, RecurrenceError } from '../../schedule/recurrence';
import { BuiltRule, buildRrule, Pattern, RecurrenceForm } from '../recurrence-builder';

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
  };
}

export function ruleOf(fields: RowFields, thisYear: number): BuiltRule | { error: string } {
  const form = recurrenceOf(fields);
  // "every n months" is anchored in a start year; without one, this year (the builder's own default reads the system clock).
  return buildRrule({ ...form, startYear: form.startYear ?? (form.pattern === 'every-n-months' || form.pattern === 'after-completion' ? thisYear : undefined) });
}

/**
 * The builder's fields for a stored rule, so that a row opens in the pattern it was made with; a rule
 * the builder does not write (an imported or hand-written one) opens as "own RRULE".
 */
export function fieldsOfRule(
  rrule: string | null,
  startsOn: LocalDate,
  repeatAfterCompletion: string | null = null,
): Pick<RowFields, 'monster' | 'maned' | 'dag' | 'uke' | 'intervall' | 'startar' | 'rrule'> {
  let m: RegExpMatchArray | null;
  if (rrule === null) {
    // Counted from the last time: the builder writes whole months (P6M); another duration has no form of its own yet.
    m = /^P(\d{1,3})M$/.exec(repeatAfterCompletion ?? '');
    return { monster: 'after-completion', intervall: m ? m[1] : '', maned: String(Number(startsOn.slice(5, 7))), dag: String(Number(startsOn.slice(8, 10))), startar: startsOn.slice(0, 4) };
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
