import { neutraliseFormula } from './compliance-files';

describe('a CSV text cell a spreadsheet would take for a formula', () => {
  it.each(['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(1)', '\tcmd', '\rcmd'])('%j gets a leading apostrophe', (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
  });

  it.each(['Testhjul', '2027-03', 'Anne Avdelingsleder', 'a=b', ''])('%j stays as it is', (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
});
