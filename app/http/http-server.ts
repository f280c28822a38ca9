import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventLoopSnapshot } from './event-loop-health.ts';

export interface HttpRoutesOptions {
  host: string;
  /** 0 = ephemeral; the bound port is in the handle. */
  port: number;
  maxEventLoopDelayMs: number;
  eventLoop(): EventLoopSnapshot;
  ready(): boolean;
  status(): unknown;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface HttpHandle {
  port: number;
  url: string;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * /healthz is liveness: it answers at all (the loop runs) and the loop's delay p99 is under the bound.
 * /readyz is the initial data. /status and /metrics read the manager at request time.
 */
export function route(o: HttpRoutesOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: `method ${req.method ?? ''} not allowed` });
      return;
    }
    switch (path) {
      case '/healthz': {
        const eventLoop = o.eventLoop();
        const ok = eventLoop.p99Ms <= o.maxEventLoopDelayMs;
        json(res, ok ? 200 : 503, { ok, eventLoopDelayP99Ms: round(eventLoop.p99Ms), limitMs: o.maxEventLoopDelayMs });
        return;
      }
      case '/readyz': {
        const ready = o.ready();
        json(res, ready ? 200 : 503, { ready });
        return;
      }
      case '/status':
        json(res, 200, o.status());
        return;
      case '/metrics': {
        const { contentType, body } = await o.metrics();
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
        return;
      }
      default:
        json(res, 404, { error: `no route ${path}`, routes: ['/healthz', '/readyz', '/status', '/metrics'] });
    }
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function startHttpServer(o: HttpRoutesOptions): Promise<HttpHandle> {
  const handler = route(o);
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
