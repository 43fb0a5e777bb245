import { generateKeyPairSync } from 'node:crypto';
import { DevTokens } from './dev-tokens';
import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  let now: number;
  let calls: string[];
  let tokens: VerifiedTokens<string>;
  const verifier = (token: string, exp: number) => async () => {
    calls.push(token);
    return { value: `claims of ${token}`, exp };
  };

  beforeEach(() => {
    now = Date.UTC(2026, 11, 2, 8);
    calls = [];
    tokens = new VerifiedTokens(() => now);
  });
  const inAnHour = () => now / 1000 + 3600;

  it('verifies a token once and remembers what it says', async () => {
    const exp = inAnHour();
    expect(await tokens.get('a.b.c', verifier('a.b.c', exp))).toBe('claims of a.b.c');
    now += 60_000;
    expect(await tokens.get('a.b.c', verifier('a.b.c', exp))).toBe('claims of a.b.c');
    expect(calls).toEqual(['a.b.c']);
  });

  it('verifies a token that differs in one character afresh', async () => {
    await tokens.get('a.b.c', verifier('a.b.c', inAnHour()));
    await tokens.get('a.b.d', verifier('a.b.d', inAnHour()));
    expect(calls).toEqual(['a.b.c', 'a.b.d']);
  });

  it('forgets a token when it expires, and a failed verification then fails the request', async () => {
    const exp = now / 1000 + 30;
    await tokens.get('a.b.c', verifier('a.b.c', exp));
    now += 30_000;
    await expect(tokens.get('a.b.c', () => Promise.reject(new Error('"exp" claim timestamp check failed')))).rejects.toThrow('exp');
  });

  it('verifies again after five minutes even when the token lives longer', async () => {
    await tokens.get('a.b.c', verifier('a.b.c', inAnHour()));
    now += 5 * 60_000 - 1;
    await tokens.get('a.b.c', verifier('a.b.c', inAnHour()));
    now += 1;
    await tokens.get('a.b.c', verifier('a.b.c', inAnHour()));
    expect(calls).toEqual(['a.b.c', 'a.b.c']);
  });

  it('does not remember a token that failed', async () => {
    await expect(tokens.get('bad', () => Promise.reject(new Error('signature verification failed')))).rejects.toThrow('signature');
    await expect(tokens.get('bad', () => Promise.reject(new Error('signature verification failed again')))).rejects.toThrow('again');
  });

  it('remembers at most 2,000 tokens, forgetting the oldest first', async () => {
    for (let i = 0; i <= 2000; i++) await tokens.get(`t${i}`, verifier(`t${i}`, inAnHour()));
    calls = [];
    await tokens.get('t2000', verifier('t2000', inAnHour()));
    await tokens.get('t0', verifier('t0', inAnHour()));
    expect(calls).toEqual(['t0']);
  });
});

describe('DevTokens with remembered verifications', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const claims = { personId: '5b0d1c52-3f0e-4a0b-9f3c-0d6f3c1e2a11', municipalityId: '0b8a4f2e-6d1c-4e3a-8f5b-2c9d7e1a3b44', email: 'kari@example.no' };

  it('still refuses a forged copy of a token it has verified', async () => {
    const tokens = new DevTokens(privateKey, '1h');
    const token = await tokens.issue(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url');
    await expect(tokens.verify(`${header}.${forgedPayload}.${signature}`)).rejects.toThrow();
  });

  it('refuses an expired token', async () => {
    const tokens = new DevTokens(privateKey, '-1s');
    await expect(tokens.verify(await tokens.issue(claims))).rejects.toThrow(/exp/);
  });
});
