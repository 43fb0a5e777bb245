import fc from 'fast-check';
import { Frequency, RRule, Weekday } from 'rrule';
import { fromUtcMidnight } from './local-date';
import { datesInYear, firstDate, parseRecurrence, RecurrenceError } from './recurrence';

const timed = <T>(work: () => T): { result: T; ms: number } => {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
};

describe('a rule is answered or refused in bounded work', () => {
  it.each(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'])('INTERVAL of 0 or less is refused for %s rules (rrule would loop for ever)', (freq) => {
    for (const interval of ['-1', '0', '-1000000', '1.5', 'x']) {
      expect(() => parseRecurrence(`FREQ=${freq};INTERVAL=${interval}`, '2027-01-01')).toThrow(/INTERVAL must be a whole number from 1/);
    }
  });

  it('a rule that repeats less often than every ten years is refused', () => {
    expect(() => parseRecurrence('FREQ=YEARLY;INTERVAL=11', '2027-01-01')).toThrow('INTERVAL must be a whole number from 1 to 10');
    expect(() => parseRecurrence('FREQ=DAILY;INTERVAL=99999999', '2027-01-01')).toThrow(/from 1 to 3650/);
  });

  it.each([
    ['a start in the year 100', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '0100-01-01'],
    ['a DTSTART in the year 100', 'DTSTART:01000101\nRRULE:FREQ=DAILY', '2027-01-01'],
    ['a start after 2200', 'FREQ=YEARLY', '9998-01-01'],
  ])('%s is refused', (_, rrule, startsOn) => {
    expect(() => parseRecurrence(rrule, startsOn)).toThrow('the rule must start in a year from 2000 to 2200');
  });

  it.each([
    ['COUNT=0', /COUNT must be/],
    ['COUNT=-5', /COUNT must be/],
    ['COUNT=100000', /COUNT must be/],
    ['BYDAY=99MO', /BYDAY must be/],
    ['BYEASTER=9999', /BYEASTER must be/],
  ])('FREQ=MONTHLY;%s is refused', (part, message) => {
    expect(() => parseRecurrence(`FREQ=MONTHLY;${part}`, '2027-01-01')).toThrow(message);
  });

  it.each([
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;INTERVAL=7;BYDAY=MO', // every 7th day from a Friday is never a Monday
    'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6',
  ])('%s yields nothing, found out in milliseconds rather than seconds', (rrule) => {
    const rule = parseRecurrence(rrule, '2027-01-01');
    const { result, ms } = timed(() => [datesInYear(rule, 2200), firstDate(rule)]);
    expect(result).toEqual([[], undefined]);
    expect(ms).toBeLessThan(500); // rrule itself takes from 0.1 to 14 s for these
  });

  it('an UNTIL far in the future ends at 2200; one before the start is refused', () => {
    expect(datesInYear(parseRecurrence('FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;UNTIL=99991231', '2027-01-01'), 2200)).toEqual(['2200-03-01']);
    expect(() => parseRecurrence('FREQ=YEARLY;UNTIL=20260101', '2027-01-01')).toThrow(RecurrenceError);
  });

  it('COUNT counts from the start, across years', () => {
    expect(datesInYear(parseRecurrence('FREQ=MONTHLY;BYMONTHDAY=1;COUNT=14', '2027-01-01'), 2028)).toEqual(['2028-01-01', '2028-02-01']);
    expect(datesInYear(parseRecurrence('FREQ=MONTHLY;BYMONTHDAY=1;COUNT=14', '2027-01-01'), 2029)).toEqual([]);
    expect(datesInYear(parseRecurrence('FREQ=DAILY;COUNT=3', '2027-12-30'), 2028)).toEqual(['2028-01-01']);
    expect(datesInYear(parseRecurrence('FREQ=WEEKLY;BYDAY=FR;COUNT=2', '2027-12-30'), 2028)).toEqual(['2028-01-07']);
  });
});

/*
 * The bounded evaluator must give exactly rrule's dates. Compared with rrule itself on random rules that
 * do yield dates often (so that rrule, walking on to the next date after the year, finishes quickly).
 */
describe('the bounded evaluator agrees with rrule', () => {
  const weekday = fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU');
  const ruleParts = fc.record(
    {
      freq: fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'),
      interval: fc.integer({ min: 1, max: 5 }),
      bymonth: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
      bymonthday: fc.uniqueArray(fc.constantFrom(1, 2, 5, 10, 15, 20, 28, -1, -2), { minLength: 1, maxLength: 4 }),
      byday: fc.uniqueArray(weekday, { minLength: 1, maxLength: 5 }),
      nth: fc.constantFrom('', '1', '2', '-1'),
      byweekno: fc.uniqueArray(fc.integer({ min: 1, max: 52 }), { minLength: 1, maxLength: 20 }),
      bysetpos: fc.constantFrom('1', '-1'),
      wkst: fc.constantFrom('MO', 'SU', 'WE'),
    },
    { requiredKeys: ['freq', 'interval'] },
  );
  const start = fc.date({ min: new Date(Date.UTC(2020, 0, 1)), max: new Date(Date.UTC(2030, 11, 31)), noInvalidDate: true });

  const text = (p: { freq: string; interval: number; bymonth?: number[]; bymonthday?: number[]; byday?: string[]; nth?: string; byweekno?: number[]; bysetpos?: string; wkst?: string }) => {
    const parts = [`FREQ=${p.freq}`, `INTERVAL=${p.interval}`];
    if (p.bymonth) parts.push(`BYMONTH=${p.bymonth.join(',')}`);
    if (p.bymonthday) parts.push(`BYMONTHDAY=${p.bymonthday.join(',')}`);
    if (p.byday) parts.push(`BYDAY=${p.byday.map((d) => (p.nth && (p.freq === 'MONTHLY' || p.freq === 'YEARLY') ? p.nth : '') + d).join(',')}`);
    if (p.byweekno && p.freq === 'YEARLY') parts.push(`BYWEEKNO=${p.byweekno.join(',')}`);
    if (p.bysetpos) parts.push(`BYSETPOS=${p.bysetpos}`);
    if (p.wkst) parts.push(`WKST=${p.wkst}`);
    return parts.join(';');
  };

  it('on random rules, for the start year and the years after', () => {
    fc.assert(
      fc.property(ruleParts, start, fc.integer({ min: 0, max: 6 }), (parts, startDate, ahead) => {
        const startsOn = fromUtcMidnight(new Date(Date.UTC(startDate.getUTCFullYear(), startDate.getUTCMonth(), startDate.getUTCDate())));
        const rrule = text(parts);
        const rule = parseRecurrence(rrule, startsOn);
        const year = Number(startsOn.slice(0, 4)) + ahead;
        // Only where the rule yields again soon after the year, so that rrule's own walk ends quickly.
        if (datesInYear(rule, year + 1).length + datesInYear(rule, year + 2).length === 0) return;
        const reference = new RRule({ wkst: RRule.MO, ...RRule.parseString(rrule), dtstart: rule.options.dtstart, tzid: null });
        const expected = reference.between(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31)), true).map(fromUtcMidnight);
        expect({ rrule, startsOn, year, dates: datesInYear(rule, year) }).toEqual({ rrule, startsOn, year, dates: expected });
      }),
      { numRuns: 400 },
    );
  });

  it('yields each date once, also where a rule names one position twice', () => {
    expect(datesInYear(parseRecurrence('FREQ=YEARLY;BYSETPOS=-1,-1', '2026-12-15'), 2027)).toEqual(['2027-12-15']);
    expect(datesInYear(parseRecurrence('FREQ=MONTHLY;BYMONTHDAY=1,-1;BYSETPOS=1,1,-1', '2027-01-01'), 2027)).toHaveLength(24);
    expect(datesInYear(parseRecurrence('FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=1,1', '2027-01-04'), 2027)).toHaveLength(52);
    expect(datesInYear(parseRecurrence('FREQ=YEARLY;COUNT=3;BYMONTH=3;BYMONTHDAY=1;BYSETPOS=1,1', '2027-03-01'), 2029)).toEqual(['2029-03-01']);
  });

  it('writes out what a rule leaves to its start, as rrule does', () => {
    expect(parseRecurrence('FREQ=WEEKLY', '2027-03-03').options.byweekday).toEqual([new Weekday(2)]);
    expect(datesInYear(parseRecurrence('FREQ=YEARLY', '2027-03-03'), 2029)).toEqual(['2029-03-03']);
    expect(parseRecurrence('FREQ=DAILY', '2027-03-03').options.freq).toBe(Frequency.DAILY);
  });
});
