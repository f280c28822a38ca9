import { z } from 'zod';
import { parseDuration } from '../../app/core/duration.ts';
import { shardsSetting } from './shard-plan.ts';

const duration = z.string().or(z.number()).transform((v, ctx) => {
  const parsed = parseDuration(String(v), 'duration');
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (use e.g. 30s, 10m)` });
    return z.NEVER;
  }
  return parsed.ms;
});

/** The proof waits at least this long: a 0 s timeout would fail every release before its first line. */
export const proofTimeoutSchema = duration.pipe(z.number().min(1_000, 'must be at least 1s (the proof waits this long for the startup lines)'));

const absPath = z
  .string()
  .refine((p) => p.startsWith('/') && !/[\n\t\0]/.test(p) && !p.split('/').includes('..'), {
    error: 'must be an absolute path without "..", tabs or newlines',
  });

const hostSettings = z.object({
  user: z.string().regex(/^[a-z_][a-z0-9_.-]*$/i, 'must be a login name').optional(),
  port: z.number().int().min(1).max(65535).optional(),
  identity: z.string().optional(),
  knownHosts: z.string().optional(),
  appDir: absPath.optional(),
  service: z.string().regex(/^[A-Za-z0-9_.@-]+$/, 'must be a systemd unit name without ".service"').optional(),
  /** Shards on this host, as instances of `<service>@.service`: N of N, or some of a universe cut across hosts. */
  shards: shardsSetting.optional(),
  logPattern: z
    .string()
    .refine((s) => {
      try {
        new RegExp(s, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression')
    .optional(),
  proofTimeout: proofTimeoutSchema.optional(),
  grace: duration.optional(),
  watch: duration.optional(),
  warmup: duration.optional(),
  memoryBudgetMbPerMin: z.number().positive().optional(),
});

export const inventorySchema = z.strictObject({
  defaults: hostSettings.strict().optional(),
  hosts: z
    .array(hostSettings.extend({ name: z.string().min(1), address: z.string().min(1) }).strict())
    .min(1, 'needs at least one host'),
});

export type InventoryInput = z.input<typeof inventorySchema>;
export type Inventory = z.output<typeof inventorySchema>;
export type HostSettings = z.output<typeof hostSettings>;

/** Validates parsed inventory data; errors name the field path, e.g. `hosts[1].port: ...`. */
export function validateInventory(data: unknown): { ok: true; inventory: Inventory } | { ok: false; reason: string } {
  const res = inventorySchema.safeParse(data);
  if (res.success) {
    const names = res.data.hosts.map((h) => h.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) return { ok: false, reason: `inventory hosts: name "${dup}" is used twice` };
    return { ok: true, inventory: res.data };
  }
  const reason = res.error.issues
    .map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      return `inventory ${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
  return { ok: false, reason };
}
