import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real RFC 3161 time-stamping authority for tests: a CA and a TSA certificate (extendedKeyUsage critical,
 * timeStamping) made here with Debian's openssl, and a tiny HTTP server that hands each
 * `application/timestamp-query` to `openssl ts -reply` and returns its reply. It can be made to hang, to
 * play an authority that is down or slow.
 */
export class LocalTsa {
  readonly dir = mkdtempSync(join(tmpdir(), 'arshjul-tsa-'));
  port = 0;
  requests = 0;
  /** When set, requests are accepted and never answered. */
  hang = false;
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${this.port}/tsa`;
  }
  /** The CA that issued the TSA's certificate: what TSA_CERT_FILE names. */
  get caFile(): string {
    return join(this.dir, 'ca.pem');
  }
  get tsaCertFile(): string {
    return join(this.dir, 'tsa.pem');
  }

  async start(): Promise<this> {
    this.makeCertificates();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        if (this.hang) return;
        if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
          res.writeHead(400).end();
          return;
        }
        // Files, not pipes: openssl cannot fopen() a socket that node hands it as /dev/stdin.
        const query = join(this.dir, `query-${this.requests}.tsq`);
        const reply = join(this.dir, `reply-${this.requests}.tsr`);
        writeFileSync(query, Buffer.concat(chunks));
        execFile('openssl', ['ts', '-reply', '-config', 'tsa.cnf', '-section', 'tsa_config', '-queryfile', query, '-out', reply], { cwd: this.dir }, (error) => {
          if (error) res.writeHead(500).end();
          else res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(reply));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private makeCertificates(): void {
    writeFileSync(
      join(this.dir, 'tsa.cnf'),
      `[req]
distinguished_name = dn
prompt = no
[dn]
CN = Test CA
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[tsa_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa_config]
dir = .
serial = ./serial
signer_cert = ./tsa.pem
certs = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_alg = sha256
`,
    );
    writeFileSync(join(this.dir, 'serial'), '01\n');
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-config', 'tsa.cnf', '-extensions', 'ca_ext');
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Test TSA');
    openssl('x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '3650', '-extfile', 'tsa.cnf', '-extensions', 'tsa_ext');
  }
}
