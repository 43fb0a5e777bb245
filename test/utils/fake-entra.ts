import { createHash } from 'node:crypto';
import { createServer, Server, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';

/**
 * Plays Microsoft Entra ID's documented key endpoint for the tests, since login.microsoftonline.com cannot
 * be reached here: GET {authority}/{tenant}/discovery/v2.0/keys answers the tenant's JSON Web Key Set.
 * It also signs access tokens the way Entra does (RS256, a `kid` from that key set).
 */
export class FakeEntra {
  readonly tenantId = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  private server!: Server;
  private privateKey!: KeyLike;
  private kid = 'test-key-1';
  authorityHost = '';
  keyRequests = 0;
  /** The web app's registration, and who signs in at the authorize endpoint next. */
  readonly webClient = { id: 'arshjul-web', secret: 'web-secret' };
  nextUser: Record<string, unknown> = {};
  private readonly codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; user: Record<string, unknown> }>();

  async start(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.privateKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' };
    this.server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://localhost');
      // The authorisation-code flow with PKCE, as /organizations/oauth2/v2.0/{authorize,token} document it.
      if (req.method === 'GET' && url.pathname === '/organizations/oauth2/v2.0/authorize') {
        const q = url.searchParams;
        if (q.get('client_id') !== this.webClient.id || q.get('code_challenge_method') !== 'S256' || q.get('response_type') !== 'code') {
          res.writeHead(400).end('bad request');
          return;
        }
        const code = `code-${this.codes.size + 1}`;
        this.codes.set(code, { challenge: q.get('code_challenge')!, nonce: q.get('nonce')!, redirectUri: q.get('redirect_uri')!, user: this.nextUser });
        res.writeHead(302, { location: `${q.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(q.get('state')!)}` }).end();
        return;
      }
      if (req.method === 'POST' && url.pathname === '/organizations/oauth2/v2.0/token') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => void this.exchange(new URLSearchParams(body), res));
        return;
      }
      if (req.method === 'GET' && req.url === `/${this.tenantId}/discovery/v2.0/keys`) {
        this.keyRequests++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.authorityHost = `http://127.0.0.1:${port}`;
    return this;
  }

  private async exchange(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const grant = this.codes.get(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!grant || form.get('client_secret') !== this.webClient.secret || challenge !== grant.challenge || form.get('redirect_uri') !== grant.redirectUri) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      return;
    }
    this.codes.delete(form.get('code')!);
    const idToken = await this.token({ nonce: grant.nonce, ...grant.user }, { audience: this.webClient.id });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_type: 'Bearer', id_token: idToken, access_token: 'unused' }));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** An access token as Entra issues it for the Årshjul API; `claims` and `options` override parts of it. */
  token(
    claims: JWTPayload = {},
    options: { expiresIn?: string | number; audience?: string; issuer?: string; key?: KeyLike; kid?: string } = {},
  ): Promise<string> {
    const tid = (claims.tid as string | undefined) ?? this.tenantId;
    return new SignJWT({ tid, oid: '11111111-2222-4333-8444-555555555555', ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.kid })
      .setIssuer(options.issuer ?? `${this.authorityHost}/${tid}/v2.0`)
      .setAudience(options.audience ?? 'api://arshjul')
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.key ?? this.privateKey);
  }
}
