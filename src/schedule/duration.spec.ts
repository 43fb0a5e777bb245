import { addDuration, describeDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['P6M', { years: 0, months: 6, weeks: 0, days: 0 }],
    ['P1Y', { years: 1, months: 0, weeks: 0, days: 0 }],
    ['P2W', { years: 0, months: 0, weeks: 2, days: 0 }],
    ['P1Y2M3W4D', { years: 1, months: 2, weeks: 3, days: 4 }],
    ['P10Y', { years: 10, months: 0, weeks: 0, days: 0 }],
    ['P120M', { years: 0, months: 120, weeks: 0, days: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
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
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('addDuration', () => {
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
    expect(addDuration(date, parseDuration(duration))).toBe(expected);
  });
});

describe('describeDuration', () => {
  it.each([
    ['P6M', '6 måneder'],
    ['P1M', '1 måned'],
    ['P1Y2W', '1 år og 2 uker'],
    ['P1Y1M1D', '1 år, 1 måned og 1 dag'],
  ])('%s reads "%s"', (text, words) => {
    expect(describeDuration(parseDuration(text))).toBe(words);
  });
});
