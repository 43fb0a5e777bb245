import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { AppHttpAdapter } from './app.http-adapter';
import { AppModule } from './app.module';
import { setUpApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';
import { RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { DEMO_PEOPLE } from './database/seeds/demo-data';
import { tuneGarbageCollection } from './garbage-collection';

// Before anything allocates much (src/garbage-collection.ts).
tuneGarbageCollection();

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Årshjul cannot start. ${error.message}`);
    process.exit(1);
  }
  const log = pino({ level: config.logLevel });

  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'Starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: (message) => log.debug({ component: 'postgres' }, message),
    }).catch((error: Error) => {
      log.fatal(error.message);
      process.exit(1);
    });
    databaseUrl = embedded.url;
  }

  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'Stopping');
    await app?.close().catch((error) => log.error({ err: error }, 'Error while closing'));
    await embedded?.stop();
    process.exit(code);
  };
  process.once('SIGTERM', () => void stop('SIGTERM', 0));
  process.once('SIGINT', () => void stop('SIGINT', 0));

  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  try {
    app = await NestFactory.create(AppModule.register({ config, databaseUrl }), new AppHttpAdapter(), { bufferLogs: true });
    setUpApp(app);
    await app.listen(config.port, config.host);
  } catch (error) {
    log.fatal({ err: error }, 'Årshjul failed to start');
    await stop('failed to start', 1);
    return;
  }

  const base = `http://localhost:${config.port}`;
  log.info({ url: base }, 'Årshjul is listening');
  if (config.authMode === 'development') {
    process.stdout.write(
      `\nÅrshjul is running on ${base}  (API documentation: ${base}/api/docs)\n` +
        `Get a sign-in token for a demo person, then call the API with it:\n` +
        `  TOKEN=$(npm run --silent token -- --email ${DEMO_PEOPLE.leder})\n` +
        `  curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/units\n\n`,
    );
  }
}

void main();
