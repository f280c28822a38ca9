import { z } from 'zod';

const MAX_SHARDS = 64;

/**
 * A host's shards in the inventory: `2` runs the whole universe on this host as shards 0 and 1 of 2;
 * `{ of: 4, run: [0, 1] }` runs shards 0 and 1 of a universe cut in 4, the rest running on other hosts.
 */
const shardCut = z
  .strictObject({
    of: z.number().int().min(1).max(MAX_SHARDS),
    run: z.array(z.number().int().min(0)).min(1, 'must name at least one shard'),
  })
  .superRefine((s, ctx) => {
    for (const [i, index] of s.run.entries()) {
      if (index >= s.of) ctx.addIssue({ code: 'custom', path: ['run', i], message: `shard ${index} is not one of 0..${s.of - 1}` });
      else if (s.run.indexOf(index) !== i) ctx.addIssue({ code: 'custom', path: ['run', i], message: `shard ${index} is named twice` });
    }
  });

export const shardsSetting = z.union([z.number().int().min(1).max(MAX_SHARDS), shardCut], {
  error: 'must be a shard count (e.g. 2) or { of: N, run: [shard, ...] }',
});
export type ShardsSetting = z.output<typeof shardsSetting>;

/** Resolved: `count` 0 is one plain unit; else the instances `run` of the universe cut in `count`. */
export interface ShardPlan {
  count: number;
  run: number[];
}

export const NO_SHARDS: ShardPlan = { count: 0, run: [] };

export function shardPlan(setting: ShardsSetting | undefined): ShardPlan {
  if (setting === undefined) return NO_SHARDS;
  if (typeof setting === 'number') return { count: setting, run: Array.from({ length: setting }, (_, i) => i) };
  return { count: setting.of, run: [...setting.run].sort((a, b) => a - b) };
}

/**
 * A universe cut across hosts must be cut once: one count, and every shard on exactly one host, or its
 * symbols go unwatched (or twice-watched). Hosts that run the whole universe are replicas and not checked.
 */
export function checkSpread(hosts: ReadonlyArray<{ name: string; shards: ShardsSetting | undefined }>): { ok: true } | { ok: false; reason: string } {
  const split = hosts.flatMap((h) => (typeof h.shards === 'object' ? [{ name: h.name, cut: h.shards }] : []));
  const first = split[0];
  if (!first) return { ok: true };
  const other = split.find((h) => h.cut.of !== first.cut.of);
  if (other) return { ok: false, reason: `inventory shards: host "${other.name}" cuts the universe in ${other.cut.of}, host "${first.name}" in ${first.cut.of}` };
  const owner = new Map<number, string>();
  for (const h of split) {
    for (const index of h.cut.run) {
      const before = owner.get(index);
      if (before) return { ok: false, reason: `inventory shards: shard ${index} of ${first.cut.of} runs on both "${before}" and "${h.name}"` };
      owner.set(index, h.name);
    }
  }
  const missing = Array.from({ length: first.cut.of }, (_, i) => i).filter((i) => !owner.has(i));
  if (missing.length === 0) return { ok: true };
  const which = missing.length === 1 ? `shard ${missing.join('')} of ${first.cut.of} runs` : `shards ${missing.join(', ')} of ${first.cut.of} run`;
  return { ok: false, reason: `inventory shards: ${which} on no host` };
}
