import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { combineFileHashes } from '../../reports/source-hash.ts';
import type { StepOutcome } from '../remote/step.ts';

export interface GateEvidence {
  verdict: 'PASS' | 'CONDITIONAL_PASS' | 'FAIL' | null;
  qaSha256: string | null;
  shippedSha256: string;
  skipped: boolean;
  /** The QA report's runtime file list: what deploy ships by default. */
  qaFiles: string[];
}

interface QaLatest {
  verdict?: GateEvidence['verdict'];
  sources?: { sha256?: string; files?: { path: string; sha256: string }[] };
}

/**
 * The QA gate: the latest QA report must exist, not be FAIL, and have hashed exactly the files being
 * shipped. `--skip-qa` turns refusals into a recorded pass.
 */
export async function qaGate(
  root: string,
  shipped: readonly { path: string; sha256: string }[] | null,
  skip: boolean,
  read: (p: string) => Promise<string> = (p) => readFile(p, 'utf8'),
): Promise<StepOutcome<GateEvidence>> {
  const shippedSha256 = shipped ? combineFileHashes(shipped).sha256 : '';
  const ev: GateEvidence = { verdict: null, qaSha256: null, shippedSha256, skipped: skip, qaFiles: [] };
  const refuse = (reason: string) => (skip ? { ok: true, reason: `--skip-qa: ${reason}`, evidence: ev } : { ok: false, reason, evidence: ev });
  let qa: QaLatest;
  try {
    qa = JSON.parse(await read(join(root, 'reports/out/qa/latest.json'))) as QaLatest;
  } catch {
    return refuse('no QA result at reports/out/qa/latest.json: run npm run qa first');
  }
  ev.verdict = qa.verdict ?? null;
  ev.qaSha256 = qa.sources?.sha256 ?? null;
  ev.qaFiles = (qa.sources?.files ?? []).map((f) => f.path);
  if (qa.verdict === 'FAIL') return refuse('QA verdict is FAIL');
  if (shipped && ev.qaSha256 !== shippedSha256) {
    return refuse(`QA sources.sha256 ${String(ev.qaSha256).slice(0, 12)} differs from the shipped files ${shippedSha256.slice(0, 12)}: re-run npm run qa`);
  }
  return { ok: true, reason: '', evidence: ev };
}
