import { describe, expect, it } from 'vitest';
import { kindOf, type HeapNode } from './heap-node.ts';
import { retainerPath } from './retainer-path.ts';

let nextId = 1;
function node(type: string, name: string, from?: { holder: HeapNode; type: string; edge: string | number }): HeapNode {
  return { id: nextId++, type, name, self_size: 16, references: [], pathEdge: from ? { type: from.type, name_or_index: from.edge, fromNode: from.holder } : null };
}

/** The `global` object under the GC roots, where every chain below starts. */
const rooted = () => node('object', 'global', { holder: node('synthetic', '(GC roots)'), type: 'shortcut', edge: 1 });

/** [synthetic] → global → … → MarketDataManager.ohlcv → Map → (internal table) → Map → Array → (elements) → Array. */
function managerChain() {
  const context = node('object', 'system / Context', { holder: rooted(), type: 'context', edge: 'service' });
  const manager = node('object', 'MarketDataManager', { holder: context, type: 'context', edge: 'manager' });
  const map = node('object', 'Map', { holder: manager, type: 'property', edge: 'ohlcv' });
  const table = node('array', '(object elements)', { holder: map, type: 'internal', edge: 'table' });
  const inner = node('object', 'Map', { holder: table, type: 'internal', edge: 3 });
  const rows = node('object', 'Array', { holder: inner, type: 'internal', edge: 5 });
  const elements = node('array', '(object elements)', { holder: rows, type: 'internal', edge: 'elements' });
  return { manager, candle: node('object', 'Array', { holder: elements, type: 'element', edge: 7 }) };
}

describe('retainerPath', () => {
  it('starts at the nearest app object and folds V8 internals into …', () => {
    expect(retainerPath(managerChain().candle)).toBe('MarketDataManager.ohlcv → Map → … → Map → Array → … → Array');
  });
  it('shows the last hops when no app object holds the node', () => {
    let n = rooted();
    for (const name of ['Object', 'Map', 'Set', 'Array']) n = node('object', name, { holder: n, type: 'property', edge: 'x' });
    expect(retainerPath(n)).toBe('… → Object.x → Map.x → Set.x → Array');
  });
  it("names a module's or closure's variable that holds the growth, where V8 shows only a context", () => {
    const fn = node('closure', 'storeTrades', { holder: rooted(), type: 'property', edge: 'x' });
    const context = node('object', 'system / Context', { holder: fn, type: 'internal', edge: 'context' });
    const set = node('object', 'Set', { holder: context, type: 'context', edge: 'seenTradeIds' });
    const table = node('array', '(object elements)', { holder: set, type: 'internal', edge: 'table' });
    expect(retainerPath(node('string', 'BTC:1', { holder: table, type: 'internal', edge: 9 }))).toBe('seenTradeIds → Set → … → BTC:1');
    // However deep the string sits below the set, the variable still names it.
    let deep = node('string', 'BTC:1', { holder: table, type: 'internal', edge: 9 });
    for (let i = 0; i < 4; i++) deep = node('concatenated string', `part${i}`, { holder: deep, type: 'internal', edge: 'first' });
    expect(retainerPath(deep)).toMatch(/^seenTradeIds → Set → … → BTC:1 → part0/);
  });
  it('names the node itself even when it is a V8 backing store', () => {
    const { candle } = managerChain();
    const store = node('array', '(object elements)', { holder: candle, type: 'internal', edge: 'elements' });
    expect(retainerPath(store)).toBe('MarketDataManager.ohlcv → Map → … → Map → Array → … → Array → (object elements)');
  });
  it('has no path for a node memlab found no way to from the roots', () => {
    expect(retainerPath(node('object', 'Array'))).toBeUndefined();
  });
});

describe('kindOf', () => {
  const ref = (name: string) => ({ type: 'property', name_or_index: name });
  it('names class instances, plain objects by their first properties, and V8 types in parentheses', () => {
    expect(kindOf({ type: 'object', name: 'Map', references: [] })).toBe('Map');
    expect(kindOf({ type: 'object', name: 'Object', references: [ref('a'), ref('b'), ref('__proto__')] })).toBe('Object {a, b}');
    expect(kindOf({ type: 'object', name: 'Object', references: ['a', 'b', 'c', 'd', 'e'].map(ref) })).toBe('Object {a, b, c, d, …}');
    expect(kindOf({ type: 'object', name: 'Object', references: [] })).toBe('Object');
    expect(kindOf({ type: 'concatenated string', name: 'abc', references: [] })).toBe('(string)');
    expect(kindOf({ type: 'closure', name: 'onMessage', references: [] })).toBe('(closure) onMessage');
    expect(kindOf({ type: 'array', name: '(object elements)', references: [] })).toBe('(array)');
  });
});
