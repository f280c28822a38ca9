/**
 * One cold static run in a fresh process (the benchmark's child): imports first, then the clock starts,
 * so the figure is what QA's static stage costs, parse and type checker included. Prints one JSON line.
 */
import { runStaticChecks } from '../engine/run-static.ts';

const root = process.argv[2] ?? process.cwd();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const run = runStaticChecks({ root });
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, findings: run.findings.length, failed: run.findings.filter((f) => !f.ok).length })}\n`,
);
