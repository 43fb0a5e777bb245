import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { Clock } from '../common/clock';

export const RECIPIENT_CODES = 'arshjul:recipient-codes';

/** The recipient codes a response shows: what the access log records for the reader. */
export type CodesOf = (response: unknown) => Array<string | null | undefined>;

/**
 * Marks a route whose answer shows service recipients. After it answers, the codes it showed are written
 * to the access log with who read them, when and through which endpoint (Normen). A log that cannot be
 * written fails the request rather than leaving a read unrecorded.
 */
export const LogsRecipientAccess = (codesOf: CodesOf) => SetMetadata(RECIPIENT_CODES, codesOf);

@Injectable()
export class AccessLogService {
  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {}

  async record(reader: AuthenticatedPerson, endpoint: string, codes: Array<string | null | undefined>, runner: EntityManager | DataSource = this.dataSource): Promise<void> {
    const unique = [...new Set(codes.filter((c): c is string => typeof c === 'string' && c.length > 0))].sort();
    if (unique.length === 0) return;
    await runner.query(`INSERT INTO access_log (municipality_id, person_id, at, endpoint, recipient_codes) VALUES ($1, $2, $3, $4, $5)`, [
      reader.municipalityId,
      reader.personId,
      this.clock.now(),
      endpoint,
      unique,
    ]);
  }
}

@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, private readonly accessLog: AccessLogService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const codesOf = this.reflector.get<CodesOf | undefined>(RECIPIENT_CODES, context.getHandler());
    if (!codesOf) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const endpoint = `${request.method} ${request.route?.path ?? request.path}`;
    return next.handle().pipe(
      mergeMap((response) => from(this.accessLog.record(request.person!, endpoint, codesOf(response)).then(() => response))),
    );
  }
}
