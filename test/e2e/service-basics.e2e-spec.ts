import { startTestApp, TestApp } from '../utils/test-app';

describe('health, API documentation and error answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is live and ready without a token, and ready checks the database', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('publishes an OpenAPI document that describes the API and its bearer sign-in', async () => {
    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/api/v1/units'].get.security).toEqual([{ bearer: [] }]);
    expect(res.body.components.schemas.UnitDto.properties).toHaveProperty('parentId');
    const page = await t.http.get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
  });

  it('answers an unknown path with a 404 problem+json', async () => {
    const res = await t.http.get('/api/v1/no-such-thing').set('Authorization', await t.bearer('leder@demo.kommune.no'));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('echoes the caller\'s request id in the header and in error bodies', async () => {
    const res = await t.http.get('/api/v1/units').set('X-Request-Id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
  });

  it('gives every request an id of its own when the caller sends none', async () => {
    const a = await t.http.get('/health/live');
    const b = await t.http.get('/health/live');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});
