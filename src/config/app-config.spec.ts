import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

function problemsOf(environment: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration read at boot', () => {
  it('starts in development with the defaults of config/development.env', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, authMode: 'development', demoData: true });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('lets the environment override a default', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
  });

  it('refuses PORT=abc with a message that names PORT', () => {
    const problems = problemsOf({ PORT: 'abc' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT /);
    expect(problems[0]).toContain('port number');
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL address', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://x@y/z' })[0]).toMatch(/^DATABASE_URL must look like postgres:\/\//);
  });

  it('trusts no proxy unless told how many there are', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(0);
    for (const value of ['true', '-1', 'yes', '10.0.0.0/8']) {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY must be the number of proxies/)]);
    }
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ PORT: '70000', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });

  it('in production requires Entra ID sign-in and names what is missing', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://arshjul.example.no', SESSION_SECRET: 'x'.repeat(40) });
    expect(problems).toEqual([expect.stringMatching(/^ENTRA_AUDIENCE is required/)]);
  });

  it('in production requires a secret for the web sessions', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://arshjul.example.no', ENTRA_AUDIENCE: 'api://arshjul' });
    expect(problems).toEqual([expect.stringMatching(/^SESSION_SECRET is required in production/)]);
  });

  it('refuses development tokens in production', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_MODE: 'development',
      PUBLIC_BASE_URL: 'https://arshjul.example.no',
      SESSION_SECRET: 'x'.repeat(40),
    });
    expect(problems).toEqual([expect.stringMatching(/^AUTH_MODE must be "entra" in production/)]);
  });

  it('takes the service’s own login beside the owner’s', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://owner:a@db/arshjul', APP_DATABASE_URL: 'postgres://arshjul_service:b@db/arshjul' });
    expect(config.appDatabaseUrl).toBe('postgres://arshjul_service:b@db/arshjul');
    expect(config.statementTimeoutMs).toBe(15_000);
  });

  it('refuses APP_DATABASE_URL without the owner’s DATABASE_URL, or naming the owner again', () => {
    expect(problemsOf({ APP_DATABASE_URL: 'postgres://svc:b@db/arshjul' })).toEqual([expect.stringMatching(/^APP_DATABASE_URL needs DATABASE_URL/)]);
    expect(problemsOf({ DATABASE_URL: 'postgres://owner:a@db/arshjul', APP_DATABASE_URL: 'postgres://owner:a@db/arshjul' })).toEqual([
      expect.stringMatching(/^APP_DATABASE_URL must name another user than DATABASE_URL/),
    ]);
  });

  it('refuses a statement timeout that is not a number of milliseconds, naming it', () => {
    expect(problemsOf({ DATABASE_STATEMENT_TIMEOUT_MS: '15s' })).toEqual([expect.stringMatching(/^DATABASE_STATEMENT_TIMEOUT_MS must be a number of milliseconds/)]);
  });

  it('time-stamps chain heads only with a certificate to trust, and names what is missing', () => {
    expect(loadConfig({}).timeStamping).toBeUndefined();
    expect(problemsOf({ TSA_URL: 'http://tsa.example.no/tsr' })).toEqual([expect.stringMatching(/^TSA_CERT_FILE is required with TSA_URL/)]);
    expect(problemsOf({ TSA_URL: 'ftp://tsa.example.no' })[0]).toMatch(/^TSA_URL must be the http\(s\) address/);
    expect(loadConfig({ TSA_URL: 'https://tsa.example.no/tsr', TSA_CERT_FILE: '/etc/arshjul/tsa.pem' }).timeStamping).toEqual({
      url: 'https://tsa.example.no/tsr',
      certFile: '/etc/arshjul/tsa.pem',
      timeoutMs: 10_000,
    });
  });

  it('derives the Teams tab’s Application ID URI from the public address, and names a bad frame ancestor', () => {
    const id = '7a1c2b3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
    expect(loadConfig({ TEAMS_SSO_CLIENT_ID: id, PUBLIC_BASE_URL: 'https://arshjul.kommune.no' }).teams).toMatchObject({
      ssoClientId: id,
      ssoAppIdUri: `api://arshjul.kommune.no/${id}`,
      frameAncestors: expect.arrayContaining(['https://teams.microsoft.com', 'https://*.cloud.microsoft']),
    });
    expect(loadConfig({}).teams.ssoClientId).toBeUndefined();
    expect(problemsOf({ TEAMS_FRAME_ANCESTORS: "https://teams.microsoft.com 'unsafe-inline'" })).toEqual([expect.stringMatching(/^TEAMS_FRAME_ANCESTORS must be/)]);
    expect(problemsOf({ TEAMS_SSO_CLIENT_ID: 'arshjul' })).toEqual([expect.stringMatching(/^TEAMS_SSO_CLIENT_ID must be/)]);
  });

  it('treats an empty variable as not set', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('reads secrets from the files NAME_FILE names, and a password into a DATABASE_URL that has none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arshjul-secrets-'));
    writeFileSync(join(dir, 'session'), 's'.repeat(40) + '\n');
    writeFileSync(join(dir, 'db'), 'p@ss/word\n');
    const config = loadConfig({ SESSION_SECRET_FILE: join(dir, 'session'), DATABASE_URL: 'postgres://arshjul@db:5432/arshjul', DATABASE_PASSWORD_FILE: join(dir, 'db') });
    expect(config.sessionSecret).toBe('s'.repeat(40));
    expect(new URL(config.databaseUrl!).password).toBe(encodeURIComponent('p@ss/word'));
    expect(loadConfig({ SESSION_SECRET: 't'.repeat(40), SESSION_SECRET_FILE: join(dir, 'session') }).sessionSecret).toBe('t'.repeat(40));
    expect(problemsOf({ SESSION_SECRET_FILE: join(dir, 'missing') })).toEqual([`SESSION_SECRET_FILE names ${join(dir, 'missing')}, which cannot be read (ENOENT)`]);
  });

  it('takes METRICS_TOKEN and METRICS_PORT, refusing a short token', () => {
    expect(loadConfig({ METRICS_TOKEN: 'x'.repeat(16), METRICS_PORT: '9464' }).metrics).toEqual({ token: 'x'.repeat(16), port: 9464 });
    expect(problemsOf({ METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN must be at least 16/);
  });
});
