import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../app/core/clock.ts';
import { newHostRun } from '../pipeline/host-run.ts';
import { stepRunner } from '../remote/step.ts';
import { listrProgress, plainProgress, progressFor } from './progress.ts';

const tickingClock = (): Clock => {
  let t = 0;
  return { now: () => (t += 250), sleep: async () => undefined };
};

/** A stream that collects what is written; `isTTY` as given. */
function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  return { stream: Object.assign(s, { isTTY, columns: 100, rows: 30 }) as unknown as NodeJS.WriteStream, text: () => out };
}

describe('plain progress (CI logs)', () => {
  it('writes one line per finished step, with host, result, duration and reason', async () => {
    const lines: string[] = [];
    const p = plainProgress((l) => lines.push(l));
    const run = newHostRun('web-1', '10.0.0.1', '/srv');
    const step = stepRunner(run, tickingClock(), p.onStep);
    await step('preflight', async () => ({ ok: true, reason: '', evidence: undefined }));
    await step('upload', async () => ({ ok: false, reason: 'upload: disk full', evidence: undefined }));
    expect(lines).toEqual(['web-1: preflight ok 0.3s\n', 'web-1: upload FAILED 0.3s — upload: disk full\n']);
    expect(run.steps.map((s) => s.name)).toEqual(['preflight', 'upload']);
  });

  it('is chosen when the stream is not a terminal', () => {
    const c = capture(false);
    progressFor(['a'], c.stream).onStep({ host: 'a', step: 'lock', phase: 'end', ok: true, durationMs: 1200, reason: '' });
    expect(c.text()).toBe('a: lock ok 1.2s\n');
  });
});

describe('listr2 progress (terminal)', () => {
  it('renders per-host steps on the given stream only, never on stdout, and marks unreached hosts skipped', async () => {
    const c = capture(true);
    const stdout = vi.spyOn(process.stdout, 'write');
    const p = listrProgress(['web-1', 'web-2'], c.stream);
    const runs = await p.around(async () => {
      p.onStep({ host: 'web-1', step: 'restart-proof', phase: 'start' });
      await new Promise((r) => setTimeout(r, 150));
      p.onStep({ host: 'web-1', step: 'restart-proof', phase: 'end', ok: false, durationMs: 2000, reason: 'proof timeout' });
      return [{ ...newHostRun('web-1', 'a', '/srv'), finalState: 'rolled-back' as const, exitCode: 1, reason: 'proof timeout' }];
    });
    stdout.mockRestore();
    expect(runs).toHaveLength(1);
    expect(stdout).not.toHaveBeenCalled();
    const text = c.text();
    expect(text).toMatch(/web-1: restart-proof/);
    expect(text).toMatch(/web-1: rolled-back/);
    expect(text).toMatch(/web-2: not started/);
  });
});
