import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { Clock } from '../common/clock';
import { Grouped } from '../database/grouped-statements';

export const RECIPIENT_CODES = 'arshjul:recipient-codes';

/** The recipient codes a response shows: what the access log records for the reader. */
export type CodesOf = (response: unknown) => Array<string | null | undefined>;

/**
 * Marks a route whose answer shows service recipients. After it answers, the codes it showed are written
 * to the access log with who read them, when and through which endpoint (Normen). A log that cannot be
 * written fails the request rather than leaving a read unrecorded.
 */
export const LogsRecipientAccess = (codesOf: CodesOf) => SetMetadata(RECIPIENT_CODES, codesOf);

/** One row of the access log, waiting for its batch's commit. */
interface PendingRow {
  municipalityId: string;
  personId: string;
  at: string;
  endpoint: string;
  codes: string[];
}

/** At most this many rows go into one INSERT; more wait for the next. */
const BATCH_ROWS = 500;

@Injectable()
export class AccessLogService {
  /** Rows of the requests in flight, one INSERT per batch of a municipality (row-level security admits one per statement). */
  private readonly rows = new Grouped<PendingRow, void>({ run: (rows) => this.insert(rows), maxItems: BATCH_ROWS, inFlight: 1 });

  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {}

  /**
   * Resolves once the row is committed (durably: synchronous_commit stays on), so the caller answers only
   * after it. Outside a transaction the rows of the requests in flight are written together (group
   * commit: Grouped): while one batch is being written, the rows that arrive wait and go in the next INSERT,
   * one commit for all. A batch that fails fails every request whose row it carried. Inside a transaction
   * (`runner`), the row is that transaction's.
   */
  async record(reader: AuthenticatedPerson, endpoint: string, codes: Array<string | null | undefined>, runner?: EntityManager): Promise<void> {
    const unique = [...new Set(codes.filter((c): c is string => typeof c === 'string' && c.length > 0))].sort();
    if (unique.length === 0) return;
    const at = this.clock.now();
    if (runner) {
      await runner.query(`INSERT INTO access_log (municipality_id, person_id, at, endpoint, recipient_codes) VALUES ($1, $2, $3, $4, $5)`, [
        reader.municipalityId,
        reader.personId,
        at,
        endpoint,
        unique,
      ]);
      return;
    }
    const row = { municipalityId: reader.municipalityId, personId: reader.personId, at: at.toISOString(), endpoint, codes: unique };
    await this.rows.add(reader.municipalityId, row);
  }

  /** One batch of a municipality's rows, in one INSERT (as the municipality: Grouped runs it so). */
  private async insert(rows: PendingRow[]): Promise<void[]> {
    await this.dataSource.query(
      `INSERT INTO access_log (municipality_id, person_id, at, endpoint, recipient_codes)
       SELECT $1, r.person_id, r.at, r.endpoint, r.recipient_codes
         FROM jsonb_to_recordset($2::jsonb) AS r(person_id uuid, at timestamptz, endpoint text, recipient_codes text[])`,
      [rows[0].municipalityId, JSON.stringify(rows.map((r) => ({ person_id: r.personId, at: r.at, endpoint: r.endpoint, recipient_codes: r.codes })))],
    );
    return rows.map(() => undefined);
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
