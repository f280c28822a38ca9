// @module-tag e2e
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEvent, runHistory, type Fault, type HistoryEvent } from '../testing/fault-history.ts';

// In process (no child, no VPS), but 300 histories take 10-20 s: the e2e tier. Every history runs the real
// deploy, rollback and setup code and the real host tool against the scripted host on virtual time.
// Seeded, so a CI failure replays here; fast-check shrinks a failing history and prints it.
const SEED = 22;
const RUNS = 300;

const at = fc.integer({ min: 1, max: 70 });
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('kill' as const), at }),
  fc.record({ kind: fc.constant('disk-full' as const), at }),
  fc.record({ kind: fc.constant('partition' as const), at, ms: fc.integer({ min: 2, max: 45 }).map((s) => s * 1_000) }),
  fc.record({ kind: fc.constant('journald' as const), at }),
  fc.record({ kind: fc.constant('skew' as const), at, ms: fc.integer({ min: -90, max: 90 }).map((s) => s * 1_000) }),
  fc.record({ kind: fc.constant('second-deployer' as const), at }),
);
const maybeFault = fc.option(fault, { nil: undefined, freq: 3 });
const event: fc.Arbitrary<HistoryEvent> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ cmd: fc.constant('deploy' as const), proves: fc.boolean(), fault: maybeFault }) },
  { weight: 2, arbitrary: fc.record({ cmd: fc.constant('rollback' as const), fault: maybeFault }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('setup' as const), fault: maybeFault }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 40 }).map((s) => s * 1_000) }) },
);

it(`${RUNS} random histories of deploy, rollback, setup, kill -9, full disk, partition, journald drops, clock skew and a second deployer: 0 violations`, async () => {
  let played = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (events) => {
      played += 1;
      const r = await runHistory(events);
      if (r.violations.length > 0) throw new Error(`history ${events.map(describeEvent).join(' → ')}\n${r.log.join('\n')}\nviolations:\n${r.violations.join('\n')}`);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: false },
  );
  expect(played).toBeGreaterThanOrEqual(RUNS);
}, 120_000);
