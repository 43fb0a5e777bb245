import { HOME_PATH, safeNextPath } from './next-path';

describe('safeNextPath: where sign-in may send a browser', () => {
  it.each([
    '/oppgaver',
    '/oppgaver/0b7c1a52-3a0e-4a8b-9d1c-6f2e8a4b5c6d?signert=1',
    '/sjekkliste?enhet=0b7c1a52-3a0e-4a8b-9d1c-6f2e8a4b5c6d&maned=2027-02&status=ikke%20utf%C3%B8rt',
    '/administrasjon?q=50%25',
    '/arshjul#mars',
  ])('keeps the page %j', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    ['another site', '//evil.example'],
    ['a backslash browsers read as a slash', '/\\evil.example'],
    ['an encoded backslash', '/%5Cevil.example'],
    ['encoded slashes', '/%2F%2Fevil.example'],
    ['slashes encoded twice', '/%252F%252Fevil.example'],
    ['a tab browsers drop', '/\t/evil.example'],
    ['an encoded tab', '/%09/evil.example'],
    ['a scheme', 'https://evil.example'],
    ['javascript', 'javascript:alert(1)'],
    ['a relative path', 'evil.example'],
    ['malformed encoding', '/oppgaver%E0%A4%A'],
    ['nothing', ''],
    ['not text', ['/oppgaver']],
    ['an endless link', `/${'a'.repeat(3000)}`],
  ])('sends %s home', (_why, next) => {
    expect(safeNextPath(next)).toBe(HOME_PATH);
  });
});
