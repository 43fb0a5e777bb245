import { createPublicKey, KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { DEV_TOKEN_ALGORITHM, DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER } from './dev-signing-key';
import { VerifiedTokens } from './verified-tokens';

export interface DevTokenClaims {
  personId: string;
  municipalityId: string;
  email: string;
}

/** Development sign-in: short-lived JWTs signed with the local key. Refused in production mode. */
export class DevTokens {
  private readonly publicKey: KeyObject;
  private readonly verified = new VerifiedTokens<DevTokenClaims>();

  constructor(private readonly privateKey: KeyObject, private readonly ttl: string) {
    this.publicKey = createPublicKey(privateKey);
  }

  issue(claims: DevTokenClaims): Promise<string> {
    return new SignJWT({ tid: claims.municipalityId, email: claims.email })
      .setProtectedHeader({ alg: DEV_TOKEN_ALGORITHM, typ: 'JWT' })
      .setSubject(claims.personId)
      .setIssuer(DEV_TOKEN_ISSUER)
      .setAudience(DEV_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(this.ttl)
      .sign(this.privateKey);
  }

  /** Throws (a jose error) on a forged, expired or foreign token. A token verified before is remembered until it expires. */
  verify(token: string): Promise<DevTokenClaims> {
    return this.verified.get(token, async () => {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [DEV_TOKEN_ALGORITHM],
        issuer: DEV_TOKEN_ISSUER,
        audience: DEV_TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'tid', 'exp'],
      });
      return { value: { personId: String(payload.sub), municipalityId: String(payload.tid), email: String(payload.email ?? '') }, exp: payload.exp! };
    });
  }
}
