import { describe, expect, it } from 'vitest';
import type { MarketSource } from '../../app/exchange/market-source.ts';
import { countRestInFlight } from './rest-in-flight.ts';

describe('countRestInFlight', () => {
  it('counts REST calls until they settle, fulfilled or rejected, and passes the rest through', async () => {
    let release = () => {};
    const inner = {
      name: 'inner',
      fetchTicker: () => new Promise((resolve) => (release = () => resolve('t'))),
      fetchOHLCV: async () => {
        throw new Error('gone');
      },
      clientState(this: { name: string }) {
        return this.name;
      },
    } as unknown as MarketSource;
    const { source, inFlight } = countRestInFlight(inner);
    const ticker = source.fetchTicker('BTC/USDT:USDT');
    expect(inFlight()).toBe(1);
    await expect(source.fetchOHLCV('BTC/USDT:USDT', '1m', 10)).rejects.toThrow('gone');
    expect(inFlight()).toBe(1);
    release();
    await expect(ticker).resolves.toBe('t');
    expect(inFlight()).toBe(0);
    expect(source.clientState()).toBe('inner');
  });
});
