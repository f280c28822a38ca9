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

describe('renderDeployMarkdown: the watch in QA units', () => {
  it("states each unit's slope, the floor this watch reached, QA's floor and the budget", () => {
    const e = deployEvidenceFixture();
    const host = e.hosts[0];
    if (!host?.memory) throw new Error('fixture: the first host has a memory watch');
    host.memory.units = {
      model: 'per-unit', why: 'no work of unit listing varies', samples: 11, msgPerSecond: 2400, listingTurnsPerDay: 0, headroomMb: 300, days: 7, daysToMemoryHigh: null,
      units: [{ unit: 'message', slope: 0.4, lo: -1.2, hi: 2, floor: 3.2, qaFloor: 16, budget: 0.2 }],
      floors: ['this watch could see ≥ 3.2 B/message'],
    };
    const md = renderDeployMarkdown(e);
    expect(md).toContain('- Retained heap: 11 samples after gc, 2400 msg/s, each unit alone (no work of unit listing varies); MemoryHigh in never (no certain growth) (limit 7 days)');
    expect(md).toContain('  - B/message: 0.4 (95% -1.2…2); this watch could see ≥ 3.2; QA floor 16; budget 0.2');
  });
});

describe('renderDeployMarkdown: heap snapshots from the host', () => {
  it('states what the snapshots cost on the host and what grew, with what holds it', () => {
    const e = deployEvidenceFixture();
    const host = e.hosts[0];
    if (!host?.memory) throw new Error('fixture: the first host has a memory watch');
    host.memory.heap = {
      snapshots: [
        { bytes: 52_428_800, mode: '600', ms: 900, rssBeforeMb: 120, peakRssMb: 260, peakRaised: true },
        { bytes: 62_914_560, mode: '600', ms: 1100, rssBeforeMb: 130, peakRssMb: 260, peakRaised: false },
      ],
      messagesBetween: 30_000, secondsBetween: 15,
      whatGrew: { ok: true, analysisMs: 2000, rows: [{ kind: '(string)', countBefore: 10, countAfter: 30_010, bytesBefore: 320, bytesAfter: 960_320, retainerPath: 'seenTradeIds → Set → (string)', retainerShare: 0.98 }] },
    };
    const md = renderDeployMarkdown(e);
    expect(md).toContain('- Heap snapshots from the host, 30000 messages (15 s) apart: 50.0 MB (mode 600) in 900 ms, RSS 120 → peak 260 MB; 60.0 MB (mode 600) in 1.1 s, RSS 130 → peak 260 MB (an earlier peak)');
    expect(md).toContain('| host | (string) | 10 → 30010 |');
    expect(md).toContain('seenTradeIds → Set → (string) (98% of new ones)');
  });
});
