import type { WhatGrewReport } from '../../reports/schemas/qa-result.ts';
import { whatGrew, type HeapLoader } from '../../reports/heap/what-grew.ts';
import type { ChildRun } from './soak-child.ts';

/**
 * memlab's reading of the two heap snapshots a soak child wrote at the warm-up's end and after its
 * workload: the object kinds that grew over the judged hours and what holds them. A child that wrote
 * fewer than two is a failure value that says why.
 */
export async function readSoakHeap(source: string, run: ChildRun, load?: HeapLoader): Promise<WhatGrewReport> {
  const { before, after } = run.snapshots;
  if (!before || !after) {
    const missing = before ? 'the second' : 'either';
    return { source, result: { ok: false, reason: `no heap reading: the build did not write ${missing} snapshot (${run.exitReason})` } };
  }
  const read = await whatGrew({ before: before.file, after: after.file, ...(load ? { load } : {}) });
  return { source, result: read.ok ? { ...read, snapshotMs: Math.round(before.ms + after.ms), snapshotMb: Math.round(after.mb) } : read };
}
