import type { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../core/clock.ts';
import type { FaultState } from './faults.ts';
import type { SimMarket } from './sim-market.ts';
import { buildPush, parseTopic, type PushState, type Topic } from './ws-topics.ts';

const TICK_MS = 5;
/** A slow reader's socket is skipped, not buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface WsHubStats {
  connections: number;
  subscriptions: number;
  pushed: number;
  skippedSlowReader: number;
  disconnects: number;
}

interface Connection {
  ws: WebSocket;
  id: string;
  topics: Map<string, { topic: Topic; state: PushState }>;
}

interface RequestMessage {
  op?: unknown;
  req_id?: unknown;
  args?: unknown;
}

/**
 * The v5 public stream: answers subscribe/unsubscribe/ping, then pushes at `rate` messages per real
 * second overall, round-robin over every (connection, topic). Bursts after a stall are capped at
 * 100 ms worth of messages, so a stalled process never floods itself.
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
  private readonly counters = { pushed: 0, skippedSlowReader: 0, disconnects: 0 };

  constructor(
    wss: WebSocketServer,
    private readonly market: SimMarket,
    private readonly clock: Clock,
    private readonly faults: FaultState,
    private rate: number,
  ) {
    wss.on('connection', (ws) => this.accept(ws));
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

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
    const conn: Connection = { ws, id: `sim-${this.nextConnId++}`, topics: new Map() };
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
    if (op === 'ping') return this.reply(conn, { success: true, ret_msg: 'pong', req_id, op });
    if (op !== 'subscribe' && op !== 'unsubscribe') {
      return this.reply(conn, { success: false, ret_msg: 'error:invalid op', req_id, op, request: { op, args: null } });
    }
    const args = Array.isArray(msg.args) ? msg.args.map(String) : [];
    const topics = args.map((name) => parseTopic(this.market, name));
    const bad = args.find((_, i) => topics[i] === undefined);
    if (bad !== undefined) return this.reply(conn, { success: false, ret_msg: `error:handler not found,topic:${bad}`, req_id, op });
    for (const topic of topics as Topic[]) {
      if (op === 'subscribe' && !conn.topics.has(topic.name)) conn.topics.set(topic.name, { topic, state: { pushes: 0 } });
      if (op === 'unsubscribe') conn.topics.delete(topic.name);
    }
    this.subsDirty = true;
    this.reply(conn, { success: true, ret_msg: '', req_id, op });
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
    const every = this.faults.wsDisconnectEveryMs();
    if (every > 0 && real - this.lastDisconnect >= every) this.disconnectAll();
    if (this.subsDirty) this.rebuildSubs();
    if (this.subs.length === 0) {
      this.budget = 0;
      return;
    }
    this.budget = Math.min(this.budget + (this.rate * elapsed) / 1000, this.rate * 0.1 + 1);
    const n = Math.floor(this.budget);
    this.budget -= n;
    const ctx = { market: this.market, faults: this.faults, now: this.clock.now(), seq: 0 };
    for (let i = 0; i < n; i++) {
      const sub = this.subs[this.cursor++ % this.subs.length]!;
      const entry = sub.conn.topics.get(sub.name);
      if (!entry) continue;
      if (sub.conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.counters.skippedSlowReader += 1;
        continue;
      }
      ctx.seq = ++this.seq;
      sub.conn.ws.send(JSON.stringify(buildPush(ctx, entry.topic, entry.state)));
      entry.state.pushes += 1;
      this.counters.pushed += 1;
    }
    if (this.cursor > 1e9) this.cursor = 0;
  }
}
