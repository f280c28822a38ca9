import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { until } from '../testing/until.ts';
import { tapDeliveries } from './delivery-tap.ts';
import { streamLoop } from './stream-loop.ts';

const HASH = 'ticker:BTC/USDT:USDT';

/** ccxt's Client.resolve / reject semantics (ccxt 4.5.84 base/ws/Client.js), with the futures as plain callbacks. */
function fakeClient() {
  const c = {
    subscriptions: {} as Record<string, unknown>,
    futures: {} as Record<string, { resolve(v: unknown): void; reject(e: unknown): void }>,
    rejections: {} as Record<string, unknown>,
    resolve(result: unknown, hash?: string) {
      if (hash !== undefined && hash in c.futures) {
        c.futures[hash]!.resolve(result);
        delete c.futures[hash];
      }
      return result;
    },
    reject(error: unknown, hash?: string): unknown {
      if (hash === undefined) {
        for (const h of Object.keys(c.futures)) c.reject(error, h);
      } else if (hash in c.futures) {
        c.futures[hash]!.reject(error);
        delete c.futures[hash];
      } else c.rejections[hash] = error;
      return error;
    },
  };
  return c;
}

function setup() {
  const client = fakeClient();
  const ex = { client: (_url: string) => client };
  const tap = tapDeliveries(ex);
  const live = () => ex.client('ws://x') as typeof client;
  let subscribes = 0;
  // A watch* call: records the subscription, and settles at the next message of the hash.
  const subscribe = () => {
    subscribes += 1;
    const c = live();
    c.subscriptions[HASH] = true;
    if (HASH in c.rejections) {
      const stored = c.rejections[HASH];
      delete c.rejections[HASH];
      return Promise.reject(stored instanceof Error ? stored : new Error(String(stored)));
    }
    return new Promise((resolve, reject) => (c.futures[HASH] = { resolve, reject }));
  };
  const got: unknown[] = [];
  const errors: unknown[] = [];
  let recovered = 0;
  let revived = 0;
  const dropped: Array<{ refusals: number; drops: number; retryInMs: number }> = [];
  const clock = new FakeClock();
  const controller = new AbortController();
  const backoff = { attempts: Infinity, baseMs: 100, maxMs: 1000, jitter: 0 };
  const loop = streamLoop(HASH, subscribe, (v) => got.push(v), {
    clock,
    signal: controller.signal,
    tap,
    backoff,
    random: () => 0.5,
    onError: (e) => errors.push(e),
    onRecovered: () => (recovered += 1),
    isRefusal: (e) => e instanceof Error && e.message.startsWith('refused'),
    maxRefusals: 3,
    revive: { attempts: Infinity, baseMs: 60_000, maxMs: 600_000, jitter: 0 },
    onDropped: (_e, d) => dropped.push({ refusals: d.refusals, drops: d.drops, retryInMs: d.retryAt - d.at }),
    onRevived: () => (revived += 1),
  });
  return { live, got, errors, clock, controller, loop, dropped, subscribes: () => subscribes, recovered: () => recovered, revived: () => revived };
}

describe('streamLoop over the delivery tap', () => {
  it('subscribes once and takes every message synchronously, the first one included', async () => {
    const s = setup();
    await until('the subscribe', () => s.subscribes() === 1);
    for (let i = 0; i < 100; i++) {
      s.live().resolve({ i }, HASH);
      expect(s.got).toHaveLength(i + 1);
    }
    s.live().resolve({ other: true }, 'ticker:ETH/USDT:USDT');
    await new Promise((r) => setImmediate(r));
    expect(s.subscribes()).toBe(1);
    expect(s.got).toHaveLength(100);
    expect(s.errors).toEqual([]);
    s.controller.abort();
    await s.loop;
    s.live().resolve({ late: true }, HASH);
    expect(s.got).toHaveLength(100);
  });

  it('on a connection failure counts one error, backs off, subscribes again and recovers', async () => {
    const s = setup();
    await until('the subscribe', () => s.subscribes() === 1);
    s.live().resolve({ first: true }, HASH);
    await new Promise((r) => setImmediate(r));
    s.live().reject(new Error('connection closed'));
    await s.clock.whenSleeping(1);
    expect(s.errors).toHaveLength(1);
    expect(s.subscribes()).toBe(1);
    await s.clock.advance(1000);
    await until('the resubscribe', () => s.subscribes() === 2);
    s.live().resolve({ again: true }, HASH);
    await until('recovered', () => s.recovered() === 1);
    expect(s.got).toEqual([{ first: true }, { again: true }]);
    s.controller.abort();
    await s.loop;
  });

  it('takes a rejection of its hash with no future pending, and leaves none stored for the resubscribe', async () => {
    const s = setup();
    await until('the subscribe', () => s.subscribes() === 1);
    s.live().resolve({ first: true }, HASH);
    await new Promise((r) => setImmediate(r));
    s.live().reject(new Error('error reply'), HASH);
    expect(s.live().rejections).toEqual({});
    await s.clock.whenSleeping(1);
    await s.clock.advance(1000);
    await until('the resubscribe', () => s.subscribes() === 2);
    await new Promise((r) => setImmediate(r));
    expect(s.errors).toHaveLength(1);
    s.controller.abort();
    await s.loop;
  });

  it('gives a stream up after maxRefusals refusals in a row, and says so; a lost connection in between starts the count over; revives it later, each give-up waiting twice as long', async () => {
    const s = setup();
    const refuse = async (n: number) => {
      await until(`subscribe ${n}`, () => s.subscribes() === n);
      s.live().reject(new Error('refused: handler not found'), HASH);
      await new Promise((r) => setImmediate(r));
    };
    await refuse(1);
    await s.clock.advance(1000);
    await until('subscribe 2', () => s.subscribes() === 2);
    s.live().reject(new Error('connection closed'));
    await new Promise((r) => setImmediate(r));
    for (let n = 3; n <= 5; n++) {
      await s.clock.advance(1000);
      await refuse(n);
    }
    await s.clock.whenSleeping(1);
    expect(s.dropped).toEqual([{ refusals: 3, drops: 1, retryInMs: 60_000 }]);
    expect(s.subscribes()).toBe(5);
    // Given up for the revive wait: no subscribe until it has passed, then a whole new round.
    await s.clock.advance(59_999);
    expect(s.subscribes()).toBe(5);
    await s.clock.advance(1);
    for (let n = 6; n <= 8; n++) {
      await refuse(n);
      if (n < 8) await s.clock.advance(1000);
    }
    await s.clock.whenSleeping(1);
    expect(s.dropped.at(-1)).toEqual({ refusals: 3, drops: 2, retryInMs: 120_000 });
    await s.clock.advance(120_000);
    await until('the revive', () => s.subscribes() === 9);
    s.live().resolve({ back: true }, HASH);
    await until('revived', () => s.revived() === 1);
    expect(s.got).toEqual([{ back: true }]);
    s.controller.abort();
    await s.loop;
  });
});
