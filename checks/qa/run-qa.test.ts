import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { qaResultFixture } from '../../reports/testing/qa-result-fixture.ts';
import { finishQa, qaStages, type QaContext } from './run-qa.ts';
import type { ChecksApi } from './stages-api.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = qaResultFixture();

const api: ChecksApi = {
  runtimeFileSet: () => ['package.json'],
  runStaticChecks: () => ({
    specs: [{ id: 'ohlcv-initial-trim', title: 'trim', severity: 'critical', why: 'w' }],
    findings: [{ specId: 'ohlcv-initial-trim', ok: true, message: 'm', file: 'app/a.ts', line: 3, col: 1 }],
  }),
  runMutants: async () => ({
    mutants: [{ id: 'm1', specId: 'ohlcv-initial-trim', description: 'delete', status: 'killed' }],
    equivalents: [],
  }),
  runProbes: async () => [fixture.probes[0]!],
};

async function run(soak: { simHours: number } | { skip: string }) {
  const ctx: QaContext = { startedAt: new Date(), stages: {} };
  const lines: string[] = [];
  for (const stage of qaStages({ root, api, soak, runSoak: async () => fixture.soak })) lines.push(await stage.run(ctx));
  return { ctx, lines, result: finishQa(ctx) };
}

describe('qa stages', () => {
  it('run in order, time each stage, hash the runtime files and reach a verdict', async () => {
    const { ctx, lines, result } = await run({ simHours: 6 });
    expect(lines).toEqual([
      '1/1 assertions hold over 1 specs',
      '1/1 killed, 0 false alarms',
      '1/1 pass',
      'real build projects 1.0 MB/day; every unit holds; fix-removed build flagged',
    ]);
    expect(Object.keys(ctx.stages)).toEqual(['sources', 'static', 'mutants', 'probes', 'soak']);
    expect(result.sources.files.map((f) => f.path)).toEqual(['package.json']);
    expect(result.verdict).toBe('PASS');
    expect(result.confidence.value).toBe(1);
  });

  it('records a skipped soak honestly', async () => {
    const { result } = await run({ skip: '--no-soak given' });
    expect(result.soak).toEqual({ ran: false, reason: '--no-soak given' });
    expect(result.verdict).toBe('CONDITIONAL_PASS');
  });

  it('refuses to finish a run whose stages did not all complete', () => {
    expect(() => finishQa({ startedAt: new Date(), stages: {} })).toThrow('before every stage');
  });
});
