import { resolve } from 'node:path';
import { chalk } from 'zx';
import type { DeployEvidence } from '../../reports/schemas/deploy-evidence.ts';
import { writeDeployEvidence } from '../../reports/write-report.ts';
import { UsageError } from './common.ts';
import { EXIT } from '../pipeline/host-run.ts';

/**
 * Writes a run's evidence under `<root>/reports/out/` and, with --json, prints it. A report that cannot
 * be written is said on stderr but does not change the exit code: the hosts' state is what that reports.
 */
export async function publishEvidence(evidence: DeployEvidence, o: { root: string; json?: boolean | undefined }): Promise<void> {
  const written = await writeDeployEvidence(evidence, { outDir: resolve(o.root, 'reports', 'out') });
  if (!written.ok) console.error(chalk.red(`evidence not written: ${written.reason}`));
  if (o.json) process.stdout.write(`${JSON.stringify(evidence, null, 2)}\n`);
}

/** The CLI edge: the only place that exits. A thrown error is one red line; usage errors exit 2. */
export function exitWith(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(chalk.red(`${name}: ${(err as Error).message}`));
      process.exit(err instanceof UsageError ? EXIT.usage : EXIT.unverified);
    },
  );
}
