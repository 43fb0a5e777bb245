import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT } from 'jose';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnauthenticatedProblem } from './auth.exceptions';
import { AuthService } from './auth.service';
import { Sessions } from './sessions';

export const SIGN_IN_COOKIE = 'arshjul_signin';

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  next: string;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * Browser sign-in with Microsoft Entra ID: the authorisation-code flow with PKCE, for any tenant Årshjul
 * serves (the `organizations` endpoint). The verifier, state and nonce wait in a short-lived signed cookie;
 * the ID token is checked against its own tenant's keys, issuer, audience and nonce before the person is
 * looked up as the API does.
 */
@Injectable()
export class EntraSignIn {
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly sessions: Sessions, private readonly auth: AuthService) {}

  get enabled(): boolean {
    return this.config.authMode === 'entra' && !!this.config.entra.webClientId;
  }

  private get redirectUri(): string {
    return `${this.config.publicBaseUrl}/logg-inn/tilbake`;
  }

  /** Where to send the browser, and the cookie that remembers what was asked. */
  async start(next: string): Promise<{ url: string; cookie: string }> {
    const pending: Pending = { verifier: b64url(randomBytes(32)), state: b64url(randomBytes(16)), nonce: b64url(randomBytes(16)), next };
    const params = new URLSearchParams({
      client_id: this.config.entra.webClientId!,
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: b64url(createHash('sha256').update(pending.verifier).digest()),
      code_challenge_method: 'S256',
    });
    const cookie = await new SignJWT({ ...pending }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('10m').sign(this.sessions.key);
    return { url: `${this.config.entra.authorityHost}/organizations/oauth2/v2.0/authorize?${params}`, cookie };
  }

  /** Back from Entra: exchange the code, check the ID token, and return the session cookie and where to go. */
  async finish(code: string | undefined, state: string | undefined, cookie: string | undefined): Promise<{ session: string; next: string }> {
    const pending = cookie ? await jwtVerify(cookie, this.sessions.key, { algorithms: ['HS256'] }).then((r) => r.payload as unknown as Pending, () => undefined) : undefined;
    if (!pending || !code || state !== pending.state) throw new UnauthenticatedProblem('The sign-in was interrupted or has expired: start again.');
    const response = await fetch(`${this.config.entra.authorityHost}/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: this.config.entra.webClientId!,
        client_secret: this.config.entra.webClientSecret!,
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.redirectUri,
        code_verifier: pending.verifier,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as { id_token?: string };
    if (!response.ok || !body.id_token) throw new UnauthenticatedProblem('Entra ID did not accept the sign-in.');

    const tid = String(decodeJwt(body.id_token).tid ?? '');
    const municipality = /^[0-9a-f-]{36}$/i.test(tid) ? await this.auth.municipalityOfTenant(tid) : null;
    if (!municipality) throw new UnauthenticatedProblem('Your organisation does not use Årshjul.');
    const { payload } = await jwtVerify(body.id_token, this.keySet(tid), {
      algorithms: ['RS256'],
      issuer: `${this.config.entra.authorityHost}/${tid}/v2.0`,
      audience: this.config.entra.webClientId,
      requiredClaims: ['oid', 'nonce', 'exp'],
      clockTolerance: 60,
    }).catch(() => {
      throw new UnauthenticatedProblem('The ID token from Entra ID is not valid.');
    });
    if (payload.nonce !== pending.nonce) throw new UnauthenticatedProblem('The ID token does not belong to this sign-in.');
    const username = payload.preferred_username ?? payload.email;
    // An unknown person gets the API's answer: 403 with "ask your administrator".
    const person = await this.auth.personFor(municipality.id, { tenantId: tid, objectId: String(payload.oid), username: typeof username === 'string' ? username : undefined });
    return { session: await this.sessions.create(person.id, person.municipalityId), next: pending.next };
  }

  private keySet(tenantId: string) {
    let keySet = this.keySets.get(tenantId);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(`${this.config.entra.authorityHost}/${tenantId}/discovery/v2.0/keys`));
      this.keySets.set(tenantId, keySet);
    }
    return keySet;
  }
}
