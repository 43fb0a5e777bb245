import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import http from 'node:http';
import type { Socket } from 'node:net';

/**
 * Express as Nest's own adapter runs it, but Node's HTTP server makes each request and response with
 * Express's prototypes (`app.request`, `app.response`) from the start.
 *
 * Why: Express gives every request and response those prototypes with `Object.setPrototypeOf`. After that,
 * V8 kept each request's objects, and everything they reference, through two young-generation collections,
 * so they were promoted to the old generation: a plain Express app under 100 requests a second promoted
 * 0.8–2.9 MB at every collection, against 3–13 KB with this server (bench/README.md, "Tenth round"). In the
 * service, with two other causes, a full collection followed every two seconds, and the slow requests
 * clustered around it. When the object already has the prototype, Express's call changes nothing.
 */
export class AppHttpAdapter extends ExpressAdapter {
  constructor() {
    super(express());
  }

  override initHttpServer(options: NestApplicationOptions): void {
    // The service serves plain HTTP behind its proxy and never asks Nest to force connections closed.
    // Should either be asked for, Nest makes the server as it always does.
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<express.Express>();
    this.httpServer = http.createServer({ IncomingMessage: requestClass(app), ServerResponse: responseClass(app) }, app);
  }
}

/**
 * Node's IncomingMessage and ServerResponse are plain constructor functions (not classes), so a function
 * that calls them and has Express's object as its `prototype` makes Node's objects with Express's prototype.
 */
function requestClass(app: express.Express): typeof http.IncomingMessage {
  function AppRequest(this: http.IncomingMessage, socket: Socket): void {
    Reflect.apply(http.IncomingMessage, this, [socket]);
  }
  AppRequest.prototype = app.request;
  return AppRequest as unknown as typeof http.IncomingMessage;
}

function responseClass(app: express.Express): typeof http.ServerResponse {
  function AppResponse(this: http.ServerResponse, req: http.IncomingMessage, options?: object): void {
    Reflect.apply(http.ServerResponse, this, [req, options]);
  }
  AppResponse.prototype = app.response;
  return AppResponse as unknown as typeof http.ServerResponse;
}
