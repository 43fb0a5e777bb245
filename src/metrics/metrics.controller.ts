import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedProblem } from '../auth/auth.exceptions';
import { Public } from '../auth/decorators';
import { ProblemException } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from './metrics';

/**
 * GET /metrics for Prometheus, only to the bearer of METRICS_TOKEN. Without a token configured the route
 * does not exist (404): metrics name routes and volumes, which are nobody else's business.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.metrics.token;
    if (!token) throw new ProblemException(404, 'not-found', 'Finnes ikke', 'Metrics are not served here: set METRICS_TOKEN or METRICS_PORT.');
    if (!sameSecret(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '', token)) {
      throw new UnauthenticatedProblem('Metrics need Authorization: Bearer <METRICS_TOKEN>.');
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}

/** Constant-time comparison; hashing first makes the lengths equal, so not even the length leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
