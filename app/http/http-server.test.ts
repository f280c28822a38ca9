import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpHandle, type HttpRoutesOptions } from './http-server.ts';

let handle: HttpHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

async function serve(over: Partial<HttpRoutesOptions> = {}) {
  handle = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    maxEventLoopDelayMs: 100,
    eventLoop: () => ({ p99Ms: 3, maxMs: 5 }),
    ready: () => true,
    status: () => ({ caches: { ohlcv: 7 } }),
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'leakproof_candles_retained 7\n' }),
    ...over,
  });
  return handle;
}

describe('HTTP server', () => {
  it('binds an ephemeral loopback port and answers every route', async () => {
    const h = await serve();
    expect(h.port).toBeGreaterThan(0);
    expect(h.url).toBe(`http://127.0.0.1:${h.port}`);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, eventLoopDelayP99Ms: 3, limitMs: 100 });
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${h.url}/status`)).json()).toEqual({ caches: { ohlcv: 7 } });
    const metrics = await fetch(`${h.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('leakproof_candles_retained 7');
    expect((await fetch(`${h.url}/nope`)).status).toBe(404);
    expect((await fetch(`${h.url}/status`, { method: 'POST' })).status).toBe(405);
  });

  it('fails liveness on a slow event loop and readiness before data', async () => {
    const h = await serve({ eventLoop: () => ({ p99Ms: 250, maxMs: 400 }), ready: () => false });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(503);
    expect(await (await fetch(`${h.url}/readyz`)).json()).toEqual({ ready: false });
  });

  it('turns a failing handler into a 500, and the server keeps serving', async () => {
    const h = await serve({
      metrics: async () => {
        throw new Error('registry broke');
      },
    });
    const r = await fetch(`${h.url}/metrics`);
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ error: 'registry broke' });
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });
});
