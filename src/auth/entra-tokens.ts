import { createRemoteJWKSet, decodeJwt, jwtVerify, JWTPayload } from 'jose';
import { VerifiedTokens } from './verified-tokens';

export interface EntraIdentity {
  tenantId: string;
  objectId: string;
  /** preferred_username / upn / email: used to find the person the first time they sign in. */
  username?: string;
}

/**
 * Microsoft Entra ID access tokens (v2.0), checked against the signing keys the tenant publishes
 * (`{authority}/{tenant}/discovery/v2.0/keys`): signature (RS256 only), issuer, audience, expiry, not-before.
 * The Årshjul API's app registration must issue v2.0 tokens (`accessTokenAcceptedVersion: 2`).
 */
export class EntraTokens {
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  private readonly verified = new VerifiedTokens<EntraIdentity>();

  /** `scope`: a delegated scope the token must carry in `scp` (the Teams tab's access_as_user). */
  constructor(
    private readonly authorityHost: string,
    private readonly audience: string | string[],
    private readonly scope?: string,
  ) {}

  /** The tenant a token claims to come from, read before verifying, to pick that tenant's keys. */
  static claimedTenant(token: string): string | undefined {
    try {
      const tid = decodeJwt(token).tid;
      return typeof tid === 'string' && /^[0-9a-f-]{36}$/i.test(tid) ? tid : undefined;
    } catch {
      return undefined;
    }
  }

  /** A token verified before (for this tenant) is remembered until it expires. */
  verify(token: string, tenantId: string): Promise<EntraIdentity> {
    return this.verified.get(`${tenantId} ${token}`, async () => {
      const { payload } = await jwtVerify(token, this.keySet(tenantId), {
        algorithms: ['RS256'],
        issuer: `${this.authorityHost}/${tenantId}/v2.0`,
        audience: this.audience,
        requiredClaims: ['exp', 'oid', 'tid'],
        clockTolerance: 60,
      });
      if (payload.tid !== tenantId) throw new Error('tid does not match the issuer');
      if (this.scope && !(typeof payload.scp === 'string' && payload.scp.split(' ').includes(this.scope))) throw new Error(`the token lacks the scope ${this.scope}`);
      return { value: { tenantId, objectId: String(payload.oid), username: usernameOf(payload) }, exp: payload.exp! };
    });
  }

  private keySet(tenantId: string) {
    let keySet = this.keySets.get(tenantId);
    if (!keySet) {
      // jose caches the keys and refetches (at most every 30 s) when a token names an unknown key id.
      keySet = createRemoteJWKSet(new URL(`${this.authorityHost}/${tenantId}/discovery/v2.0/keys`));
      this.keySets.set(tenantId, keySet);
    }
    return keySet;
  }
}

function usernameOf(payload: JWTPayload): string | undefined {
  const name = payload.preferred_username ?? payload.upn ?? payload.email;
  return typeof name === 'string' ? name : undefined;
}
