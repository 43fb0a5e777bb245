import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** The municipality a request acts for, once the AuthGuard knows it. */
export interface TenantStore {
  municipalityId?: string;
  /** The signed-in person, for reading their own writes in later requests (ReadDatabase). */
  personId?: string;
  /** The request changes things (it is not a GET): all its reads go to the primary (ReadDatabase). */
  changes?: boolean;
  /** The request has written: its later reads go to the primary. */
  wrote?: boolean;
  /** Work on tables without row-level security: a connection keeps whatever municipality it was told last. */
  anyMunicipality?: boolean;
}

/**
 * The tag that lets a connection see every municipality's rows (arshjul_tenant(), migration
 * TransactionPooler). A connection without any tag sees none: the database fails closed.
 */
export const EVERY_MUNICIPALITY = '*';

/**
 * Carries the signed-in person's municipality from the AuthGuard to every database session the request
 * uses, where PostgreSQL's row-level security reads it (see DatabaseModule and the TenantRowSecurity
 * migration). Outside a request (scheduled jobs, seeding), and in a request before it is signed in (finding
 * the token's, cookie's or feed's person), there is none, and the work is tagged EVERY_MUNICIPALITY.
 */
export const tenantContext = new AsyncLocalStorage<TenantStore>();

/** What DatabaseModule tags a connection or transaction with, for whoever runs now. */
export function municipalityTag(): string {
  return tenantContext.getStore()?.municipalityId ?? EVERY_MUNICIPALITY;
}

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Runs each request in a store of its own. A request that changes things reads from the primary throughout. */
export function withTenantContext(req: Request, _res: Response, next: NextFunction): void {
  tenantContext.run({ changes: !READING.has(req.method) }, next);
}

/**
 * Runs scheduled work (the December job, reminder passes) outside any request's store, whatever started
 * its timer: it sees every municipality, never one a request left behind, and reads from the primary.
 */
export function outsideAnyMunicipality<T>(work: () => T): T {
  return tenantContext.exit(work);
}

/**
 * Runs work whose statements read and write only tables without row-level security (the rate limits'
 * counters), outside the request's store as outsideAnyMunicipality does; but a pool connection is not told
 * another municipality for it, and keeps the one it was told last. Before, every request's two counters
 * retagged the connection to every municipality and its next statement back to the request's: two round trips
 * of the checklist's nine (bench/README.md, "Eighth round"). Only for statements whose result cannot depend
 * on the tag.
 */
export function anyMunicipalityWillDo<T>(work: () => T): T {
  return tenantContext.run({ anyMunicipality: true }, work);
}
