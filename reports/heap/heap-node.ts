/**
 * The part of memlab's IHeapNode / IHeapEdge (@memlab/core) that kinds and retainer paths read; memlab's
 * nodes satisfy it, and the tests build small graphs of their own.
 */
export interface HeapEdge {
  type: string;
  name_or_index: string | number;
  fromNode: HeapNode;
}

export interface HeapNode {
  id: number;
  type: string;
  name: string;
  self_size: number;
  /** The first edge of memlab's shortest path from the GC roots (annotateShortestPaths), or null. */
  pathEdge: HeapEdge | null;
  references: ReadonlyArray<{ type: string; name_or_index: string | number }>;
}

/** V8's own bookkeeping, never an app's data: `system / Context`, `(object elements)`, `[synthetic]`. */
export const isInternal = (n: Pick<HeapNode, 'type' | 'name'>) =>
  n.type === 'hidden' || n.type === 'synthetic' || n.type === 'code' || n.type === 'array' || n.name.startsWith('system /') || n.name.startsWith('(');

const MAX_PROPS = 4;

/** What a node is, for grouping: `Map`, `Array`, `Object {t, price}`, `(string)`, `(closure) onMessage`. */
export function kindOf(n: Pick<HeapNode, 'type' | 'name' | 'references'>): string {
  if (n.type === 'object') {
    if (n.name !== 'Object') return n.name;
    const props = n.references.filter((e) => e.type === 'property' && typeof e.name_or_index === 'string' && !e.name_or_index.startsWith('__'));
    // Small integers are stored in the object itself and have no edge: `Object` is all V8 tells.
    if (props.length === 0) return 'Object';
    const names = props.slice(0, MAX_PROPS).map((e) => String(e.name_or_index));
    return `Object {${names.join(', ')}${props.length > MAX_PROPS ? ', …' : ''}}`;
  }
  if (n.type === 'closure') return `(closure) ${n.name || 'anonymous'}`;
  if (n.type === 'string' || n.type === 'concatenated string' || n.type === 'sliced string') return '(string)';
  return `(${n.type})${n.type === 'native' || n.type === 'hidden' ? ` ${n.name}` : ''}`;
}
