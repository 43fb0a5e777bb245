import { createHash } from 'node:crypto';

/**
 * Statements that nearly every request runs (the access check, the month's checklist), prepared once per
 * connection instead of planned on every call. PostgreSQL plans a statement sent as text each time it is
 * sent: a department's checklist took 15 ms as text at scale 0.1, about 10 of them planning its nine
 * relations and their row-level policies (bench/README.md, "Sixth round"). A prepared statement's parse and rewrite (row-level security's policies
 * included) are kept by the connection, and PostgreSQL makes it a generic plan, kept too, after five calls
 * when it judges that plan no dearer than planning each call anew; it re-plans by itself when a table the
 * statement reads changes. Where its judgement errs, `generic` makes the plan generic from the first call.
 *
 * A call site marks its text with `prepared()` and passes that text to `query()` as before; the pool's
 * connections (tenant-tagging.ts) send a marked text as a named statement, named after a hash of the text.
 * Behind a transaction-mode pooler nothing is prepared: consecutive statements of a client may run on
 * different server connections, which do not share prepared statements.
 */
export interface PreparedStatement {
  name: string;
  /**
   * Always the generic plan (plan_cache_mode = force_generic_plan around each call, in the same message as the
   * call: tenant-tagging.ts). For the month's checklist as arshjul_app, PostgreSQL kept planning each call
   * (4.6 ms a call at scale 0.1) though its generic plan runs in 1.9 ms: under row-level security it overrates
   * the generic plan's cost. Its parameters travel as quoted literals in the call's text, which PostgreSQL's log
   * shows for a call that fails: only for ids, dates and flags, never free text.
   */
  generic: boolean;
}

const statements = new Map<string, PreparedStatement>();

/** Marks a statement's text to be prepared on each connection that runs it; returns the text unchanged. */
export function prepared(text: string, options: { generic?: boolean } = {}): string {
  statements.set(text, { name: `arshjul_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, generic: options.generic ?? false });
  return text;
}

/** How a marked text is prepared, or undefined for a text that is sent as text each time. */
export function preparedStatement(text: string): PreparedStatement | undefined {
  return statements.get(text);
}
