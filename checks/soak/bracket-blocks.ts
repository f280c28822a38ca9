import type { SoakPhase } from '../../reports/schemas/qa-result.ts';
import type { WorkDone } from './drive-phases.ts';
import type { SoakPlan } from './soak-config.ts';

/** Growth over a phase below this is the samples' own noise (a few hundred KB at most after two gcs). */
const NOISE_BYTES = 256 * 1024;
/** The bracket should hold at least this much new data, so that memlab's reading stands clear of noise. */
const READ_BYTES = 512 * 1024;
const MAX_BLOCKS = 8;

/**
 * How many more blocks of a phase's work to bracket with heap snapshots: none when the phase did not
 * grow beyond noise (the verdict does not need a reading then, and a snapshot costs seconds), else enough to hold READ_BYTES at the phase's own rate. A listing bracket is the plan's
 * reserved rotations, which come whether read or not.
 */
export function bracketBlocks(phase: SoakPhase, samples: readonly WorkDone[], retained: readonly number[], plan: SoakPlan): number {
  const own = samples.flatMap((s, i) => (s.phase === phase ? [{ s, bytes: retained[i] ?? 0 }] : []));
  const first = own[0];
  const last = own.at(-1);
  if (!first || !last || own.length < 2) return 0;
  const grew = last.bytes - first.bytes;
  // Noise alone decides: a per-message leak below its tolerance may still fill the headroom at the
  // profile's rate, and then the verdict names what holds it too.
  if (grew <= NOISE_BYTES) return 0;
  if (phase === 'listing') return plan.bracketTurns;
  const perBlock = grew / (own.length - 1);
  return Math.min(MAX_BLOCKS, Math.max(2, Math.ceil(READ_BYTES / perBlock)));
}
