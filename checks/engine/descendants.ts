import type { Node } from 'ts-morph';

/**
 * getDescendants() wraps every node on each call; the checks ask for the same scopes many times, so the
 * list is cached per wrapper (wrappers are replaced when a file is re-parsed, which drops the cache).
 */
const cache = new WeakMap<Node, Node[]>();

export function descendantsOf(n: Node): Node[] {
  let d = cache.get(n);
  if (!d) {
    d = n.getDescendants();
    cache.set(n, d);
  }
  return d;
}
