import type { WebSocket, WebSocketServer } from 'ws';
import type { FaultState } from './faults.ts';
import { nextDue, pushGapMs, type PushIntervals } from './push-cadence.ts';
import type { SimClock } from './sim-clock.ts';
import type { SimMarket } from './sim-market.ts';
import { buildPush, parseTopic, type PushContext, type PushState, type Topic } from './ws-topics.ts';

const TICK_MS = 5;
/** Pushes one topic may catch up on in one tick (a trade burst has gaps shorter than the tick). */
const MAX_PER_TICK = 20;
/** A slow reader's socket is skipped, not buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface WsHubStats {
  connections: number;
  subscriptions: number;
  pushed: number;
  skippedSlowReader: number;
  disconnects: number;
  /** Connections closed because they sent no ping in time. */
  idleCloses: number;
  /** Subscribe requests answered success:false (a topic not Trading, unknown, or the refuseSubscribe fault). */
  refusedSubscribes: number;
}

interface Subscription {
  topic: Topic;
  state: PushState;
  /** Real time the next push is due, and pushes scheduled so far (Bybit cadence only). */
  due: number;
  n: number;
}

export interface WsHubOptions {
  market: SimMarket;
  clock: SimClock;
  faults: FaultState;
  /** One global rate, msg per real second, round-robin over every (connection, topic); unset: Bybit's cadence. */
  rate?: number;
  /** With Bybit's cadence: fixed intervals for some topic kinds. */
  intervals?: PushIntervals;
  /** Real ms without a ping before a connection is closed; 0 never. */
  idleCloseMs: number;
}

interface Connection {
  ws: WebSocket;
  id: string;
  topics: Map<string, Subscription>;
  /** Real time of the connection's last ping (or of its opening). */
  lastPing: number;
}

interface RequestMessage {
  op?: unknown;
  req_id?: unknown;
  args?: unknown;
}

/**
 * The v5 public stream: answers subscribe/unsubscribe/ping, then pushes each (connection, topic) on
 * Bybit's cadence (push-cadence.ts), or, with a global `rate`, that many messages per real second
 * round-robin. Catch-up after a stall is bounded (100 ms worth), so a stalled process never floods itself.
 */
export class WsHub {
  private readonly conns = new Set<Connection>();
  private subs: Array<{ conn: Connection; name: string }> = [];
  private subsDirty = false;
  private cursor = 0;
  private budget = 0;
  private lastTick = performance.now();
  private lastDisconnect = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private nextConnId = 1;
  private seq = 0;
  private readonly counters = { pushed: 0, skippedSlowReader: 0, disconnects: 0, idleCloses: 0, refusedSubscribes: 0 };

  private rate: number | undefined;

  constructor(
    wss: WebSocketServer,
    private readonly o: WsHubOptions,
  ) {
    if (o.rate !== undefined) this.setRate(o.rate);
    wss.on('connection', (ws) => this.accept(ws));
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Pins one global rate from now on (Bybit's cadence does not come back). */
  setRate(rate: number): void {
    if (!(Number.isFinite(rate) && rate >= 0)) throw new RangeError(`wsRate must be a number >= 0, got ${String(rate)}`);
    this.rate = rate;
  }

  /** Closes every socket, as the WS-disconnect fault does. */
  disconnectAll(): void {
    for (const conn of this.conns) conn.ws.terminate();
    this.counters.disconnects += 1;
    this.lastDisconnect = performance.now();
  }

  stats(): WsHubStats {
    let subscriptions = 0;
    for (const c of this.conns) subscriptions += c.topics.size;
    return { connections: this.conns.size, subscriptions, ...this.counters };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const conn of this.conns) conn.ws.terminate();
    this.conns.clear();
    this.subs = [];
  }

  private accept(ws: WebSocket): void {
    const conn: Connection = { ws, id: `sim-${this.nextConnId++}`, topics: new Map(), lastPing: performance.now() };
    this.conns.add(conn);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.conns.delete(conn);
      this.subsDirty = true;
    });
    ws.on('message', (data) => this.onMessage(conn, String(data)));
  }

  private reply(conn: Connection, body: Record<string, unknown>): void {
    conn.ws.send(JSON.stringify({ ...body, conn_id: conn.id }));
  }

  private onMessage(conn: Connection, text: string): void {
    let msg: RequestMessage;
    try {
      msg = JSON.parse(text) as RequestMessage;
    } catch {
      return this.reply(conn, { success: false, ret_msg: 'error:invalid json', request: { op: '', args: null } });
    }
    const { op, req_id } = msg;
    if (op === 'ping') {
      conn.lastPing = performance.now();
      return this.reply(conn, { success: true, ret_msg: 'pong', req_id, op });
    }
    if (op !== 'subscribe' && op !== 'unsubscribe') {
      return this.reply(conn, { success: false, ret_msg: 'error:invalid op', req_id, op, request: { op, args: null } });
    }
    const args = Array.isArray(msg.args) ? msg.args.map(String) : [];
    const topics = args.map((name) => parseTopic(this.o.market, name));
    // A symbol that is not Trading has no handler for new subscriptions; unsubscribing still succeeds.
    const now = this.o.clock.now();
    const bad = args.find((_, i) => topics[i] === undefined || (op === 'subscribe' && !this.o.market.isListed(topics[i].symbol, now)));
    const refused = bad ?? (op === 'subscribe' && this.o.faults.refusesSubscribe(topics.flatMap((t) => (t ? [t.kind] : []))) ? args[0] : undefined);
    if (refused !== undefined) {
      this.counters.refusedSubscribes += op === 'subscribe' ? 1 : 0;
      if (bad === undefined && this.o.faults.get().refuseSubscribe?.silent === true) return;
      return this.reply(conn, { success: false, ret_msg: `error:handler not found,topic:${refused}`, req_id, op });
    }
    for (const topic of topics as Topic[]) {
      if (op === 'subscribe' && !conn.topics.has(topic.name)) conn.topics.set(topic.name, { topic, state: { pushes: 0 }, due: 0, n: 0 });
      if (op === 'unsubscribe') conn.topics.delete(topic.name);
    }
    this.subsDirty = true;
    this.reply(conn, { success: true, ret_msg: '', req_id, op });
  }

  /** Bybit drops a connection that stopped pinging; the client has to reconnect and resubscribe. */
  private closeIdle(real: number): void {
    for (const conn of this.conns) {
      if (real - conn.lastPing <= this.o.idleCloseMs) continue;
      conn.lastPing = real;
      conn.ws.terminate();
      this.counters.idleCloses += 1;
    }
  }

  private rebuildSubs(): void {
    this.subs = [];
    for (const conn of this.conns) for (const name of conn.topics.keys()) this.subs.push({ conn, name });
    this.subsDirty = false;
  }

  private tick(): void {
    const real = performance.now();
    const elapsed = real - this.lastTick;
    this.lastTick = real;
    const every = this.o.faults.wsDisconnectEveryMs();
    if (every > 0 && real - this.lastDisconnect >= every) this.disconnectAll();
    if (this.o.idleCloseMs > 0) this.closeIdle(real);
    if (this.subsDirty) this.rebuildSubs();
    if (this.subs.length === 0) {
      this.budget = 0;
      return;
    }
    const ctx = { market: this.o.market, faults: this.o.faults, now: this.o.clock.now(), seq: 0 };
    const rate = this.rate;
    if (rate === undefined) {
      for (const sub of this.subs) this.pushDue(sub, ctx, real);
      return;
    }
    this.budget = Math.min(this.budget + (rate * elapsed) / 1000, rate * 0.1 + 1);
    const n = Math.floor(this.budget);
    this.budget -= n;
    // A delisted topic gets nothing, as on Bybit, and takes no share of the rate: a client that stays
    // subscribed to dead symbols must not slow the live ones' stream.
    // Bounded: it stops after one full round of the subscriptions without a live topic.
    for (let sent = 0, skipped = 0; sent < n && skipped < this.subs.length; ) {
      if (this.push(this.subs[this.cursor++ % this.subs.length]!, ctx)) {
        sent++;
        skipped = 0;
      } else skipped++;
    }
    if (this.cursor > 1e9) this.cursor = 0;
  }

  private pushDue(sub: { conn: Connection; name: string }, ctx: PushContext, real: number): void {
    const entry = sub.conn.topics.get(sub.name);
    for (let i = 0; entry && real >= entry.due && i < MAX_PER_TICK; i++) {
      const gap = pushGapMs({ topic: entry.topic, n: entry.n++, now: ctx.now, toRealMs: (ms) => this.o.clock.toRealMs(ms), ...(this.o.intervals ? { fixed: this.o.intervals } : {}) });
      entry.due = nextDue(entry.due, real, gap);
      this.push(sub, ctx);
    }
  }

  /** False when the topic is gone or delisted: nothing was due for it. */
  private push(sub: { conn: Connection; name: string }, ctx: PushContext): boolean {
    const entry = sub.conn.topics.get(sub.name);
    if (!entry || !this.o.market.streams(entry.topic.symbol, ctx.now)) return false;
    if (sub.conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.counters.skippedSlowReader += 1;
      return true;
    }
    ctx.seq = ++this.seq;
    const push = buildPush(ctx, entry.topic, entry.state);
    if (push === undefined) return true;
    sub.conn.ws.send(JSON.stringify(push));
    entry.state.pushes += 1;
    this.counters.pushed += 1;
    return true;
  }
}
