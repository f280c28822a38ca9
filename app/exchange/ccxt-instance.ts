import ccxt from 'ccxt';
import { guardBookSequence, standaloneBookGuard, type BookGuardDeps } from './book-sequence.ts';
import { assertLoopback } from './loopback-guard.ts';
import { tagRestError } from './rest-reply-tags.ts';

export type ProExchange = InstanceType<typeof ccxt.pro.bybit>;

export interface ExchangeCredentials {
  apiKey: string;
  secret: string;
}

export interface InstanceOptions {
  restBaseUrl?: string | undefined;
  wsUrl?: string | undefined;
  allowNonLoopback: boolean;
  credentials?: ExchangeCredentials | undefined;
  timeoutMs: number;
  enableRateLimit: boolean;
  /** ccxt's `rateLimit`: real ms per unit of cost (bybit's market endpoints cost 5). Default ccxt's own. */
  rateLimitMs?: number | undefined;
  /** ccxt pro's own per-symbol cache bounds; the manager keeps the real caches. */
  wsCacheLimit: number;
  markets?: Record<string, unknown> | undefined;
  onHttpRequest(): void;
  onWsMessage(): void;
  /** The order-book sequence guard's clock, policy and events (book-sequence.ts); default a standalone one. */
  bookGuard?: BookGuardDeps | undefined;
}

type Fetch = (url: string, method?: string, headers?: unknown, body?: unknown) => Promise<unknown>;
type ClientFn = (url: string) => unknown;
type HandleErrors = (status: number, reason: string, url: string, method: string, headers: unknown, body: string, response: unknown, ...rest: unknown[]) => unknown;
type HandleStatus = (status: number, reason: string, url: string, method: string, body: string) => void;

/**
 * A ccxt.pro bybit instance for linear perps. In sim mode every REST entry points at the emulator; a
 * guard on `fetch` and on WS client creation refuses any non-loopback URL unless allowed.
 */
export function createProExchange(o: InstanceOptions): ProExchange {
  const ex = new ccxt.pro.bybit({
    timeout: o.timeoutMs,
    enableRateLimit: o.enableRateLimit,
    ...(o.rateLimitMs === undefined ? {} : { rateLimit: o.rateLimitMs }),
    ...(o.credentials ?? {}),
    ...(o.markets ? { markets: o.markets } : {}),
    options: {
      fetchMarkets: { types: ['linear'] },
      OHLCVLimit: o.wsCacheLimit,
      tradesLimit: o.wsCacheLimit,
      liquidationsLimit: o.wsCacheLimit,
    },
  });
  // fetchCurrencies would call a private endpoint whenever keys are set; market data needs no currencies.
  ex.has['fetchCurrencies'] = false;
  const api = ex.urls['api'] as Record<string, unknown> & { ws: { public: Record<string, string> } };
  if (o.restBaseUrl !== undefined) {
    const base = o.restBaseUrl.replace(/\/+$/, '');
    for (const key of Object.keys(api)) if (typeof api[key] === 'string') api[key] = base;
  }
  if (o.wsUrl !== undefined) api.ws.public['linear'] = o.wsUrl;

  const target = ex as unknown as {
    fetch: Fetch;
    client: ClientFn;
    handleMessage: (client: unknown, message: unknown) => void;
    handleErrors: HandleErrors;
    handleHttpStatusCode: HandleStatus;
  };
  // Both run for every REST reply; the errors they throw get the reply's status, retCode and headers.
  const handleErrors = target.handleErrors.bind(ex);
  target.handleErrors = (status, reason, url, method, headers, body, response, ...rest) => {
    try {
      return handleErrors(status, reason, url, method, headers, body, response, ...rest);
    } catch (error) {
      tagRestError(error, status, headers, response);
      throw error;
    }
  };
  const handleStatus = target.handleHttpStatusCode.bind(ex);
  target.handleHttpStatusCode = (status, reason, url, method, body) => {
    try {
      handleStatus(status, reason, url, method, body);
    } catch (error) {
      tagRestError(error, status, undefined, undefined);
      throw error;
    }
  };
  const fetch = target.fetch.bind(ex);
  target.fetch = (url, ...rest) => {
    if (!o.allowNonLoopback) assertLoopback(url, 'REST request');
    o.onHttpRequest();
    return fetch(url, ...rest);
  };
  const client = target.client.bind(ex);
  // ccxt looks its client up on every watch call; parsing the same URL per message cost ~3% of the WS path.
  const approved = new Set<string>();
  target.client = (url) => {
    if (!o.allowNonLoopback && !approved.has(url)) {
      assertLoopback(url, 'WebSocket connection');
      approved.add(url);
    }
    return client(url);
  };
  // Bound into each WS client when it is created, so this counts every message received.
  const handleMessage = target.handleMessage.bind(ex);
  target.handleMessage = (c, message) => {
    o.onWsMessage();
    handleMessage(c, message);
  };
  guardBookSequence(ex, o.bookGuard ?? standaloneBookGuard());
  return ex;
}

export function isNetworkError(error: unknown): boolean {
  return error instanceof ccxt.NetworkError;
}

/** An error reply to a subscribe (Bybit's success:false, or ccxt's own BadRequest), not a lost connection. */
export function isRefusal(error: unknown): boolean {
  return error instanceof ccxt.ExchangeError;
}
