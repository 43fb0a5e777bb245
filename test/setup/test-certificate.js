// Before jest starts: a TLS certificate for localhost, for the tests' stand-ins of Microsoft Graph and
// Entra ID, which MSAL only reaches over HTTPS. The test command passes it to Node as NODE_EXTRA_CA_CERTS,
// which Node reads only when a process starts — hence a step of its own, before jest and its workers.
const { mkdirSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { generate } = require('selfsigned');

const dir = join(__dirname, '..', '..', 'test-artifacts', 'tls');
(async () => {
  if (existsSync(join(dir, 'cert.pem')) && existsSync(join(dir, 'key.pem'))) return;
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    days: 3650,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cert.pem'), pems.cert);
  writeFileSync(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
})();
