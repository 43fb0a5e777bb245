import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';

export const DEV_TOKEN_ALGORITHM = 'EdDSA';
export const DEV_TOKEN_ISSUER = 'arshjul-development';
export const DEV_TOKEN_AUDIENCE = 'arshjul';

const fileName = 'dev-token-key.jwk.json';

/**
 * The key that signs development tokens. The service creates it on first start in DATA_DIR; the
 * `npm run token` command reads the same file. It never signs anything in production mode.
 */
export async function loadOrCreateDevSigningKey(dataDir: string): Promise<KeyLike> {
  const file = join(dataDir, fileName);
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(DEV_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
    mkdirSync(dataDir, { recursive: true });
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readDevSigningKey(dataDir);
}

export async function readDevSigningKey(dataDir: string): Promise<KeyLike> {
  const file = join(dataDir, fileName);
  if (!existsSync(file)) throw new Error(`No development signing key in ${dataDir}: start the service once (npm start).`);
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  return (await importJWK(jwk, DEV_TOKEN_ALGORITHM)) as KeyLike;
}
