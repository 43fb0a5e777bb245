import { containsFodselsnummer, hasFodselsnummerCheckDigits } from './fodselsnummer';

describe('recognising a fødselsnummer', () => {
  // Synthetic numbers with valid check digits (no real person's).
  it.each(['01010112377', '15076500565', '41010112360'])('%s has valid check digits', (n) => {
    expect(hasFodselsnummerCheckDigits(n)).toBe(true);
  });

  it.each(['01010112378', '12345678901', '0101011235', 'abcdefghijk'])('%s does not', (n) => {
    expect(hasFodselsnummerCheckDigits(n)).toBe(false);
  });

  it.each(['01010112377', 'FJV-01010112377', '010101 12377', '010101.123.77', 'x15076500565y'])('finds one in %j', (text) => {
    expect(containsFodselsnummer(text)).toBe(true);
  });

  it.each(['FJV-001', 'BH-2027-0042', '12345678901', '2027'])('finds none in %j', (text) => {
    expect(containsFodselsnummer(text)).toBe(false);
  });
});
