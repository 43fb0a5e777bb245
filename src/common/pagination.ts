import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { Omittable } from './omittable';
import { ValidationProblem } from './problem';
import { isLocalDate } from '../schedule/local-date';

/**
 * Lists that grow with the municipality (records, logs, recipients, people, messages, a subtree's
 * checklist) come a page at a time: `limit` rows after `cursor`, the total, and the cursor of the next page.
 *
 * Keyset, not offset: a page is "the rows after this key" in an order with a unique last column, so rows
 * added (or removed) while someone pages never shift a row onto two pages or off all of them, and a
 * deep page costs what the first does. The cursor carries the last row's key, opaque to callers.
 */
export const DEFAULT_LIMIT = 200;
export const MAX_LIMIT = 1000;

const LIMIT_MESSAGE = `must be a whole number from 1 to ${MAX_LIMIT}`;
const CURSOR_MESSAGE = 'is not a cursor of this list: leave it out for the first page, then send nextCursor as it came';

/** `limit`, 1 to 1,000 (default 200). */
export const LimitField = () =>
  applyDecorators(
    ApiPropertyOptional({ default: DEFAULT_LIMIT, minimum: 1, maximum: MAX_LIMIT, description: 'Rows on the page' }),
    Omittable(),
    Transform(({ value }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value)),
    // One rule, so that `limit=abc` is named once, not once per failed bound.
    ValidateBy({ name: 'isLimit', validator: { validate: (v) => Number.isInteger(v) && v >= 1 && v <= MAX_LIMIT, defaultMessage: () => LIMIT_MESSAGE } }),
  );

/** `cursor`: the previous page's `nextCursor`; its content is checked when it is read (Keyset.decode). */
export const CursorField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: "The previous page's nextCursor; leave out for the first page" }),
    Omittable(),
    ValidateBy({ name: 'isCursor', validator: { validate: (v) => typeof v === 'string' && v.length <= 1000, defaultMessage: () => CURSOR_MESSAGE } }),
  );

/** The two paging fields, for a query DTO that has no other parent. */
export class PageQuery {
  @LimitField()
  limit?: number;

  @CursorField()
  cursor?: string;
}

/** What every page carries besides its rows. */
export class PageInfoDto {
  @ApiProperty({ description: 'Rows matching the filter, on all pages' }) total: number;
  @ApiProperty({ example: DEFAULT_LIMIT }) limit: number;
  @ApiProperty({ nullable: true, type: String, description: 'Send as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  nextCursor: string | null;
}

/** The type of each column of a list's sort key, checked when a cursor comes back. */
export type KeyPart = 'int' | 'uuid' | 'date' | 'timestamp' | 'text';
export type KeyValue = string | number;

const VALID: Record<KeyPart, (v: unknown) => boolean> = {
  int: (v) => Number.isSafeInteger(v),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  date: (v) => typeof v === 'string' && isLocalDate(v),
  // As PostgreSQL writes a timestamptz in JSON: to the microsecond, so no row is skipped by rounding.
  timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/.test(v) && !Number.isNaN(Date.parse(v)),
  text: (v) => typeof v === 'string' && v.length <= 400 && !/[\u0000\ud800-\udfff]/.test(v),
};

/**
 * The sort key of one list. Its page query selects `json_build_array(<the key's columns>) AS sort_key`
 * in its ORDER BY's order; the cursor is that array of the page's last row, named by the list and
 * checksummed. The checksum is not a secret: it tells a damaged or edited cursor (or one of another list)
 * from a real one, so the caller gets a 422 naming `cursor` instead of a page of something else. A cursor
 * gives no access: every page applies the caller's filter and rights again.
 */
export class Keyset {
  constructor(
    readonly list: string,
    readonly parts: readonly KeyPart[],
  ) {}

  encode(key: readonly unknown[]): string {
    const payload = JSON.stringify([this.list, key]);
    return `${Buffer.from(payload).toString('base64url')}.${checksum(payload)}`;
  }

  /** The key after which the page starts, or nulls for the first page: one SQL parameter per part. */
  decode(cursor: string | undefined): Array<KeyValue | null> {
    if (cursor === undefined) return this.parts.map(() => null);
    const [body, check, ...rest] = cursor.split('.');
    const refuse = () => new ValidationProblem([{ field: 'cursor', message: CURSOR_MESSAGE }]);
    if (rest.length || !body || !check || !/^[A-Za-z0-9_-]+$/.test(body)) throw refuse();
    const payload = Buffer.from(body, 'base64url').toString('utf8');
    if (checksum(payload) !== check) throw refuse();
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      throw refuse();
    }
    if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== this.list || !Array.isArray(parsed[1])) throw refuse();
    const key = parsed[1] as unknown[];
    if (key.length !== this.parts.length || !key.every((value, i) => VALID[this.parts[i]](value))) throw refuse();
    return key as KeyValue[];
  }

  /**
   * The SQL condition "after the cursor" on `columns` (the key's columns, in order), with the key's values
   * as parameters from `$firstParameter` on (see `decode`). `desc`: a list ordered newest first.
   * No cursor, no condition: PostgreSQL folds `NULL IS NULL` away when it plans with the values.
   */
  after(columns: string, firstParameter: number, direction: 'asc' | 'desc' = 'asc'): string {
    return `($${firstParameter}::${SQL_TYPE[this.parts[0]]} IS NULL OR ${this.compare(columns, firstParameter, direction === 'asc' ? '>' : '<')})`;
  }

  /**
   * `(columns) operator (the key)`, the key's values as parameters from `$firstParameter` on: for a key that is
   * given. `length`: compare with only the key's first parts (as many as `columns` names).
   */
  compare(columns: string, firstParameter: number, operator: '>' | '<' | '<=' | '>=' | '=', length = this.parts.length): string {
    const values = this.parts.slice(0, length).map((part, i) => `$${firstParameter + i}::${SQL_TYPE[part]}`);
    return `(${columns}) ${operator} (${values.join(', ')})`;
  }

  /**
   * A page from rows fetched with LIMIT limit + 1 (the extra row says whether there is a next page) and
   * the count of every row matching the filter.
   */
  page<Row extends { sort_key: unknown[] }, T>(rows: Row[], limit: number, total: number, toItem: (row: Row) => T): Page<T> {
    const shown = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? this.encode(shown[shown.length - 1].sort_key) : null;
    return { items: shown.map((row) => toItem(row)), total, limit, nextCursor };
  }
}

const SQL_TYPE: Record<KeyPart, string> = { int: 'bigint', uuid: 'uuid', date: 'date', timestamp: 'timestamptz', text: 'text' };

function checksum(payload: string): string {
  return createHash('sha256').update(payload).digest('base64url').slice(0, 12);
}

/** The page size a query asked for, or the default. */
export function limitOf(query: { limit?: number }): number {
  return query.limit ?? DEFAULT_LIMIT;
}

/**
 * Marks a paginated route: when its answer has a next page, the response carries an RFC 8288
 * `Link: <…>; rel="next"` with the same path and query and the next cursor.
 */
export const Paginated = () => UseInterceptors(NextLinkInterceptor);

@Injectable()
export class NextLinkInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    return next.handle().pipe(
      tap((body) => {
        const nextCursor = (body as { nextCursor?: unknown } | null)?.nextCursor;
        if (typeof nextCursor === 'string') response.setHeader('Link', `<${nextPageUrl(request.originalUrl, nextCursor)}>; rel="next"`);
      }),
    );
  }
}

/** The request's own path and query with the cursor replaced: a relative reference, as RFC 8288 allows. */
export function nextPageUrl(originalUrl: string, cursor: string): string {
  const url = new URL(originalUrl, 'http://localhost');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}
