import { posix } from 'node:path';
import { QA_UNIT_FLOORS } from '../config/defaults.ts';
import { renderShippedRules } from './render-rules.ts';

/** The rules file `deploy setup --prometheus-rules DIR` installs (root-owned, 0644), keyed by its path; none without a DIR. */
export async function prometheusRulesFile(dir: string | undefined, service: string, memoryHigh: string): Promise<{ ok: true; files: Record<string, string> } | { ok: false; reason: string }> {
  if (dir === undefined) return { ok: true, files: {} };
  if (!posix.isAbsolute(dir)) return { ok: false, reason: `--prometheus-rules: "${dir}" is not an absolute path on the host` };
  const r = await renderShippedRules({ memoryHigh, qaFloorBytesPerMessage: QA_UNIT_FLOORS.message });
  return r.ok ? { ok: true, files: { [posix.join(dir, `${service.replace(/\.service$/, '')}.rules.yml`)]: r.text } } : r;
}
