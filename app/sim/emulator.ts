import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { hash01 } from './hash-noise.ts';
import { FaultState, type Faults } from './faults.ts';
import { faultReply } from './rest-fault-replies.ts';
import { bybitError, routeRest } from './rest-routes.ts';
import { SimClock } from './sim-clock.ts';
import { SimMarket, type RotationOptions } from './sim-market.ts';
import type { PushIntervals } from './push-cadence.ts';
import { WsHub, type WsHubStats } from './ws-hub.ts';

export interface EmulatorOptions {
  /** 0 (default) = ephemeral. The server binds 127.0.0.1 only. */
  port?: number;
  seed?: number;
  /** Number of symbols (default 20). */
  symbols?: number;
  /** The shared accelerated clock; default a new SimClock at `speed` from `startMs`. */
  clock?: SimClock;
  speed?: number;
  startMs?: number;
  /**
   * One global WS push rate, messages per real second over all connections, round-robin: a fixed load
   * for a test, a measurement or the soak. Unset (default): each topic of each symbol pushes on Bybit's
   * cadence (push-cadence.ts: book.50 every 20 ms, tickers 100 ms, trades in bursts, klines 1-60 s).
   */
  wsRate?: number;
  /**
   * Real ms a WS connection may go without sending `{op:'ping'}` before the server closes it, as Bybit
   * does (default 600000, its 10 minutes; ccxt pings every 18 s); 0 never closes.
   */
  wsIdleCloseMs?: number;
  /** Fixed real-ms intervals for some topic kinds in place of Bybit's cadence, e.g. `{ orderbook: 100 }`; not with `wsRate`. */
  pushIntervals?: PushIntervals;
  faults?: Faults;
  rotation?: RotationOptions;
  /** Page cap of instruments-info (Bybit's: 1000); lower it to make a small universe span pages. */
  instrumentsPageMax?: number;
}

export interface EmulatorStats {
  restRequests: number;
  restFaults: { rateLimit: number; httpRateLimit: number; ipBan: number; systemError: number; serverError: number; slow: number };
  /** The last RECENT_REQUESTS REST requests, oldest first, as path?query: what a client really asked for. */
  recentRequests: string[];
  /** End of the current or last IP ban, on the emulator's clock. */
  banEndsAt: number | undefined;
  ws: WsHubStats;
}

export interface EmulatorHandle {
  port: number;
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** ws://127.0.0.1:PORT/v5/public/linear */
  wsUrl: string;
  clock: SimClock;
  market: SimMarket;
  setFaults(patch: Faults): void;
  clearFaults(): void;
  /** Ends an IP ban early. */
  liftBan(): void;
  faults(): Faults;
  /** Pins one global WS push rate from now on. */
  setWsRate(rate: number): void;
  disconnectWs(): void;
  stats(): EmulatorStats;
  stop(): Promise<void>;
}

const WS_PATH = '/v5/public/linear';
const RECENT_REQUESTS = 50;
const MAX_ADMIN_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json', ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_ADMIN_BODY) req.destroy(new Error('admin body too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** Seeded uniform sequence for fault draws, so a fault run is reproducible. */
function sequence(seed: number): () => number {
  let i = 0;
  return () => hash01(seed, 0xfa, i++);
}

/** Starts the Bybit v5 loopback emulator: REST and the public linear WS on one 127.0.0.1 port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  if (options.wsRate !== undefined && options.pushIntervals) throw new RangeError('emulator: wsRate (one global rate) and pushIntervals (per-topic) exclude each other');
  const seed = options.seed ?? 42;
  const clock = options.clock ?? new SimClock({ speed: options.speed ?? 1, ...(options.startMs === undefined ? {} : { startMs: options.startMs }) });
  const market = new SimMarket({ seed, symbols: options.symbols ?? 20, epochMs: clock.now(), ...(options.rotation ? { rotation: options.rotation } : {}) });
  const faults = new FaultState(options.faults ?? {}, sequence(seed));
  const pending = new Set<NodeJS.Timeout>();
  const counters = { restRequests: 0, restFaults: { rateLimit: 0, httpRateLimit: 0, ipBan: 0, systemError: 0, serverError: 0, slow: 0 } };

  const recent: string[] = [];
  const answerRest = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    counters.restRequests += 1;
    recent.push(`${url.pathname}${url.search}`);
    if (recent.length > RECENT_REQUESTS) recent.shift();
    const now = clock.now();
    if (req.method !== 'GET') return send(res, 405, bybitError(10001, `method ${req.method ?? ''} not allowed`, now).body);
    const fault = faultReply(faults, now);
    if (fault) {
      counters.restFaults[fault.kind] += 1;
      return send(res, fault.status, fault.body, fault.headers);
    }
    const reply = () => {
      const r = routeRest({ market, faults, now: clock.now(), ...(options.instrumentsPageMax ? { instrumentsPageMax: options.instrumentsPageMax } : {}) }, url.pathname, url.searchParams);
      send(res, r.status, r.body);
    };
    if (!faults.draw('slow')) return reply();
    counters.restFaults.slow += 1;
    const timer = setTimeout(() => {
      pending.delete(timer);
      reply();
    }, faults.slowDelayMs());
    pending.add(timer);
  };

  const answerAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/__sim/faults' && req.method === 'POST') {
      try {
        faults.set(JSON.parse((await readBody(req)) || '{}') as Faults);
      } catch (error) {
        return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (url.pathname === '/__sim/faults') return send(res, 200, faults.get());
    if (url.pathname === '/__sim/disconnect' && req.method === 'POST') hub.disconnectAll();
    if (url.pathname === '/__sim/stats' || url.pathname === '/__sim/disconnect') return send(res, 200, stats());
    return send(res, 404, { error: `unknown admin path ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/__sim/')) {
      answerAdmin(req, res, url).catch(() => send(res, 500, { error: 'admin failure' }));
      return;
    }
    answerRest(req, res, url);
  });
  server.keepAliveTimeout = 5_000;
  const wss = new WebSocketServer({ server, path: WS_PATH });
  const hub = new WsHub(wss, {
    market,
    clock,
    faults,
    idleCloseMs: options.wsIdleCloseMs ?? 600_000,
    ...(options.wsRate === undefined ? {} : { rate: options.wsRate }),
    ...(options.pushIntervals ? { intervals: options.pushIntervals } : {}),
  });
  const stats = (): EmulatorStats => ({ ...counters, restFaults: { ...counters.restFaults }, recentRequests: [...recent], banEndsAt: faults.banEndsAt(), ws: hub.stats() });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}${WS_PATH}`,
    clock,
    market,
    setFaults: (patch) => faults.set(patch),
    clearFaults: () => faults.clear(),
    liftBan: () => faults.liftBan(),
    faults: () => faults.get(),
    setWsRate: (rate) => hub.setRate(rate),
    disconnectWs: () => hub.disconnectAll(),
    stats,
    stop: async () => {
      hub.stop();
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
