import type { WhatGrew, WhatGrewRow } from '../schemas/qa-result.ts';
import { kindOf, type HeapNode } from './heap-node.ts';
import { retainerPath } from './retainer-path.ts';

/** The snapshot calls memlab makes; the defaults parse with memlab and annotate its shortest paths. */
export interface HeapLoader {
  /** Parsed nodes only: the earlier snapshot needs ids and kinds, no paths. */
  nodes(file: string): Promise<{ forEach(f: (n: HeapNode) => void): void }>;
  /** Parsed, with memlab's shortest path from the GC roots on every node (pathEdge). */
  withPaths(file: string): Promise<{ forEach(f: (n: HeapNode) => void): void }>;
}

interface Tally {
  count: number;
  bytes: number;
}

/** Kinds that grew less than this are noise (code, feedback vectors, the analysis' own strings). */
const MIN_GROWTH_BYTES = 64 * 1024;

/**
 * The object kinds that grew between two heap snapshots of one process, most bytes first, each with the
 * retainer path most of its new bytes share (V8 keeps node ids across snapshots of one isolate, so a
 * new id is an object allocated since the first). Never throws: a snapshot memlab cannot read is a failure value.
 */
export async function whatGrew(o: { before: string; after: string; top?: number; load?: HeapLoader }): Promise<WhatGrew> {
  const started = performance.now();
  try {
    // memlab is loaded on first use: the snapshots of the process that grows should not hold it.
    const load = o.load ?? (await import('./memlab-loader.ts')).memlabLoader;
    const before = new Map<string, Tally>();
    // Each old object's size: an array that grows in place keeps its id, and only its size tells.
    const oldSizes = new Map<number, number>();
    (await load.nodes(o.before)).forEach((n) => {
      oldSizes.set(n.id, n.self_size);
      tally(before, kindOf(n), n.self_size);
    });
    const after = new Map<string, Tally>();
    const samples = new Map<string, Sample>();
    const random = lcg(1);
    (await load.withPaths(o.after)).forEach((n) => {
      const kind = kindOf(n);
      tally(after, kind, n.self_size);
      const grown = n.self_size - (oldSizes.get(n.id) ?? 0);
      if (grown > 0 && n.pathEdge) sample(samples, kind, n, grown, random);
    });
    const rows: WhatGrewRow[] = [...after]
      .map(([kind, a]) => {
        const b = before.get(kind) ?? { count: 0, bytes: 0 };
        return { kind, countBefore: b.count, countAfter: a.count, bytesBefore: b.bytes, bytesAfter: a.bytes, ...holder(samples.get(kind)) };
      })
      .filter((r) => r.bytesAfter - r.bytesBefore >= MIN_GROWTH_BYTES)
      .sort((x, y) => y.bytesAfter - y.bytesBefore - (x.bytesAfter - x.bytesBefore))
      .slice(0, o.top ?? 5);
    return { ok: true, rows, analysisMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, reason: `memlab could not analyse ${o.before} → ${o.after}: ${(error as Error).message}` };
  }
}

/**
 * A sample of a kind's new bytes: objects allocated since the first snapshot and old ones that grew in
 * place, weighted by the bytes they added (Efraimidis-Spirakis: keep the largest u^(1/bytes)), so that
 * the path holding most of the new bytes wins: one array's growing backing store outweighs thousands of
 * small arrays held elsewhere.
 */
interface Sample {
  nodes: HeapNode[];
  keys: number[];
}
const SAMPLE = 64;

/** Deterministic: the same snapshots give the same table. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function sample(m: Map<string, Sample>, kind: string, n: HeapNode, bytes: number, random: () => number): void {
  const s = m.get(kind) ?? { nodes: [], keys: [] };
  m.set(kind, s);
  const key = Math.pow(Math.max(random(), Number.MIN_VALUE), 1 / Math.max(1, bytes));
  if (s.nodes.length < SAMPLE) {
    s.nodes.push(n);
    s.keys.push(key);
    return;
  }
  let min = 0;
  for (let i = 1; i < s.keys.length; i++) if ((s.keys[i] ?? 0) < (s.keys[min] ?? 0)) min = i;
  if (key > (s.keys[min] ?? 0)) {
    s.nodes[min] = n;
    s.keys[min] = key;
  }
}

/** The retainer path most of the sampled new bytes share, and that share. */
function holder(s: Sample | undefined): Pick<WhatGrewRow, 'retainerPath' | 'retainerShare'> {
  const counts = new Map<string, number>();
  for (const n of s?.nodes ?? []) {
    const p = retainerPath(n);
    if (p) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best || !s) return { retainerPath: 'no path from the GC roots' };
  return { retainerPath: best[0], retainerShare: Math.round((best[1] / s.nodes.length) * 100) / 100 };
}

function tally(m: Map<string, Tally>, kind: string, bytes: number): void {
  const t = m.get(kind) ?? { count: 0, bytes: 0 };
  t.count += 1;
  t.bytes += bytes;
  m.set(kind, t);
}
