import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { NotFoundProblem } from '../common/problem';
import { NotYourWheelProblem } from '../wheels/exceptions/wheel.exceptions';
import { AccessService } from './access.service';
import { AuthService } from './auth.service';
import { ForbiddenProblem, InactivePersonProblem, UnauthenticatedProblem } from './auth.exceptions';
import { IS_PUBLIC } from './decorators';
import { Policy, POLICY } from './policy';
import { tenantContext } from './tenant-context';
import { AuthenticatedPerson } from './authenticated-person';
import { SESSION_COOKIE, Sessions } from './sessions';

const ENTITY_NAMES = { unit: 'Unit', recipient: 'Recipient', occurrence: 'Occurrence' };

/**
 * The one guard of every route: signs the caller in from `Authorization: Bearer <token>`, then applies
 * the route's declared Policy. A route with neither @Public() nor a policy is refused, loudly.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly access: AccessService,
    private readonly sessions: Sessions,
  ) {}

  /** A bearer token (the API's clients), or else the web app's session cookie. */
  private async signIn(request: Request): Promise<AuthenticatedPerson> {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token) return this.auth.authenticate(token);
    const session = await this.sessions.read((request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    // No cookie, or one whose session has ended (signed out, expired, person archived).
    if (!session) throw new UnauthenticatedProblem('Sign in first: send the header "Authorization: Bearer <token>".');
    // A cookie travels with any request the browser makes, so a change needs the session's own CSRF token.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const sent = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
      if (sent !== session.csrf) throw new ForbiddenProblem('The form has expired or did not come from Årshjul: reload the page and try again.');
    }
    request.csrf = session.csrf;
    request.sessionId = session.id;
    return session.person;
  }

  /**
   * A bearer token whose person needs no lookup of its own (a development token): the person and the
   * route's unit-role check in one statement (round trips are most of a read's time: bench/README.md).
   * Undefined when the token is not such a token; the usual path then signs in and checks.
   */
  private async signInWithUnitRole(request: Request, policy: Extract<Policy, { kind: 'unit-role' }>): Promise<true | undefined> {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) return undefined;
    const claimed = await this.auth.claimed(token);
    if (!claimed) return undefined;
    // The token's signature is verified: its municipality may scope the statement's rows.
    const tenant = tenantContext.getStore();
    if (tenant) Object.assign(tenant, { municipalityId: claimed.municipalityId, personId: claimed.personId });
    const { from, name, entity } = policy.target;
    const id = (from === 'param' ? request.params : from === 'query' ? request.query : (request.body ?? {}))[name];
    const found = await this.access.personWithRoleOver(claimed.personId, claimed.municipalityId, entity, id, policy.roles);
    if (!found) throw new InactivePersonProblem();
    request.person = { personId: claimed.personId, municipalityId: claimed.municipalityId, email: found.email };
    if (!found.unitId) throw new NotFoundProblem(ENTITY_NAMES[entity], typeof id === 'string' ? id : '(none given)', from === 'param' ? undefined : name);
    if (found.allowed) return true;
    throw new ForbiddenProblem(`This needs the role ${policy.roles.join(' or ')} in the unit or a unit above it.`);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY, targets);
    if (!policy) throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no access policy`);

    const request = context.switchToHttp().getRequest<Request>();
    if (policy.kind === 'unit-role') {
      const folded = await this.signInWithUnitRole(request, policy);
      if (folded !== undefined) return folded;
    }
    const person = await this.signIn(request);
    request.person = person;
    // From here on, the request's database sessions see only this municipality's rows (row-level security).
    const tenant = tenantContext.getStore();
    if (tenant) Object.assign(tenant, { municipalityId: person.municipalityId, personId: person.personId });

    switch (policy.kind) {
      case 'signed-in':
        return true;
      case 'admin':
        if (await this.access.isAdmin(person.personId, person.municipalityId)) return true;
        throw new ForbiddenProblem('Only administrators of the municipality may do this.');
      case 'any-role':
        if (await this.access.hasAnyRole(person.personId, person.municipalityId, policy.roles)) return true;
        throw new ForbiddenProblem(`This needs the role ${policy.roles.join(' or ')}.`);
      case 'unit-role': {
        const { from, name, entity } = policy.target;
        const id = (from === 'param' ? request.params : from === 'query' ? request.query : (request.body ?? {}))[name];
        const unitId = await this.access.unitOf(entity, id, person.municipalityId);
        // A query or body field names the field to correct; a path names the resource itself.
        if (!unitId) throw new NotFoundProblem(ENTITY_NAMES[entity], typeof id === 'string' ? id : '(none given)', from === 'param' ? undefined : name);
        if (await this.access.hasRoleOver(person.personId, person.municipalityId, unitId, policy.roles)) return true;
        throw new ForbiddenProblem(`This needs the role ${policy.roles.join(' or ')} in the unit or a unit above it.`);
      }
      case 'wheel-shaper': {
        const { from, name, entity } = policy.target;
        const id = (from === 'param' ? request.params : (request.body ?? {}))[name];
        let owner: string | null;
        if (entity === 'wheel') {
          const wheel = await this.access.wheelOf(id, person.municipalityId);
          if (!wheel) throw new NotFoundProblem('Wheel', typeof id === 'string' ? id : '(none given)');
          if (wheel.foreign) throw new NotYourWheelProblem();
          owner = wheel.ownerUnitId;
        } else {
          owner = id === undefined || id === null || id === '' ? null : ((await this.access.unitOf('unit', id, person.municipalityId)) ?? '');
          if (owner === '') throw new NotFoundProblem('Unit', typeof id === 'string' ? id : '(not an id)');
        }
        if (await this.access.mayShapeWheel(person.personId, person.municipalityId, owner)) return true;
        throw new ForbiddenProblem(
          owner
            ? 'Only managers of the unit that owns the wheel, or of a unit above it, may shape it.'
            : "The municipality's own wheels are shaped by its administrators; give the wheel an owning unit (ownerUnitId) you manage.",
        );
      }
    }
  }
}
