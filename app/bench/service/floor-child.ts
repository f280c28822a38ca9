/**
 * The floor of a capacity probe: a bare `ws` client on the same emulator and the same topics as the
 * service (every USDT perp; klines of the service's default timeframes, tickers, trades, book.50,
 * liquidations). It receives, JSON.parses every message and writes klines into an OhlcvRing: the least
 * work that still does the job, so service / floor is the overhead of everything else.
 *
 * With `--ccxt` it hands each frame to ccxt pro's own receive path instead (`client.onMessage`: decode,
 * JSON.parse, bybit's handlers into ccxt's caches), on the same socket, with no app code at all: the
 * least any ccxt client pays, so ccxt floor / floor bounds what the service's ratio can reach.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { z } from 'zod';
import { OhlcvRing } from '../../caches/ohlcv-ring.ts';
import { configSchema } from '../../config/config-schema.ts';
import { createProExchange } from '../../exchange/ccxt-instance.ts';
import { DEFAULT_WS_CACHE_LIMIT } from '../../exchange/ccxt-source.ts';
import type { Candle } from '../../core/market-types.ts';
import { runProbeSampler } from './probe-sampler.ts';

const { values } = parseArgs({ options: { url: { type: 'string' }, 'ws-url': { type: 'string' }, symbols: { type: 'string' }, ccxt: { type: 'boolean', default: false } } });
const wsUrl = values['ws-url'];
if (wsUrl === undefined) {
  process.stderr.write('floor-child: --ws-url is required\n');
  process.exit(2);
}

const Instruments = z.object({ result: z.object({ list: z.array(z.object({ symbol: z.string(), quoteCoin: z.string() })) }) });

/** A kline row's fields, checked by hand: zod per message would charge the floor what it exists to leave out. */
function candle(row: unknown): Candle | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const r = row as Record<string, unknown>;
  const c: Candle = [Number(r.start), Number(r.open), Number(r.high), Number(r.low), Number(r.close), Number(r.volume)];
  return c.every(Number.isFinite) ? c : undefined;
}

const instruments = Instruments.parse(await (await fetch(`${values.url}/v5/market/instruments-info?category=linear&limit=1000`)).json());
const ids = instruments.result.list.filter((i) => i.quoteCoin === 'USDT').slice(0, Number(values.symbols)).map((i) => i.symbol);
// Bybit's kline interval ids of the service's default timeframes.
const INTERVALS: Record<string, string> = { '1m': '1', '5m': '5', '30m': '30', '4h': '240' };
const intervals = configSchema.parse({}).timeframes.map((tf) => INTERVALS[tf] ?? tf);
const topics = ids.flatMap((id) => [...intervals.map((i) => `kline.${i}.${id}`), `tickers.${id}`, `publicTrade.${id}`, `orderbook.50.${id}`, `allLiquidation.${id}`]);

/** ccxt's receive path for one frame, on a client that ccxt made but never connected. */
async function ccxtReceiver(): Promise<{ receive: (raw: Buffer) => void; holds: () => string }> {
  const ex = createProExchange({ restBaseUrl: values.url, wsUrl: values['ws-url'], allowNonLoopback: false, timeoutMs: 10_000, enableRateLimit: false, wsCacheLimit: DEFAULT_WS_CACHE_LIMIT, onHttpRequest: () => undefined, onWsMessage: () => undefined });
  await ex.loadMarkets();
  await ex.loadHttpProxyAgent();
  const client = ex.client(wsUrl);
  return { receive: (raw) => client.onMessage({ data: raw }), holds: () => `, ccxt holds ${Object.keys(ex.orderbooks).length} order books` };
}

const rings = new Map<string, OhlcvRing>();
function parseIntoRing(raw: Buffer): void {
  const push: unknown = JSON.parse(raw.toString());
  if (typeof push !== 'object' || push === null) return;
  const { topic, data } = push as { topic?: unknown; data?: unknown };
  if (typeof topic !== 'string' || !topic.startsWith('kline.') || !Array.isArray(data)) return;
  let ring = rings.get(topic);
  if (!ring) rings.set(topic, (ring = new OhlcvRing(1440)));
  const rows: Candle[] = [];
  for (const row of data) {
    const c = candle(row);
    if (c) rows.push(c);
  }
  ring.appendMany(rows);
}

const { receive, holds } = values.ccxt ? await ccxtReceiver() : { receive: parseIntoRing, holds: () => '' };
let messages = 0;
const ws = new WebSocket(wsUrl);
await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
ws.on('message', (raw: Buffer) => {
  messages += 1;
  receive(raw);
});
// Bybit takes at most 10 args per subscribe; the emulator closes a connection that stops pinging.
for (let i = 0; i < topics.length; i += 10) ws.send(JSON.stringify({ op: 'subscribe', req_id: `s${i}`, args: topics.slice(i, i + 10) }));
const ping = setInterval(() => ws.send(JSON.stringify({ op: 'ping' })), 15_000);
runProbeSampler({
  messages: () => messages,
  label: () => `${values.ccxt ? 'ccxt floor' : 'floor'}: ${ids.length} symbols, ${topics.length} topics${holds()}`,
  onEnd: () => {
    clearInterval(ping);
    ws.close();
    return Promise.resolve();
  },
});
