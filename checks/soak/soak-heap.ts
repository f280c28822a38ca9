import type { SoakPhase, WhatGrewReport } from '../../reports/schemas/qa-result.ts';
import type { UnitName } from '../../reports/units/unit-fit.ts';
import { whatGrew, type HeapLoader } from '../../reports/heap/what-grew.ts';
import type { ChildRun } from './soak-child.ts';

const PHASE_OF: Record<UnitName, SoakPhase> = { message: 'message', listing: 'listing', hour: 'hour' };

/**
 * memlab's reading of the two heap snapshots a soak child wrote around more of one phase's work: the
 * object kinds that grew with that unit and what holds them. A child that wrote fewer than two (its
 * phase did not grow, or it ended early) is a failure value that says why.
 */
export async function readSoakHeap(source: string, run: ChildRun, unit: UnitName, load?: HeapLoader): Promise<WhatGrewReport> {
  const phase = PHASE_OF[unit];
  const before = run.snapshots[`${phase}-first`];
  const after = run.snapshots[`${phase}-last`];
  if (!before || !after) {
    const why = run.exitReason === 'done' ? `its ${phase} phase did not grow past noise in the child's own reckoning` : run.exitReason;
    return { source, unit, result: { ok: false, reason: `no heap reading: the build wrote no snapshots around its ${phase} phase (${why})` } };
  }
  const read = await whatGrew({ before: before.file, after: after.file, ...(load ? { load } : {}) });
  return { source, unit, result: read.ok ? { ...read, snapshotMs: Math.round(before.ms + after.ms), snapshotMb: Math.round(after.mb) } : read };
}
