import { describe, expect, it } from 'vitest';
import { deployEvidenceFixture } from '../testing/deploy-evidence-fixture.ts';
import { renderDeployMarkdown } from './deploy-markdown.ts';

describe('renderDeployMarkdown', () => {
  it('shows each host with its steps, proof, rollback and file hashes', () => {
    const md = renderDeployMarkdown(deployEvidenceFixture());
    expect(md).toContain('# leakproof deploy: FAILED');
    expect(md).toContain('## ✅ vps1 (10.200.1.2): deployed, exit 0');
    expect(md).toContain('## ↩️ vps2 (10.200.2.2): rolled-back, exit 1');
    expect(md).toContain('- Log proof at 2025-01-02T03:04:30.000Z: `✅ Startup cleanup complete');
    expect(md).toContain('- Log proof: not seen for this restart');
    expect(md).toContain('- Rollback by deploy: startup line not seen in 30s → r20250101T000000Z (hashes verified)');
    expect(md).toContain('| /opt/leakproof/app/main.ts | `aaaaaaaaaaaa` | `bbbbbbbbbbbb` |');
    expect(md).toContain('| log-proof | ❌ |');
    expect(md).toContain('- Memory (VmRSS): 2 samples, last 91.0 MB');
  });
});
