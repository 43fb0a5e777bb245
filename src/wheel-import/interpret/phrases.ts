import type { DeadlineShift } from '../../schedule/holidays';
import { firstDate, parseRecurrence, RecurrenceError } from '../../schedule/recurrence';
import { MONTH_PATTERN, monthOf } from './months';

/** When a row is due: an RRULE with its start and shift, or none (a task done "løpende" or "ved behov"). */
export interface ReadSchedule {
  rrule: string | null;
  startsOn: string | null;
  shift: DeadlineShift;
  /** What the text said, for the preview ("frist 1. mars", "uke 47"); null: the month block's default. */
  phrase: string | null;
  /** Why the row's date must be looked at (then the month block's default is used), or null. */
  unclear: string | null;
  /** True for "løpende"/"ved behov": no schedule of its own. */
  unscheduled: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
// \b knows only ASCII letters: "år" or "måned" need boundaries that know æøå.
const word = (body: string, flags = 'iu') => new RegExp(`(?<![\\p{L}\\d])(?:${body})(?![\\p{L}\\d])`, flags);

const UNSCHEDULED = word('løpende|fortløpende|ved behov|etter behov');
const EVERY_N_YEARS = word('hvert (\\d{1,2})\\.? år|hvert (fjerde|tredje|femte) år');
const FROM_YEAR = word('fra (\\d{4})');
const EVERY_OTHER_YEAR = word('annethvert år|annenhvert år|hvert annet år');
const QUARTERLY = word('hvert kvartal|kvartalsvis');
const HALF_YEARLY = word('hvert halvår|halvårlig');
const MONTHLY = word('hver måned|månedlig');
const ISO_WEEK = word('uke(?:\\s*nr\\.?)?\\s*(\\d{1,2})');
const NAMED_DATE = word(`(?:frist|innen|senest|før)\\s*:?\\s*(?:den\\s+)?(\\d{1,2})\\.?\\s*(${MONTH_PATTERN})\\.?`);
const NUMERIC_DATE = word('(?:frist|innen|senest|før)\\s*:?\\s*(?:den\\s+)?(\\d{1,2})\\.(\\d{1,2})\\.?(?:\\d{2,4})?');
const DEADLINE_WORD = word('frist|innen|senest');
const WORD_NUMBERS: Record<string, number> = { tredje: 3, fjerde: 4, femte: 5 };

/**
 * The schedule a row's text names, else the month block's: due by that month's last working day
 * (FREQ=YEARLY;BYMONTH=m;BYMONTHDAY=-1, moved back to a working day). `year` is the first year the rule
 * runs from (its DTSTART's year) unless the text names one ("hvert 4. år fra 2027").
 */
export function readSchedule(text: string, month: number, year: number): ReadSchedule {
  const blockDefault = (unclear: string | null = null): ReadSchedule => ({
    rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=-1`,
    startsOn: `${year}-01-01`,
    shift: 'previous',
    phrase: null,
    unclear,
    unscheduled: false,
  });
  const checked = (schedule: ReadSchedule): ReadSchedule => {
    try {
      if (firstDate(parseRecurrence(schedule.rrule!, schedule.startsOn!))) return schedule;
      return blockDefault(`«${schedule.phrase}» gir ingen dato`);
    } catch (error) {
      if (error instanceof RecurrenceError) return blockDefault(`«${schedule.phrase}» gir ingen gyldig dato`);
      throw error;
    }
  };
  const found = (rrule: string, startsOn: string, shift: DeadlineShift, phrase: string) =>
    checked({ rrule, startsOn, shift, phrase: phrase.trim(), unclear: null, unscheduled: false });

  let m: RegExpExecArray | null;
  if ((m = UNSCHEDULED.exec(text))) return { rrule: null, startsOn: null, shift: 'none', phrase: m[0], unclear: null, unscheduled: true };
  if ((m = EVERY_N_YEARS.exec(text))) {
    const n = m[1] ? Number(m[1]) : WORD_NUMBERS[m[2].toLowerCase()];
    const from = FROM_YEAR.exec(text);
    const start = from ? Number(from[1]) : year;
    return found(`FREQ=YEARLY;INTERVAL=${n};BYMONTH=${month};BYMONTHDAY=-1`, `${start}-01-01`, 'previous', from ? `${m[0]} ${from[0]}` : m[0]);
  }
  if ((m = EVERY_OTHER_YEAR.exec(text))) {
    const from = FROM_YEAR.exec(text);
    return found(`FREQ=YEARLY;INTERVAL=2;BYMONTH=${month};BYMONTHDAY=-1`, `${from ? Number(from[1]) : year}-01-01`, 'previous', m[0]);
  }
  if ((m = QUARTERLY.exec(text))) return found('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1', `${year}-${pad(month)}-01`, 'previous', m[0]);
  if ((m = HALF_YEARLY.exec(text))) return found('FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1', `${year}-${pad(month)}-01`, 'previous', m[0]);
  if ((m = MONTHLY.exec(text))) return found('FREQ=MONTHLY;BYMONTHDAY=-1', `${year}-01-01`, 'previous', m[0]);
  if ((m = NAMED_DATE.exec(text))) return found(`FREQ=YEARLY;BYMONTH=${monthOf(m[2])};BYMONTHDAY=${Number(m[1])}`, `${year}-01-01`, 'none', m[0]);
  if ((m = NUMERIC_DATE.exec(text))) {
    const [day, mon] = [Number(m[1]), Number(m[2])];
    if (mon < 1 || mon > 12) return blockDefault(`«${m[0].trim()}» er ingen dato`);
    return found(`FREQ=YEARLY;BYMONTH=${mon};BYMONTHDAY=${day}`, `${year}-01-01`, 'none', m[0]);
  }
  if ((m = ISO_WEEK.exec(text))) {
    const week = Number(m[1]);
    if (week < 1 || week > 53) return blockDefault(`«${m[0]}» er ingen uke`);
    return found(`FREQ=YEARLY;BYWEEKNO=${week};BYDAY=MO`, `${year}-01-01`, 'none', m[0]);
  }
  if ((m = DEADLINE_WORD.exec(text))) return blockDefault(`teksten nevner en frist («${text.slice(m.index, m.index + 30).trim()}…») som ikke ble forstått`);
  return blockDefault();
}
