import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePackageManifest } from './package-manifest.ts';

describe('parsePackageManifest', () => {
  it("reads this repository's package.json, keeping every key", () => {
    const r = parsePackageManifest(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.manifest.dependencies?.zod).toBeDefined();
    expect(r.manifest.name).toBe('leakproof');
  });

  it('gives a reason, never a throw, for text that is not JSON or not a manifest', () => {
    expect(parsePackageManifest('{')).toMatchObject({ ok: false, reason: expect.stringMatching(/^package\.json is not JSON: /) });
    expect(parsePackageManifest('{"dependencies": {"zod": 4}}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^package\.json: dependencies\.zod: /) });
    expect(parsePackageManifest('[]')).toMatchObject({ ok: false });
  });
});
