import { createServer, Server } from 'node:http';
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

  async start(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.privateKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' };
    this.server = createServer((req, res) => {
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
