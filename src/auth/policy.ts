import { SetMetadata } from '@nestjs/common';

/** Where in the request the guarded thing's id is, and what kind of thing it is. */
export interface PolicyTarget {
  from: 'param' | 'query' | 'body';
  name: string;
  /** A recipient or an occurrence is guarded by the unit it belongs to. */
  entity: 'unit' | 'recipient' | 'occurrence';
}

/**
 * Who may call a route. Every route declares one (or @Public()); the AuthGuard refuses a route
 * that has none, so a new endpoint cannot be reachable by accident.
 */
export type Policy =
  | { kind: 'signed-in' }
  | { kind: 'admin' }
  /** One of `roles` in any unit of the municipality; admins always. */
  | { kind: 'any-role'; roles: string[] }
  /** One of `roles` in the target's unit or a unit above it (roles are inherited down the tree); admins always. */
  | { kind: 'unit-role'; roles: string[]; target: PolicyTarget }
  /**
   * Who shapes a wheel (creates, copies, edits, publishes it): managers of its owning unit or a unit above
   * it; the municipality's own wheels (no owning unit), administrators only. The wheel is named by a path
   * parameter, or a new one's owner by a body field (absent: the municipality's). Checked in one place,
   * AccessService.mayShapeWheel.
   */
  | { kind: 'wheel-shaper'; target: { from: 'param' | 'body'; name: string; entity: 'wheel' | 'owner-unit' } };

export const POLICY = 'arshjul:policy';

/** Everyone who works in a unit and may read its lists. */
export const UNIT_READERS = ['manager', 'staff', 'primary_contact', 'quality_adviser'];
export const UNIT_MANAGERS = ['manager'];

const unitRole = (roles: string[], target: PolicyTarget) => SetMetadata(POLICY, { kind: 'unit-role', roles, target } satisfies Policy);

export const Allow = {
  /** Any signed-in person of the municipality; the service narrows what they see. */
  signedIn: () => SetMetadata(POLICY, { kind: 'signed-in' } satisfies Policy),
  /** The municipality's administrators. */
  admin: () => SetMetadata(POLICY, { kind: 'admin' } satisfies Policy),
  /** Holders of one of `roles` anywhere in the municipality (administrators always). */
  anyRole: (roles: string[]) => SetMetadata(POLICY, { kind: 'any-role', roles } satisfies Policy),
  /** Holders of one of `roles` over the unit whose id is in path parameter `name`. */
  unitRole: (roles: string[], name = 'id') => unitRole(roles, { from: 'param', name, entity: 'unit' }),
  /** Holders of one of `roles` over the unit whose id is in query parameter `name`. */
  unitRoleFromQuery: (roles: string[], name: string) => unitRole(roles, { from: 'query', name, entity: 'unit' }),
  /** Holders of one of `roles` over the unit whose id is in body field `name`. */
  unitRoleFromBody: (roles: string[], name: string) => unitRole(roles, { from: 'body', name, entity: 'unit' }),
  /** Holders of one of `roles` over the unit of the recipient in path parameter `name`. */
  recipientRole: (roles: string[], name = 'id') => unitRole(roles, { from: 'param', name, entity: 'recipient' }),
  /** Holders of one of `roles` over the unit of the occurrence in path parameter `name`. */
  occurrenceRole: (roles: string[], name = 'id') => unitRole(roles, { from: 'param', name, entity: 'occurrence' }),
  /** Those who may shape the wheel whose id is in path parameter `name` (see the policy 'wheel-shaper'). */
  wheelShaper: (name = 'id') => SetMetadata(POLICY, { kind: 'wheel-shaper', target: { from: 'param', name, entity: 'wheel' } } satisfies Policy),
  /** Those who may shape a wheel owned by the unit in body field `name`; without it, the municipality's: administrators. */
  wheelShaperOfOwner: (name = 'ownerUnitId') => SetMetadata(POLICY, { kind: 'wheel-shaper', target: { from: 'body', name, entity: 'owner-unit' } } satisfies Policy),
};
