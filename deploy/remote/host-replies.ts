import { z } from 'zod';

/** What each host-tool operation prints on success: validated, since it crosses the SSH boundary. */
const sha = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex');
const described = z.object({ path: z.string(), existed: z.boolean(), sha256: sha.optional(), mode: z.number().int().optional(), owner: z.string().optional() });
export const ManifestEntrySchema = z.object({ path: z.string(), sha256: sha, mode: z.number().int() });
export const ReleaseRecordSchema = z.object({
  id: z.string(),
  time: z.string(),
  status: z.enum(['verified', 'failed', 'reverted', 'rolled-back']),
  manifest: z.array(ManifestEntrySchema).optional(),
  reason: z.string().optional(),
  via: z.enum(['deploy', 'rollback', 'setup']).optional(),
  build: z.object({ bundleSha256: sha, sourcesSha256: sha, qaVerdict: z.enum(['PASS', 'CONDITIONAL_PASS', 'FAIL']).nullable() }).optional(),
});
const restored = { restored: z.array(z.string()), removed: z.array(z.string()), verified: z.boolean() };
const done = z.object({ ok: z.literal(true) });

const REPLIES = {
  hash: z.object({ files: z.array(described) }),
  backup: z.object({ releaseId: z.string(), entries: z.array(described) }),
  arm: z.object({ releaseId: z.string(), deadline: z.number() }),
  store: z.object({ entries: z.array(ManifestEntrySchema) }),
  restore: z.object(restored),
  record: done,
  confirm: done,
  records: z.object({ records: z.array(ReleaseRecordSchema) }),
  expire: z.object({ releaseId: z.string().nullable() }),
  prune: z.object({ kept: z.array(z.string()), removedBackups: z.array(z.string()), removedObjects: z.number() }),
  state: z.object({
    records: z.array(ReleaseRecordSchema),
    pending: z.object({ releaseId: z.string(), backup: z.array(described).nullable() }).nullable(),
    disk: z.array(z.object({ path: z.string(), sha256: sha.nullable() })),
    objects: z.array(sha),
    changedAt: z.number(),
    now: z.number(),
  }),
} as const;

export type HostOpName = keyof typeof REPLIES;
/** One host-tool operation: its name on the command line and the schema of its reply. */
export interface HostOp<S extends z.ZodType = z.ZodType> {
  name: HostOpName;
  reply: S;
}
const op = <K extends HostOpName>(name: K): HostOp<(typeof REPLIES)[K]> => ({ name, reply: REPLIES[name] });
export const HOST_OPS = {
  hash: op('hash'),
  backup: op('backup'),
  arm: op('arm'),
  store: op('store'),
  restore: op('restore'),
  record: op('record'),
  confirm: op('confirm'),
  records: op('records'),
  expire: op('expire'),
  prune: op('prune'),
  state: op('state'),
};
export type HostReply<K extends HostOpName> = z.output<(typeof REPLIES)[K]>;
const HostErrorSchema = z.object({ error: z.string(), code: z.string().optional().nullable() });

export type ToolResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses the tool's last stdout line: its reply on exit 0, its `{error}` otherwise. */
export function parseHostReply<S extends z.ZodType>(op: string, schema: S, code: number | null, stdout: string, stderr: string): ToolResult<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } catch {
    return { ok: false, reason: `${op}: exit ${String(code)}: ${(stderr || stdout).trim().slice(0, 300)}` };
  }
  if (code !== 0) {
    const err = HostErrorSchema.safeParse(json);
    return { ok: false, reason: `${op}: ${err.success ? `${err.data.error}${err.data.code ? ` (${err.data.code})` : ''}` : `exit ${String(code)}`}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${op}: unexpected reply from the host tool: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}` };
  return { ok: true, value: parsed.data };
}
