import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { NEXT_CLEANUP_RE, STARTUP_LINE_RE, TASK_STARTED_RE } from './cleanup/cleanup-lines.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** The service exactly as `npm start` and the systemd unit run it. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LEAKPROOF_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out: string[] = [];
  let err = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.push((JSON.parse(line) as { msg: string }).msg);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, messages: out, stderr: () => err, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('app/main.ts as a child process', () => {
  it('logs the contract lines, answers HTTP, and exits 0 within 5 s of SIGTERM', async () => {
    const svc = startMain({ LEAKPROOF_HTTP_PORT: '0', LEAKPROOF_LOG_FORMAT: 'json' });
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

    const sent = Date.now();
    svc.child.kill('SIGTERM');
    const [code, signal] = await svc.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(svc.messages).toContain('Shutdown complete');
  }, 60_000);

  it('exits 2 with one line naming the field on a bad config', async () => {
    const svc = startMain({ LEAKPROOF_HTTP_PORT: '70000' });
    const [code] = await svc.exited;
    expect(code).toBe(2);
    expect(svc.stderr()).toBe('leakproof: invalid config: http.port: must be ≤ 65535 (from LEAKPROOF_HTTP_PORT)\n');
    expect(svc.messages).toEqual([]);
  }, 30_000);
});
