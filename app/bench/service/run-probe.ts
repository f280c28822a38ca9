/**
 * One capacity probe: a fresh emulator process, then the measured processes (N service shards, or
 * the bare-ws floor) against it; offer `rate` msg/s, warm up, measure one window, stop everything.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface, type Interface } from 'node:readline';
import { z } from 'zod';
import { parseJsonLine } from '../../core/json-line.ts';
import { nodeScriptArgs } from '../../testing/node-script.ts';
import { coresBetween, cpuSecondsOf } from './process-cpu.ts';
import { ProbeReport } from './probe-sampler.ts';

export interface ProbeSetup {
  /** 'floor' runs the bare ws client instead of the service; 'ccxt-floor' that client on ccxt's receive path. */
  kind: 'service' | 'floor' | 'ccxt-floor';
  shards: number;
  rate: number;
  symbols: number;
  speed: number;
  warmSeconds: number;
  windowSeconds: number;
  /** The service shard's script: its bundle (what ships, bare node); default the .ts source under tsx. */
  serviceScript?: string;
}

const EMULATOR = new URL('../../service/testing/emulator-child.ts', import.meta.url).pathname;
/** The service shard's entry, root-relative, for bundling (run-service-bench.ts). */
export const SERVICE_ENTRY = 'app/bench/service/service-child.ts';
const SERVICE = new URL('./service-child.ts', import.meta.url).pathname;
const FLOOR = new URL('./floor-child.ts', import.meta.url).pathname;
const Endpoints = z.object({ url: z.string(), wsUrl: z.string(), simNow: z.number() });
const Ready = z.object({ ready: z.literal(true) });

interface Child {
  proc: ChildProcessByStdio<Writable, Readable, null>;
  lines: Interface;
}

function start([script, ...args]: [string, ...string[]]): Child {
  const proc = spawn(process.execPath, ['--expose-gc', ...nodeScriptArgs(script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return { proc, lines: createInterface({ input: proc.stdout }) };
}

/** The child's next stdout line that `schema` accepts; rejects on exit or after `ms`. */
function nextLine<T>(c: Child, schema: z.ZodType<T>, what: string, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no ${what} within ${ms / 1000} s`)), ms);
    const onLine = (line: string) => {
      const parsed = parseJsonLine(line, schema);
      if (parsed === undefined) return;
      done();
      resolve(parsed);
    };
    const onExit = (code: number | null) => finish(new Error(`${what}: the process exited (${String(code)})`));
    const done = () => {
      clearTimeout(timer);
      c.lines.off('line', onLine);
      c.proc.off('exit', onExit);
    };
    const finish = (error: Error) => {
      done();
      reject(error);
    };
    c.lines.on('line', onLine);
    c.proc.once('exit', onExit);
  });
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Ends a child by closing its stdin (each one stops itself then), SIGKILL after 10 s. */
async function stop(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.stdin.end();
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface ProbeRun {
  reports: ProbeReport[];
  /** Cores the emulator process kept busy over the window: the offered load's own price on this machine. */
  emulatorCores: number | null;
}

export async function runProbe(s: ProbeSetup): Promise<ProbeRun> {
  const emulator = start([EMULATOR, '--rate', '0', '--speed', String(s.speed), '--symbols', String(s.symbols)]);
  const measured: Child[] = [];
  try {
    const e = await nextLine(emulator, Endpoints, 'emulator endpoints', 60_000);
    const common = ['--url', e.url, '--ws-url', e.wsUrl, '--symbols', String(s.symbols)];
    if (s.kind !== 'service') measured.push(start([FLOOR, ...common, ...(s.kind === 'ccxt-floor' ? ['--ccxt'] : [])]));
    else for (let i = 0; i < s.shards; i++) measured.push(start([s.serviceScript ?? SERVICE, ...common, '--sim-now', String(e.simNow), '--speed', String(s.speed), '--shard-index', String(i), '--shard-count', String(s.shards)]));
    await Promise.all(measured.map((c) => nextLine(c, Ready, 'ready line', 180_000)));
    emulator.proc.stdin.write(`rate ${s.rate}\n`);
    await sleep(s.warmSeconds);
    for (const c of measured) c.proc.stdin.write('mark\n');
    const cpu0 = cpuSecondsOf(emulator.proc.pid);
    const wall0 = performance.now();
    // A busy child reads `mark` late; the margin keeps its own window at least windowSeconds long.
    await sleep(s.windowSeconds + 2);
    const emulatorCores = coresBetween(cpu0, cpuSecondsOf(emulator.proc.pid), (performance.now() - wall0) / 1000);
    const reports = measured.map((c) => nextLine(c, ProbeReport, 'probe report', 30_000));
    for (const c of measured) c.proc.stdin.write('report\n');
    return { reports: await Promise.all(reports), emulatorCores };
  } finally {
    await Promise.all(measured.map(stop));
    await stop(emulator);
  }
}
