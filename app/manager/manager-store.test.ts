import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedList } from '../caches/bounded-list.ts';
import { mergeByKey } from './manager-store.ts';

interface Row {
  id: string;
  timestamp: number;
}
const keyOf = (r: Row) => r.id;

/**
 * A true history (ids unique, timestamps non-decreasing, ties allowed) and the deliveries that carry it:
 * WS batches in order with outages that drop some of them, and REST pages (the newest `size` rows up to
 * some point) arriving at any moment, so gaps have every shape: inside, at either end, several at once.
 */
const scenario = fc
  .record({
    steps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 60 }),
    limit: fc.integer({ min: 1, max: 25 }),
    batches: fc.array(fc.record({ size: fc.integer({ min: 1, max: 6 }), lost: fc.boolean() }), { maxLength: 30 }),
    pages: fc.array(fc.record({ at: fc.nat(), upTo: fc.nat(), size: fc.integer({ min: 1, max: 30 }) }), { maxLength: 5 }),
  })
  .map(({ steps, limit, batches, pages }) => {
    let t = 1_000;
    const history: Row[] = steps.map((step, i) => ({ id: `t${i}`, timestamp: (t += step) }));
    const deliveries: Row[][] = [];
    let next = 0;
    for (const b of batches) {
      const batch = history.slice(next, next + b.size);
      next += b.size;
      if (!b.lost && batch.length > 0) deliveries.push(batch);
    }
    for (const p of pages) {
      const end = 1 + (p.upTo % history.length);
      deliveries.splice(p.at % (deliveries.length + 1), 0, history.slice(Math.max(0, end - p.size), end));
    }
    return { history, limit, deliveries };
  });

describe('trades merge by id', () => {
  it('holds, in order and without repeats, the newest `limit` of every row delivered, whatever the gaps', () => {
    fc.assert(
      fc.property(scenario, ({ history, limit, deliveries }) => {
        const list = new BoundedList<Row>(limit);
        for (const rows of deliveries) {
          mergeByKey(list, rows, keyOf, limit);
          list.trimTo(limit);
        }
        const held = list.toArray();
        const delivered = new Set(deliveries.flat().map(keyOf));
        const expected = history.filter((r) => delivered.has(r.id)).slice(-limit);
        expect(new Set(held.map(keyOf)).size).toBe(held.length);
        expect(held.every((r) => delivered.has(r.id))).toBe(true);
        for (let i = 1; i < held.length; i++) expect(held[i]!.timestamp).toBeGreaterThanOrEqual(held[i - 1]!.timestamp);
        // Rows sharing the boundary timestamp may differ in which ones stay; the timestamps may not.
        expect(held.map((r) => r.timestamp)).toEqual(expected.map((r) => r.timestamp));
      }),
      { numRuns: 500 },
    );
  });

  it('fills the gap a WS outage left: a, e from WS, then a REST page of b, c, d', () => {
    const list = new BoundedList<Row>(10);
    const row = (id: string, timestamp: number) => ({ id, timestamp });
    mergeByKey(list, [row('a', 1), row('e', 5)], keyOf, 10);
    expect(mergeByKey(list, [row('b', 2), row('c', 3), row('d', 4), row('e', 5)], keyOf, 10)).toBe(3);
    expect(list.toArray().map(keyOf)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
