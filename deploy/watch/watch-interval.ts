import { posix } from 'node:path';
import { defineStep } from '../pipeline/pipeline.ts';
import { liveGuard, proofPatterns, type ReleaseCtx } from '../pipeline/release-steps.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import { shQuote } from '../remote/sh-quote.ts';
import { failed, passed } from '../remote/step.ts';
import { appUnits } from '../remote/unit-status.ts';

/**
 * The unit's last EnvironmentFile: while it exists the service cleans up every `--cleanup-interval`, so a
 * 3-minute watch gets a retained sample every few seconds instead of one per 10 minutes. A failed deploy
 * removes it before its restore, and so does the host's revert script.
 */
export const watchEnvPath = (appDir: string) => posix.join(appDir, 'watch.env');

const applies = (c: ReleaseCtx) => c.t.watchMs > 0 && c.t.watchCleanupS !== undefined;

/** Written before the release's restart, so the watched invocation already runs the short interval. */
export const shortenInterval = defineStep(
  'watch-interval',
  async (c: ReleaseCtx) => {
    const file = watchEnvPath(c.t.appDir);
    const r = await c.shell.exec(`umask 077 && cat > ${shQuote(`${file}.tmp`)} && mv -f -- ${shQuote(`${file}.tmp`)} ${shQuote(file)}`, {
      stdin: `LEAKPROOF_CLEANUP_INTERVAL_SECONDS=${String(c.t.watchCleanupS)}\n`,
      timeoutMs: 15_000,
    });
    return r.code === 0 && !r.failure ? passed(c.t.watchCleanupS, `cleanup every ${String(c.t.watchCleanupS)}s during the watch`) : failed(`watch-interval: ${r.failure ?? r.stderr.trim()}`);
  },
  { when: applies },
);

/** After a passing watch: the configured interval back, proven by a restart like the release's own. */
export const restoreInterval = defineStep(
  'interval-restore',
  async (c: ReleaseCtx) => {
    const r = await c.shell.exec(`rm -f -- ${shQuote(watchEnvPath(c.t.appDir))}`, { timeoutMs: 15_000 });
    if (r.code !== 0 || r.failure) return failed(`interval-restore: ${r.failure ?? r.stderr.trim()}`);
    const proof = await restartAndProve(c.shell, { units: appUnits(c.t), patterns: proofPatterns(c.t), proofTimeoutMs: c.t.proofTimeoutMs, graceMs: c.t.graceMs, clock: c.clock, signal: c.signal, guard: liveGuard(c), reconnect: c.reconnect });
    return proof.ok ? passed(proof.evidence, 'the configured cleanup interval is back, proven') : failed(`interval-restore: ${proof.reason}`, proof.evidence);
  },
  { when: applies },
);
