import type { AppUnderProbe } from './load-app.ts';
import { lastLines, runChild } from './child-lines.ts';
import type { ProbeBody } from './probe-types.ts';

export const SERVICE_PROBE_TIMEOUT_MS = 30_000;
/** The log-line contract: docs/leak-history-and-log-contract.md. */
const HTTP_LINE_RE = /^HTTP listening on http:\/\/127\.0\.0\.1:\d+$/;

/**
 * The service entry exactly as `npm start` and the systemd unit run it, against the embedded emulator on
 * ephemeral ports: the startup cleanup line and the first "Next memory cleanup in" line must both appear
 * (deploy's default proof), so the task was started with a live manager and its loop did not exit.
 */
export const serviceStartsCleanup =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const { STARTUP_LINE_RE, NEXT_CLEANUP_RE, TASK_STARTED_RE } = app.lines;
    const seen = (m: readonly string[]) => ({
      started: m.findIndex((x) => TASK_STARTED_RE.test(x)),
      startup: m.findIndex((x) => STARTUP_LINE_RE.test(x)),
      next: m.findIndex((x) => NEXT_CLEANUP_RE.test(x)),
    });
    const run = await runChild(['--expose-gc', '--import', 'tsx', app.entry], {
      cwd: app.root,
      env: { ...process.env, LEAKPROOF_CONFIG: '', LEAKPROOF_EXCHANGE: 'sim', LEAKPROOF_HTTP_PORT: '0', LEAKPROOF_LOG_FORMAT: 'json', LEAKPROOF_SIM_SYMBOLS: '3' },
      timeoutMs: SERVICE_PROBE_TIMEOUT_MS - 3000,
      done: (m) => seen(m).next >= 0,
      // HTTP comes up after the task is started: a line not there soon after it is not coming.
      settled: { when: (m) => m.some((x) => HTTP_LINE_RE.test(x)), graceMs: 1000 },
    });
    const at = seen(run.messages);
    const ok = at.started >= 0 && at.startup > at.started && at.next > at.startup;
    const evidence = {
      lines: [at.startup, at.next].map((i) => run.messages[i]).filter(Boolean),
      messages: run.messages.length,
      exit: { code: run.code, signal: run.signal },
      timedOut: run.timedOut,
    };
    return {
      ok,
      reason: ok
        ? `${app.entry} started the cleanup task: startup line, then "${run.messages[at.next]}"`
        : `${app.entry} logged ${at.started >= 0 ? '' : 'no task-started line, '}${at.startup >= 0 ? '' : 'no startup cleanup line, '}${at.next > at.startup ? '' : 'no "Next memory cleanup in" after it, '}` +
          `${run.timedOut ? 'and timed out' : run.settledStop ? 'by 1 s after HTTP came up' : `and exited ${JSON.stringify({ code: run.code, signal: run.signal })}`}${run.stderr ? `: ${lastLines(run.stderr)}` : ''}`,
      evidence,
    };
  };
