import { z } from 'zod';

/** Bumped on any breaking change to a report's JSON; readers refuse versions they do not know. */
export const SCHEMA_VERSION = 1 as const;

export const isoTime = z.iso.datetime().describe('ISO-8601 UTC timestamp');

const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (a sha256)');
export const sha256 = sha256Hex.describe('sha256, lowercase hex');

/** A place in the source: 1-based line and column, path relative to the repository root, POSIX slashes. */
export const SourceLocation = z.object({
  file: z.string().min(1).describe('path relative to the repository root'),
  line: z.number().int().min(1).describe('1-based line'),
  col: z.number().int().min(1).describe('1-based column'),
  message: z.string().describe('what was found there, or what is missing'),
});
export type SourceLocation = z.infer<typeof SourceLocation>;

/** One file of a hashed set. */
export const FileHash = z.object({
  path: z.string().min(1),
  sha256,
});
export type FileHash = z.infer<typeof FileHash>;

/** Formats zod issues as one line per issue naming the field path and the reason. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Parses with a schema; failures are values naming the field and the reason. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): { ok: true; value: T } | { ok: false; reason: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: `invalid ${what}: ${describeIssues(parsed.error)}` };
}
