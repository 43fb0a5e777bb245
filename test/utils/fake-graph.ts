import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GraphCall {
  path: string;
  authorization: string;
  body: Record<string, unknown>;
}

/**
 * Plays the parts of Microsoft Entra ID and Microsoft Graph that Årshjul uses, as they are documented:
 * OpenID configuration and the client-credentials token endpoint, `POST /v1.0/users/{id}/sendMail`
 * (202) and `POST /v1.0/users/{id}/teamwork/sendActivityNotification` (204; 403 for someone without the
 * Teams app). It can answer 429 with Retry-After. HTTPS with the certificate the global setup made.
 */
export class FakeGraph {
  readonly tenantId = '8a1b2c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d';
  readonly clientId = 'arshjul-app';
  readonly clientSecret = 'secret-for-tests';
  readonly calls: GraphCall[] = [];
  readonly withoutTeamsApp = new Set<string>();
  /** Answer the next this many Graph calls whose path ends with `path` with 429 and this Retry-After. */
  throttle = { remaining: 0, retryAfter: '60', path: '' };
  tokensIssued = 0;
  /** The `scope` of each token request, as MSAL sent it. */
  readonly tokenScopes: string[] = [];
  base = '';
  private server!: Server;

  async start(): Promise<this> {
    // Made by test/setup/test-certificate.js and trusted through NODE_EXTRA_CA_CERTS (see package.json "test").
    const tls = join(__dirname, '..', '..', 'test-artifacts', 'tls');
    const key = readFileSync(join(tls, 'key.pem'));
    const cert = readFileSync(join(tls, 'cert.pem'));
    this.server = createServer({ key, cert }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => this.answer(req, res, body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `https://localhost:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  environment(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ENTRA_AUTHORITY_HOST: this.base,
      GRAPH_BASE_URL: `${this.base}/v1.0`,
      GRAPH_TENANT_ID: this.tenantId,
      GRAPH_CLIENT_ID: this.clientId,
      GRAPH_CLIENT_SECRET: this.clientSecret,
      ...extra,
    };
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url!, this.base);
    const json = (status: number, value?: unknown, headers: Record<string, string> = {}) => {
      // Graph answers 202 and 204 with no body and no content type.
      res.writeHead(status, value === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    const tenantBase = `${this.base}/${this.tenantId}`;
    if (req.method === 'GET' && url.pathname === `/${this.tenantId}/v2.0/.well-known/openid-configuration`) {
      return json(200, {
        issuer: `${tenantBase}/v2.0`,
        authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
        token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
        end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
        jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'token'],
      });
    }
    if (req.method === 'POST' && url.pathname === `/${this.tenantId}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        return json(401, { error: 'invalid_client' });
      }
      this.tokenScopes.push(form.get('scope') ?? '');
      this.tokensIssued++;
      return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `graph-token-${this.tokensIssued}` });
    }
    if (req.method !== 'POST' || !url.pathname.startsWith('/v1.0/users/')) return json(404, { error: { code: 'NotFound', message: 'No such endpoint' } });
    const authorization = req.headers.authorization ?? '';
    if (!authorization.startsWith('Bearer graph-token-')) return json(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
    if (this.throttle.remaining > 0 && url.pathname.endsWith(this.throttle.path)) {
      this.throttle.remaining--;
      return json(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'Retry-After': this.throttle.retryAfter });
    }
    const parsed = body ? JSON.parse(body) : {};
    const user = decodeURIComponent(url.pathname.split('/')[3]);
    if (url.pathname.endsWith('/sendMail')) {
      this.calls.push({ path: url.pathname, authorization, body: parsed });
      return json(202);
    }
    if (url.pathname.endsWith('/teamwork/sendActivityNotification')) {
      if (this.withoutTeamsApp.has(user)) {
        return json(403, { error: { code: 'Forbidden', message: 'The app is not installed for the user.' } });
      }
      this.calls.push({ path: url.pathname, authorization, body: parsed });
      return json(204);
    }
    return json(404, { error: { code: 'NotFound', message: 'No such endpoint' } });
  }
}
