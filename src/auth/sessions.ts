import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export const SESSION_COOKIE = 'arshjul_session';
const ISSUER = 'arshjul-web';
const LIFETIME = '12h';

export interface WebSession {
  personId: string;
  municipalityId: string;
  /** The token every form of this session carries, so another site cannot post on the person's behalf. */
  csrf: string;
}

/**
 * The web app's sign-in: a signed, HttpOnly, SameSite=Lax cookie naming the person, good for a working day.
 * The API reads it too (for the pages' downloads); any change made with it must carry the session's CSRF token.
 */
@Injectable()
export class Sessions {
  private readonly secret: Uint8Array;

  /** The key that signs this service's own short-lived cookies (sessions, and sign-in in progress). */
  get key(): Uint8Array {
    return this.secret;
  }
  readonly secure: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = new TextEncoder().encode(config.sessionSecret ?? localSecret(config.dataDir));
    this.secure = config.publicBaseUrl.startsWith('https://');
  }

  create(personId: string, municipalityId: string): Promise<string> {
    return new SignJWT({ tid: municipalityId, csrf: randomBytes(18).toString('base64url') })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(personId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(LIFETIME)
      .sign(this.secret);
  }

  async read(cookie: string | undefined): Promise<WebSession | undefined> {
    if (!cookie) return undefined;
    try {
      const { payload } = await jwtVerify(cookie, this.secret, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['sub', 'tid', 'csrf', 'exp'] });
      return { personId: String(payload.sub), municipalityId: String(payload.tid), csrf: String(payload.csrf) };
    } catch {
      return undefined;
    }
  }

  cookieOptions() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.secure, path: '/', maxAge: 12 * 3600 * 1000 };
  }
}

function localSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
