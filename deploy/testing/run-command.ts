import { describeFailure, runProcess, type ProcessResult, type RunProcessOptions } from '../../app/core/run-process.ts';

/** The harness runs commands with the tooling's one runner (app/core/run-process.ts). */
export { describeFailure, runProcess as runCommand, type ProcessResult as CommandResult, type RunProcessOptions as RunOptions };

/** For harness setup steps: a failure here means the test host is broken, so it throws with the evidence. */
export async function mustRun(argv: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const r = await runProcess(argv, options);
  if (r.code !== 0) throw new Error(describeFailure(r));
  return r;
}
