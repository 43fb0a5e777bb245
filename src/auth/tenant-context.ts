import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** The municipality a request acts for, once the AuthGuard knows it. */
export interface TenantStore {
  municipalityId?: string;
}

/**
 * Carries the signed-in person's municipality from the AuthGuard to every database session the request
 * uses, where PostgreSQL's row-level security reads it (see DatabaseModule and the TenantRowSecurity
 * migration). Outside a request (scheduled jobs, seeding) there is none, and they see every municipality.
 */
export const tenantContext = new AsyncLocalStorage<TenantStore>();

/** Runs each request in a store of its own. */
export function withTenantContext(_req: Request, _res: Response, next: NextFunction): void {
  tenantContext.run({}, next);
}

/**
 * Runs scheduled work (the December job, reminder passes) outside any request's store, whatever started
 * its timer: it sees every municipality, and never one a request left behind.
 */
export function outsideAnyMunicipality<T>(work: () => T): T {
  return tenantContext.exit(work);
}
