import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Request, Response, NextFunction } from 'express';
import { randomUUID } from 'node:crypto';
import { createValidationPipe } from './common/validation.pipe';

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

/** Everything main() and the tests both apply to the application, so tests run what production runs. */
export function setUpApp(app: INestApplication): void {
  app.use(assignRequestId);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());

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
