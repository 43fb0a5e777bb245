import { ExecutionContext, HttpStatus, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler/dist/throttler.guard.interface';
import type { Request } from 'express';
import { IS_PUBLIC } from './decorators';
import { ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/app-config';
import { SharedRateLimitStorage } from './shared-rate-limits';

export class TooManyRequestsProblem extends ProblemException {
  constructor(readonly retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'too-many-requests', 'For mange forespørsler', `Too many requests: wait ${retryAfterSeconds} seconds and try again.`);
  }
}

/**
 * Answers a limit with 429 problem+json and Retry-After, like every other refusal. Each subclass counts
 * one of the throttlers below, at its own point in the request.
 */
abstract class RateLimitGuard extends ThrottlerGuard {
  protected abstract readonly counts: 'ip' | 'person';

  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    return request.throttler.name === this.counts ? super.handleRequest(request) : Promise.resolve(true);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse().setHeader('Retry-After', String(seconds));
    throw new TooManyRequestsProblem(seconds);
  }
}

/** Every request counts against the address it came from, before anything in it is read or checked. */
@Injectable()
class AddressRateLimitGuard extends RateLimitGuard {
  protected readonly counts = 'ip';
}

/**
 * A signed-in request counts against its person too. This guard runs after the AuthGuard (see AuthModule),
 * so the person is one Årshjul verified (a signed token, a live session), never one a request merely names:
 * 100 forged tokens naming a manager count against their sender's address, and lock nobody else out.
 */
@Injectable()
export class PersonRateLimitGuard extends RateLimitGuard {
  protected readonly counts = 'person';

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.switchToHttp().getRequest<Request>().person) return false;
    // Sign-in pages and probes have no person: the address limit is theirs.
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    throw new Error('PersonRateLimitGuard must run after the AuthGuard');
  }
}

/**
 * Rate limits that a person clicking never meets and a script hammering soon does: per address (every
 * request, before it is checked) and per verified person (after the AuthGuard), in a window of
 * RATE_LIMIT_WINDOW_SECONDS. The address is the socket's unless TRUST_PROXY says how many proxies to believe.
 * Counted in PostgreSQL (SharedRateLimitStorage), so every replica counts against the same limit.
 */
@Module({
  providers: [SharedRateLimitStorage],
  exports: [SharedRateLimitStorage],
})
class SharedRateLimitStorageModule {}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [SharedRateLimitStorageModule],
      inject: [APP_CONFIG, SharedRateLimitStorage],
      useFactory: (config: AppConfig, storage: SharedRateLimitStorage) => ({
        storage,
        throttlers: [
          { name: 'person', ttl: config.rateLimit.windowSeconds * 1000, limit: config.rateLimit.perPerson, getTracker: (req) => `person:${req.person.municipalityId}:${req.person.personId}` },
          { name: 'ip', ttl: config.rateLimit.windowSeconds * 1000, limit: config.rateLimit.perIp, getTracker: (req) => `ip:${req.ip}` },
        ],
        // Probes must always get through.
        skipIf: (context) => String(context.switchToHttp().getRequest().url ?? '').startsWith('/health/'),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AddressRateLimitGuard }],
})
export class RateLimitModule {}
