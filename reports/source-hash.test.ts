import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { combineFileHashes, sourceHash } from './source-hash.ts';

const files: Record<string, string> = { 'app/b.ts': 'b', 'app/a.ts': 'a', 'package.json': '{}' };
const read = (p: string) => files[p] ?? '';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('sourceHash', () => {
  it('is the sha256 of the sorted path\\0sha256\\n list, whatever the input order', async () => {
    const one = await sourceHash(['package.json', 'app/b.ts', 'app/a.ts'], read);
    const two = await sourceHash(['app/a.ts', 'app/b.ts', 'package.json'], async (p) => Buffer.from(read(p)));
    expect(one).toEqual(two);
    expect(one.sha256).toBe(sha(`app/a.ts\0${sha('a')}\napp/b.ts\0${sha('b')}\npackage.json\0${sha('{}')}\n`));
    expect(one.files.map((f) => f.path)).toEqual(['app/a.ts', 'app/b.ts', 'package.json']);
  });

  it('changes when one byte or one path changes', async () => {
    const base = (await sourceHash(Object.keys(files), read)).sha256;
    expect((await sourceHash(Object.keys(files), (p) => (p === 'app/a.ts' ? 'A' : read(p)))).sha256).not.toBe(base);
    expect(combineFileHashes([{ path: 'app/c.ts', sha256: sha('a') }, { path: 'app/b.ts', sha256: sha('b') }]).sha256).not.toBe(base);
  });

  it('agrees with hashes computed elsewhere (sha256sum on a host), and refuses duplicates', async () => {
    const local = await sourceHash(['app/a.ts'], read);
    expect(combineFileHashes([{ path: 'app/a.ts', sha256: sha('a') }])).toEqual(local);
    expect(() => combineFileHashes([{ path: 'x', sha256: sha('') }, { path: 'x', sha256: sha('') }])).toThrow('duplicate path');
  });
});
