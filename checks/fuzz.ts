import { Command, InvalidArgumentError } from 'commander';
import { runFuzz } from './fuzz/run-fuzz.ts';

/**
 * `npm run qa:fuzz -- --n 200`: seeded behaviour-preserving refactors of app/, each gated by the type
 * checker and app's unit tests, then judged by QA's static stage and in-process probes. Prints the
 * false-alarm rate and the first false alarm as a diff; exits 1 when there is one.
 */
const count = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};

const program = new Command('qa:fuzz')
  .option('--n <count>', 'variants to judge (that typecheck and pass the unit tests)', count, 200)
  .option('--seed <seed>', 'first seed', count, 1)
  .option('--no-unit-tests', "skip app's unit tests in the gate (typecheck only)")
  .option('--quiet', 'no line per variant')
  .parse();
const o = program.opts<{ n: number; seed: number; unitTests: boolean; quiet?: boolean }>();

const r = await runFuzz({ root: process.cwd(), n: o.n, seed: o.seed, unitTests: o.unitTests, ...(o.quiet ? {} : { log: (l: string) => console.log(l) }) });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`\nvariants judged: ${r.counted} (made ${r.made}; not counted: ${r.rejected.unchanged} unchanged, ${r.rejected.types} do not typecheck, ${r.rejected.tests} fail app's unit tests)`);
console.log(`false alarms: ${r.falseAlarms.length}/${r.counted} = ${pct(r.rate)}`);
console.log(`not located (CONDITIONAL PASS at worst, behaviour decides): ${r.notLocated}/${r.counted}`);
console.log(`operators in judged variants: ${Object.entries(r.byOperator).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
const first = r.falseAlarms[0];
if (first) {
  console.log(`\nfirst false alarm: seed ${first.seed} [${first.ops.join(', ')}]\n${first.reasons.map((x) => `  - ${x}`).join('\n')}\n${first.diff}`);
  process.exitCode = 1;
}
