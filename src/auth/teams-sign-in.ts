import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ForbiddenProblem, UnauthenticatedProblem } from './auth.exceptions';
import { AuthService } from './auth.service';
import { EntraTokens } from './entra-tokens';
import { Sessions } from './sessions';

/** The delegated scope the Teams tab's app registration exposes and Teams asks for (Microsoft's tab SSO). */
export const TEAMS_SSO_SCOPE = 'access_as_user';

/**
 * Sign-in inside the Teams personal tab: Teams single sign-on gives the tab's script an Entra ID access token
 * for the tab's own app registration (`getAuthToken()`), and this turns it into a web session. The token is
 * checked as the API checks its bearer tokens — the tenant's published keys, RS256, issuer
 * `{authority}/{tid}/v2.0`, expiry — with the audience of the tab's registration (its Application ID URI or
 * client id) and the `access_as_user` scope; the tenant must be a municipality's and the person known.
 */
@Injectable()
export class TeamsSignIn {
  private readonly tokens?: EntraTokens;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly sessions: Sessions,
  ) {
    const { ssoClientId, ssoAppIdUri } = config.teams;
    if (ssoClientId) this.tokens = new EntraTokens(config.entra.authorityHost, [ssoAppIdUri!, ssoClientId], TEAMS_SSO_SCOPE);
  }

  get enabled(): boolean {
    return !!this.tokens;
  }

  /**
   * Login CSRF: another site must not be able to sign a browser in as somebody else with a token of its own.
   * Only the tab's script calls this, from Årshjul's own origin, with a JSON body: a cross-site form cannot
   * send JSON, and a cross-site fetch carries its own Origin (and is refused a CORS preflight).
   */
  checkCaller(origin: string | undefined, isJson: boolean): void {
    if (!isJson || origin !== new URL(this.config.publicBaseUrl).origin) {
      throw new ForbiddenProblem('Sign-in with a Teams token is only accepted from the Årshjul tab itself (JSON, from its own origin).');
    }
  }

  /** The session cookie for the token's person. */
  async exchange(token: string): Promise<string> {
    if (!this.tokens) throw new UnauthenticatedProblem('Sign-in from Teams is not set up in this installation (TEAMS_SSO_CLIENT_ID).');
    const tenantId = EntraTokens.claimedTenant(token);
    const municipality = tenantId ? await this.auth.municipalityOfTenant(tenantId) : null;
    if (!tenantId || !municipality) throw new UnauthenticatedProblem('The token is not from an Entra ID tenant that Årshjul serves.');
    const identity = await this.tokens.verify(token, tenantId).catch(() => {
      throw new UnauthenticatedProblem('The Teams token is not valid: check its signature, issuer, audience, scope and expiry.');
    });
    // An unknown person gets the API's answer: 403 with "ask your administrator".
    const person = await this.auth.personFor(municipality.id, identity);
    return this.sessions.create(person.id, person.municipalityId);
  }
}
