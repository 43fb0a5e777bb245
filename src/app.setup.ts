import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Request, Response, NextFunction } from 'express';
import { randomUUID } from 'node:crypto';
import { createValidationPipe } from './common/validation.pipe';
import { InputShapePipe, refusePrototypeKeysInForm } from './common/input-shape.pipe';
import { withTenantContext } from './auth/tenant-context';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import express from 'express';
import { join } from 'node:path';
import { WEB_PATHS } from './web/web.module';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG } from './config/config.module';
import { AppConfig } from './config/app-config';

export const API_PREFIX = 'api/v1';

/**
 * Every request gets an id, echoed in X-Request-Id, in its log lines and in error bodies. A caller's
 * X-Request-Id is kept (if sane) so one request can be followed across services.
 */
function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
}

/**
 * Pages, API answers (errors included) and exports carry personal data: no browser cache or proxy may keep
 * a copy, for the next person at a shared computer to find with Back. Only the stylesheet may be cached.
 */
function noStore(req: Request, res: Response, next: NextFunction): void {
  if (!req.path.startsWith('/assets/') && req.path !== '/favicon.ico') res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Everything main() and the tests both apply to the application, so tests run what production runs. */
export function setUpApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  // The caller's address (rate limits, logs): the socket's, or the one the trusted proxies saw. Trusting
  // more proxies than there are would let a caller choose their address with X-Forwarded-For.
  (app as NestExpressApplication).set('trust proxy', config.trustProxy);
  app.use(noStore);
  app.use(withTenantContext);
  app.use(cookieParser());
  app.use(assignRequestId);
  // Security headers. Scripts only from the service itself (no inline scripts, no CDNs); Swagger UI's
  // styles are inline, hence 'unsafe-inline' for styles alone.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'self'", 'https://teams.microsoft.com', 'https://*.teams.microsoft.com'],
        },
      },
    }),
  );
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: true });
  // JSON bodies are small here: a sign-off, a task. A larger one is refused with 413.
  (app as NestExpressApplication).useBodyParser('json', { limit: '100kb' });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      ...WEB_PATHS.map((path) => ({ path, method: RequestMethod.ALL })),
    ],
  });
  // The web app's stylesheet; everything a page loads comes from the service itself.
  app.use('/assets', express.static(join(__dirname, 'web', 'assets'), { maxAge: '1h' }));
  // Browsers ask for /favicon.ico whatever the page says: the icon, not a 404 page.
  app.use('/favicon.ico', (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' || req.method === 'HEAD'
      ? res.type('image/x-icon').set('Cache-Control', 'public, max-age=86400').sendFile(join(__dirname, 'web', 'assets', 'favicon.ico'))
      : next(),
  );
  // Forms post urlencoded bodies.
  (app as NestExpressApplication).useBodyParser('urlencoded', { extended: false, limit: '100kb', verify: refusePrototypeKeysInForm });
  // First what no DTO can see (unstorable text, prototype keys, deep nesting), then each DTO.
  app.useGlobalPipes(new InputShapePipe(), createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Årshjul API')
      .setDescription(
        'Annual cycles (årshjul) of recurring tasks, their occurrences, signed completion records and reminders ' +
          'for Norwegian municipal health and care units. Every error is application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
