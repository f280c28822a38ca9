import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFuzzProject } from './fuzz-project.ts';
import { typeErrors, unitTests } from './gate.ts';
import { fastQa, isAlarm, writeTree, type FastVerdict } from './judge.ts';
import { makeVariant, type Variant } from './variant.ts';

export interface FuzzOptions {
  root: string;
  /** Variants that pass the gate (typecheck, app's unit tests) to judge. */
  n: number;
  seed?: number;
  /** Run app's unit tests related to each variant's files (the gate); off only in the engine's own quick checks. */
  unitTests?: boolean;
  log?: (line: string) => void;
}

export interface FalseAlarm {
  seed: number;
  ops: string[];
  reasons: string[];
  diff: string;
}

export interface FuzzReport {
  counted: number;
  made: number;
  rejected: { unchanged: number; types: number; tests: number };
  falseAlarms: FalseAlarm[];
  /** Counted variants where some fix was not located (CONDITIONAL PASS at worst: probes and the soak decide). */
  notLocated: number;
  /** How often each operator is in a counted variant. */
  byOperator: Record<string, number>;
  rate: number;
}

const reasonsOf = (v: FastVerdict) => [
  ...v.violations.map((f) => `${f.specId}: ${f.file}:${f.line}: ${f.message}`),
  ...v.failedProbes.map((p) => `probe ${p.id}: ${p.reason}`),
];

/** `git diff --no-index` of each changed file against the pristine tree (the variant's tree is still on disk). */
function diffOf(root: string, dir: string, v: Variant): string {
  return [...new Set([...v.changed.keys(), ...v.removed])]
    .sort()
    .map((rel) => {
      const before = existsSync(path.join(root, rel)) ? path.join(root, rel) : '/dev/null';
      const after = v.changed.has(rel) ? path.join(dir, rel) : '/dev/null';
      return spawnSync('git', ['diff', '--no-index', '--no-color', '--', before, after], { encoding: 'utf8' }).stdout;
    })
    .join('');
}

/** Seeded variants until `n` pass the gate; each judged by the static stage and the in-process probes. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => undefined);
  const fp = loadFuzzProject(o.root);
  const work = await mkdtemp(path.join(tmpdir(), 'leakproof-fuzz-'));
  const report: FuzzReport = { counted: 0, made: 0, rejected: { unchanged: 0, types: 0, tests: 0 }, falseAlarms: [], notLocated: 0, byOperator: {}, rate: 0 };
  const seed0 = o.seed ?? 1;
  try {
    for (let i = 0; report.counted < o.n && i < o.n * 4; i++) {
      const v = makeVariant(fp, seed0 + i);
      report.made++;
      if (v.changed.size === 0 && v.removed.length === 0) {
        report.rejected.unchanged++;
        continue;
      }
      const errors = typeErrors(fp, [...v.changed.keys()]);
      if (errors.length > 0) {
        report.rejected.types++;
        log(`seed ${v.seed} [${v.ops.join(', ')}]: does not typecheck (${errors[0] ?? ''}), not counted`);
        continue;
      }
      const dir = path.join(work, `v${v.seed}`);
      await writeTree(o.root, dir, v.changed, v.removed);
      try {
        if (o.unitTests !== false) {
          const t = await unitTests(dir, [...v.changed.keys()]);
          if (!t.ok) {
            report.rejected.tests++;
            log(`seed ${v.seed} [${v.ops.join(', ')}]: app's unit tests fail, not counted`);
            continue;
          }
        }
        const verdict = await fastQa(dir);
        report.counted++;
        for (const op of new Set(v.ops)) report.byOperator[op] = (report.byOperator[op] ?? 0) + 1;
        if (verdict.notLocated.length > 0) report.notLocated++;
        const alarm = isAlarm(verdict);
        if (alarm) report.falseAlarms.push({ seed: v.seed, ops: v.ops, reasons: reasonsOf(verdict), diff: diffOf(o.root, dir, v) });
        log(`seed ${v.seed} [${v.ops.join(', ')}]: ${alarm ? `FALSE ALARM: ${reasonsOf(verdict).join('; ')}` : verdict.notLocated.length ? `ok (not located: ${verdict.notLocated.join(', ')})` : 'ok'}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    fp.reset();
    await rm(work, { recursive: true, force: true });
  }
  report.rate = report.counted ? report.falseAlarms.length / report.counted : 0;
  return report;
}
