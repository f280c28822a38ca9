/**
 * `npm run bench -- --service`: the rated WS capacity of the service (#11 item 4) for 1 shard and for 2
 * shards (two processes), each the highest offered rate it holds with event-loop delay p99 ≤ 50 ms and
 * flat heap and RSS over a simulated hour, and the bare-ws floor's CPU per message at the 1-shard
 * rate, in the same run on the same machine, beside a floor on ccxt's own receive path (what no ccxt client
 * can go below). The emulator always runs in a process of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../build/build-bundle.ts';
import { writeReport } from '../../../reports/write-report.ts';
import { searchCapacity, type SearchOptions, type SearchResult } from './capacity-search.ts';
import { judgeProbe, marginalCpuUsPerMessage, PROBE_LIMITS, type ProbeVerdict } from './probe-verdict.ts';
import { runProbe, SERVICE_ENTRY, type ProbeSetup } from './run-probe.ts';

export interface ServiceBenchOptions {
  /** The project root the shard bundle is built from. */
  root: string;
  symbols: number;
  speed: number;
  warmSeconds: number;
  windowSeconds: number;
  search: SearchOptions;
  write: boolean;
}

/** 60 s at speed 60 is the simulated hour the verdict asks for. */
export const SERVICE_BENCH_DEFAULTS: Omit<ServiceBenchOptions, 'root'> = {
  symbols: 20,
  speed: 60,
  warmSeconds: 15,
  windowSeconds: 60,
  search: { startRate: 4000, minRate: 500, maxRate: 60_000, growth: 1.5, resolution: 0.1, maxProbes: 7 },
  write: true,
};

type Detail = ProbeVerdict & { labels: string[]; load1: number; emulatorCores: number | null };
const load1 = () => Math.round((loadavg()[0] ?? Number.NaN) * 100) / 100;

async function probe(setup: Omit<ProbeSetup, 'rate'>, rate: number, speed: number): Promise<{ pass: boolean; detail: Detail }> {
  const name = setup.kind === 'service' ? `${setup.shards} shard${setup.shards > 1 ? 's' : ''}` : setup.kind;
  try {
    const { reports, emulatorCores } = await runProbe({ ...setup, rate });
    const verdict = judgeProbe(rate, reports, speed);
    const detail = { ...verdict, labels: reports.map((r) => r.label), load1: load1(), emulatorCores };
    console.log(`  ${name} @ ${rate}/s: ${verdict.pass ? 'holds' : 'fails'} (${verdict.achievedRate}/s, p99 ${verdict.eldP99Ms} ms, ${verdict.cpuUsPerMessage} µs/msg, ${cores(verdict.cpuMsPerSecond)} cores + emulator ${emulatorCores ?? '-'}, heap +${verdict.heapGrowthMb} MB, rss +${verdict.rssGrowthMb} MB, load ${detail.load1})${verdict.reasons.length ? ': ' + verdict.reasons.join('; ') : ''}`);
    return { pass: verdict.pass, detail };
  } catch (error) {
    console.log(`  ${name} @ ${rate}/s: probe failed: ${error instanceof Error ? error.message : String(error)}`);
    const failed: Detail = { pass: false, reasons: [String(error)], achievedRate: 0, cpuUsPerMessage: NaN, cpuMsPerSecond: NaN, eldP99Ms: NaN, heapGrowthMb: NaN, rssGrowthMb: NaN, simHours: 0, labels: [], load1: load1(), emulatorCores: null };
    return { pass: false, detail: failed };
  }
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const cores = (cpuMsPerSecond: number) => Math.round(cpuMsPerSecond / 10) / 100;

/**
 * What 2× the 1-shard rate would cost this machine, from the 1-shard probe at its rated rate: twice the
 * shard's cores and twice the emulator's (its work grows with the rate it offers), against the cores
 * there are. Above 1, two shards cannot reach 2× here whatever the service does.
 */
function doubleRateBudget(d: Detail | undefined): { service: number; emulator: number; cores: number; need: number; share: number } | null {
  if (!d || d.emulatorCores === null) return null;
  const service = cores(d.cpuMsPerSecond);
  const need = Math.round(2 * (service + d.emulatorCores) * 100) / 100;
  return { service, emulator: d.emulatorCores, cores: availableParallelism(), need, share: ratio(need, availableParallelism()) };
}
const at = (r: SearchResult<Detail>) => r.probes.find((p) => p.rate === r.rated && p.pass)?.detail;

/**
 * The shards run what ships: the service child bundled by the deploy bundle's esbuild definition (one
 * ccxt exchange, bare node), into a temp dir that goes with the run.
 */
export async function runServiceBench(o: ServiceBenchOptions): Promise<{ ok: boolean; summary: Record<string, unknown> }> {
  const dir = await mkdtemp(join(tmpdir(), 'leakproof-bench-'));
  try {
    const built = await buildBundle({ root: o.root, outDir: dir, entry: SERVICE_ENTRY });
    if (!built.ok) return { ok: false, summary: { reason: built.reason } };
    return await benchWith(o, built.bundle);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchWith(o: ServiceBenchOptions, serviceScript: string): Promise<{ ok: boolean; summary: Record<string, unknown> }> {
  const base = { symbols: o.symbols, speed: o.speed, warmSeconds: o.warmSeconds, windowSeconds: o.windowSeconds, serviceScript };
  console.log(`bench --service: ${o.symbols} symbols, speed ${o.speed}, ${o.windowSeconds} s window (${(o.windowSeconds * o.speed) / 3600} simulated h) after ${o.warmSeconds} s warm-up; limits ${JSON.stringify(PROBE_LIMITS)}`);
  const one = await searchCapacity((rate) => probe({ kind: 'service', shards: 1, ...base }, rate, o.speed), o.search);
  // Two shards start where one held, doubled: the bracket search then needs fewer probes.
  const two = await searchCapacity((rate) => probe({ kind: 'service', shards: 2, ...base }, rate, o.speed), { ...o.search, startRate: Math.max(o.search.minRate, one.rated * 2 || o.search.startRate) });
  const floorRate = one.rated || o.search.minRate;
  const floor = await probe({ kind: 'floor', shards: 1, ...base }, floorRate, o.speed);
  const ccxtFloor = await probe({ kind: 'ccxt-floor', shards: 1, ...base }, floorRate, o.speed);
  // Rate 0: each side's fixed work alone, to take out of its per-message figure.
  const serviceIdle = await probe({ kind: 'service', shards: 1, ...base }, 0, o.speed);
  const floorIdle = await probe({ kind: 'floor', shards: 1, ...base }, 0, o.speed);
  const ccxtFloorIdle = await probe({ kind: 'ccxt-floor', shards: 1, ...base }, 0, o.speed);
  const oneAt = at(one);
  const serviceMarginal = oneAt ? marginalCpuUsPerMessage(oneAt, serviceIdle.detail) : null;
  const floorMarginal = marginalCpuUsPerMessage(floor.detail, floorIdle.detail);
  const ccxtFloorMarginal = marginalCpuUsPerMessage(ccxtFloor.detail, ccxtFloorIdle.detail);
  const over = (a: number | null, b: number | null) => (a !== null && b ? ratio(a, b) : null);
  const summary = {
    rated1Shard: one.rated,
    rated2Shards: two.rated,
    scaling2Shards: one.rated ? Math.round((two.rated / one.rated) * 100) / 100 : null,
    serviceCpuUsPerMessage: oneAt?.cpuUsPerMessage ?? null,
    floorCpuUsPerMessage: floor.detail.cpuUsPerMessage,
    floorRate,
    ratioToFloor: oneAt ? ratio(oneAt.cpuUsPerMessage, floor.detail.cpuUsPerMessage) : null,
    idleCpuMsPerSecond: { service: serviceIdle.detail.cpuMsPerSecond, floor: floorIdle.detail.cpuMsPerSecond },
    serviceMarginalCpuUsPerMessage: serviceMarginal,
    floorMarginalCpuUsPerMessage: floorMarginal,
    marginalRatioToFloor: over(serviceMarginal, floorMarginal),
    ccxtFloorMarginalCpuUsPerMessage: ccxtFloorMarginal,
    /** What ccxt's own receive path costs over the bare floor: the least ratio any ccxt client can have. */
    ccxtFloorRatioToFloor: over(ccxtFloorMarginal, floorMarginal),
    /** What the service adds over ccxt's receive path: its own share of the gap. */
    serviceRatioToCcxtFloor: over(serviceMarginal, ccxtFloorMarginal),
    /** 2× the 1-shard rate priced in cores from the rated probe: shards and emulator share these cores. */
    doubleRateBudget: doubleRateBudget(oneAt),
    floorHolds: floor.pass,
    load1AtEnd: load1(),
    probes: { oneShard: one.probes, twoShards: two.probes, floor: floor.detail, ccxtFloor: ccxtFloor.detail, serviceIdle: serviceIdle.detail, floorIdle: floorIdle.detail, ccxtFloorIdle: ccxtFloorIdle.detail },
  };
  console.log(`\nrated capacity, 1 shard: ${one.rated} msg/s (first failure ${one.firstFail ?? 'none'})`);
  console.log(`rated capacity, 2 shards: ${two.rated} msg/s (${summary.scaling2Shards ?? '-'}× one shard; first failure ${two.firstFail ?? 'none'})`);
  console.log(`CPU per message at ${floorRate}/s: service ${summary.serviceCpuUsPerMessage ?? '-'} µs, bare ws floor ${summary.floorCpuUsPerMessage} µs: ${summary.ratioToFloor ?? '-'}×`);
  console.log(
    `marginal CPU per message (idle work taken out: service ${serviceIdle.detail.cpuMsPerSecond} ms/s, floor ${floorIdle.detail.cpuMsPerSecond} ms/s): service ${serviceMarginal ?? '-'} µs, floor ${floorMarginal ?? '-'} µs: ${summary.marginalRatioToFloor ?? '-'}×`,
  );
  console.log(`ccxt floor (ccxt's receive path, no app): ${ccxtFloorMarginal ?? '-'} µs marginal, ${summary.ccxtFloorRatioToFloor ?? '-'}× the floor; the service is ${summary.serviceRatioToCcxtFloor ?? '-'}× the ccxt floor`);
  const budget = summary.doubleRateBudget;
  if (budget) console.log(`at the 1-shard rate: shard ${budget.service} cores + emulator ${budget.emulator} cores; 2× that rate needs ≈ ${budget.need} of ${budget.cores} cores (${budget.share}×)`);
  if (o.write) {
    const written = await writeReport('bench', { 'service.json': `${JSON.stringify(summary, null, 2)}\n` });
    if (!written.ok) return { ok: false, summary: { ...summary, reason: written.reason } };
    console.log(`wrote ${Object.values(written.paths).join(', ')}`);
  }
  return { ok: true, summary };
}
