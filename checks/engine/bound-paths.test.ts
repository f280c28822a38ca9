import { describe, expect, it } from 'vitest';
import { checkFixture } from '../testing/fixture-specs.ts';

/** The store's rows bounded by the limit on every path: Bounds#<method> in checks/testing/fixtures/bound-forms.ts. */
const bounded = (method: string) =>
  checkFixture({
    anchor: { declaration: `Bounds#${method}` },
    assert: [{ kind: 'bounded-on-every-path', store: { call: '.set', as: 'store' }, limit: { call: 'this.limitOf', as: 'limit' }, trim: { call: '.slice', as: 'trim' } }],
  });

describe('bounded-on-every-path', () => {
  it.each(['okGuardInPlace', 'okGuardOtherWay', 'okHelperModule', 'okEarlyReturn'])('%s: bounded on every path', (method) => {
    expect(bounded(method).filter((f) => !f.ok)).toEqual([]);
  });

  it('names the trim in the helper module it was moved to', () => {
    const [f] = bounded('okHelperModule');
    expect(f?.message).toMatch(/rows\.slice\(-limit\)/);
    expect(f?.file).toBe('checks/testing/fixtures/bound-helper.ts');
  });

  it.each(['badGuardWrongWay', 'badOnePath', 'badHelperKeepsAll', 'badOpaqueGetsRawRows'])('%s: a located violation', (method) => {
    const [f] = bounded(method);
    expect(f).toMatchObject({ ok: false });
    expect(f?.notLocated).toBeUndefined();
    expect(f?.message).toMatch(/may store rows not bounded/);
  });

  it('a value through code the engine cannot read is not located, with the reason', () => {
    const [f] = bounded('unreadable');
    expect(f).toMatchObject({ ok: false, notLocated: true });
    expect(f?.message).toMatch(/not located: the value passes through opaque/);
  });
});

describe('a periodic loop whose wait is in a closure', () => {
  const loop = (fn: string) =>
    checkFixture({
      anchor: { declaration: fn },
      assert: [
        { kind: 'call-before-loop-and-after-sleep', call: { call: 'cleanup' }, sleep: { call: 'clock.sleep', awaited: true, viaLocalHelper: true } },
        { kind: 'loop-runs-while-service-runs', loopHolding: { call: 'clock.sleep', viaLocalHelper: true } },
      ],
    });
  it('passes when the closure answers false only on shutdown', () => {
    expect(loop('closureSleep').filter((f) => !f.ok)).toEqual([]);
  });
  it('fails when the closure gives up on any failed sleep', () => {
    expect(loop('closureGivesUp').filter((f) => !f.ok).map((f) => f.message).join(' | ')).toMatch(/break/);
  });
});
