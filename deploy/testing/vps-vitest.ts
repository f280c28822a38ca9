import { afterAll, beforeAll, describe, it } from 'vitest';
import { bootVps } from './boot-vps.ts';
import { requireVpsSupport, vpsGate } from './vps-support.ts';
import { sweepStaleVpses } from './sweep-stale-vpses.ts';
import type { BootVpsOptions } from './boot-vps.ts';
import type { Vps } from './vps-handle.ts';

/**
 * describe() for tests that boot VPSes. Without support: in CI (CI=true) one failing test names what is
 * missing; elsewhere the block is skipped with a loud warning. With support, stale VPSes of crashed runs
 * are swept first.
 */
export function describeVps(name: string, fn: () => void): void {
  const gate = vpsGate(requireVpsSupport(), process.env);
  if (gate.action === 'run') {
    describe(name, () => {
      beforeAll(async () => {
        await sweepStaleVpses();
      });
      fn();
    });
  } else if (gate.action === 'fail') {
    describe(name, () => {
      it('needs a host that can boot test VPSes', () => {
        throw new Error(gate.message);
      });
    });
  } else {
    console.warn(`\n⚠️  ${gate.message} ("${name}")\n`);
    describe.skip(name, fn);
  }
}

/** Boots one VPS for the enclosing describe block and always stops it; call the getter inside tests. */
export function useVps(options: BootVpsOptions = {}): () => Vps {
  let vps: Vps | undefined;
  beforeAll(async () => {
    vps = await bootVps(options);
  });
  afterAll(async () => {
    await vps?.stop();
  });
  return () => {
    if (!vps) throw new Error('useVps: the VPS is not booted (did beforeAll fail?)');
    return vps;
  };
}
