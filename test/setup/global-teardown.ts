import { rmSync } from 'node:fs';
import type { RunningPostgres } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__ARSHJUL_TEST_POSTGRES__ as
    | { postgres: RunningPostgres; dataDir: string }
    | undefined;
  if (!started) return;
  await started.postgres.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}
