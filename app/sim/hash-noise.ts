/**
 * Stateless, seeded randomness: every value is a pure function of (seed, stream, index), so any
 * candle of any symbol can be computed on demand, in any order, without storing a history.
 */

/** 32-bit integer mix (murmur3 finaliser), used to combine keys. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) for the key (a, b, c). Indices may exceed 2^32: the high part is mixed in. */
export function hash01(a: number, b: number, c: number): number {
  const lo = c >>> 0;
  const hi = Math.floor(c / 4294967296) >>> 0;
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b + 1, 0x27d4eb2d));
  h = mix32(h ^ lo);
  h = mix32(h ^ Math.imul(hi + 7, 0x165667b1));
  return h / 4294967296;
}

/** Uniform in [-1, 1). */
export function hashSigned(a: number, b: number, c: number): number {
  return hash01(a, b, c) * 2 - 1;
}

/** FNV-1a of a string, for deriving a per-symbol key from its name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const LEVELS = 22;
/** Brownian scaling: the variance of level k grows with its span 2^k, so the sum walks like a random walk. */
const AMPLITUDES = Array.from({ length: LEVELS }, (_, k) => Math.sqrt(2 ** k));

/** The lattice values last used per level; consecutive calls at nearby x then skip most hashing. */
export interface WalkMemo {
  index: Float64Array;
  a: Float64Array;
  b: Float64Array;
}

export function walkMemo(): WalkMemo {
  return { index: new Float64Array(LEVELS).fill(NaN), a: new Float64Array(LEVELS), b: new Float64Array(LEVELS) };
}

/**
 * A random-walk-like path: a sum of linearly interpolated lattice noises at spans 1, 2, 4, ... 2^21
 * steps. O(levels) per point, deterministic, continuous in `x` (x in steps, may be fractional).
 */
export function walk(key: number, x: number, memo: WalkMemo = walkMemo()): number {
  let sum = 0;
  for (let k = 0; k < LEVELS; k++) {
    const span = 2 ** k;
    const u = x / span;
    const i = Math.floor(u);
    const f = u - i;
    if (memo.index[k] !== i) {
      memo.index[k] = i;
      memo.a[k] = hashSigned(key, k, i);
      memo.b[k] = hashSigned(key, k, i + 1);
    }
    const a = memo.a[k]!;
    sum += (a + (memo.b[k]! - a) * f) * AMPLITUDES[k]!;
  }
  return sum;
}
