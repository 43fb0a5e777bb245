/**
 * The common cases of an annual wheel, written as RFC 5545 rules for administrators who should not have
 * to: "every year on 1 March", "ISO week 47", "the last working day of each month", "every 6 months",
 * "every 4 years from 2027". Anything else can be typed as an RRULE.
 */
export type Pattern = 'yearly-date' | 'iso-week' | 'last-weekday-monthly' | 'every-n-months' | 'every-n-years' | 'custom';

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

export interface BuiltRule {
  rrule: string;
  startsOn?: string;
}

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
    case 'custom':
      if (!form.rrule?.trim()) return { error: 'Skriv en RRULE, for eksempel FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1.' };
      return { rrule: form.rrule.trim() };
    default:
      // A pattern the form never offers: a crafted or stale request, answered like any other mistake.
      return { error: 'Velg et mønster fra listen.' };
  }
}
