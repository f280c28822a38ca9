import { createHash } from 'node:crypto';
import { runHostOp } from '../host/leakproof-host.mjs';
import type { MemFs } from './mem-fs.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** What the scripted host's service loads: a bundle whose text contains this proves at startup. */
export const PROVES = 'proves';

export const PROOF_MESSAGES = ['✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 1, OI trimmed: 0, GC: yes, Memory: 90.0MB → 80.0MB (-10.0MB freed)', '🧹 Next memory cleanup in 600s'];

export interface SimUnit {
  invocation: number;
  active: boolean;
  /** The bytes loaded at the last start, per app file (null: missing then). */
  loaded: Map<string, string | null>;
  startedAt: number;
}

/**
 * systemd as the scripted host needs it: the app unit (its loaded bytes and journal), the revert timer
 * ticking on virtual time and running the real host tool's `revert` exactly as revert.sh does, and the
 * journal's lines per invocation. `hostNow` is the host's (possibly skewed) clock.
 */
export function simSystemd(o: { fs: MemFs; clock: VirtualClock; hostNow: () => number; appDir: string; appFiles: readonly string[] }) {
  const unit: SimUnit = { invocation: 0, active: false, loaded: new Map(), startedAt: 0 };
  const journal = new Map<number, string[]>();
  const revertLog: string[] = [];
  let timerGeneration = 0;
  let armed = false;
  /** Set while journald drops the unit's lines (rate limit): the count it will report as suppressed. */
  let suppressing = 0;
  const suppressed: string[] = [];
  const sha = (p: string) => (o.fs.existsSync(p) ? createHash('sha256').update(o.fs.readFileSync(p)).digest('hex') : null);

  const restart = () => {
    unit.invocation += 1;
    unit.startedAt = o.hostNow();
    unit.loaded = new Map(o.appFiles.map((f) => [f, sha(`${o.appDir}/${f}`)]));
    const bundle = `${o.appDir}/${o.appFiles[0] ?? ''}`;
    unit.active = o.fs.existsSync(bundle);
    const proves = unit.active && o.fs.readFileSync(bundle, 'utf8').includes(PROVES);
    const us = o.hostNow() * 1000;
    const lines = proves ? PROOF_MESSAGES.map((m, i) => JSON.stringify({ MESSAGE: m, _SYSTEMD_INVOCATION_ID: `inv${unit.invocation}`, _TRANSPORT: 'stdout', __REALTIME_TIMESTAMP: String(us + i + 1) })) : [];
    if (suppressing > 0 && lines.length > 0) {
      suppressed.push(JSON.stringify({ MESSAGE: `Suppressed ${suppressing} messages from leakproof.service`, _TRANSPORT: 'driver', __REALTIME_TIMESTAMP: String(us + 5) }));
      journal.set(unit.invocation, []);
    } else journal.set(unit.invocation, lines);
  };

  const stopTimer = () => {
    armed = false;
    timerGeneration += 1;
  };
  /** One tick of revert.sh: restore as the app dir's owner, then restart and stop the timer as root. */
  const tick = () => {
    const r = runHostOp(o.fs, o.hostNow, ['revert', o.appDir]);
    if (r.code === 0) {
      restart();
      stopTimer();
    } else if (r.code === 12) {
      if (!unit.active) restart();
      stopTimer();
    } else if (r.code === 11) stopTimer();
    else if (r.code !== 10) revertLog.push(r.stdout.trim(), `leakproof revert failed (exit ${r.code}), will retry`);
  };
  const startTimer = () => {
    if (armed) return;
    armed = true;
    const gen = (timerGeneration += 1);
    void (async () => {
      await o.clock.sleep(1_000);
      while (armed && gen === timerGeneration) {
        tick();
        await o.clock.sleep(2_000);
      }
    })();
  };

  return {
    unit,
    restart,
    startTimer,
    stopTimer,
    timerArmed: () => armed,
    journalOf: (invocation: number) => journal.get(invocation) ?? [],
    suppressed: () => suppressed,
    revertLog: () => revertLog,
    /** journald drops the unit's lines from now until `suppress(0)`. */
    suppress: (n: number) => {
      suppressing = n;
    },
    suppressing: () => suppressing > 0,
  };
}

export type SimSystemd = ReturnType<typeof simSystemd>;
