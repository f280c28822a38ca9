import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkSpecs, failedSpecIds, notLocatedSpecIds } from '../engine/run-specs.ts';
import { createSourceSet } from '../engine/source-set.ts';
import type { Spec } from '../engine/spec-schema.ts';
import type { Finding } from '../engine/finding.ts';
import { appSpecs, PROBES } from '../fixes/index.ts';
import { runProbes } from '../probes/run-probes.ts';

/** What QA's fast stages say about a tree: located violations (with their findings), not-located fixes, failed in-process probes. */
export interface FastVerdict {
  findings: Finding[];
  violations: Finding[];
  notLocated: string[];
  failedProbes: Array<{ id: string; reason: string }>;
}

/** The in-process probes (no child process, no service): the behaviour gate the fuzzer can afford per variant. */
export const IN_PROCESS_PROBES = PROBES.filter((p) => !p.spawns).map((p) => p.id);

/** The static stage on a fresh program of `dir`, then the in-process probes against its app/. */
export async function fastQa(dir: string, specs: readonly Spec[] = appSpecs): Promise<FastVerdict> {
  const findings = checkSpecs(specs, createSourceSet(dir));
  const failed = new Set(failedSpecIds(findings));
  const probes = await runProbes({ root: dir, only: IN_PROCESS_PROBES });
  return {
    findings,
    violations: findings.filter((f) => !f.ok && !f.notLocated && failed.has(f.specId)),
    notLocated: notLocatedSpecIds(findings),
    failedProbes: probes.probes.filter((p) => !p.ok).map((p) => ({ id: p.id, reason: p.reason })),
  };
}

export const isAlarm = (v: FastVerdict) => v.violations.length > 0 || v.failedProbes.length > 0;

/** A tree with app/ as `root` has it, then `changed` written and `removed` deleted; node_modules shared. */
export async function writeTree(root: string, dir: string, changed: ReadonlyMap<string, string>, removed: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const entry of ['app', 'package.json', 'tsconfig.json', 'vitest.config.ts']) await cp(path.join(root, entry), path.join(dir, entry), { recursive: true });
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const rel of removed) await rm(path.join(dir, rel), { force: true });
  for (const [rel, text] of changed) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}
