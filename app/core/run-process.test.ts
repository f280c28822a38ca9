// @module-tag e2e
import { describe, expect, it } from 'vitest';
import { describeFailure, runProcess } from './run-process.ts';

const node = (code: string) => [process.execPath, '-e', code];

describe('runProcess', () => {
  it('gives exit code, stdout and stderr as written, in one shape', async () => {
    const r = await runProcess(node('process.stdout.write("a\\nb\\n"); process.stderr.write("oops\\n"); process.exitCode = 3'));
    expect(r).toMatchObject({ code: 3, signal: null, stdout: 'a\nb\n', stderr: 'oops\n', timedOut: false, stopped: false });
    expect(describeFailure(r)).toMatch(/ exited 3 after \d+ ms: oops$/);
  });

  it('feeds stdin, runs in cwd, and passes exactly the env given', async () => {
    const r = await runProcess(node('process.stdin.pipe(process.stdout); console.error(process.cwd(), JSON.stringify(process.env))'), {
      input: 'fed',
      cwd: '/',
      env: { ONLY: '1' },
    });
    expect(r.stdout).toBe('fed');
    expect(r.stderr.trim()).toBe('/ {"ONLY":"1"}');
  });

  it('closes stdin when there is no input, so a reader does not hang', async () => {
    const r = await runProcess(node('process.stdin.resume(); process.stdin.on("end", () => console.log("eof"))'), { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 0, stdout: 'eof\n', timedOut: false });
  });

  it('kills at the timeout, and SIGKILLs a child that ignores SIGTERM', async () => {
    const started = performance.now();
    const r = await runProcess(node('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'), { timeoutMs: 300, killGraceMs: 300 });
    expect(r).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(describeFailure(r)).toContain('timed out');
  });

  it('says why a command never started', async () => {
    const r = await runProcess(['/nonexistent/tool', 'x']);
    expect(r).toMatchObject({ code: null, signal: null, timedOut: false });
    expect(r.stderr).toContain('ENOENT');
    expect(describeFailure(r)).toContain('(never started)');
  });

  it('hands each line over as it arrives, and stops the child when asked', async () => {
    const seen: string[] = [];
    const r = await runProcess(node('let i = 0; setInterval(() => console.log(`line ${i++}`), 10)'), {
      timeoutMs: 10_000,
      onLine: (line, stop) => {
        seen.push(line);
        if (line === 'line 3') stop();
      },
    });
    expect(seen.slice(0, 4)).toEqual(['line 0', 'line 1', 'line 2', 'line 3']);
    expect(r).toMatchObject({ stopped: true, timedOut: false, signal: 'SIGTERM' });
    expect(r.stdout.startsWith('line 0\nline 1\nline 2\nline 3\n')).toBe(true);
  });

  it('refuses an empty argv', async () => {
    await expect(runProcess([])).rejects.toThrow(TypeError);
  });
});
