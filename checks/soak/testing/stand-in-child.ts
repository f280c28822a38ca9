/**
 * A stand-in for the soak entry, to test the runner's plumbing with a real child process: it reports a
 * sample every quarter of a simulated hour, the fix-removed build retaining 2 MB more each time, the real
 * one allocating and freeing. LEAKPROOF_STAND_IN=crash makes the fix-removed build exit after two samples;
 * =ccxt-leak makes the real build report ccxt state for more symbols than it tracks; =hang stops halfway.
 * In the plain mode it writes the heap snapshot pair as the soak entry does, its rows held by a
 * `StandInStore`, so that the runner's heap reading has a known retainer to name.
 */
import { warmupSimHoursFor } from '../soak-config.ts';
import { writeSoakSnapshot } from '../soak-snapshot.ts';
import { SOAK_BUILD_ENV, SOAK_HEAP_DIR_ENV, SOAK_SIM_HOURS_ENV, type SoakMessage } from '../soak-protocol.ts';

const send = (m: SoakMessage) => process.send?.(m);
const build = process.env[SOAK_BUILD_ENV];
const mode = process.env.LEAKPROOF_STAND_IN;
const simHours = Number(process.env[SOAK_SIM_HOURS_ENV] ?? 3);
class StandInStore {
  readonly rows: number[][] = [];
}
const kept = new StandInStore();
let n = 0;
// 2 MiB a step: 262,144 small integers, 8 bytes each. The real build's garbage lives on the heap too,
// which a full gc empties at once.
const allocate = (): number => (build === 'fix-removed' ? kept.rows.push(new Array(262_144).fill(n)) : new Array(100_000).fill(n).length);
const heapDir = mode === undefined ? process.env[SOAK_HEAP_DIR_ENV] : undefined;
const snapshot = (at: 'before' | 'after') => {
  if (heapDir !== undefined) send(writeSoakSnapshot(heapDir, String(build), at));
};

send({ type: 'ready', port: 0 });
const timer = setInterval(() => {
  n += 1;
  allocate();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const ccxtSymbols = build === 'fix-removed' ? 10 + n : mode === 'ccxt-leak' ? 12 : 10;
  const at = { simH: n / 4, messages: n * 600 };
  send({ type: 'sample', ...at, rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576, retainedMb: (m.heapUsed + m.arrayBuffers) / 1048576, tracked: 10, ccxtSymbols, ccxtEntries: ccxtSymbols * 8 });
  if (n === 2 && build === 'fix-removed' && mode === 'crash') process.exit(3);
  if (at.simH === warmupSimHoursFor(simHours)) snapshot('before');
  // Halfway, stop sampling but stay alive, as a service stuck in its workload would.
  if (mode === 'hang' && at.simH >= simHours / 2) {
    clearInterval(timer);
    setInterval(() => {}, 1000);
  } else if (at.simH >= simHours) {
    clearInterval(timer);
    snapshot('after');
    send({ type: 'done', steps: n, messages: at.messages, restWaitsCut: 0, messageWaitsCut: 0 });
  }
}, 20);
