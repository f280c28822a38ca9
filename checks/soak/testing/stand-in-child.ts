/**
 * A stand-in for the soak entry, to test the runner's plumbing with a real child process: it walks the
 * plan's phases quickly (a sample every 20 ms), the fix-removed build retaining 2 MiB more with each
 * listing block, the real one allocating and freeing. LEAKPROOF_STAND_IN=crash makes the fix-removed
 * build exit after two samples; =ccxt-leak makes the real build report ccxt state for more symbols than
 * it tracks; =hang stops halfway. In the plain mode the fix-removed build writes the snapshot pair around
 * one more listing block, as the soak entry does when a phase grew, its rows held by a `StandInStore`,
 * so that the runner's heap reading has a known retainer to name.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { SOAK_PLAN, SoakPlanSchema } from '../soak-config.ts';
import { SOAK_BUILD_ENV, SOAK_HEAP_DIR_ENV, SOAK_PLAN_ENV, type SoakMessage } from '../soak-protocol.ts';
import { writeSoakSnapshot } from '../soak-snapshot.ts';
import type { SoakPhase } from '../../../reports/schemas/qa-result.ts';

const send = (m: SoakMessage) => process.send?.(m);
const build = process.env[SOAK_BUILD_ENV];
const mode = process.env.LEAKPROOF_STAND_IN;
const planText = process.env[SOAK_PLAN_ENV];
const plan = planText === undefined ? SOAK_PLAN : SoakPlanSchema.parse(JSON.parse(planText));
class StandInStore {
  readonly rows: number[][] = [];
}
const kept = new StandInStore();
const heapDir = mode === undefined ? process.env[SOAK_HEAP_DIR_ENV] : undefined;
// 2 MiB a listing block: 262,144 small integers, 8 bytes each. The real build's garbage lives on the
// heap too, which a full gc empties at once.
const listingBlock = () => (build === 'fix-removed' ? kept.rows.push(new Array(262_144).fill(kept.rows.length)) : new Array(100_000).fill(0).length);
const at = { messages: 0, listingTurns: 0, simH: 0 };
let n = 0;

async function sample(phase: SoakPhase): Promise<void> {
  await pause(20);
  n += 1;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const ccxtSymbols = build === 'fix-removed' ? 10 + at.listingTurns : mode === 'ccxt-leak' ? 12 : 10;
  send({ type: 'sample', phase, ...at, rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576, retainedMb: (m.heapUsed + m.arrayBuffers) / 1048576, tracked: 10, ccxtSymbols, ccxtEntries: ccxtSymbols * 8 });
  if (n === 2 && build === 'fix-removed' && mode === 'crash') process.exit(3);
  // Halfway, stop sampling but stay alive, as a service stuck in its workload would.
  if (mode === 'hang' && phase === 'message') await new Promise(() => setInterval(() => {}, 1000));
}

const block = { simH: plan.blockSimS / 3600 };
send({ type: 'ready', port: 0 });
await sample('listing');
for (let i = 0; i < plan.listingBlocks; i++) {
  listingBlock();
  Object.assign(at, { listingTurns: at.listingTurns + 2, messages: at.messages + plan.messagesPerTurn, simH: at.simH + block.simH });
  await sample('listing');
}
if (heapDir !== undefined && build === 'fix-removed') {
  send(writeSoakSnapshot(heapDir, build, 'listing', 'first'));
  listingBlock();
  send(writeSoakSnapshot(heapDir, build, 'listing', 'last'));
}
await sample('message');
for (let i = 0; i < plan.messageBlocks; i++) {
  Object.assign(at, { messages: at.messages + plan.messagesPerBlock, simH: at.simH + block.simH });
  await sample('message');
}
await sample('hour');
for (let i = 0; i < Math.round((plan.simHours * 3600) / plan.blockSimS); i++) {
  at.simH += block.simH;
  await sample('hour');
}
send({ type: 'done', steps: n, messages: at.messages, listingTurns: at.listingTurns, restWaitsCut: 0, messageWaitsCut: 0 });
