import { systemClock, type Clock } from '../core/clock.ts';
import { backoffMs, checkPolicy, type RetryPolicy } from './retry.ts';
import { TopicHealth } from './topic-health.ts';

/**
 * Bybit numbers the deltas of an `orderbook.N` topic with `u` (+1 each; a snapshot starts over), but
 * ccxt's handleOrderBook ignores it, so a lost or reordered delta would leave a wrong book with no sign.
 * This guard keeps the last applied `u` as the ccxt book's `nonce` (so it goes when the book is purged,
 * no map of its own). On a gap it marks the book stale, drops the deltas, and resubscribes the topic so
 * the server sends a fresh snapshot. A resubscribe that is refused (`success:false`) or brings no
 * snapshot within its deadline is retried with backoff; after the policy's attempts the topic is
 * dropped (TopicHealth) and the book stays stale until a snapshot comes: by a reconnect, or by the
 * revive, a new round of attempts after `policy.revive`'s wait (longer after each drop in a row), for
 * as long as the topic is listed as dropped (its symbol still watched).
 */

interface WsClientLike {
  send(message: unknown): Promise<unknown>;
}

interface BookMessage {
  topic?: unknown;
  type?: unknown;
  data?: { s?: unknown; u?: unknown };
}

interface ReplyMessage {
  req_id?: unknown;
  success?: unknown;
}

interface ProBooks {
  orderbooks: Record<string, { nonce?: number | undefined } | undefined>;
  safeSymbol(marketId: string, market?: undefined, delimiter?: undefined, marketType?: string): string;
  handleOrderBook(client: WsClientLike, message: BookMessage): void;
  handleMessage(client: WsClientLike, message: unknown): void;
}

/** The nonce of a book waiting for its snapshot after a gap: readers see it as stale. */
export const RESYNCING = -1;
/** Our resubscribes' req_ids; their replies are ours, and never reach ccxt (which would store a refusal for good). */
const RESYNC_ID = 'leakproof-resync-';

export interface ResyncPolicy {
  /** Clock ms a resubscribe has to bring the snapshot (Bybit sends it right after the ack). */
  deadlineMs: number;
  /** `attempts` resubscribes before the topic is dropped, with this backoff between them. */
  retry: RetryPolicy;
  /** The wait from a drop to the next round (attempts is ignored: rounds go on while the topic is watched). */
  revive: RetryPolicy;
}

/** A refused or silent stream is tried again 5 minutes after it was given up, then 10, 20, ... at most hourly. */
export const defaultRevive: RetryPolicy = { attempts: Infinity, baseMs: 300_000, maxMs: 3_600_000, jitter: 0.5 };
export const defaultResync: ResyncPolicy = { deadlineMs: 10_000, retry: { attempts: 5, baseMs: 1_000, maxMs: 30_000, jitter: 0.5 }, revive: defaultRevive };

export type ResyncEvent = 'gap' | 'refused' | 'timeout' | 'dropped' | 'revive' | 'recovered';

export interface BookGuardDeps {
  clock: Clock;
  random: () => number;
  policy: ResyncPolicy;
  health: TopicHealth;
  /** Ends every pending deadline and backoff (the source closed). */
  signal: AbortSignal;
  onEvent(event: ResyncEvent, topic: string): void;
}

/** A guard of its own for an instance used alone (tests, benches): wall-clock time, default policy. */
export function standaloneBookGuard(over: Partial<BookGuardDeps> = {}): BookGuardDeps {
  return { clock: systemClock, random: Math.random, policy: defaultResync, health: new TopicHealth(), signal: new AbortController().signal, onEvent: () => undefined, ...over };
}

/** Rejects a policy that could not bound the retries, naming the field. */
export function checkResyncPolicy(p: ResyncPolicy): ResyncPolicy {
  if (!(Number.isFinite(p.deadlineMs) && p.deadlineMs > 0)) throw new RangeError(`resync.deadlineMs must be a finite number > 0, got ${String(p.deadlineMs)}`);
  if (!Number.isFinite(p.retry.attempts)) throw new RangeError(`resync.retry.attempts must be finite, got ${String(p.retry.attempts)}`);
  checkPolicy('resync.retry', p.retry);
  checkPolicy('resync.revive', p.revive);
  return p;
}

export type BookStep = 'apply' | 'gap' | 'drop';

/** Pure: what to do with a book message, given the `u` last applied to that book. */
export function bookStep(last: number | undefined, type: unknown, u: unknown): BookStep {
  if (type === 'snapshot' || typeof u !== 'number') return 'apply';
  if (last === RESYNCING) return 'drop';
  return last !== undefined && u === last + 1 ? 'apply' : 'gap';
}

interface Resync {
  symbol: string;
  client: WsClientLike;
  attempt: number;
  reqId: string;
  /** Aborts the deadline or backoff now pending. */
  timer: AbortController;
}

export function guardBookSequence(ex: object, d: BookGuardDeps): void {
  const target = ex as ProBooks;
  const handle = target.handleOrderBook.bind(ex);
  const handleMessage = target.handleMessage.bind(ex);
  const resyncs = new Map<string, Resync>();
  let sent = 0;

  const wait = (e: Resync, ms: number, then: () => void) => {
    e.timer = new AbortController();
    d.clock.sleep(ms, AbortSignal.any([e.timer.signal, d.signal])).then(then, () => undefined);
  };
  // The topic may have been unwatched meanwhile (TopicHealth.forget): then nothing more is sent for it.
  const current = (topic: string) => {
    const e = resyncs.get(topic);
    if (e && d.health.isResyncing(topic)) return e;
    e?.timer.abort();
    resyncs.delete(topic);
    return undefined;
  };
  const attempt = (topic: string) => {
    const e = current(topic);
    if (!e) return;
    e.attempt += 1;
    e.reqId = `${RESYNC_ID}${++sent}`;
    // A failed send closes the client; the stream loop's reconnect then brings a snapshot anyway.
    e.client
      .send({ op: 'unsubscribe', req_id: `${e.reqId}-u`, args: [topic] })
      .then(() => e.client.send({ op: 'subscribe', req_id: `${e.reqId}-s`, args: [topic] }))
      .catch(() => undefined);
    wait(e, d.policy.deadlineMs, () => fail(topic, 'timeout'));
  };
  const fail = (topic: string, reason: 'refused' | 'timeout') => {
    const e = current(topic);
    if (!e) return;
    e.timer.abort();
    d.onEvent(reason, topic);
    if (e.attempt < d.policy.retry.attempts) return wait(e, backoffMs(d.policy.retry, e.attempt - 1, d.random), () => attempt(topic));
    resyncs.delete(topic);
    const drops = d.health.drops(topic) + 1;
    const waitMs = backoffMs(d.policy.revive, drops - 1, d.random);
    const at = d.clock.now();
    d.health.drop({ topic, symbol: e.symbol, reason, attempts: e.attempt, at, drops, retryAt: at + waitMs });
    d.onEvent('dropped', topic);
    d.clock.sleep(waitMs, d.signal).then(() => revive(topic, e), () => undefined);
  };
  // Still dropped (not recovered by a reconnect's snapshot, not forgotten with its symbol): a new round.
  const revive = (topic: string, last: Resync) => {
    if (!d.health.isDropped(topic) || resyncs.has(topic)) return;
    resyncs.set(topic, { ...last, attempt: 0, timer: new AbortController() });
    d.health.startResync(topic, last.symbol);
    d.onEvent('revive', topic);
    attempt(topic);
  };
  const settle = (topic: string) => {
    const e = resyncs.get(topic);
    e?.timer.abort();
    resyncs.delete(topic);
    if (d.health.recover(topic)) d.onEvent('recovered', topic);
  };

  target.handleMessage = (client, message) => {
    const reply = message as ReplyMessage;
    if (typeof reply.req_id !== 'string' || !reply.req_id.startsWith(RESYNC_ID)) return handleMessage(client, message);
    if (reply.success !== false || !reply.req_id.endsWith('-s')) return;
    const reqId = reply.req_id.slice(0, -2);
    for (const [topic, e] of resyncs) if (e.reqId === reqId) fail(topic, 'refused');
  };
  target.handleOrderBook = (client, message) => {
    const u = message.data?.u;
    const symbol = target.safeSymbol(String(message.data?.s ?? ''), undefined, undefined, 'contract');
    const topic = String(message.topic ?? '');
    const step = bookStep(target.orderbooks[symbol]?.nonce, message.type, u);
    if (step === 'drop') return;
    if (step === 'apply') {
      handle(client, message);
      const book = target.orderbooks[symbol];
      if (book && typeof u === 'number') book.nonce = u;
      if (message.type === 'snapshot') settle(topic);
      return;
    }
    // A book with no snapshot yet (ccxt filed it under a name it no longer holds) or one given up on
    // waits for a snapshot: resubscribing it on every delta would flood the server.
    if (resyncs.has(topic) || d.health.isDropped(topic)) return;
    const book = target.orderbooks[symbol];
    if (book) book.nonce = RESYNCING;
    d.onEvent('gap', topic);
    resyncs.set(topic, { symbol, client, attempt: 0, reqId: '', timer: new AbortController() });
    d.health.startResync(topic, symbol);
    attempt(topic);
  };
}
