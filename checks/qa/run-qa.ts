import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeResult, QaResult, SoakResult } from '../../reports/schemas/qa-result.ts';
import { sourceHash, type SourceHash } from '../../reports/source-hash.ts';
import { runSoak, type SoakOptions } from '../soak/run-soak.ts';
import { SOAK_PLAN } from '../soak/soak-config.ts';
import { assembleQaResult } from './assemble.ts';
import type { ChecksApi, MutantsOutput, StaticOutput } from './stages-api.ts';

export interface QaRunOptions {
  root: string;
  api: ChecksApi;
  /** Simulated hours of the soak's hour phase per build, or the reason it is not run. */
  soak: { simHours: number } | { skip: string };
  now?: () => Date;
  runSoak?: (o: SoakOptions) => Promise<SoakResult>;
}

/** Mutable state the stages fill in, in order; `finish` turns it into the result. */
export interface QaContext {
  startedAt: Date;
  stages: Record<string, number>;
  sources?: SourceHash;
  statics?: StaticOutput;
  mutants?: MutantsOutput;
  probes?: readonly ProbeResult[];
  soak?: SoakResult;
}

export interface QaStage {
  key: string;
  title: string;
  run(ctx: QaContext): Promise<string>;
}

async function timed<T>(ctx: QaContext, key: string, work: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    ctx.stages[key] = Math.round(performance.now() - t0);
  }
}

/** The four stages of `npm run qa`, in order; each returns a one-line summary for the progress display. */
export function qaStages(o: QaRunOptions): QaStage[] {
  return [
    {
      key: 'static',
      title: 'Static checks (ts-morph specs)',
      run: async (ctx) => {
        const files = await timed(ctx, 'sources', () => o.api.runtimeFileSet(o.root));
        ctx.sources = await sourceHash(files, (p) => readFile(join(o.root, p)));
        const s = (ctx.statics = await timed(ctx, 'static', () => o.api.runStaticChecks({ root: o.root })));
        return `${s.findings.filter((f) => f.ok).length}/${s.findings.length} assertions hold over ${s.specs.length} specs`;
      },
    },
    {
      key: 'mutants',
      title: 'Mutants (every spec has teeth)',
      run: async (ctx) => {
        const m = (ctx.mutants = await timed(ctx, 'mutants', () => o.api.runMutants({ root: o.root })));
        const killed = m.mutants.filter((x) => x.status === 'killed' || x.status === 'timeout').length;
        const scored = m.mutants.filter((x) => x.status !== 'excluded').length;
        return `${killed}/${scored} killed, ${m.equivalents.filter((e) => e.falseAlarm).length} false alarms`;
      },
    },
    {
      key: 'probes',
      title: 'Runtime probes',
      run: async (ctx) => {
        const p = (ctx.probes = await timed(ctx, 'probes', () => o.api.runProbes({ root: o.root })));
        return `${p.filter((x) => x.ok).length}/${p.length} pass`;
      },
    },
    {
      key: 'soak',
      title:
        'skip' in o.soak
          ? 'Memory soak (skipped)'
          : `Memory soak: real and fix-removed side by side, per message, per listing turn and per simulated hour (${o.soak.simHours} h)`,
      run: async (ctx) => {
        if ('skip' in o.soak) {
          ctx.soak = { ran: false, reason: o.soak.skip };
          return `skipped: ${o.soak.skip}`;
        }
        const simHours = o.soak.simHours;
        const soak = (ctx.soak = await timed(ctx, 'soak', () => (o.runSoak ?? runSoak)({ root: o.root, plan: { ...SOAK_PLAN, simHours } })));
        return soak.ran ? soak.message : soak.reason;
      },
    },
  ];
}

export function finishQa(ctx: QaContext, now: () => Date = () => new Date()): QaResult {
  if (!ctx.sources || !ctx.statics || !ctx.mutants || !ctx.probes || !ctx.soak) {
    throw new Error('QA run ended before every stage produced its result');
  }
  return assembleQaResult({
    startedAt: ctx.startedAt,
    finishedAt: now(),
    stages: ctx.stages,
    specs: ctx.statics.specs,
    findings: ctx.statics.findings,
    mutants: ctx.mutants.mutants,
    equivalents: ctx.mutants.equivalents,
    probes: ctx.probes,
    soak: ctx.soak,
    sources: ctx.sources,
  });
}
