import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator } from './emulator.ts';
import { until } from '../testing/until.ts';
import { SimClock } from './sim-clock.ts';

const START = Date.UTC(2025, 0, 6, 12, 0, 0);
/** No status lead and no linger: these tests look at the moment a symbol is gone. */
const INSTANT = { statusLeadMs: 0, lingerMs: 0 };

describe('emulator listings and delistings', () => {
  it('stops a delisted symbol\'s streams, refuses new subscriptions to it, still acks its unsubscribe, and stops rotating after `turns`', async () => {
    let real = 0;
    const clock = new SimClock({ startMs: START, speed: 1, realNow: () => real });
    const emu = await startEmulator({ clock, symbols: 6, wsRate: 400, rotation: { size: 3, everyMs: 60_000, turns: 2, delisting: INSTANT } });
    const ws = new WebSocket(emu.wsUrl);
    try {
      const messages: Array<Record<string, unknown>> = [];
      ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
      await new Promise((resolve) => ws.once('open', resolve));
      const first = emu.market.all[0]!.id;
      ws.send(JSON.stringify({ op: 'subscribe', req_id: 1, args: [`tickers.${first}`] }));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(messages.filter((m) => m['topic'] === `tickers.${first}`).length).toBeGreaterThan(0);

      real = 60_000;
      expect(emu.market.listed(clock.now()).map((s) => s.id)).not.toContain(first);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const pushed = messages.filter((m) => m['topic'] === `tickers.${first}`).length;
      ws.send(JSON.stringify({ op: 'subscribe', req_id: 2, args: [`kline.1.${first}`] }));
      ws.send(JSON.stringify({ op: 'unsubscribe', req_id: 3, args: [`tickers.${first}`] }));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(messages.filter((m) => m['topic'] === `tickers.${first}`)).toHaveLength(pushed);
      expect(messages).toContainEqual(expect.objectContaining({ success: false, req_id: 2, ret_msg: `error:handler not found,topic:kline.1.${first}` }));
      expect(messages).toContainEqual(expect.objectContaining({ success: true, req_id: 3, op: 'unsubscribe' }));

      real = 10 * 60_000;
      expect(emu.market.turns(clock.now())).toBe(2);
      const usdt = emu.market.listed(clock.now()).filter((s) => s.quote === 'USDT');
      expect(usdt.map((s) => s.id).sort()).toEqual(emu.market.all.slice(2, 5).map((s) => s.id));
    } finally {
      ws.terminate();
      await emu.stop();
    }
  });

  it('gives a delisted symbol\'s topics no share of a global push rate: a live topic keeps the whole rate', async () => {
    let real = 0;
    const clock = new SimClock({ startMs: START, speed: 1, realNow: () => real });
    const rotation = { size: 3, everyMs: 60_000, delisting: INSTANT };
    // A control emulator in the same process, with the live topic alone, takes the same load as the one
    // under test: the comparison holds on a busy machine, where a rate measured against wall time does not.
    const [control, tested] = await Promise.all([1, 2].map(() => startEmulator({ clock, symbols: 6, wsRate: 400, rotation })));
    const sockets = [new WebSocket(control!.wsUrl), new WebSocket(tested!.wsUrl)];
    try {
      const [dead, , live] = tested!.market.all.map((x) => x.id);
      const counts = [0, 0];
      const acked = [false, false];
      sockets.forEach((ws, i) =>
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { topic?: string; op?: string; success?: boolean };
          if (m.topic === `kline.1.${live}`) counts[i]! += 1;
          if (m.op === 'subscribe' && m.success === true) acked[i] = true;
        }),
      );
      await Promise.all(sockets.map((ws) => new Promise((resolve) => ws.once('open', resolve))));
      // A kline pushes its forming candle every time; a ticker sends only what changed, and this clock stands still.
      const deadTopics = ['tickers', 'publicTrade', 'kline.1', 'kline.5', 'orderbook.50'].map((t) => `${t}.${dead}`);
      sockets[0]!.send(JSON.stringify({ op: 'subscribe', req_id: 1, args: [`kline.1.${live}`] }));
      sockets[1]!.send(JSON.stringify({ op: 'subscribe', req_id: 1, args: [...deadTopics, `kline.1.${live}`] }));
      // Delist only once both subscriptions are acked: a subscribe that reaches a busy emulator after the
      // delisting is refused whole, and the test would measure nothing.
      await until('both subscribe acks', () => acked.every(Boolean), 10_000);
      real = 60_000;
      expect(tested!.market.isListed(tested!.market.all[0]!, clock.now())).toBe(false);
      const from = [...counts];
      await new Promise((resolve) => setTimeout(resolve, 400));
      const [alone, beside] = counts.map((c, i) => c - from[i]!);
      // Round-robin over all six topics would give the live one a sixth of what it gets alone.
      expect(alone).toBeGreaterThan(20);
      expect(beside).toBeGreaterThan(alone! * 0.6);
    } finally {
      for (const ws of sockets) ws.terminate();
      await Promise.all([control!.stop(), tested!.stop()]);
    }
  });
});
