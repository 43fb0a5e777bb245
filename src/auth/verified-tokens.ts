/** How many verified tokens a replica remembers; beyond it the oldest is forgotten (and verified again when it returns). */
const MAX_TOKENS = 2000;
/** A token is verified again after this long at the latest, even if it expires later. */
const MAX_AGE_MS = 5 * 60_000;

/**
 * What a bearer token was verified to say, remembered until the token expires (at most MAX_AGE_MS), so that a
 * client sending the same token many times a minute is not verified each time: the signature check was 0.35 ms of
 * a checklist request's 4.6 ms of CPU (bench/README.md, ninth round). Keyed by the whole token, so a token
 * differing in any byte is verified afresh; a token that fails is never remembered.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The token's verified value: remembered, or from `verify` (which gives the token's `exp`, in seconds). */
  async get(token: string, verify: () => Promise<{ value: T; exp: number }>): Promise<T> {
    const now = this.now();
    const known = this.entries.get(token);
    if (known && known.until > now) return known.value;
    if (known) this.entries.delete(token);
    const { value, exp } = await verify();
    if (this.entries.size >= MAX_TOKENS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { value, until: Math.min(exp * 1000, now + MAX_AGE_MS) });
    return value;
  }
}
