import Holidays from 'date-holidays';
import { addDays, isoWeekday, LocalDate } from './local-date';

const norway = new Holidays('NO');
const cache = new Map<number, Set<LocalDate>>();

/**
 * Norway's public holidays by law (helligdager and 1 and 17 May), from date-holidays. Only its type
 * `public` counts: Christmas Eve and New Year's Eve are `bank` there, and are working days.
 */
export function publicHolidays(year: number): Set<LocalDate> {
  let days = cache.get(year);
  if (!days) {
    // date-holidays gives 'YYYY-MM-DD hh:mm:ss' in Norway's own calendar, so the date part is the local date.
    days = new Set(norway.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    cache.set(year, days);
  }
  return days;
}

export function isWorkingDay(date: LocalDate): boolean {
  return isoWeekday(date) <= 5 && !publicHolidays(Number(date.slice(0, 4))).has(date);
}

export type DeadlineShift = 'none' | 'previous' | 'next';
export const DEADLINE_SHIFTS: DeadlineShift[] = ['none', 'previous', 'next'];

/** Moves a deadline that falls on a weekend or public holiday to the previous or next working day. */
export function shiftToWorkingDay(date: LocalDate, shift: DeadlineShift): LocalDate {
  if (shift === 'none') return date;
  const step = shift === 'previous' ? -1 : 1;
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, step);
  return day;
}

/** The first working day of a month given as 'YYYY-MM'. */
export function firstWorkingDay(month: string): LocalDate {
  return shiftToWorkingDay(`${month}-01`, 'next');
}
