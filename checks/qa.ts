/**
 * `npm run qa`: static checks, mutants, runtime probes and the memory soak, then one verdict, written
 * to reports/out/qa/. Exit 0 on PASS or CONDITIONAL_PASS, 1 on FAIL, 2 on a usage or internal error.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { Listr } from 'listr2';
import { writeQaReport } from '../reports/write-report.ts';
import { parseSimHours } from './qa/duration.ts';
import { finishQa, qaStages, type QaContext } from './qa/run-qa.ts';
import { toSarif } from './index.ts';
import { checksApi, type StaticOutput } from './qa/stages-api.ts';
import { SOAK_WORKLOAD } from './soak/soak-config.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface CliOptions {
  soak: string | boolean;
  json?: boolean;
  out?: string;
}

class UsageError extends Error {}

/** The static findings as SARIF 2.1.0, beside the report, for editors and code-scanning UIs. */
function sarifOf(statics: StaticOutput): string {
  const severity = new Map(statics.specs.map((s) => [s.id, s.severity]));
  const findings = statics.findings.map((f) => ({ ...f, check: f.check ?? 'spec', severity: severity.get(f.specId) ?? 'major' }));
  return `${JSON.stringify(toSarif(findings, statics.specs), null, 2)}\n`;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('qa')
    .description('Prove the memory-leak fixes: static checks, mutants, runtime probes, memory soak; then a verdict')
    .option('--soak <duration>', 'simulated market time per build (6h, 12h, ...): a fixed workload, whatever the load', `${SOAK_WORKLOAD.simHours}h`)
    .option('--no-soak', 'skip the soak; the report says so and the verdict is at best CONDITIONAL_PASS')
    .option('--json', 'print the QA result JSON on stdout instead of progress')
    .option('--out <dir>', 'output root (default reports/out)')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  try {
    program.parse(argv);
  } catch (error) {
    // Commander has already written the help text itself (writeOut is stdout); writing it here too
    // printed it twice.
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) return 0;
    throw new UsageError((error as Error).message.replace(/^error: /, ''));
  }
  const opts = program.opts<CliOptions>();
  let soak: { simHours: number } | { skip: string } = { skip: '--no-soak given' };
  if (opts.soak !== false) {
    const parsed = parseSimHours(String(opts.soak));
    if (!parsed.ok) throw new UsageError(parsed.reason);
    soak = { simHours: parsed.simHours };
  }

  const ctx: QaContext = { startedAt: new Date(), stages: {} };
  const stages = qaStages({ root: ROOT, api: checksApi, soak });
  // Node types isTTY as boolean, but it is undefined on a pipe.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
  const tty = process.stdout.isTTY === true && !process.env.CI;
  await new Listr(
    stages.map((stage) => ({
      title: stage.title,
      task: async (_: unknown, task: { title: string }) => {
        task.title = `${stage.title}: ${await stage.run(ctx)}`;
      },
    })),
    // --json keeps stdout pure JSON; without a terminal (CI, pipes) progress is one line per event.
    { renderer: opts.json ? 'silent' : tty ? 'default' : 'simple', fallbackRenderer: 'simple', exitOnError: true },
  ).run();

  const result = finishQa(ctx);
  const written = await writeQaReport(result, opts.out ? { outDir: resolve(opts.out) } : {}, ctx.statics ? { sarif: sarifOf(ctx.statics) } : {});
  if (!written.ok) throw new Error(written.reason);
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const soakLine = result.soak.ran ? `soak ratio ${result.soak.ratio?.toFixed(1) ?? 'n/a'}×` : 'soak skipped';
    process.stdout.write(
      `\n${result.verdict.replaceAll('_', ' ')}: score ${result.score.value.toFixed(1)}/10, confidence ` +
        `${Math.round(result.confidence.value * 100)}%, mutation score ${result.mutation.score}%, ${soakLine}\n` +
        result.verdictReasons.map((r) => `  - ${r}\n`).join('') +
        `report: ${written.latest.md}\n        ${written.latest.html}\n`,
    );
  }
  return result.verdict === 'FAIL' ? 1 : 0;
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    process.stderr.write(`qa: ${usage ? 'usage: ' : 'internal error: '}${(error as Error).message.split('\n')[0]}\n`);
    process.exit(2);
  },
);
