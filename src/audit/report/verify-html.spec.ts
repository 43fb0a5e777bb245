import fc from 'fast-check';
import { canonicalJson } from '../../records/canonical';
import { VERIFY_HTML, VERIFY_SCRIPT } from './verify-html';

/** verify.html's own canonical(), taken from the page as the browser runs it. */
function browserCanonical(): (value: unknown) => string {
  const source = /function canonical\(value\) \{[\s\S]*?\n\}/.exec(VERIFY_SCRIPT)![0];
  return new Function(`${source}; return canonical;`)() as (value: unknown) => string;
}

describe('verify.html', () => {
  it('writes every JSON value exactly as the records were hashed (src/records/canonical.ts)', () => {
    const canonical = browserCanonical();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // As the page meets it: a line parsed back from its text.
        const parsed = JSON.parse(canonicalJson(value));
        expect(canonical(parsed)).toBe(canonicalJson(parsed));
      }),
      { numRuns: 500 },
    );
    expect(canonical(JSON.parse('{"b":1,"a":{"ø":"å","Z":[null,true,"\\u2028"]},"__proto__":"x"}'))).toBe(canonicalJson(JSON.parse('{"b":1,"a":{"ø":"å","Z":[null,true,"\\u2028"]},"__proto__":"x"}')));
  });

  it('needs nothing from outside: no src, no href to the network, a policy that allows only its own script and style', () => {
    expect(VERIFY_HTML).not.toMatch(/\s(src|href)=/);
    expect(VERIFY_HTML).not.toMatch(/https?:\/\//);
    expect(VERIFY_HTML).toMatch(/Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-/);
  });
});
