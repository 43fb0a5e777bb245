import { addDuration, describeDuration, DurationError, parseDuration } from './duration';

describe('calendar durations as stay offsets', () => {
  it.each([
    ['P4W', '2027-03-01', '2027-03-29'],
    ['-P1W', '2027-06-15', '2027-06-08'],
    ['P1M', '2027-01-31', '2027-02-28'],
    ['P1M', '2028-01-31', '2028-02-29'],
    ['-P1M', '2027-03-31', '2027-02-28'],
    ['P1Y', '2028-02-29', '2029-02-28'],
    ['P14D', '2027-12-25', '2028-01-08'],
    ['P1M10D', '2027-01-31', '2027-03-10'],
    ['P0D', '2027-05-05', '2027-05-05'],
  ])('%s after %s is %s', (text, from, expected) => {
    expect(addDuration(from, parseDuration(text, 'offset'))).toBe(expected);
  });

  it.each(['', 'P', '4W', 'P4w', 'P1W2D', 'PT1H', 'P2Y', 'P13M', 'P53W', 'P367D', 'P1M40D', '+P1W', 'P1.5W', ' P4W', 'P999999999999D', '--P1W'])(
    'refuses %j',
    (text) => {
      expect(() => parseDuration(text, 'offset')).toThrow(DurationError);
    },
  );
});

describe('parseDuration for repeats', () => {
  it.each([
    ['P6M', { sign: 1, years: 0, months: 6, weeks: 0, days: 0 }],
    ['P1Y', { sign: 1, years: 1, months: 0, weeks: 0, days: 0 }],
    ['P2W', { sign: 1, years: 0, months: 0, weeks: 2, days: 0 }],
    ['P1Y2M3W4D', { sign: 1, years: 1, months: 2, weeks: 3, days: 4 }],
    ['P10Y', { sign: 1, years: 10, months: 0, weeks: 0, days: 0 }],
    ['P120M', { sign: 1, years: 0, months: 120, weeks: 0, days: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text, 'repeat')).toEqual(expected);
  });

  it.each([
    ['', 'such as P6M'],
    ['P', 'such as P6M'],
    ['P0D', 'longer than nothing'],
    ['P0Y0M', 'longer than nothing'],
    ['-P1M', 'never negative'],
    ['P-1M', 'such as P6M'],
    ['P100Y', 'at most 10 years'],
    ['P11Y', 'at most 10 years'],
    ['P121M', 'at most 10 years'],
    ['P9Y13M', 'at most 10 years'],
    ['P3700D', 'at most 10 years'],
    ['P99999D', 'such as P6M'],
    ['PT12H', 'such as P6M'],
    ['P1.5M', 'such as P6M'],
    ['p6m', 'such as P6M'],
    ['P6M ', 'such as P6M'],
    ['P1M1Y', 'such as P6M'],
    ['6 months', 'such as P6M'],
    ['P' + '1'.repeat(100) + 'D', 'such as P6M'],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text, 'repeat')).toThrow(message);
  });
});

describe('addDuration for repeats', () => {
  it.each([
    ['2027-03-10', 'P6M', '2027-09-10'],
    ['2027-04-01', 'P6M', '2027-10-01'],
    ['2027-08-31', 'P6M', '2028-02-29'],
    ['2027-08-31', 'P1M', '2027-09-30'],
    ['2028-02-29', 'P1Y', '2029-02-28'],
    ['2027-01-15', 'P1Y', '2028-01-15'],
    ['2027-12-25', 'P2W', '2028-01-08'],
    ['2027-10-15', 'P3M', '2028-01-15'],
    ['2027-01-31', 'P1M1D', '2027-03-01'],
  ])('%s + %s = %s', (date, duration, expected) => {
    expect(addDuration(date, parseDuration(duration, 'repeat'))).toBe(expected);
  });
});

describe('describeDuration', () => {
  it.each([
    ['P6M', '6 måneder'],
    ['P1M', '1 måned'],
    ['P1Y2W', '1 år og 2 uker'],
    ['P1Y1M1D', '1 år, 1 måned og 1 dag'],
  ])('%s reads "%s"', (text, words) => {
    expect(describeDuration(parseDuration(text, 'repeat'))).toBe(words);
  });
});
