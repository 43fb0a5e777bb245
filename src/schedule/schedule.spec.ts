import { shiftToWorkingDay, firstWorkingDay, isWorkingDay, publicHolidays } from './holidays';
import { localDateAt, monthBounds } from './local-date';
import { datesInYear, deadlinesInYear, parseRecurrence, RecurrenceError } from './recurrence';

// Every expectation below is checked with the process in each of these zones: the server's zone must not matter.
const SERVER_ZONES = ['UTC', 'Europe/Oslo', 'Pacific/Auckland', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];

function inEveryServerZone(check: () => void): void {
  const original = process.env.TZ;
  try {
    for (const zone of SERVER_ZONES) {
      process.env.TZ = zone; // Node re-reads TZ when it is assigned
      try {
        check();
      } catch (error) {
        throw new Error(`with TZ=${zone}: ${(error as Error).message}`);
      }
    }
  } finally {
    process.env.TZ = original;
  }
}

const dates = (rrule: string, year: number, startsOn = '2020-01-01') => datesInYear(parseRecurrence(rrule, startsOn), year);

describe('recurrence rules yield local dates', () => {
  it.each([
    ['frist 1. mars', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', 2027, '2020-01-01', ['2027-03-01']],
    ['uke 47 (ISO), 2026', 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', 2026, '2020-01-01', ['2026-11-16']],
    ['uke 47 (ISO), 2027', 'FREQ=YEARLY;BYWEEKNO=47;BYDAY=MO', 2027, '2020-01-01', ['2027-11-22']],
    ['ISO week 53 exists in 2026', 'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO', 2026, '2020-01-01', ['2026-12-28']],
    ['ISO week 53 does not exist in 2027', 'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO', 2027, '2020-01-01', []],
    ['ISO week 1 of 2027 starts in 2027', 'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO', 2027, '2020-01-01', ['2027-01-04']],
    ['29 February in a leap year', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 2028, '2020-01-01', ['2028-02-29']],
    ['29 February in a common year', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 2027, '2020-01-01', []],
    ['last day of February, leap year', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', 2028, '2020-01-01', ['2028-02-29']],
    ['last day of February, common year', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', 2027, '2020-01-01', ['2027-02-28']],
    ['the day DST starts in Oslo', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=28', 2027, '2020-01-01', ['2027-03-28']],
    ['the day DST ends in Oslo', 'FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=31', 2027, '2020-01-01', ['2027-10-31']],
    ['every 4th year from the 2027 election, in 2027', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', 2027, '2027-01-01', ['2027-10-01']],
    ['every 4th year from the 2027 election, in 2030', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', 2030, '2027-01-01', []],
    ['every 4th year from the 2027 election, in 2031', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=10;BYMONTHDAY=1', 2031, '2027-01-01', ['2031-10-01']],
    ['every 6 months from March', 'FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1', 2027, '2026-03-01', ['2027-03-31', '2027-09-30']],
    ['DTSTART in the rule text anchors it', 'DTSTART;VALUE=DATE:20230101\nRRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=6;BYMONTHDAY=30', 2027, '2020-01-01', ['2027-06-30']],
    ['nothing before the start', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', 2026, '2027-01-01', []],
  ])('%s', (_, rrule, year, startsOn, expected) => {
    inEveryServerZone(() => expect(dates(rrule, year, startsOn)).toEqual(expected));
  });

  it('the last weekday of each month', () => {
    inEveryServerZone(() =>
      expect(dates('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 2027)).toEqual([
        '2027-01-29', '2027-02-26', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30',
        '2027-07-30', '2027-08-31', '2027-09-30', '2027-10-29', '2027-11-30', '2027-12-31',
      ]),
    );
  });

  it('the 31st only in months that have one; the last day in every month', () => {
    inEveryServerZone(() => {
      expect(dates('FREQ=MONTHLY;BYMONTHDAY=31', 2027)).toHaveLength(7);
      expect(dates('FREQ=MONTHLY;BYMONTHDAY=-1', 2027)).toEqual([
        '2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30',
        '2027-07-31', '2027-08-31', '2027-09-30', '2027-10-31', '2027-11-30', '2027-12-31',
      ]);
    });
  });

  it.each([
    ['garbage', /only DTSTART and RRULE lines/],
    ['BYMONTH=3', /needs FREQ/],
    ['FREQ=HOURLY', /daily or less often/],
    ['FREQ=YEARLY;BYHOUR=9', /BYHOUR/],
    ['FREQ=YEARLY;BYMONTH=13', /BYMONTH must be a month from 1 to 12/],
    ['FREQ=YEARLY;BYMONTHDAY=32', /BYMONTHDAY/],
    ['FREQ=YEARLY;BYWEEKNO=54', /BYWEEKNO/],
    ['FREQ=YEARLY;BYMONTH=3;FOO=1', /does not parse/],
    ['FREQ=YEARLY;UNTIL=20190101', /ends \(UNTIL\) before it starts/],
    ['DTSTART:2027\nFREQ=YEARLY', /DTSTART must hold a date/],
    ['', /empty/],
  ])('refuses %j', (rrule, message) => {
    expect(() => parseRecurrence(rrule, '2020-01-01')).toThrow(RecurrenceError);
    expect(() => parseRecurrence(rrule, '2020-01-01')).toThrow(message);
  });
});

describe('Norwegian public holidays and working days', () => {
  it('knows the holidays of the law for 2027, and only those', () => {
    expect([...publicHolidays(2027)].sort()).toEqual([
      '2027-01-01', '2027-03-25', '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01',
      '2027-05-06', '2027-05-16', '2027-05-17', '2027-12-25', '2027-12-26',
    ]);
  });

  it('treats Christmas Eve and New Year\'s Eve as working days', () => {
    expect(isWorkingDay('2027-12-24')).toBe(true);
    expect(isWorkingDay('2027-12-31')).toBe(true);
  });

  it.each([
    ['17 May 2027 (also Whit Monday), previous', '2027-05-17', 'previous', '2027-05-14'],
    ['17 May 2027, next', '2027-05-17', 'next', '2027-05-18'],
    ['Easter Monday 2027, previous: past the whole Easter', '2027-03-29', 'previous', '2027-03-24'],
    ['Easter Monday 2027, next', '2027-03-29', 'next', '2027-03-30'],
    ['Christmas Day 2026, previous: Christmas Eve is a working day', '2026-12-25', 'previous', '2026-12-24'],
    ['a Saturday New Year\'s Day, previous: into the old year', '2028-01-01', 'previous', '2027-12-31'],
    ['a Sunday, none: stays', '2027-02-28', 'none', '2027-02-28'],
    ['a working day never moves', '2027-03-01', 'previous', '2027-03-01'],
  ] as const)('%s', (_, date, shift, expected) => {
    inEveryServerZone(() => expect(shiftToWorkingDay(date, shift)).toBe(expected));
  });

  it('finds the first working day of a month', () => {
    expect(firstWorkingDay('2027-05')).toBe('2027-05-03'); // 1 May is a Saturday and a holiday
    expect(firstWorkingDay('2026-11')).toBe('2026-11-02'); // 1 November 2026 is a Sunday
    expect(firstWorkingDay('2027-01')).toBe('2027-01-04'); // New Year's Day is a Friday
  });

  it('shifts the deadlines of a schedule but keeps the date the rule gave', () => {
    expect(deadlinesInYear({ rrule: 'FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=17', startsOn: '2020-01-01', shift: 'previous' }, 2027)).toEqual([
      { scheduledOn: '2027-05-17', deadline: '2027-05-14' },
    ]);
  });
});

describe('dates in the municipality\'s time zone', () => {
  it.each([
    ['late evening UTC is already the next day in Oslo (winter)', '2027-01-31T23:30:00Z', '2027-02-01'],
    ['just after DST starts', '2027-03-28T22:30:00Z', '2027-03-29'],
    ['summer time: 22:30 UTC is 00:30 in Oslo', '2027-10-30T22:30:00Z', '2027-10-31'],
    ['after DST ends, 22:30 UTC is 23:30 in Oslo', '2027-10-31T22:30:00Z', '2027-10-31'],
  ])('%s', (_, instant, expected) => {
    inEveryServerZone(() => expect(localDateAt(new Date(instant), 'Europe/Oslo')).toBe(expected));
  });

  it('turns to the next day at the first second after midnight, asked one right after the other', () => {
    expect(localDateAt(new Date('2027-01-31T22:59:59.999Z'), 'Europe/Oslo')).toBe('2027-01-31');
    expect(localDateAt(new Date('2027-01-31T22:59:59.000Z'), 'Europe/Oslo')).toBe('2027-01-31');
    expect(localDateAt(new Date('2027-01-31T23:00:00.000Z'), 'Europe/Oslo')).toBe('2027-02-01');
    expect(localDateAt(new Date('2027-01-31T23:00:00.000Z'), 'UTC')).toBe('2027-01-31');
    // Liberia kept UTC−0:44:30 until 1972: its midnight fell on a second that began no whole minute.
    expect(localDateAt(new Date('1970-01-02T00:44:29.999Z'), 'Africa/Monrovia')).toBe('1970-01-01');
    expect(localDateAt(new Date('1970-01-02T00:44:30.000Z'), 'Africa/Monrovia')).toBe('1970-01-02');
  });

  it('knows the bounds of a month', () => {
    expect(monthBounds('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthBounds('2027-12')).toEqual({ first: '2027-12-01', last: '2027-12-31' });
  });
});
