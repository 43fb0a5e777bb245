import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
(async () => {
  const config = loadConfig(process.env);
  setTimeout(() => { console.error('still booting'); process.exit(3); }, 25000).unref();
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, databaseUrl: config.databaseUrl! }), { logger: ['error', 'warn', 'log', 'debug', 'verbose'] });
  console.error('booted');
  await app.close();
})();
