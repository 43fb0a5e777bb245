import { inspect } from './input-shape.pipe';
import { FODSELSNUMMER_MESSAGE, normaliseText, textFault } from './text';

describe('text that may enter Årshjul', () => {
  it.each([
    ['plain Norwegian', 'Gjennomgått på personalmøtet 24.2.'],
    ['line breaks and tabs', 'linje 1\nlinje 2\tinnrykk'],
    ['emoji and other planes', '🙂 𝄞 U+10FFFF \u{10FFFF}'],
    ['noncharacters PostgreSQL stores as they are', '\uFFFE\uFFFF'],
  ])('takes %s', (_, text) => {
    expect(textFault(text)).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate', 'a\ud800', /surrogate/],
    ['a lone low surrogate', '\udc00b', /surrogate/],
    ['NUL', 'a\u0000b', /NUL/],
    ['a bell', '\u0007', /control character/],
    ['a carriage return on its own', 'a\rb', /control character/],
    ['DEL', '\u007f', /control character/],
    ['a C1 control', '\u0085', /control character/],
    ['a fødselsnummer', 'Gjelder 150765–00565', new RegExp(FODSELSNUMMER_MESSAGE)],
  ])('refuses %s', (_, text, why) => {
    expect(textFault(text)).toMatch(why);
  });

  it('normalises to NFC, CRLF to LF, and trims', () => {
    expect(normaliseText('  A\u030Arshjul\r\nlinje 2 ')).toBe('Årshjul\nlinje 2');
  });
});

describe('screening a request before its DTO', () => {
  it('names the field holding NUL or half a surrogate pair', () => {
    expect(inspect({ comment: 'ok', nested: { list: ['x', 'a\u0000'] }, storedIn: '\ud800' }, '')).toEqual(
      expect.arrayContaining([
        { field: 'nested.list.1', message: 'holds a NUL character' },
        { field: 'storedIn', message: 'holds a broken character (half of a surrogate pair)' },
      ]),
    );
  });

  it('refuses keys that name the prototype like unknown fields', () => {
    expect(inspect(JSON.parse('{"name":"x","__proto__":{"admin":true},"a":{"constructor":1}}'), '')).toEqual(
      expect.arrayContaining([
        { field: '__proto__', message: 'is not a known field' },
        { field: 'a.constructor', message: 'is not a known field' },
      ]),
    );
  });

  it('stops at deep nesting without recursing', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(inspect(deep, '')).toEqual([{ field: '0.0.0.0.0.0.0.0', message: 'nests deeper than 8 levels' }]);
  });
});
