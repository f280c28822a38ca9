import { z } from 'zod';

/**
 * A fix spec is data. The schema names every field so that a malformed spec fails with the field and
 * the reason instead of silently checking nothing.
 */

/**
 * Names the declaration a call, `new` or read resolves to (through the type checker, see symbols.ts):
 * 'BoundedList#trimTo' (a member), 'ServiceConfig#limits.trades' (a property path), 'startService' (a
 * declaration by name) or '.slice' (any member so named). Dotted text without '#' ('this.m.set') is
 * compared as callee text; only the engine's own fixtures use it.
 */
export const stepSchema = z
  .object({
    call: z.string().min(1).optional(),
    new: z.string().min(1).optional(),
    /** A property read that is not a callee, e.g. 'ServiceConfig#limits.oiHistory' (destructuring counts). */
    read: z.string().min(1).optional(),
    /** The call's receiver must resolve to this declaration, e.g. 'MarketDataManager#ohlcv' for its `.set`. */
    on: z.string().min(1).optional(),
    /** The name mutants use for the node this step located. */
    as: z.string().min(1).optional(),
    /** The step is the `await` of the call (directly, or of a const bound to the call). */
    awaited: z.boolean().optional(),
    /** Also accept a call to a local helper (declared in the same function) that makes this call unconditionally. */
    viaLocalHelper: z.boolean().optional(),
    label: z.string().optional(),
  })
  .strict()
  .refine((s) => [s.call, s.new, s.read].filter((x) => x !== undefined).length === 1, {
    message: 'a step names exactly one of call, new or read',
  });
export type Step = z.infer<typeof stepSchema>;

/**
 * Where a spec holds, as a property of the code reached from the service entry (never a file or a method
 * name): the functions that write into a collection, call a declaration, return a type, or the entry.
 */
export const anchorSchema = z
  .object({
    /** Functions that store into this collection ('MarketDataManager#ohlcv'): `.set`, or handing it to a helper that does. */
    writes: z.string().min(1).optional(),
    /** Functions (with their closures) that call this declaration. */
    calls: z.string().min(1).optional(),
    /** Functions (with their closures) that construct this class. */
    creates: z.string().min(1).optional(),
    /** Methods and functions declared to return this type. */
    returns: z.string().min(1).optional(),
    /** The top level of the service entry (what package.json scripts.start runs). */
    entry: z.literal(true).optional(),
    /** A declaration, wherever it is: 'Class#method' or 'functionName' (the engine's own fixtures). */
    declaration: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => [a.writes, a.calls, a.creates, a.returns, a.entry, a.declaration].filter((x) => x !== undefined).length === 1, {
    message: 'an anchor names exactly one of writes, calls, creates, returns, entry or declaration',
  });
export type Anchor = z.infer<typeof anchorSchema>;

export const regionSchema = z
  .object({ kind: z.enum(['not-cached-branch', 'cached-branch']), map: z.string().min(1) })
  .strict();
export type Region = z.infer<typeof regionSchema>;

const dominates = z
  .object({ kind: z.literal('dominates'), steps: z.array(stepSchema).min(2), at: z.number().int().min(0).optional() })
  .strict();
const boundedOnEveryPath = z
  .object({ kind: z.literal('bounded-on-every-path'), store: stepSchema, limit: stepSchema, trim: stepSchema })
  .strict();
const flowsInto = z.object({ kind: z.literal('flows-into'), from: stepSchema, to: stepSchema }).strict();
const beforeLoopAndAfterSleep = z
  .object({ kind: z.literal('call-before-loop-and-after-sleep'), call: stepSchema, sleep: stepSchema })
  .strict();
const loopRuns = z
  .object({
    kind: z.literal('loop-runs-while-service-runs'),
    /** The loop is the one whose body holds this step. */
    loopHolding: stepSchema,
    /** When the condition is a bare flag: fail, or pass and name the runtime probe that decides. */
    onBareFlag: z.enum(['fail', 'defer-to-probe']).default('fail'),
    probe: z.string().optional(),
  })
  .strict();
const returnShape = z
  .object({ kind: z.literal('return-shape'), keys: z.array(z.string().min(1)).min(1) })
  .strict();
const callAfterCreation = z
  .object({
    kind: z.literal('call-after-creation'),
    creation: stepSchema,
    call: stepSchema,
    /** Regexes of `if` / `?:` conditions that may guard the call (an opt-out flag that defaults to on). */
    allowedGuards: z.array(z.string()).default([]),
  })
  .strict();
const runsUnconditionally = z
  .object({
    kind: z.literal('runs-unconditionally'),
    step: stepSchema,
    /** Calls that end the process: one of them (or a local helper making it) earlier and unconditional means the step never runs. */
    exits: z.array(z.string().min(1)).default(['process.exit']),
  })
  .strict();
const dependencyHygiene = z
  .object({
    kind: z.literal('dependency-hygiene'),
    entry: z.string().min(1),
    /** Packages the service command itself needs at run time (e.g. tsx) even though no file imports them. */
    require: z.array(z.string()).default([]),
  })
  .strict();

export const assertionSchema = z.discriminatedUnion('kind', [
  dominates,
  flowsInto,
  boundedOnEveryPath,
  beforeLoopAndAfterSleep,
  loopRuns,
  returnShape,
  callAfterCreation,
  runsUnconditionally,
  dependencyHygiene,
]);
export type Assertion = z.infer<typeof assertionSchema>;
export type AssertionOf<K extends Assertion['kind']> = Extract<Assertion, { kind: K }>;

export const specSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'ids are kebab-case'),
    title: z.string().min(1),
    severity: z.enum(['critical', 'major', 'minor']),
    why: z.string().min(1),
    anchor: anchorSchema.optional(),
    region: regionSchema.optional(),
    assert: z.array(assertionSchema).min(1),
  })
  .strict();
export type Spec = z.infer<typeof specSchema>;
export type SpecInput = z.input<typeof specSchema>;

/** Parses specs, naming the spec and field that is wrong. */
export function parseSpecs(input: readonly unknown[]): Spec[] {
  const ids = new Set<string>();
  return input.map((raw, i) => {
    const r = specSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue ? issue.path.join('.') || '(root)' : '(root)';
      throw new Error(`spec #${i}: ${where}: ${issue?.message ?? 'invalid'}`);
    }
    if (ids.has(r.data.id)) throw new Error(`spec #${i}: id: duplicate id ${r.data.id}`);
    ids.add(r.data.id);
    return r.data;
  });
}
