import { isInternal, type HeapNode } from './heap-node.ts';

/** Built-in holders: a path names the nearest app object that holds the growth, not these. */
const BUILTIN = new Set(['Object', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Function', 'Promise', 'global', 'Window', 'Timeout', 'Immediate', 'Generator']);
const isAppObject = (n: HeapNode) => n.type === 'object' && /^[A-Z][\w$]*$/.test(n.name) && !BUILTIN.has(n.name);
/** Hops shown when no app object holds the node. */
const TAIL = 4;
const GAP = '…';

/** The hops from the GC roots to `node` along memlab's shortest path: holder and the edge it holds the next by. */
function hopsTo(node: HeapNode): Array<{ node: HeapNode; edge?: string; variable?: string }> {
  const hops: Array<{ node: HeapNode; edge?: string; variable?: string }> = [{ node }];
  const seen = new Set([node.id]);
  for (let e = node.pathEdge; e && !seen.has(e.fromNode.id); e = e.fromNode.pathEdge) {
    seen.add(e.fromNode.id);
    // A context edge is a closure's or a module's variable: its name is what a reader knows the holder by.
    hops.unshift({ node: e.fromNode, edge: e.type === 'property' ? String(e.name_or_index) : undefined, variable: e.type === 'context' ? String(e.name_or_index) : undefined });
  }
  return hops;
}

/**
 * What holds `node`, read from the nearest app object (or named variable) on its retainer path down to the node:
 * `MarketDataManager.ohlcv → Map → … → Array`. V8's internal hops (backing stores, contexts) become `…`.
 * Undefined when memlab found no path from the GC roots.
 */
export function retainerPath(node: HeapNode): string | undefined {
  if (!node.pathEdge) return undefined;
  const hops = hopsTo(node);
  // A module's or closure's variable names the holder as well as an app object does (a bundle's module-level Set).
  const anchor = hops.findLastIndex((h, i) => i < hops.length - 1 && (isAppObject(h.node) || h.variable !== undefined));
  const from = anchor >= 0 ? anchor : Math.max(0, hops.length - TAIL);
  const parts: string[] = from > 0 && anchor < 0 ? [GAP] : [];
  for (const h of hops.slice(from)) {
    // The node itself is always named, even a backing store: it is the thing that grew.
    const part = isInternal(h.node) && h.node !== node ? (h.variable ?? GAP) : `${h.node.name}${h.edge ? `.${h.edge}` : ''}`;
    if (!(part === GAP && parts.at(-1) === GAP)) parts.push(part);
  }
  return parts.join(' → ');
}
