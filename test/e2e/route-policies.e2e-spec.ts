import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../src/auth/decorators';
import { POLICY } from '../../src/auth/policy';
import { startTestApp, TestApp } from '../utils/test-app';

/** A new endpoint without a declared policy fails here, before anyone can reach it. */
describe('every route declares who may call it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has @Public() or an access policy on every handler, and answers 401 without a token on every non-public one', async () => {
    const reflector = t.app.get(Reflector);
    const scanner = t.app.get(MetadataScanner);
    const routes: Array<{ method: string; path: string; public: boolean; policy: unknown }> = [];
    for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
      const controller = wrapper.metatype as { prototype: Record<string, unknown> } | undefined;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
          path: `/${[base, path].filter((p) => p && p !== '/').join('/')}`,
          public: reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as never, controller as never]) ?? false,
          policy: reflector.getAllAndOverride(POLICY, [handler as never, controller as never]),
        });
      }
    }
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.public && !r.policy).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /', 'GET /health/live', 'GET /health/ready', 'GET /kalender/:file', 'GET /logg-inn', 'GET /logg-inn/tilbake', 'GET /metrics', 'GET /teams', 'POST /logg-inn', 'POST /logg-inn/teams']);

    const ids = { id: '00000000-0000-4000-8000-000000000000', taskId: '00000000-0000-4000-8000-000000000000', assignmentId: '00000000-0000-4000-8000-000000000000' };
    for (const route of routes.filter((r) => !r.public)) {
      const page = /^\/(oppgaver|sjekkliste|logg-ut|arshjul|internkontroll|administrasjon|kalender)/.test(route.path);
      const url = `${page ? '' : '/api/v1'}${route.path.replace(/:(\w+)/g, (_, name: keyof typeof ids) => ids[name])}`;
      const res = await t.http[route.method.toLowerCase() as 'get'](url);
      // The API answers 401; a page sends the person to sign in.
      const expected = page ? { status: 303, location: `/logg-inn?neste=${encodeURIComponent(url)}` } : { status: 401, location: undefined };
      expect({ route: `${route.method} ${route.path}`, status: res.status, location: res.headers.location }).toEqual({ route: `${route.method} ${route.path}`, ...expected });
    }
  });
});
