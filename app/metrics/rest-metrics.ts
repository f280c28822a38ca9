import { Counter, Gauge, type Registry } from 'prom-client';
import type { PauseReason } from '../exchange/rest-breaker.ts';

/** What the REST metrics read at scrape time (the source's pause, the scheduler's lag). */
export interface RestMetricsSources {
  restPause(): { reason: PauseReason; until: number | undefined } | null;
  restPauses(): Record<string, number>;
  refreshLag(): ReadonlyArray<{ job: string; lagMs: number; maxLagMs: number }>;
}

const REASONS: readonly PauseReason[] = ['ipBan', 'rateLimit', 'http429'];

/**
 * leakproof_rest_paused{reason} is 1 while every REST job waits on an IP ban or an API limit, with
 * leakproof_rest_pause_until_seconds the epoch second the next call (or the ban's probe) may go, 0
 * when not paused or while the probe is out. leakproof_refresh_lag_seconds{job} is how far a job is
 * behind its interval now, leakproof_refresh_max_lag_seconds{job} the worst since start.
 */
export function registerRestMetrics(registry: Registry, read: () => RestMetricsSources | undefined): void {
  const seen = new Map<string, number>();
  new Gauge({
    name: 'leakproof_rest_paused',
    help: 'REST paused for every job (1) by reason: ipBan (HTTP 403), rateLimit (retCode 10006) or http429 (HTTP 429)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      const pause = read()?.restPause() ?? null;
      for (const reason of REASONS) this.set({ reason }, pause?.reason === reason ? 1 : 0);
    },
  });
  new Gauge({
    name: 'leakproof_rest_pause_until_seconds',
    help: 'Epoch seconds when the paused REST client may send again (the probe, for a ban); 0 when not paused',
    registers: [registry],
    collect() {
      const until = read()?.restPause()?.until;
      this.set(until === undefined ? 0 : until / 1000);
    },
  });
  new Counter({
    name: 'leakproof_rest_pauses_total',
    help: 'Global REST pauses begun, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      const s = read();
      if (!s) return;
      for (const [reason, n] of Object.entries(s.restPauses())) {
        const delta = n - (seen.get(reason) ?? 0);
        if (delta > 0) this.inc({ reason }, delta);
        seen.set(reason, n);
      }
    },
  });
  const lagGauge = (name: string, help: string, pick: (j: { lagMs: number; maxLagMs: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['job'],
      registers: [registry],
      collect() {
        this.reset();
        for (const j of read()?.refreshLag() ?? []) this.set({ job: j.job }, pick(j) / 1000);
      },
    });
  lagGauge('leakproof_refresh_lag_seconds', 'How far each refresh job is behind its interval now', (j) => j.lagMs);
  lagGauge('leakproof_refresh_max_lag_seconds', 'The worst lag of each refresh job since start', (j) => j.maxLagMs);
}
