import { ExecutionContext, HttpStatus, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { decodeJwt } from 'jose';
import { ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/app-config';

export class TooManyRequestsProblem extends ProblemException {
  constructor(readonly retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'too-many-requests', 'For mange forespørsler', `Too many requests: wait ${retryAfterSeconds} seconds and try again.`);
  }
}

/**
 * Who a request counts against: the person named in its bearer token. The token is only read here, not
 * trusted: a forged token still counts against the sender's address through the per-IP limit.
 */
function personKey(req: Record<string, unknown>): string {
  const header = String((req.headers as Record<string, unknown>)?.authorization ?? '');
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  try {
    const claims = decodeJwt(token);
    if (claims.sub) return `person:${String(claims.tid ?? '')}:${claims.sub}`;
  } catch {
    // not a JWT: counted by address
  }
  return `ip:${String(req.ip)}`;
}

/** Answers a limit with 429 problem+json and Retry-After, like every other refusal. */
@Injectable()
class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse().setHeader('Retry-After', String(seconds));
    throw new TooManyRequestsProblem(seconds);
  }
}

/**
 * Rate limits that a person clicking never meets and a script hammering soon does: per person (from the
 * token) and per IP address, in a window of RATE_LIMIT_WINDOW_SECONDS. Counted in each replica's memory.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'person', ttl: config.rateLimit.windowSeconds * 1000, limit: config.rateLimit.perPerson, getTracker: personKey },
          { name: 'ip', ttl: config.rateLimit.windowSeconds * 1000, limit: config.rateLimit.perIp, getTracker: (req) => String(req.ip) },
        ],
        // Probes must always get through.
        skipIf: (context) => String(context.switchToHttp().getRequest().url ?? '').startsWith('/health/'),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
