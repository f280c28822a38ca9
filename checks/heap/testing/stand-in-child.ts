/**
 * A small process that grows like the fix-removed build: an app object keeps per-symbol rows in a Map
 * of arrays and never trims them. It reads its own growth with snapshotPair and prints the result as
 * one JSON line:  node --expose-gc --import tsx checks/heap/testing/stand-in-child.ts [rows per symbol]
 */
import { snapshotPair } from '../snapshot-pair.ts';

export class StandInStore {
  readonly rows = new Map<string, Array<{ t: number; price: number }>>();

  add(symbol: string, n: number): void {
    let list = this.rows.get(symbol);
    if (!list) this.rows.set(symbol, (list = []));
    for (let i = 0; i < n; i++) list.push({ t: list.length, price: 100 + (i % 7) });
  }
}

const perSymbol = Number(process.argv[2] ?? 20_000);
const store = new StandInStore();
store.add('AAA', perSymbol);
const result = await snapshotPair({
  grow: async () => {
    for (const s of ['AAA', 'BBB', 'CCC']) store.add(s, perSymbol);
  },
});
process.stdout.write(`${JSON.stringify({ result, rows: store.rows.size })}\n`);
