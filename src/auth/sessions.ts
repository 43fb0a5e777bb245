import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuthenticatedPerson } from './authenticated-person';

export const SESSION_COOKIE = 'arshjul_session';
const ISSUER = 'arshjul-web';
const LIFETIME_HOURS = 12;
/** Expired sessions cleared away at each sign-in, which adds one: the table holds little beyond the open sessions. */
const CLEAR_AT_ONCE = 1000;

export interface WebSession {
  id: string;
  person: AuthenticatedPerson;
  /** The token every form of this session carries, so another site cannot post on the person's behalf. */
  csrf: string;
}

/**
 * The web app's sign-in: a signed, HttpOnly, SameSite=Lax cookie naming a session, good for a working day.
 * The session itself is a row in PostgreSQL (web_session), so signing out or archiving the person ends it on
 * every replica; the signature spares the database the cookies it never issued. The API reads the cookie
 * too (for the pages' downloads); any change made with it must carry the session's CSRF token.
 */
@Injectable()
export class Sessions {
  private readonly secret: Uint8Array;

  /** The key that signs this service's own short-lived cookies (sessions, and sign-in in progress). */
  get key(): Uint8Array {
    return this.secret;
  }
  readonly secure: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig, private readonly dataSource: DataSource) {
    this.secret = new TextEncoder().encode(config.sessionSecret ?? localSecret(config.dataDir));
    this.secure = config.publicBaseUrl.startsWith('https://');
  }

  /** Starts a session for the person and returns its cookie. */
  async create(personId: string, municipalityId: string): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(
      `DELETE FROM web_session WHERE id IN (SELECT id FROM web_session WHERE expires_at < now() LIMIT ${CLEAR_AT_ONCE})`,
    );
    await this.dataSource.query(
      `INSERT INTO web_session (id, municipality_id, person_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => ${LIFETIME_HOURS}))`,
      [id, municipalityId, personId],
    );
    return new SignJWT({ tid: municipalityId, csrf: randomBytes(18).toString('base64url') })
      .setProtectedHeader({ alg: 'HS256' })
      .setJti(id)
      .setSubject(personId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_HOURS}h`)
      .sign(this.secret);
  }

  /** The session a cookie names, if it is still open and its person still active; one lookup by key. */
  async read(cookie: string | undefined): Promise<WebSession | undefined> {
    if (!cookie) return undefined;
    const claims = await jwtVerify(cookie, this.secret, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['jti', 'csrf', 'exp'] }).then(
      ({ payload }) => payload,
      () => undefined,
    );
    if (!claims || !UUID.test(String(claims.jti))) return undefined;
    const [row] = await this.dataSource.query(
      `SELECT p.id, p.municipality_id, p.email
         FROM web_session s JOIN person p ON p.municipality_id = s.municipality_id AND p.id = s.person_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND p.archived_at IS NULL`,
      [claims.jti],
    );
    if (!row) return undefined;
    return { id: String(claims.jti), person: { personId: row.id, municipalityId: row.municipality_id, email: row.email }, csrf: String(claims.csrf) };
  }

  /** Signing out: the session's cookie is refused from now on, wherever it is sent. */
  async end(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE web_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }

  cookieOptions() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.secure, path: '/', maxAge: LIFETIME_HOURS * 3600 * 1000 };
  }

  /**
   * The cookie of a session begun inside Teams, where Årshjul is a cross-site frame: a Lax cookie is
   * neither stored nor sent there, so SameSite=None (which requires Secure); Partitioned (CHIPS) keeps it in
   * a jar of its own for the Teams host's site, which is also where browsers blocking third-party cookies
   * still allow it. It never reaches Årshjul opened on its own, so it cannot widen the session's reach.
   */
  framedCookieOptions() {
    return { httpOnly: true, sameSite: 'none' as const, secure: true, partitioned: true, path: '/', maxAge: LIFETIME_HOURS * 3600 * 1000 };
  }
}

/** Ends every open session of a person, in the transaction that archives them. */
export async function endSessionsOf(tx: EntityManager, municipalityId: string, personId: string): Promise<void> {
  await tx.query(`UPDATE web_session SET revoked_at = now() WHERE municipality_id = $1 AND person_id = $2 AND revoked_at IS NULL`, [municipalityId, personId]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
