import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { AuthenticatedPerson } from './authenticated-person';

export const IS_PUBLIC = 'arshjul:public';

/** A route anyone may call without a token (health checks only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The signed-in person of this request. */
export const CurrentPerson = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedPerson => context.switchToHttp().getRequest<Request>().person!,
);
