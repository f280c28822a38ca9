// @module-tag e2e
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NEXT_CLEANUP_RE, STARTUP_LINE_RE, TASK_STARTED_RE } from './cleanup/cleanup-lines.ts';
import { killAll, spawnService, waitFor, type ServiceChild } from './testing/service-child.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ServiceChild[] = [];
const emulators: ChildProcess[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'leakproof-main-'));
let starts = 0;
afterEach(() => {
  killAll(children);
  for (const e of emulators.splice(0)) e.kill('SIGKILL');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The service exactly as `npm start` runs it, recording every module it loads (app/testing/record-loads.mjs)
 * so a test can tell whether app/sim was loaded.
 */
function startMain(env: Record<string, string>) {
  const loads = join(tmp, `loads-${starts++}.txt`);
  const svc = spawnService(['--expose-gc', '--import', './app/testing/record-loads.mjs', '--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env: { RECORD_LOADS_TO: loads, ...env },
  });
  children.push(svc);
  const loadedSim = () => readFileSync(loads, 'utf8').split('\n').filter((url) => url.includes('/app/sim/'));
  return { ...svc, loadedSim };
}

/** app/sim's emulator alone in its own process (the bybit-mode start must not load it itself). */
async function startEmulatorChild(): Promise<{ url: string; wsUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/service/testing/emulator-child.ts', '--rate', '200', '--symbols', '20'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  emulators.push(child);
  const [line] = (await once(child.stdout!.setEncoding('utf8'), 'data')) as [string];
  return JSON.parse(line.split('\n')[0]!) as { url: string; wsUrl: string };
}

describe('app/main.ts as a child process', () => {
  it('logs the contract lines, answers HTTP, and exits 0 within 5 s of SIGTERM', async () => {
    // Bybit's 10 calls/s would put the first pass of 100 calls at ~10 s; this test is about the contract lines.
    // Under systemd an explicit sim starts (the refusal below is for an implicit one).
    const svc = startMain({
      LEAKPROOF_HTTP_PORT: '0',
      LEAKPROOF_LOG_FORMAT: 'json',
      LEAKPROOF_REST_CALLS_PER_SECOND: '100',
      INVOCATION_ID: 'test-unit',
      LEAKPROOF_EXCHANGE: 'sim',
    });
    const port = await waitFor(
      'the HTTP line',
      () => svc.messages.map((m) => /^HTTP listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(m)?.[1]).find(Boolean),
      25_000,
    );
    const m = svc.messages;
    const index = (re: RegExp) => m.findIndex((x) => re.test(x));
    expect(index(/^Emulator listening on http:\/\/127\.0\.0\.1:\d+/)).toBeGreaterThanOrEqual(0);
    expect(m[index(TASK_STARTED_RE)]).toBe('🧹 Memory cleanup task started (interval: 600s)');
    expect(m[index(TASK_STARTED_RE) + 1]).toBe('🧹 Running immediate startup memory cleanup...');
    expect(m[index(TASK_STARTED_RE) + 2]).toMatch(STARTUP_LINE_RE);
    expect(m[index(TASK_STARTED_RE) + 2]).toContain('GC: yes');
    expect(m[index(TASK_STARTED_RE) + 3]).toMatch(NEXT_CLEANUP_RE);
    expect(index(/Emulator listening/)).toBeLessThan(index(TASK_STARTED_RE));

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await waitFor('readiness', async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 20_000);
    const status = (await (await fetch(`${base}/status`)).json()) as { candlesRetained: number; lastCleanup: { gcRan: boolean } };
    expect(status.candlesRetained).toBeGreaterThan(0);
    expect(status.lastCleanup.gcRan).toBe(true);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of ['leakproof_candles_retained', 'leakproof_cache_entries', 'leakproof_cleanup_duration_seconds_bucket', 'leakproof_memory_bytes', 'leakproof_rest_calls_total']) {
      expect(metrics).toContain(name);
    }
    // The startup cleanup's gc() is a major GC that prom-client's GC histogram must have seen.
    expect(metrics).toMatch(/^nodejs_gc_duration_seconds_count\{kind="major"\} [1-9]/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);

    const sent = Date.now();
    svc.child.kill('SIGTERM');
    const [code, signal] = await svc.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(svc.messages).toContain('Shutdown complete');
    // The recorder sees the lazily imported emulator, so its silence in the bybit test below means something.
    expect(svc.loadedSim()).toEqual(expect.arrayContaining([expect.stringMatching(/\/app\/sim\/emulator\.ts$/)]));
  }, 60_000);

  it('refuses an implicit sim under systemd: exit 2 and one line saying how to fix it', async () => {
    const svc = startMain({ INVOCATION_ID: 'test-unit' });
    const [code] = await svc.exited;
    expect(code).toBe(2);
    expect(svc.stderr()).toBe(
      "leakproof: refusing to start: exchange defaults to 'sim' (the emulator) under systemd (INVOCATION_ID is set); " +
        'choose it explicitly: --config PATH with `exchange: bybit` (or sim), LEAKPROOF_EXCHANGE=sim, or `deploy setup --exchange bybit|sim`\n',
    );
    expect(svc.messages).toEqual([]);
  }, 30_000);

  it('starts in bybit mode under systemd without loading any app/sim module (endpoints at a loopback emulator)', async () => {
    const emu = await startEmulatorChild();
    const svc = startMain({
      INVOCATION_ID: 'test-unit',
      LEAKPROOF_EXCHANGE: 'bybit',
      LEAKPROOF_BYBIT_REST_URL: emu.url,
      LEAKPROOF_BYBIT_WS_URL: emu.wsUrl,
      LEAKPROOF_HTTP_PORT: '0',
      LEAKPROOF_LOG_FORMAT: 'json',
      LEAKPROOF_TOP_N: '3',
    });
    const port = await waitFor('the HTTP line', () => svc.messages.map((m) => /^HTTP listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(m)?.[1]).find(Boolean), 25_000);
    expect(svc.messages.some((m) => m.startsWith('Emulator listening'))).toBe(false);
    expect(svc.messages.some((m) => STARTUP_LINE_RE.test(m))).toBe(true);
    const base = `http://127.0.0.1:${port}`;
    await waitFor('readiness', async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 20_000);
    const status = (await (await fetch(`${base}/status`)).json()) as { exchange: string; candlesRetained: number };
    expect(status).toMatchObject({ exchange: 'bybit' });
    expect(status.candlesRetained).toBeGreaterThan(0);
    svc.child.kill('SIGTERM');
    expect((await svc.exited)[0]).toBe(0);
    expect(svc.loadedSim()).toEqual([]);
  }, 60_000);

  it('exits 2 with one line naming the field on a bad config', async () => {
    const svc = startMain({ LEAKPROOF_HTTP_PORT: '70000' });
    const [code] = await svc.exited;
    expect(code).toBe(2);
    expect(svc.stderr()).toBe('leakproof: invalid config: http.port: must be ≤ 65535 (from LEAKPROOF_HTTP_PORT)\n');
    expect(svc.messages).toEqual([]);
  }, 30_000);
});
