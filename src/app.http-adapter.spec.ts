import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppHttpAdapter } from './app.http-adapter';

describe("the HTTP server's requests and responses", () => {
  let adapter: AppHttpAdapter;
  let base: string;
  const seen: Array<{ request: boolean; response: boolean; node: boolean }> = [];

  beforeAll(async () => {
    adapter = new AppHttpAdapter();
    const app = adapter.getInstance<express.Express>();
    app.use(express.json());
    app.get('/echo', (req, res) => res.json({ query: req.query.q, path: req.path }));
    app.post('/echo', (req, res) => res.status(201).json({ body: req.body }));
    adapter.initHttpServer({});
    const server = adapter.getHttpServer() as http.Server;
    // As Node hands them over, before Express (which would set its prototypes anyway) sees them.
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
      seen.push({
        request: Object.getPrototypeOf(req) === app.request,
        response: Object.getPrototypeOf(res) === app.response,
        node: req instanceof http.IncomingMessage && res instanceof http.ServerResponse,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => adapter.close());

  it("are made with Express's prototypes from the start, so Express need not change them", async () => {
    seen.length = 0;
    const answer = await fetch(`${base}/echo?q=%C3%A5rshjul`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ query: 'årshjul', path: '/echo' });
    expect(seen).toEqual([{ request: true, response: true, node: true }]);
  });

  it('still read bodies and answer as Express does, on one kept-alive connection after another', async () => {
    seen.length = 0;
    for (let n = 0; n < 3; n++) {
      const answer = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n, text: 'æøå' }) });
      expect(answer.status).toBe(201);
      expect(await answer.json()).toEqual({ body: { n, text: 'æøå' } });
    }
    expect(seen).toEqual(Array(3).fill({ request: true, response: true, node: true }));
  });
});
