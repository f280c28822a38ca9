import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseDocument, isMap, isSeq, type Document } from 'yaml';

export const RULES_SOURCE = fileURLToPath(new URL('./leakproof.rules.yml', import.meta.url));

/** The two thresholds the shipped rules take from the host and from QA, as recording rules. */
export const THRESHOLD_RECORDS = { memoryHighBytes: 'leakproof:memory_high_bytes', qaFloorBytesPerMessage: 'leakproof:qa_floor_bytes_per_message' } as const;

const SUFFIX: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A systemd byte size ("448M", "2G", "1048576") in bytes; null for anything else (a percentage, "infinity"). */
export function systemdBytes(v: string): number | null {
  const m = /^(\d+)([KMGT]?)$/.exec(v.trim());
  return m?.[1] !== undefined && m[2] !== undefined ? Number(m[1]) * (SUFFIX[m[2]] ?? 1) : null;
}

/** Every rule of every group, as YAML nodes, so an edit keeps the file's comments. */
function* rules(doc: Document) {
  const groups = doc.get('groups');
  if (!isSeq(groups)) return;
  for (const g of groups.items) {
    const rs = isMap(g) ? g.get('rules') : undefined;
    if (isSeq(rs)) for (const r of rs.items) if (isMap(r)) yield r;
  }
}

export type RenderedRules = { ok: true; text: string } | { ok: false; reason: string };

/** The shipped rules with this host's MemoryHigh and QA's per-message floor set in their recording rules. */
export function renderRules(source: string, o: { memoryHigh: string; qaFloorBytesPerMessage: number }): RenderedRules {
  const high = systemdBytes(o.memoryHigh);
  if (high === null) return { ok: false, reason: `prometheus rules: MemoryHigh "${o.memoryHigh}" is not a byte size` };
  const doc = parseDocument(source);
  const values: Record<string, number> = { [THRESHOLD_RECORDS.memoryHighBytes]: high, [THRESHOLD_RECORDS.qaFloorBytesPerMessage]: o.qaFloorBytesPerMessage };
  const missing = new Set(Object.keys(values));
  for (const r of rules(doc)) {
    const name = r.get('record');
    const value = typeof name === 'string' ? values[name] : undefined;
    if (value === undefined || typeof name !== 'string') continue;
    r.set('expr', `vector(${String(value)})`);
    missing.delete(name);
  }
  if (missing.size > 0) return { ok: false, reason: `prometheus rules: no recording rule ${[...missing].join(', ')}` };
  return { ok: true, text: doc.toString() };
}

export async function renderShippedRules(o: { memoryHigh: string; qaFloorBytesPerMessage: number }): Promise<RenderedRules> {
  return renderRules(await readFile(RULES_SOURCE, 'utf8'), o);
}
