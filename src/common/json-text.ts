import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';

/**
 * An answer already JSON (made by PostgreSQL: the month's checklist), sent as it is rather than parsed and
 * serialised again; with the recipient codes it shows, which the access log records (AccessLogInterceptor).
 */
export class JsonText {
  constructor(
    readonly text: string,
    readonly recipientCodes: string[],
  ) {}
}

/** Sends a JsonText as the body of an application/json answer. The outermost interceptor: the others see the JsonText. */
@Injectable()
export class JsonTextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((answer) => {
        if (!(answer instanceof JsonText)) return answer;
        context.switchToHttp().getResponse<Response>().type('application/json');
        return answer.text;
      }),
    );
  }
}
