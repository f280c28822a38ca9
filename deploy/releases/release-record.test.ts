import { describe, expect, it } from 'vitest';
import { currentRelease, diffFiles, selectRollbackTarget, summarizeReleases, transitionManifest, type ReleaseRecord } from './release-record.ts';

const m = (h: string) => [{ path: 'app/main.ts', sha256: h.repeat(64).slice(0, 64), mode: 0o644 }];
const rec = (id: string, status: ReleaseRecord['status'], extra: Partial<ReleaseRecord> = {}): ReleaseRecord => ({
  id,
  time: `t-${id}-${status}`,
  status,
  ...(status === 'verified' ? { manifest: m(id) } : {}),
  ...extra,
});

describe('selectRollbackTarget', () => {
  it('picks the previous verified release', () => {
    expect(selectRollbackTarget([rec('a', 'verified'), rec('b', 'verified')])).toEqual({ ok: true, current: 'b', target: 'a' });
  });
  it('skips failed and reverted releases', () => {
    const r = [rec('a', 'verified'), rec('b', 'failed'), rec('c', 'verified'), rec('d', 'reverted'), rec('e', 'verified')];
    expect(selectRollbackTarget(r)).toMatchObject({ target: 'c' });
  });
  it('rolling back twice never returns to the broken release', () => {
    const r = [rec('a', 'verified'), rec('b', 'verified'), rec('c', 'verified')];
    const first = selectRollbackTarget(r);
    expect(first).toMatchObject({ current: 'c', target: 'b' });
    r.push(rec('c', 'rolled-back'), rec('b', 'verified', { via: 'rollback' }));
    const second = selectRollbackTarget(r);
    expect(second).toMatchObject({ current: 'b', target: 'a' });
    r.push(rec('b', 'rolled-back'), rec('a', 'verified', { via: 'rollback' }));
    expect(selectRollbackTarget(r)).toEqual({ ok: false, reason: 'no earlier verified release before a' });
  });
  it('is independent of id order (no glob/lexical choice)', () => {
    const r = [rec('zzz', 'verified'), rec('aaa', 'verified'), rec('mmm', 'verified')];
    expect(selectRollbackTarget(r)).toMatchObject({ current: 'mmm', target: 'aaa' });
  });
  it('fails clearly with no verified release', () => {
    expect(selectRollbackTarget([rec('a', 'failed')])).toEqual({ ok: false, reason: 'no verified release on this host yet' });
  });
});

describe('summaries, transitions and diffs', () => {
  it('marks the current release', () => {
    const s = summarizeReleases([rec('a', 'verified'), rec('b', 'verified'), rec('b', 'rolled-back'), rec('a', 'verified')]);
    expect(s.map((x) => [x.id, x.lastStatus, x.current])).toEqual([['a', 'verified', true], ['b', 'rolled-back', false]]);
    expect(currentRelease([rec('a', 'verified'), rec('b', 'failed')])).toBe('a');
  });
  it('removes files only the current release had', () => {
    const from = [...m('a'), { path: 'app/extra.ts', sha256: 'e'.repeat(64), mode: 420 }];
    const t = transitionManifest(from, m('b'));
    expect(t.entries).toEqual([{ path: 'app/main.ts', existed: true, sha256: 'b'.repeat(64), mode: 420 }, { path: 'app/extra.ts', existed: false }]);
  });
  it('diffs new, changed and unchanged files', () => {
    const d = diffFiles(
      [{ path: 'x', sha256: '1' }, { path: 'y', sha256: '2' }, { path: 'z', sha256: '3' }],
      new Map([['x', '1'], ['y', '9'], ['z', null]]),
    );
    expect(d.map((f) => f.change)).toEqual(['unchanged', 'changed', 'new']);
  });
});
