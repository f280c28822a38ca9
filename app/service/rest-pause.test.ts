// @module-tag e2e
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.ts';
import { createLogger } from '../log/create-logger.ts';
import { lineSink } from '../testing/line-sink.ts';
import { startService, type ServiceHandle } from './start-service.ts';

let service: ServiceHandle | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface RestStatus {
  paused: { reason: string; until: string | null; probing: boolean } | null;
  pauses: Record<string, number>;
  degraded: { level: string | null; lateJobs: string[] };
  jobs: Array<{ job: string; priority: number; lagSeconds: number; maxLagSeconds: number }>;
}

describe('an IP ban in the running service (sim, real ccxt)', () => {
  // The ban runs on the 60× sim clock: a heavily loaded machine once stretched the pass so the ticker lagged
  // under 30 s. A broken pause fails every attempt; a load spike does not fail the run.
  it('pauses every REST job, says so once in the log, /status and /metrics, and resumes after the probe', { timeout: 120_000, retry: 2 }, async () => {
    const sink = lineSink();
    // 60x: the 2-minute ban takes 2 real seconds; the ticker's 60 s interval is 1 s.
    const config = configSchema.parse({ http: { port: 0 }, topN: 2, sim: { symbols: 4, speed: 60 }, rest: { banSeconds: 120, probeSeconds: 10, maxProbeSeconds: 20 } });
    service = await startService({ config, log: createLogger({ destination: sink.stream }), cleanup: false });
    const svc = service;
    const emu = svc.emulator!;
    const rest = async () => ((await (await fetch(`${svc.url}/status`)).json()) as { rest: RestStatus }).rest;
    const metrics = async () => (await fetch(`${svc.url}/metrics`)).text();
    await until('ready', async () => (svc.manager.ready ? true : undefined));

    emu.setFaults({ ipBan: { next: 1, durationMs: 120_000 } });
    const paused = await until('the pause', async () => ((await rest()).paused ?? undefined));
    expect(paused).toMatchObject({ reason: 'ipBan', probing: false });
    expect(await metrics()).toMatch(/leakproof_rest_paused\{reason="ipBan"\} 1/);
    expect(await metrics()).toMatch(/leakproof_rest_pause_until_seconds [1-9]/);
    const sent = emu.stats().restRequests;
    await new Promise((r) => setTimeout(r, 700));
    expect(emu.stats().restRequests - sent).toBe(0);
    // A ban stops every priority class, the live state included, and /status names the worst one late.
    const degraded = await until('the ticker late', async () => {
      const d = (await rest()).degraded;
      return d.lateJobs.includes('ticker') ? d : undefined;
    });
    expect(degraded.level).toBe('live');

    await until('the resume', async () => ((await rest()).paused === null ? true : undefined));
    const after = await rest();
    expect(after.pauses).toEqual({ ipBan: 1, rateLimit: 0, http429: 0 });
    // The ban held the ticker (60 s interval) for two minutes: its lag says so.
    expect(after.jobs.find((j) => j.job === 'ticker')).toMatchObject({ priority: 0 });
    expect(after.jobs.find((j) => j.job === 'ticker')!.maxLagSeconds).toBeGreaterThan(30);
    expect(await metrics()).toMatch(/leakproof_rest_paused\{reason="ipBan"\} 0/);
    expect(await metrics()).toMatch(/leakproof_refresh_max_lag_seconds\{job="ticker"\} [1-9]/);
    const lines = sink.messages();
    expect(lines.filter((m) => m.startsWith('REST paused'))).toEqual([expect.stringMatching(/^REST paused: IP ban \(HTTP 403\); every REST job waits until \d{4}-/)]);
    expect(lines).toContain('REST resumed after IP ban');
    expect(lines.filter((m) => /Refresh .* failed/.test(m))).toEqual([]);
  });
});
