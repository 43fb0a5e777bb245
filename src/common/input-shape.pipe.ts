import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { FieldProblem, ValidationProblem } from './problem';
import { unstorableText } from './text';

/** Keys that name an object's prototype: class-transformer drops them silently, so they are refused here. */
export const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No request of Årshjul nests deeper than a list in a body; this leaves room and stops pathological input. */
const MAX_DEPTH = 8;

/**
 * Runs before the validation pipe on every body, query and path parameter. It refuses, with a 422 naming
 * the field, what the DTOs cannot see or would fail on: text PostgreSQL cannot store (NUL, half a
 * surrogate pair: a 500 from the driver otherwise, in a field no DTO checks), keys naming the prototype,
 * and nesting that would overflow class-transformer's stack. The walk uses no recursion for that reason.
 */
@Injectable()
export class InputShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problems = inspect(value, metadata.data ?? '');
    if (problems.length) throw new ValidationProblem(problems);
    return value;
  }
}

export function inspect(root: unknown, rootField: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value: root, field: rootField, depth: 0 }];
  while (stack.length && problems.length < 20) {
    const { value, field, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const fault = unstorableText(value);
      if (fault) problems.push({ field: field || 'body', message: fault });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      problems.push({ field: field || 'body', message: `nests deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childField = field ? `${field}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) problems.push({ field: childField, message: 'is not a known field' });
      else stack.push({ value: child, field: childField, depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * The form parser (qs) drops a field named `__proto__` without a word; the raw body still shows it, so
 * it is refused there like any unknown field (body-parser's `verify` hook; the error keeps its 422).
 */
export function refusePrototypeKeysInForm(_req: unknown, _res: unknown, body: Buffer): void {
  const keys = [...new URLSearchParams(body.toString('latin1')).keys()].filter((key) => PROTOTYPE_KEYS.has(key));
  if (keys.length) throw new ValidationProblem(keys.map((field) => ({ field, message: 'is not a known field' })));
}
