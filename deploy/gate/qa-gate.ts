import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validate } from '../../reports/schemas/common.ts';
import { QaResult } from '../../reports/schemas/qa-result.ts';
import { combineFileHashes } from '../../reports/source-hash.ts';
import type { StepOutcome } from '../remote/step.ts';

export interface GateEvidence {
  verdict: 'PASS' | 'CONDITIONAL_PASS' | 'FAIL' | null;
  qaSha256: string | null;
  /** The combined hash of the files this build's bundle was made from, as QA's `sources.sha256` hashes them. */
  sourcesSha256: string;
  skipped: boolean;
}

/** The part of reports/' QA schema the gate reads, validated by that very schema. */
const QaLatest = QaResult.pick({ verdict: true, sources: true });

/**
 * The QA gate: the latest QA report must exist, not be FAIL, and have hashed exactly the files the
 * shipped bundle was built from (its metafile inputs and the build definition). `--skip-qa` turns
 * refusals into a recorded pass.
 */
export async function qaGate(
  root: string,
  sources: readonly { path: string; sha256: string }[],
  skip: boolean,
  read: (p: string) => Promise<string> = (p) => readFile(p, 'utf8'),
): Promise<StepOutcome<GateEvidence>> {
  const sourcesSha256 = combineFileHashes(sources).sha256;
  const ev: GateEvidence = { verdict: null, qaSha256: null, sourcesSha256, skipped: skip };
  const refuse = (reason: string) => (skip ? { ok: true, reason: `--skip-qa: ${reason}`, evidence: ev } : { ok: false, reason, evidence: ev });
  const file = 'reports/out/qa/latest.json';
  let text: string;
  try {
    text = await read(join(root, file));
  } catch {
    return refuse(`no QA result at ${file}: run npm run qa first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return refuse(`${file} is not JSON (${err instanceof Error ? err.message : String(err)}): re-run npm run qa`);
  }
  const parsed = validate(QaLatest, json, file);
  if (!parsed.ok) return refuse(`${parsed.reason}: re-run npm run qa`);
  const qa = parsed.value;
  ev.verdict = qa.verdict;
  ev.qaSha256 = qa.sources.sha256;
  if (qa.verdict === 'FAIL') return refuse('QA verdict is FAIL');
  if (ev.qaSha256 !== sourcesSha256) {
    return refuse(`QA sources.sha256 ${qa.sources.sha256.slice(0, 12)} differs from the bundle's sources ${sourcesSha256.slice(0, 12)}: re-run npm run qa`);
  }
  return { ok: true, reason: '', evidence: ev };
}
