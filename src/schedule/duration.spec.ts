import { addDuration, DurationError, parseDuration } from './duration';

describe('calendar durations', () => {
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
    expect(addDuration(from, parseDuration(text))).toBe(expected);
  });

  it.each(['', 'P', '4W', 'P4w', 'P1W2D', 'PT1H', 'P2Y', 'P13M', 'P53W', 'P367D', 'P1M40D', '+P1W', 'P1.5W', ' P4W', 'P999999999999D', '--P1W'])(
    'refuses %j',
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationError);
    },
  );
});
