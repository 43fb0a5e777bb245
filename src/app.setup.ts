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
import { TEAMS_JS_DIR, TEAMS_JS_PATH } from './web/teams/teams-js';
import { WEB_PATHS } from './web/web.module';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG } from './config/config.module';
import { AppConfig } from './config/app-config';
import { Metrics } from './metrics/metrics';

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

/**
 * Each request's duration under its route template ('/api/v1/units/:id'), never the raw URL, so one series
 * per route whatever ids are asked for; requests no route answered share 'unmatched'.
 */
function timeRequests(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.requestDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl === '/assets' ? '/assets' : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** Everything main() and the tests both apply to the application, so tests run what production runs. */
export function setUpApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  // The caller's address (rate limits, logs): the socket's, or the one the trusted proxies saw. Trusting
  // more proxies than there are would let a caller choose their address with X-Forwarded-For.
  (app as NestExpressApplication).set('trust proxy', config.trustProxy);
  app.use(timeRequests(app.get(Metrics)));
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
          // Inside Teams (and Outlook, Microsoft 365) every page runs in the host's frame, since the tab
          // opens Mine oppgaver and its links go on from there: the hosts Microsoft documents, configurable.
          frameAncestors: ["'self'", ...config.teams.frameAncestors],
        },
      },
      // X-Frame-Options cannot name a list of hosts; frame-ancestors says who may frame, and browsers that
      // know it ignore X-Frame-Options anyway. Sending SAMEORIGIN beside it would contradict it.
      xFrameOptions: false,
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
      { path: 'metrics', method: RequestMethod.GET },
      ...WEB_PATHS.map((path) => ({ path, method: RequestMethod.ALL })),
    ],
  });
  // The web app's stylesheet; everything a page loads comes from the service itself.
  app.use('/assets', express.static(join(__dirname, 'web', 'assets'), { maxAge: '1h' }));
  // The Teams JavaScript library, from the installed package rather than Microsoft's CDN: the CSP allows
  // scripts only from 'self', and the version is the one the tests ran. The path names the version, so
  // the file may be cached for good.
  app.use(TEAMS_JS_PATH, express.static(TEAMS_JS_DIR, { maxAge: '365d', immutable: true, index: false }));
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
