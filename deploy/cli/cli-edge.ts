import { resolve } from 'node:path';
import { chalk } from 'zx';
import type { DeployEvidence } from '../../reports/schemas/deploy-evidence.ts';
import { writeDeployEvidence } from '../../reports/write-report.ts';
import { UsageError } from './common.ts';
import { EXIT } from '../pipeline/host-run.ts';
import type { OnStep } from '../remote/step.ts';

/**
 * Writes a run's evidence under `<root>/reports/out/` and, with --json, prints it. A report that cannot
 * be written is said on stderr but does not change the exit code: the hosts' state is what that reports.
 */
export async function publishEvidence(evidence: DeployEvidence, o: { root: string; json?: boolean | undefined }): Promise<void> {
  const written = await writeDeployEvidence(evidence, { outDir: resolve(o.root, 'reports', 'out') });
  if (!written.ok) console.error(chalk.red(`evidence not written: ${written.reason}`));
  if (o.json) process.stdout.write(`${JSON.stringify(evidence, null, 2)}\n`);
}

/** Steps that leave a host as it was: a throw after only these cannot have left it unverified. */
const READ_ONLY_STEPS = new Set(['preflight', 'lock']);

/** Remembers whether any host got past its read-only steps, for the exit code of an unexpected throw. */
export function changeTracker(): { onStep: OnStep; hostMayBeUnverified: () => boolean } {
  let changing = false;
  return {
    onStep: (e) => {
      if (e.phase === 'start' && !READ_ONLY_STEPS.has(e.step)) changing = true;
    },
    hostMayBeUnverified: () => changing,
  };
}

/**
 * The CLI edge: the only place that exits. A thrown error is one red line. Usage errors exit 2; any
 * other throw exits 4 ("a host was left unverified") only when a host may really be in that state,
 * and otherwise 2 as an internal error, since nothing was changed.
 */
export function exitWith(name: string, main: () => Promise<number>, hostMayBeUnverified: () => boolean = () => false): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof UsageError) {
        console.error(chalk.red(`${name}: ${message}`));
        process.exit(EXIT.usage);
      }
      const unverified = hostMayBeUnverified();
      console.error(chalk.red(`${name}: internal error${unverified ? ' (a host may be unverified)' : ' before any host was changed'}: ${message}`));
      process.exit(unverified ? EXIT.unverified : EXIT.usage);
    },
  );
}
