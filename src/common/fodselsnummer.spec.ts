import { containsFodselsnummer, hasFodselsnummerCheckDigits, isFodselsnummer } from './fodselsnummer';

describe('recognising a fødselsnummer', () => {
  // Synthetic numbers with valid check digits (no real person's).
  it.each(['01010112377', '15076500565', '41010112360'])('%s has valid check digits', (n) => {
    expect(hasFodselsnummerCheckDigits(n)).toBe(true);
  });

  it.each(['01010112378', '12345678901', '0101011235', 'abcdefghijk'])('%s does not', (n) => {
    expect(hasFodselsnummerCheckDigits(n)).toBe(false);
  });

  it.each([
    ['an ordinary number', '15076500565'],
    ['a D-number (day + 40)', '55076510007'],
    ['an H-number (month + 40)', '15476510187'],
  ])('knows %s', (_, n) => {
    expect(isFodselsnummer(n)).toBe(true);
  });

  it('wants a birth date as well as the check digits', () => {
    // Valid check digits, but day 00 and month 80: a case number, not a person.
    expect(hasFodselsnummerCheckDigits('00800010039')).toBe(true);
    expect(isFodselsnummer('00800010039')).toBe(false);
  });

  it.each([
    '01010112377',
    'FJV-01010112377',
    '010101 12377',
    '010101.123.77',
    'x15076500565y',
    '150765–00565', // en dash, as Word writes it
    '150765—00565',
    '150765/00565',
    '150765_00565',
    '１５０７６５００５６５', // full-width digits
    '150765\u200b00565', // zero-width space
    '150765\u00ad00565', // soft hyphen
    '1 5 0 7 6 5 0 0 5 6 5',
    '150765\u00a000565', // no-break space
    '١٥٠٧٦٥٠٠٥٦٥', // Arabic-Indic digits
    'https://gerica.no/journal/15076500565/notat',
  ])('finds one in %j', (text) => {
    expect(containsFodselsnummer(text)).toBe(true);
  });

  it.each([
    'FJV-001',
    'BH-2027-0042',
    '12345678901',
    '2027',
    'Møte 01.03.2027 kl. 10.00',
    'Ring 12345678 eller 98765432',
    'tlf. +47 55 55 55 55',
    '01.03.2027 - 15.03.2027',
    'FREQ=YEARLY;UNTIL=20301231T000000Z',
  ])('finds none in %j', (text) => {
    expect(containsFodselsnummer(text)).toBe(false);
  });
});
