import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Who may call a route. Every route declares one (or @Public()); the AccessGuard refuses a route
 * that has none, so a new endpoint cannot be reachable by accident.
 */
export type Policy =
  | { kind: 'signed-in' }
  | { kind: 'admin' }
  /** One of `roles` in the unit the request names, or in a unit above it (roles are inherited down the tree). */
  | { kind: 'unit-role'; roles: string[]; unitId: (request: Request) => unknown };

export const POLICY = 'arshjul:policy';

export const Allow = {
  /** Any signed-in person of the municipality; the service narrows what they see. */
  signedIn: () => SetMetadata(POLICY, { kind: 'signed-in' } satisfies Policy),
  /** The municipality's administrators. */
  admin: () => SetMetadata(POLICY, { kind: 'admin' } satisfies Policy),
  /** Holders of one of `roles` over the unit in path parameter `param` (administrators always). */
  unitRoleFromParam: (roles: string[], param = 'id') =>
    SetMetadata(POLICY, { kind: 'unit-role', roles, unitId: (r: Request) => r.params[param] } satisfies Policy),
  /** Holders of one of `roles` over the unit in body field `field` (administrators always). */
  unitRoleFromBody: (roles: string[], field: string) =>
    SetMetadata(POLICY, { kind: 'unit-role', roles, unitId: (r: Request) => (r.body as Record<string, unknown>)?.[field] } satisfies Policy),
};
